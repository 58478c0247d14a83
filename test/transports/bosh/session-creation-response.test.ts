// XEP-0124 section 7.2 (session creation response), section 16 (multiple streams, not offered) and
// XEP-0206 section 4 (features in the creation response): checklist 3.3 and 3.11.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderBoshBody } from '../../../src/protocol/xep0124.js';
import { BoshHarness, FEATURES, FIRST_RID, message, settle } from './bosh-harness.js';

describe('BOSH session creation response (XEP-0124 section 7.2, XEP-0206 section 4)', () => {
  it('carries sid, wait, requests, hold, inactivity, polling, maxpause, ver, from and the XEP-0206 attributes', () => {
    const h = new BoshHarness({ maxInactivity: 30, pollingInterval: 2, maxPause: 120 });
    const attrs = h.create().response.attrs;
    assert.match(attrs.sid!, /^[0-9a-f]{32}$/);
    assert.equal(attrs.wait, '60');
    assert.equal(attrs.requests, '2');
    assert.equal(attrs.hold, '1');
    assert.equal(attrs.inactivity, '30');
    assert.equal(attrs.polling, '2');
    assert.equal(attrs.maxpause, '120');
    assert.equal(attrs.ver, '1.6');
    assert.equal(attrs.from, 'example.com');
    assert.equal(attrs['xmpp:version'], '1.0');
    assert.equal(attrs['xmpp:restartlogic'], 'true');
  });

  it('declares xmlns:stream and xmlns:xmpp on the rendered body, with the stream features inside', () => {
    const h = new BoshHarness();
    const r = h.create().response;
    assert.deepEqual(r.payload, [FEATURES]);
    const xml = renderBoshBody(r.attrs, r.payload, r.declareStream);
    assert.match(xml, /^<body xmlns='http:\/\/jabber.org\/protocol\/httpbind' xmlns:xmpp='urn:xmpp:xbosh' xmlns:stream='http:\/\/etherx.jabber.org\/streams' /);
    assert.ok(xml.endsWith(FEATURES + '</body>'));
  });

  it('sends no secure attribute (removed in version 1.8) and no stream attribute (multiple streams not offered)', () => {
    const h = new BoshHarness();
    const attrs = h.create().response.attrs;
    assert.equal(attrs.secure, undefined);
    assert.equal(attrs.stream, undefined);
  });

  it('a later request with stream and to attributes is an ordinary request when streams were not offered', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1, [message('one')], { to: 'example.com', stream: 'other' });
    assert.equal(h.sink(sid).received.length, 1);
    h.session(sid).deliver('<message/>');
    await settle();
    assert.deepEqual(ex.response.attrs, {});
    assert.equal(h.sink(sid).headers.length, 1, 'no second stream opened');
  });

  it('omits maxpause when pausing is disabled, and accept/charsets unless configured', () => {
    const h = new BoshHarness({ maxPause: 0 });
    const attrs = h.create().response.attrs;
    assert.equal(attrs.maxpause, undefined);
    assert.equal(attrs.accept, undefined);
    assert.equal(attrs.charsets, undefined);
    const h2 = new BoshHarness({ accept: 'gzip,deflate', charsets: 'ISO_8859-1' });
    const attrs2 = h2.create().response.attrs;
    assert.equal(attrs2.accept, 'gzip,deflate');
    assert.equal(attrs2.charsets, 'ISO_8859-1');
  });

  it('sids are unique and carry 128 random bits', () => {
    const h = new BoshHarness({ maxSessionsPerAddress: 500 });
    const sids = new Set<string>();
    for (let i = 0; i < 200; i++) sids.add(h.open({ rid: String(FIRST_RID + i) }));
    assert.equal(sids.size, 200);
    for (const sid of sids) assert.match(sid, /^[0-9a-f]{32}$/);
  });

  it('waits for the stream features when the stream engine delivers them later', async () => {
    const h = new BoshHarness();
    h.featuresOnOpen = false;
    const ex = h.create();
    assert.equal(ex.answered, false);
    const sid = [...h.sinks.keys()][0]!;
    h.session(sid).deliver(FEATURES);
    await settle();
    assert.equal(ex.response.attrs.sid, sid);
    assert.deepEqual(ex.response.payload, [FEATURES]);
  });

  it('answers with the session attributes alone when no features come within wait', () => {
    const h = new BoshHarness();
    h.featuresOnOpen = false;
    const ex = h.create({ wait: '10' });
    h.clock.advanceSeconds(10);
    assert.ok(ex.response.attrs.sid);
    assert.deepEqual(ex.response.payload, []);
  });

  it('session attributes appear only in the creation response', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const ex = h.post(sid, FIRST_RID + 1);
    h.session(sid).deliver('<message/>');
    await settle();
    assert.deepEqual(ex.response.attrs, {});
    assert.equal(ex.response.declareStream, undefined);
  });

  it('a legacy client (no ver) gets no ver attribute', () => {
    const h = new BoshHarness();
    const attrs = h.send({ rid: '1', to: 'example.com', wait: '60', hold: '1' }).response.attrs;
    assert.ok(attrs.sid);
    assert.equal(attrs.ver, undefined);
  });

  it('a polling session gets a longer inactivity than a long-polling one (section 12)', () => {
    const h = new BoshHarness({ maxInactivity: 30, pollingInterval: 5 });
    const normal = Number(h.create().response.attrs.inactivity);
    const polling = Number(h.create({ hold: '0' }).response.attrs.inactivity);
    assert.ok(polling - normal > 5, `${polling} vs ${normal}`);
  });
});
