// XEP-0124 section 9 (acknowledgements: 'ack', 'report', 'time') and the retransmission it enables
// (section 14.3): checklist 3.6.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoshHarness, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

async function exchange(h: BoshHarness, sid: string, rid: number, extra: Record<string, string> = {}) {
  const ex = h.post(sid, rid, [], extra);
  h.session(sid).deliver(`<m n='${rid}'/>`);
  await settle();
  return ex;
}

describe('BOSH acknowledgements (XEP-0124 section 9)', () => {
  it('a client that sends ack=1 gets ack set to the creation rid in the creation response', () => {
    const h = new BoshHarness();
    assert.equal(h.create({ ack: '1' }).response.attrs.ack, String(FIRST_RID));
  });

  it('without ack=1 from the client there are no ack attributes', () => {
    const h = new BoshHarness();
    const created = h.create();
    assert.equal(created.response.attrs.ack, undefined);
    const sid = created.response.attrs.sid!;
    const a = h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2, [message('next')]);
    assert.deepEqual(a.response.attrs, {});
  });

  it('a response carries ack = the highest rid received without gaps, when that is not its own rid', () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    const a = h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 2, [message('next')]);
    assert.equal(a.response.attrs.ack, String(FIRST_RID + 2));
  });

  it('ack is omitted when it would equal the rid being answered', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    const a = await exchange(h, sid, FIRST_RID + 1);
    assert.equal(a.response.attrs.ack, undefined);
  });

  it('a client ack below the last answered rid gets an immediate report and time', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    await exchange(h, sid, FIRST_RID + 1, { ack: String(FIRST_RID) });
    h.clock.advance(852);
    // The client never saw the response to FIRST_RID+1, so it acknowledges only FIRST_RID.
    const next = h.post(sid, FIRST_RID + 2, [], { ack: String(FIRST_RID) });
    assert.equal(next.response.attrs.report, String(FIRST_RID + 1));
    assert.equal(next.response.attrs.time, '852');
  });

  it('after a report the client resends the missing rid and gets the cached response', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    const lost = await exchange(h, sid, FIRST_RID + 1, { ack: String(FIRST_RID) });
    h.post(sid, FIRST_RID + 2, [], { ack: String(FIRST_RID) });
    const retransmitted = h.post(sid, FIRST_RID + 1, [], { ack: String(FIRST_RID) });
    assert.deepEqual(retransmitted.response, lost.response);
  });

  it('with acks the cache keeps every unacknowledged response, beyond requests', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    const first = await exchange(h, sid, FIRST_RID + 1, { ack: String(FIRST_RID) });
    for (let rid = FIRST_RID + 2; rid <= FIRST_RID + 5; rid++) await exchange(h, sid, rid, { ack: String(FIRST_RID) });
    assert.deepEqual(h.post(sid, FIRST_RID + 1, [], { ack: String(FIRST_RID) }).response, first.response);
  });

  it('acknowledged responses leave the cache: resending one is item-not-found', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    await exchange(h, sid, FIRST_RID + 1, { ack: String(FIRST_RID) });
    await exchange(h, sid, FIRST_RID + 2, { ack: String(FIRST_RID + 1) });
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1).response, 'item-not-found'));
  });

  it('a request without ack acknowledges every earlier response', async () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    await exchange(h, sid, FIRST_RID + 1, { ack: String(FIRST_RID) });
    await exchange(h, sid, FIRST_RID + 2);
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1).response, 'item-not-found'));
  });

  it('a malformed ack is bad-request', () => {
    const h = new BoshHarness();
    const sid = h.open({ ack: '1' });
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1, [], { ack: 'yes' }).response, 'bad-request'));
  });
});
