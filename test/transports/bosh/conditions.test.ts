// XEP-0124 section 17 (terminal and recoverable binding conditions, legacy HTTP codes) and XEP-0206 section 6
// ('remote-stream-error'): checklist 3.12, and the session limits of DESIGN section 8.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOSH_CONDITIONS } from '../../../src/protocol/xep0124.js';
import { BoshHarness, Exchange, FIRST_RID, isTerminal, message, settle } from './bosh-harness.js';

const STREAM_ERROR = "<stream:error><host-gone xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

describe('BOSH terminal conditions (XEP-0124 section 17.2)', () => {
  it('an unknown sid is item-not-found with HTTP 200', () => {
    const h = new BoshHarness();
    const ex = h.send({ sid: 'nosuchsession', rid: '5' });
    assert.equal(ex.response.status, 200);
    assert.ok(isTerminal(ex.response, 'item-not-found'));
  });

  it('the stream engine reports a stream error as remote-stream-error: queued stanzas first, then the error', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    const session = h.session(sid);
    session.deliver('<message id="before"/>');
    session.terminate('remote-stream-error', [STREAM_ERROR]);
    await settle();
    assert.ok(isTerminal(held.response, 'remote-stream-error'));
    assert.deepEqual(held.response.payload, ['<message id="before"/>', STREAM_ERROR]);
  });

  it('a terminal condition with no request held is given to the next request', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.session(sid).terminate('see-other-uri', ['<uri>https://bosh.example.com/http-bind</uri>']);
    assert.equal(h.session(sid).ended, true, 'over for the stream engine at once');
    const next = h.post(sid, FIRST_RID + 1);
    assert.ok(isTerminal(next.response, 'see-other-uri'));
    assert.deepEqual(next.response.payload, ['<uri>https://bosh.example.com/http-bind</uri>']);
    assert.equal(h.manager.get(sid), undefined);
  });

  it('stanzas queued when the kept terminal condition was set are handed back, not left for a client that may not return', async () => {
    const h = new BoshHarness();
    const sid = h.open();
    const session = h.session(sid);
    session.deliver('<message id="q"/>');
    await settle();
    session.terminate('remote-stream-error', [STREAM_ERROR]);
    assert.deepEqual(h.ends.get(sid)?.undelivered, ['<message id="q"/>']);
    assert.deepEqual(h.post(sid, FIRST_RID + 1).response.payload, [STREAM_ERROR]);
  });

  it('a kept terminal condition is forgotten after the inactivity period', () => {
    const h = new BoshHarness({ maxInactivity: 10 });
    const sid = h.open();
    h.session(sid).terminate('host-gone');
    h.clock.advanceSeconds(10);
    assert.equal(h.manager.get(sid), undefined);
    assert.ok(isTerminal(h.post(sid, FIRST_RID + 1).response, 'item-not-found'));
  });

  it('a stream engine that throws ends the session with internal-server-error', () => {
    const h = new BoshHarness();
    const sid = h.open();
    h.sink(sid).onStanzas = () => {
      throw new Error('bug');
    };
    const ex = h.post(sid, FIRST_RID + 1, [message('boom')]);
    assert.ok(isTerminal(ex.response, 'internal-server-error'));
    assert.equal(h.manager.get(sid), undefined);
  });

  it('all thirteen conditions of the table are known', () => {
    assert.equal(BOSH_CONDITIONS.length, 13);
    assert.ok(BOSH_CONDITIONS.includes('remote-stream-error'));
    assert.ok(BOSH_CONDITIONS.includes('see-other-uri'));
  });
});

describe('BOSH malformed bodies (XEP-0124 sections 6 and 17.2)', () => {
  it('a malformed body naming a session ends it with bad-request, answering what it held', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const held = h.post(sid, FIRST_RID + 1);
    const bad = new Exchange({ sid, rid: String(FIRST_RID + 2) }, [], false, '192.0.2.1');
    h.manager.rejectMalformed(bad);
    assert.ok(isTerminal(bad.response, 'bad-request'));
    assert.ok(isTerminal(held.response, 'bad-request'));
    assert.deepEqual(h.sink(sid).closes, ['bad-request']);
  });

  it('an unparsable POST with nothing to go on gets the legacy HTTP 400', () => {
    const h = new BoshHarness();
    const bad = new Exchange({}, [], false, '192.0.2.1');
    h.manager.rejectMalformed(bad);
    assert.equal(bad.response.status, 400);
  });

  it('a malformed creation request from a client that sent ver gets bad-request with HTTP 200', () => {
    const h = new BoshHarness();
    const bad = new Exchange({ ver: '1.6', rid: '1' }, [], false, '192.0.2.1');
    h.manager.rejectMalformed(bad);
    assert.equal(bad.response.status, 200);
    assert.ok(isTerminal(bad.response, 'bad-request'));
  });

  it('a malformed insecure body cannot end a secure session', () => {
    const h = new BoshHarness();
    const sid = h.open({}, { secure: true });
    const bad = new Exchange({ sid }, [], false, '192.0.2.1');
    h.manager.rejectMalformed(bad);
    assert.equal(bad.dropped, true);
    assert.ok(h.manager.get(sid));
  });
});

