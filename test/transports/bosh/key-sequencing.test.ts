// XEP-0124 section 15 (protecting insecure sessions: key sequencing): checklist 3.10.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boshKeyHash } from '../../../src/transports/bosh/key-sequence.js';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

/** K(1) = hex(SHA-1(seed)), K(i) = hex(SHA-1(K(i-1))); returns [K(1), ..., K(n)]. */
function keyChain(seed: string, n: number): string[] {
  const keys = [boshKeyHash(seed)];
  while (keys.length < n) keys.push(boshKeyHash(keys[keys.length - 1]!));
  return keys;
}

/** The client's side: sends K(n) first, then K(n-1), K(n-2), ... */
function keyed(seed: string, n: number) {
  const chain = keyChain(seed, n);
  return { first: chain[n - 1]!, key: (i: number) => chain[n - 1 - i]! };
}

describe('BOSH key sequencing (XEP-0124 section 15)', () => {
  it('the published example chain links: SHA-1 of each key is the one before', () => {
    // From the XEP's examples: the key after newkey ca393b... is bfb06a...
    assert.equal(boshKeyHash('bfb06a6f113cd6fd3838ab9d300fdb4fe3da2f7d'), 'ca393b51b682f61f98e7877d61146407f3d0a770');
  });

  it('requests whose keys follow the chain are accepted', async () => {
    const h = new BoshHarness();
    const k = keyed('seed', 10);
    const sid = h.open({ newkey: k.first });
    for (let i = 1; i <= 4; i++) {
      h.post(sid, FIRST_RID + i, [message(`m${i}`)], { key: k.key(i) });
      h.session(sid).deliver('<m/>');
      await settle();
    }
    assert.equal(h.sink(sid).received.length, 4);
    assert.ok(h.manager.get(sid));
  });

  it('keys are compared without regard to case', () => {
    const h = new BoshHarness();
    const k = keyed('seed', 5);
    const sid = h.open({ newkey: k.first.toUpperCase() });
    h.post(sid, FIRST_RID + 1, [message('x')], { key: k.key(1) });
    assert.equal(h.sink(sid).received.length, 1);
    assert.ok(h.manager.get(sid));
  });

  it('a client at K(1) switches to a new chain with newkey and goes on', async () => {
    const h = new BoshHarness();
    const old = keyed('old', 2);
    const fresh = keyed('fresh', 5);
    const sid = h.open({ newkey: old.first });
    h.post(sid, FIRST_RID + 1, [message('rekey')], { key: old.key(1), newkey: fresh.first });
    h.session(sid).deliver('<m/>');
    await settle();
    h.post(sid, FIRST_RID + 2, [message('new chain')], { key: fresh.key(1) });
    assert.equal(h.sink(sid).received.length, 2);
    assert.ok(h.manager.get(sid));
  });

  it('a wrong key terminates with item-not-found and the request is not processed', () => {
    const h = new BoshHarness();
    const k = keyed('seed', 5);
    const sid = h.open({ newkey: k.first });
    const ex = h.post(sid, FIRST_RID + 1, [message('injected')], { key: keyed('other', 5).key(1) });
    assert.ok(isTerminal(ex.response, 'item-not-found'));
    assert.deepEqual(h.sink(sid).received, []);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('a missing key once keying started terminates with item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.open({ newkey: keyed('seed', 5).first });
    const ex = h.post(sid, FIRST_RID + 1, [message('no key')]);
    assert.ok(isTerminal(ex.response, 'item-not-found'));
    assert.deepEqual(h.sink(sid).received, []);
  });

  it('a key in a session that never started keying is item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.open();
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1, [], { key: keyed('seed', 3).key(1) }).response, 'item-not-found'));
  });

  it('a replayed rid with its now stale key gets the cached response', async () => {
    const h = new BoshHarness();
    const k = keyed('seed', 10);
    const sid = h.open({ newkey: k.first });
    const original = h.post(sid, FIRST_RID + 1, [message('a')], { key: k.key(1) });
    h.session(sid).deliver('<m/>');
    await settle();
    h.post(sid, FIRST_RID + 2, [], { key: k.key(2) });
    const replay = h.post(sid, FIRST_RID + 1, [message('a')], { key: k.key(1) });
    assert.deepEqual(replay.response, original.response);
    assert.ok(h.manager.get(sid));
  });

  it('a resend of a held rid with a different key is item-not-found', () => {
    const h = new BoshHarness();
    const k = keyed('seed', 10);
    const sid = h.open({ newkey: k.first });
    h.post(sid, FIRST_RID + 1, [], { key: k.key(1) });
    const forged = h.post(sid, FIRST_RID + 1, [], { key: k.key(2) });
    assert.ok(isTerminal(forged.response, 'item-not-found'));
  });

  it('keys of out-of-order requests are checked in rid order', () => {
    const h = new BoshHarness();
    const k = keyed('seed', 10);
    const sid = h.open({ newkey: k.first });
    h.post(sid, FIRST_RID + 2, [message('second')], { key: k.key(2) });
    h.post(sid, FIRST_RID + 1, [message('first')], { key: k.key(1) });
    assert.equal(h.sink(sid).received.length, 2);
    assert.ok(h.manager.get(sid));
  });
});
