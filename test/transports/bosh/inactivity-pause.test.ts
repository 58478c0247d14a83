// XEP-0124 section 10 (inactivity and session pauses): checklist 3.7.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

describe('BOSH inactivity (XEP-0124 section 10)', () => {
  it('a session with no held request ends silently after the inactivity period', () => {
    const h = new BoshHarness({ maxInactivity: 30 });
    const sid = h.open();
    h.clock.advanceSeconds(29);
    assert.ok(h.manager.get(sid));
    h.clock.advanceSeconds(1);
    assert.equal(h.manager.get(sid), undefined);
    assert.deepEqual(h.sink(sid).closes, ['inactivity']);
    assert.equal(h.ends.get(sid)?.cause, 'inactivity');
  });

  it('a request for a session that timed out is answered as for one that never existed', () => {
    const h = new BoshHarness({ maxInactivity: 30 });
    const sid = h.open();
    h.clock.advanceSeconds(30);
    const late = h.post(sid, FIRST_RID + 1);
    assert.ok(isTerminal(late.response, 'item-not-found'));
    assert.equal(late.response.status, 200);
  });

  it('undelivered stanzas are handed back when a session times out', async () => {
    const h = new BoshHarness({ maxInactivity: 30 });
    const sid = h.open();
    h.session(sid).deliver('<message id="lost"/>');
    await settle();
    h.clock.advanceSeconds(30);
    assert.deepEqual(h.ends.get(sid)?.undelivered, ['<message id="lost"/>']);
  });

  it('the inactivity timer does not run while a request is held', () => {
    const h = new BoshHarness({ maxInactivity: 10, maxWait: 60 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.clock.advanceSeconds(59);
    assert.ok(h.manager.get(sid), 'held for longer than the inactivity period');
  });

  it('after wait empties the last held request, inactivity starts counting', () => {
    const h = new BoshHarness({ maxInactivity: 10, maxWait: 20 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.clock.advanceSeconds(20);
    h.clock.advanceSeconds(9);
    assert.ok(h.manager.get(sid));
    h.clock.advanceSeconds(1);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('an interrupted long poll counts as activity: the request that replaced it keeps the session alive', () => {
    const h = new BoshHarness({ maxInactivity: 2, maxWait: 10 });
    const sid = h.open();
    const longPoll = h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2, [message('hello')]);
    assert.ok(longPoll.answered);
    h.clock.advanceSeconds(4);
    assert.ok(h.manager.get(sid));
  });

  it('a held connection the client closed is settled empty; a resend of its rid gets that, and nothing is lost', async () => {
    const h = new BoshHarness({ maxInactivity: 30 });
    const sid = h.open();
    const dropped = h.post(sid, FIRST_RID + 1);
    dropped.abort();
    h.session(sid).deliver('<message id="kept"/>');
    await settle();
    assert.equal(dropped.answered, false);
    const resent = h.post(sid, FIRST_RID + 1);
    assert.deepEqual(resent.response.payload, []);
    const next = h.post(sid, FIRST_RID + 2);
    assert.deepEqual(next.response.payload, ['<message id="kept"/>']);
  });

  it('a client whose connection broke is dropped after the inactivity period', () => {
    const h = new BoshHarness({ maxInactivity: 5 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1).abort();
    h.clock.advanceSeconds(5);
    assert.equal(h.manager.get(sid), undefined);
  });
});

describe('BOSH session pause (XEP-0124 section 10)', () => {
  it('a pause is answered at once, together with every held request, without payloads', async () => {
    const h = new BoshHarness({ maxHold: 2 });
    const sid = h.open({ hold: '2' });
    const a = h.post(sid, FIRST_RID + 1);
    const b = h.post(sid, FIRST_RID + 2);
    const pause = h.post(sid, FIRST_RID + 3, [], { pause: '60' });
    assert.deepEqual(a.response.payload, []);
    assert.deepEqual(b.response.payload, []);
    assert.deepEqual(pause.response.payload, []);
  });

  it('stanzas queued at pause time wait for the request after the pause', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.session(sid).deliver('<message id="q"/>');
    h.post(sid, FIRST_RID + 1, [], { pause: '60' });
    await settle();
    const after = h.post(sid, FIRST_RID + 2);
    assert.deepEqual(after.response.payload, ['<message id="q"/>']);
  });

  it('a pause longer than the inactivity period is honoured, then the session ends', () => {
    const h = new BoshHarness({ maxInactivity: 10, maxPause: 120 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { pause: '100' });
    h.clock.advanceSeconds(99);
    assert.ok(h.manager.get(sid));
    h.clock.advanceSeconds(1);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('the normal inactivity period returns with the next request', () => {
    const h = new BoshHarness({ maxInactivity: 10, maxWait: 5 });
    const sid = h.open({ wait: '5' });
    h.post(sid, FIRST_RID + 1, [], { pause: '100' });
    h.clock.advanceSeconds(50);
    h.post(sid, FIRST_RID + 2);
    h.clock.advanceSeconds(5);
    h.clock.advanceSeconds(9);
    assert.ok(h.manager.get(sid));
    h.clock.advanceSeconds(1);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('a pause shorter than the inactivity period shortens it', () => {
    const h = new BoshHarness({ maxInactivity: 60 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { pause: '5' });
    h.clock.advanceSeconds(5);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('a pause longer than maxpause is a policy-violation', () => {
    const h = new BoshHarness({ maxPause: 120 });
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1, [], { pause: '10000' });
    assert.ok(isTerminal(ex.response, 'policy-violation'));
    assert.equal(h.manager.get(sid), undefined);
  });

  it('a pause request counts as activity', () => {
    const h = new BoshHarness({ maxInactivity: 10 });
    const sid = h.open();
    h.clock.advanceSeconds(9);
    h.post(sid, FIRST_RID + 1, [], { pause: '20' });
    h.clock.advanceSeconds(9);
    assert.ok(h.manager.get(sid));
  });

  it('pause responses are not cached: resending a pause rid is item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { pause: '30' });
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1).response, 'item-not-found'));
  });

  it('when pausing is not offered the pause attribute is ignored', () => {
    const h = new BoshHarness({ maxPause: 0 });
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1, [], { pause: '30' });
    assert.equal(ex.answered, false, 'held like any other request');
  });

  it('a malformed pause is bad-request', () => {
    const h = new BoshHarness();
    const sid = h.open();
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1, [], { pause: 'long' }).response, 'bad-request'));
  });
});