describe('BOSH legacy HTTP error codes (XEP-0124 section 17.1)', () => {
  const legacy = { rid: String(FIRST_RID), to: 'example.com', wait: '60', hold: '1' };

  it('a legacy client gets HTTP 400 for bad-request', () => {
    const h = new BoshHarness();
    const ex = h.send({ ...legacy, wait: 'never' });
    assert.equal(ex.response.status, 400);
  });

  it('a legacy client gets HTTP 404 for item-not-found', () => {
    const h = new BoshHarness();
    const sid = h.send(legacy).response.attrs.sid!;
    assert.equal(h.post(sid, FIRST_RID + 9).response.status, 404);
  });

  it('a legacy client gets HTTP 403 for policy-violation', () => {
    const h = new BoshHarness();
    const sid = h.send(legacy).response.attrs.sid!;
    assert.equal(h.post(sid, FIRST_RID + 1, [], { pause: '100000' }).response.status, 403);
  });

  it('a legacy client whose session timed out gets 404 for it', () => {
    const h = new BoshHarness({ maxInactivity: 5 });
    const sid = h.send(legacy).response.attrs.sid!;
    h.clock.advanceSeconds(5);
    assert.equal(h.post(sid, FIRST_RID + 1).response.status, 404);
  });

  it('conditions without a legacy code stay HTTP 200 for legacy clients', () => {
    const h = new BoshHarness();
    const ex = h.send({ ...legacy, to: 'unknown.example' });
    assert.equal(ex.response.status, 200);
    assert.ok(isTerminal(ex.response, 'host-unknown'));
  });

  it('a client that sent ver gets HTTP 200 for every condition', () => {
    const h = new BoshHarness();
    assert.equal(h.create({ wait: 'never' }).response.status, 200);
    const sid = h.open();
    assert.equal(h.post(sid, FIRST_RID + 9).response.status, 200);
  });
});

describe('BOSH recoverable conditions (XEP-0124 section 17.3)', () => {
  it('the superseded copy of a resent request gets type error with HTTP 200', () => {
    const h = new BoshHarness();
    const sid = h.open();
    const first = h.post(sid, FIRST_RID + 1);
    h.post(sid, FIRST_RID + 1);
    assert.equal(first.response.status, 200);
    assert.deepEqual(first.response.attrs, { type: 'error' });
    assert.ok(h.manager.get(sid), 'the session goes on');
  });
});

describe('BOSH session limits', () => {
  it('sessions beyond the total limit are refused with internal-server-error', () => {
    const h = new BoshHarness({ maxSessions: 2 });
    h.open({}, { clientAddress: 'a' });
    h.open({}, { clientAddress: 'b' });
    assert.ok(isTerminal(h.create({}, { clientAddress: 'c' }).response, 'internal-server-error'));
  });

  it('sessions beyond the per-address limit are refused with policy-violation; other addresses are served', () => {
    const h = new BoshHarness({ maxSessionsPerAddress: 2 });
    h.open({}, { clientAddress: 'a' });
    h.open({}, { clientAddress: 'a' });
    assert.ok(isTerminal(h.create({}, { clientAddress: 'a' }).response, 'policy-violation'));
    assert.ok(h.create({}, { clientAddress: 'b' }).response.attrs.sid);
  });

  it('an ended session frees its place', () => {
    const h = new BoshHarness({ maxSessionsPerAddress: 1 });
    const sid = h.open({}, { clientAddress: 'a' });
    h.post(sid, FIRST_RID + 1, [], { type: 'terminate' }, { clientAddress: 'a' });
    assert.ok(h.create({}, { clientAddress: 'a' }).response.attrs.sid);
  });
});
