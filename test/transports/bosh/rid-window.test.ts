// XEP-0124 section 14 (request IDs: window, in-order forwarding, broken connections): checklist 3.5.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderBoshBody } from '../../../src/protocol/xep0124.js';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

describe('BOSH rid window and retransmission (XEP-0124 section 14)', () => {
  it('out-of-order rids are forwarded in rid order', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 2, [message('second')]);
    assert.deepEqual(h.sink(sid).received, [], 'held back until the gap fills');
    h.post(sid, FIRST_RID + 1, [message('first')]);
    const got = h.sink(sid).received;
    assert.equal(got.length, 2);
    assert.match(got[0]!, /first/);
    assert.match(got[1]!, /second/);
  });

  it('out-of-order requests are answered in rid order', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const later = h.post(sid, FIRST_RID + 2, [message('b')]);
    const earlier = h.post(sid, FIRST_RID + 1, [message('a')]);
    assert.ok(earlier.answered, 'the older one is answered once both are in');
    assert.equal(later.answered, false);
  });

  it('a rid beyond last + requests terminates the session with item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 3);
    assert.ok(isTerminal(ex.response, 'item-not-found'));
    assert.equal(h.manager.get(sid), undefined);
    assert.deepEqual(h.sink(sid).closes, ['item-not-found']);
  });

  it('a rid at the far edge of the window is accepted', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 2);
    assert.equal(ex.answered, false);
    assert.ok(h.manager.get(sid));
  });

  it('a repeated rid replays the identical cached response', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const original = h.post(sid, FIRST_RID + 1, [message('hello')]);
    h.session(sid).deliver("<message from='bob@example.com'><body>hi</body></message>");
    await settle();
    const again = h.post(sid, FIRST_RID + 1, [message('hello')]);
    assert.deepEqual(again.response, original.response);
    const r = again.response;
    assert.equal(renderBoshBody(r.attrs, r.payload), renderBoshBody(original.response.attrs, original.response.payload));
    assert.equal(h.sink(sid).received.length, 1, 'the payload was not forwarded twice');
  });

  it('the creation response is replayed too, features and all', () => {
    const h = new BoshHarness();
    const created = h.create();
    const sid = created.response.attrs.sid!;
    const again = h.post(sid, FIRST_RID);
    assert.deepEqual(again.response, created.response);
  });

  it('a repeated rid that is still held: the older copy gets a recoverable error, the new copy the answer', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const first = h.post(sid, FIRST_RID + 1, [message('once')]);
    const resent = h.post(sid, FIRST_RID + 1, [message('once')]);
    assert.deepEqual(first.response.attrs, { type: 'error' });
    assert.equal(resent.answered, false);
    h.session(sid).deliver('<m/>');
    await settle();
    assert.deepEqual(resent.response.payload, ['<m/>']);
    assert.equal(h.sink(sid).received.length, 1, 'the payload was forwarded once');
  });

  it('a repeated rid waiting behind a gap is replaced, and its payload forwarded once', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const first = h.post(sid, FIRST_RID + 2, [message('two')]);
    const resent = h.post(sid, FIRST_RID + 2, [message('two')]);
    assert.deepEqual(first.response.attrs, { type: 'error' });
    h.post(sid, FIRST_RID + 1, [message('one')]);
    assert.equal(h.sink(sid).received.length, 2);
    assert.equal(resent.answered, false, 'the new copy is the held one');
  });

  it('a rid no longer in the cache is item-not-found, the same as one too large', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    for (let i = 1; i <= 3; i++) {
      h.post(sid, FIRST_RID + i);
      h.session(sid).deliver('<m/>');
      await settle();
    }
    // requests = 2: only the responses to FIRST_RID+2 and +3 are kept.
    const stale = h.post(sid, FIRST_RID + 1);
    assert.ok(isTerminal(stale.response, 'item-not-found'));
  });

  it('the cache keeps as many responses as requests', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    for (let i = 1; i <= 3; i++) {
      h.post(sid, FIRST_RID + i);
      h.session(sid).deliver(`<m n='${i}'/>`);
      await settle();
    }
    assert.deepEqual(h.post(sid, FIRST_RID + 2).response.payload, ["<m n='2'/>"]);
    assert.deepEqual(h.post(sid, FIRST_RID + 3).response.payload, ["<m n='3'/>"]);
  });

  it('resending one rid too many times is a policy-violation', () => {
    const h = new BoshHarness({ maxResendsPerRid: 3 });
    const sid = h.open();
    for (let i = 0; i < 3; i++) assert.ok(h.post(sid, FIRST_RID).answered);
    assert.ok(isTerminal(h.post(sid, FIRST_RID).response, 'policy-violation'));
  });

  it('a request in a session without a usable rid is bad-request', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.send({ sid });
    assert.ok(isTerminal(ex.response, 'bad-request'));
    assert.equal(h.manager.get(sid), undefined);
  });

  it('a terminal error also answers the requests still held, so no connection hangs', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    const bad = h.post(sid, FIRST_RID + 5);
    assert.ok(isTerminal(held.response, 'item-not-found'));
    assert.ok(isTerminal(bad.response, 'item-not-found'));
  });
});
