// XEP-0124 section 19 (secure sessions) and XEP-0206 section 5 (stream restart after SASL): checklist 3.13.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoshHarness, FEATURES, FIRST_RID, message } from './bosh-harness.js';

describe('BOSH secure sessions (XEP-0124 section 19)', () => {
  it('an insecure request in a session created over HTTPS is dropped and the session survives', () => {
    const h = new BoshHarness();
    const sid = h.open({}, { secure: true });
    const plain = h.post(sid, FIRST_RID + 1, [message('over http')], {}, { secure: false });
    assert.equal(plain.dropped, true);
    assert.equal(plain.answered, false);
    assert.deepEqual(h.sink(sid).received, [], 'its payload was not processed');
    const tls = h.post(sid, FIRST_RID + 1, [message('over https')], {}, { secure: true });
    assert.equal(tls.dropped, false);
    assert.equal(h.sink(sid).received.length, 1);
  });

  it('a session created over plain HTTP accepts plain requests', () => {
    const h = new BoshHarness();
    const sid = h.open({}, { secure: false });
    h.post(sid, FIRST_RID + 1, [message('x')], {}, { secure: false });
    assert.equal(h.sink(sid).received.length, 1);
  });

  it('an insecure terminate cannot end a secure session', () => {
    const h = new BoshHarness();
    const sid = h.open({}, { secure: true });
    const ex = h.post(sid, FIRST_RID + 1, [], { type: 'terminate' }, { secure: false });
    assert.equal(ex.dropped, true);
    assert.ok(h.manager.get(sid));
  });
});

describe('BOSH stream restart (XEP-0206 section 5)', () => {
  it("xmpp:restart='true' restarts the stream and the response carries the new features", () => {
    const h = new BoshHarness();
    const sid = h.open();
    const restart = h.post(sid, FIRST_RID + 1, [], { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true', to: 'example.com', 'xml:lang': 'de' });
    assert.deepEqual(h.sink(sid).events, ['open', 'restart']);
    const header = h.sink(sid).headers[1]!;
    assert.equal(header.to, 'example.com');
    assert.equal(header.lang, 'de');
    assert.deepEqual(restart.response.payload, [FEATURES]);
  });

  it('a restart that leaves out to, xml:lang or xmpp:version gets them from the creation request', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true' });
    const header = h.sink(sid).headers[1]!;
    assert.equal(header.to, 'example.com');
    assert.equal(header.lang, 'en');
    assert.equal(header.version, '1.0');
  });

  it('the payload of a restart request is ignored', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [message('ignored')], { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true' });
    assert.deepEqual(h.sink(sid).received, []);
  });

  it('the restart attribute is recognised under any prefix bound to urn:xmpp:xbosh', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [], { 'xmlns:xb': 'urn:xmpp:xbosh', 'xb:restart': 'true' });
    assert.deepEqual(h.sink(sid).events, ['open', 'restart']);
  });

  it("xmpp:restart='false' is an ordinary request", () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.post(sid, FIRST_RID + 1, [message('kept')], { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'false' });
    assert.deepEqual(h.sink(sid).events.slice(0, 1), ['open']);
    assert.equal(h.sink(sid).received.length, 1);
  });
});
