// XEP-0124 section 11 (overactivity) and section 12 (polling sessions): checklist 3.8.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

describe('BOSH overactivity (XEP-0124 section 11)', () => {
  it('more than requests new unanswered requests is a policy-violation', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 3, [message('ahead of a gap')]);
    const third = h.post(sid, FIRST_RID + 2, [message('three in flight')]);
    assert.ok(isTerminal(third.response, 'policy-violation'));
    assert.deepEqual(h.sink(sid).closes, ['policy-violation']);
  });

  it('the client may make one extra request to terminate', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 3, [], { type: 'terminate' });
    h.post(sid, FIRST_RID + 2, [message('last words')]);
    assert.deepEqual(h.sink(sid).closes, ['client-terminate']);
  });

  it('the client may make one extra request to pause', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const a = h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 3, [], { pause: '30' });
    const b = h.post(sid, FIRST_RID + 2, [message('before the pause')]);
    assert.ok(a.answered && b.answered);
    assert.ok(h.manager.get(sid));
  });

  it('requests slots all taken by unanswered requests, the last an empty one sent too soon, is a policy-violation', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.clock.advance(500);
    const eager = h.post(sid, FIRST_RID + 2);
    assert.ok(isTerminal(eager.response, 'policy-violation'));
  });

  it('the same empty request after the polling interval is allowed', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open();
    const a = h.post(sid, FIRST_RID + 1);
    h.clock.advanceSeconds(2);
    h.post(sid, FIRST_RID + 2);
    assert.deepEqual(a.response.attrs, {});
    assert.ok(h.manager.get(sid));
  });

  it('a request with payload in the last slot is never too soon', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2, [message('now')]);
    assert.ok(h.manager.get(sid));
  });

  it('with polling 0 the request rate is not enforced', () => {
    const h = new BoshHarness({ pollingInterval: 0 });
    const sid = h.open();
    h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2);
    assert.ok(h.manager.get(sid));
  });
});

describe('BOSH polling sessions (XEP-0124 section 12)', () => {
  it('two empty polls closer than polling, the first answered empty, is a policy-violation', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open({ hold: '0' });
    h.clock.advanceSeconds(2);
    assert.deepEqual(h.post(sid, FIRST_RID + 1).response.payload, []);
    h.clock.advance(1500);
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 2).response, 'policy-violation'));
  });

  it('a quick poll is allowed when the previous poll brought payloads', async () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open({ hold: '0' });
    h.session(sid).deliver('<m/>');
    await settle();
    h.clock.advanceSeconds(2);
    assert.deepEqual(h.post(sid, FIRST_RID + 1).response.payload, ['<m/>']);
    h.clock.advance(100);
    assert.deepEqual(h.post(sid, FIRST_RID + 2).response.attrs, {});
  });

  it('polls spaced by at least polling seconds go on indefinitely', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open({ hold: '0' });
    for (let i = 1; i <= 5; i++) {
      h.clock.advanceSeconds(2);
      assert.deepEqual(h.post(sid, FIRST_RID + i).response.attrs, {});
    }
  });

  it('a quick request that carries stanzas is not a poll', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open({ hold: '0' });
    h.clock.advanceSeconds(2);
    h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2, [message('data')]);
    assert.ok(h.manager.get(sid));
  });

  it('the first poll right after creation is not too frequent', () => {
    const h = new BoshHarness({ pollingInterval: 2 });
    const sid = h.open({ hold: '0' });
    assert.deepEqual(h.post(sid, FIRST_RID + 1).response.attrs, {});
  });
});
