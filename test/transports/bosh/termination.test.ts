// XEP-0124 section 13 (terminating the session) and section 17.2 'system-shutdown': checklist 3.9.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '../../../src/xml/element.js';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

describe('BOSH session termination (XEP-0124 section 13)', () => {
  it('a terminate request is acknowledged with type terminate', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1, [], { type: 'terminate' });
    assert.equal(ex.response.status, 200);
    assert.deepEqual(ex.response.attrs, { type: 'terminate' });
    assert.equal(h.manager.get(sid), undefined);
  });

  it('the payload of a terminate request reaches the stream engine before the stream is closed', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [xml('presence', { type: 'unavailable' })], { type: 'terminate' });
    const events = h.sink(sid).events;
    assert.match(events[events.length - 2]!, /^stanza <presence type='unavailable' xmlns='jabber:client'\/>$/);
    assert.equal(events[events.length - 1], 'close client-terminate');
  });

  it('with another request held, the oldest connection gets type terminate and the terminate request an empty body', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    const bye = h.post(sid, FIRST_RID + 2, [message('bye')], { type: 'terminate' });
    assert.deepEqual(held.response.attrs, { type: 'terminate' });
    assert.deepEqual(bye.response.attrs, {});
    assert.deepEqual(bye.response.payload, []);
  });

  it('with hold 2 both held requests are answered: terminate on the oldest, empty on the rest', () => {
    const h = new BoshHarness({ maxHold: 2 });
    const sid = h.open({ hold: '2' });
    const a = h.post(sid, FIRST_RID + 1);
    const b = h.post(sid, FIRST_RID + 2, [], { type: 'terminate' });
    assert.deepEqual(a.response.attrs, { type: 'terminate' });
    assert.deepEqual(b.response.attrs, {});
  });

  it('after terminate the sid is dead: later requests get item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { type: 'terminate' });
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 2).response, 'item-not-found'));
  });

  it('onEnd reports client-terminate and the stanzas the client never collected', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.session(sid).deliver('<message id="late"/>');
    await settle();
    h.session(sid).deliver('<message id="later"/>');
    h.post(sid, FIRST_RID + 1, [], { type: 'terminate' });
    const end = h.ends.get(sid)!;
    assert.equal(end.cause, 'client-terminate');
    assert.deepEqual(end.undelivered, ['<message id="late"/>', '<message id="later"/>']);
  });

  it('a terminate that arrives ahead of a gap waits for the missing rid, whose payload goes first', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 2, [xml('presence', { type: 'unavailable' })], { type: 'terminate' });
    assert.ok(h.manager.get(sid));
    h.post(sid, FIRST_RID + 1, [message('before')]);
    const got = h.sink(sid).received;
    assert.match(got[0]!, /before/);
    assert.match(got[1]!, /unavailable/);
    assert.deepEqual(h.sink(sid).closes, ['client-terminate']);
  });

  it('the stream engine can end the session with a condition; held requests carry it', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    h.session(sid).terminate('remote-connection-failed');
    assert.ok(isTerminal(held.response, 'remote-connection-failed'));
    assert.deepEqual(h.sink(sid).closes, [], 'the stream engine ended it: no close back to it');
    assert.equal(h.ends.get(sid)?.cause, 'remote-connection-failed');
  });

  it('the stream engine can close the session without a condition: a plain type terminate', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    h.session(sid).deliver('<message id="last"/>');
    h.session(sid).terminate();
    await settle();
    assert.deepEqual(held.response.attrs, { type: 'terminate' });
    assert.deepEqual(held.response.payload, ['<message id="last"/>']);
    assert.equal(h.ends.get(sid)?.cause, 'server-terminate');
  });
});

describe('BOSH connection manager shutdown (XEP-0124 section 17.2)', () => {
  it('every session gets system-shutdown and its stream is closed', () => {
    const h = new BoshHarness();
    const one = h.open();
    const two = h.open({ rid: '77' });
    const held = h.post(one, FIRST_RID + 1);
    h.manager.shutdown();
    assert.ok(isTerminal(held.response, 'system-shutdown'));
    assert.deepEqual(h.sink(one).closes, ['system-shutdown']);
    assert.deepEqual(h.sink(two).closes, ['system-shutdown']);
    assert.equal(h.manager.size, 0);
  });

  it('no new session is created during shutdown', () => {
    const h = new BoshHarness();
    h.manager.shutdown();
    assert.ok(isTerminal(h.create().response, 'system-shutdown'));
  });
});
