// XEP-0124 section 8 (sending and receiving payloads, holding requests) and XEP-0206 section 2 (namespaces of
// stanzas inside <body/>): checklist 3.4.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '../../../src/xml/element.js';
import { BoshHarness, FIRST_RID, message, settle } from './bosh-harness.js';

describe('BOSH payload exchange (XEP-0124 section 8)', () => {
  it('several stanzas in one body reach the stream engine in document order', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [message('one'), xml('presence'), message('two'), xml('iq', { type: 'get', id: 'q' })]);
    const got = h.sink(sid).received;
    assert.equal(got.length, 4);
    assert.match(got[0]!, /one/);
    assert.match(got[1]!, /^<presence/);
    assert.match(got[2]!, /two/);
    assert.match(got[3]!, /^<iq/);
  });

  it('a request is held until the stream engine has data, then answered with it', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1);
    assert.equal(ex.answered, false);
    h.session(sid).deliver("<message from='bob@example.com'/>");
    await settle();
    assert.equal(ex.response.status, 200);
    assert.deepEqual(ex.response.payload, ["<message from='bob@example.com'/>"]);
  });

  it('stanzas delivered in the same tick leave in one response', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1);
    const session = h.session(sid);
    session.deliver('<a/>');
    session.deliver('<b/>');
    session.deliver('<c/>');
    await settle();
    assert.deepEqual(ex.response.payload, ['<a/>', '<b/>', '<c/>']);
  });

  it('an answer the stream engine gives synchronously goes out on the oldest held request', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const sink = h.sink(sid);
    sink.onStanzas = (els) => {
      for (const el of els) if (el.is('iq')) sink.session.deliver(`<iq type='result' id='${el.attr('id')}'/>`);
    };
    const poll = h.post(sid, FIRST_RID + 1);
    const query = h.post(sid, FIRST_RID + 2, [xml('iq', { type: 'get', id: 'q1' })]);
    assert.deepEqual(poll.response.payload, ["<iq type='result' id='q1'/>"]);
    assert.equal(query.answered, false, 'the new request is the one now held');
  });

  it('a held request is answered with an empty body when wait elapses', () => {
    const h = new BoshHarness();
    const sid = h.open({ wait: '20' });
    const ex = h.post(sid, FIRST_RID + 1);
    h.clock.advanceSeconds(19);
    assert.equal(ex.answered, false);
    h.clock.advanceSeconds(1);
    assert.deepEqual(ex.response, { status: 200, contentType: 'text/xml; charset=utf-8', attrs: {}, payload: [], declareStream: undefined });
  });

  it('a new request beyond hold makes the oldest held request return, empty', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const first = h.post(sid, FIRST_RID + 1);
    const second = h.post(sid, FIRST_RID + 2, [message('hi')]);
    assert.deepEqual(first.response.payload, []);
    assert.equal(second.answered, false);
  });

  it('stanzas queued while nothing is held go out at once on the next request', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.session(sid).deliver('<queued/>');
    await settle();
    const ex = h.post(sid, FIRST_RID + 1);
    assert.deepEqual(ex.response.payload, ['<queued/>']);
  });

  it('with hold 2, data answers the oldest held request first (responses in rid order)', async () => {
    const h = new BoshHarness({ maxHold: 2 });
    const sid = h.open({ hold: '2' });
    const a = h.post(sid, FIRST_RID + 1);
    const b = h.post(sid, FIRST_RID + 2);
    assert.equal(a.answered || b.answered, false, 'two requests may be held');
    h.session(sid).deliver('<x/>');
    await settle();
    assert.deepEqual(a.response.payload, ['<x/>']);
    assert.equal(b.answered, false);
  });

  it('unqualified stanzas are given xmlns jabber:client; qualified ones keep their namespace', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const plain = message('p');
    const httpbind = xml('presence', { xmlns: 'http://jabber.org/protocol/httpbind' });
    const other = xml('foo', { xmlns: 'urn:example:foo' });
    h.post(sid, FIRST_RID + 1, [plain, httpbind, other]);
    assert.equal(plain.getNS(), 'jabber:client');
    assert.equal(httpbind.getNS(), 'jabber:client');
    assert.equal(other.getNS(), 'urn:example:foo');
    assert.match(h.sink(sid).received[0]!, /^<message [^>]*xmlns='jabber:client'/);
  });

  it('deliver after the session ended returns false so the caller can bounce the stanza', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const session = h.session(sid);
    h.post(sid, FIRST_RID + 1, [], { type: 'terminate' });
    assert.equal(session.ended, true);
    assert.equal(session.deliver('<message/>'), false);
  });

  it('a client that stops collecting its data is cut off once the queue passes its byte limit', async () => {
    const h = new BoshHarness({ maxQueuedBytes: 100 });
    const sid = h.open();
    const session = h.session(sid);
    await settle();
    for (let i = 0; i < 10; i++) session.deliver(`<message id='${i}'>${'x'.repeat(10)}</message>`);
    assert.equal(session.ended, true);
    const end = h.ends.get(sid)!;
    assert.equal(end.cause, 'undefined-condition');
    assert.ok(end.undelivered.length > 0);
    assert.deepEqual(h.sink(sid).closes, ['undefined-condition']);
  });
});
