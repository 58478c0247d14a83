// XEP-0124 section 7.1 (session creation request) and XEP-0206 section 3: checklist 3.2.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoshHarness, FIRST_RID, isTerminal, message } from './bosh-harness.js';

describe('BOSH session creation request (XEP-0124 section 7.1)', () => {
  it('a creation request without a rid is refused with bad-request', () => {
    const h = new BoshHarness();
    const ex = h.send({ to: 'example.com', ver: '1.6', wait: '60', hold: '1' });
    assert.ok(isTerminal(ex.response, 'bad-request'));
    assert.equal(h.manager.size, 0);
  });

  it('a rid above 2^53-1 or not a plain positive integer is bad-request', () => {
    const h = new BoshHarness();
    for (const rid of ['9007199254740992', '0', '-5', '12.5', '1e6', 'abc', '']) {
      assert.ok(isTerminal(h.create({ rid }).response, 'bad-request'), rid);
    }
    assert.equal(h.manager.size, 0);
  });

  it('a missing or empty to is improper-addressing', () => {
    const h = new BoshHarness();
    const ex = h.send({ rid: '5', ver: '1.6', wait: '60', hold: '1' });
    assert.ok(isTerminal(ex.response, 'improper-addressing'));
    assert.ok(isTerminal(h.create({ to: '' }).response, 'improper-addressing'));
  });

  it('a to that is not served here is host-unknown', () => {
    const h = new BoshHarness();
    assert.ok(isTerminal(h.create({ to: 'elsewhere.example' }).response, 'host-unknown'));
    assert.equal(h.manager.size, 0);
  });

  it('a malformed wait or hold is bad-request', () => {
    const h = new BoshHarness();
    assert.ok(isTerminal(h.create({ wait: 'soon' }).response, 'bad-request'));
    assert.ok(isTerminal(h.create({ hold: '-1' }).response, 'bad-request'));
  });

  it('a wait above the maximum is lowered to it; a smaller one is kept', () => {
    const h = new BoshHarness({ maxWait: 30 });
    assert.equal(h.create({ wait: '300' }).response.attrs.wait, '30');
    assert.equal(h.create({ wait: '10' }).response.attrs.wait, '10');
  });

  it('hold above the maximum is clamped to it, with requests = hold + 1', () => {
    const h = new BoshHarness();
    const attrs = h.create({ hold: '2' }).response.attrs;
    assert.equal(attrs.hold, '1');
    assert.equal(attrs.requests, '2');
  });

  it('hold 0 makes a polling session: requests 1, every request answered at once', () => {
    const h = new BoshHarness();
    const created = h.create({ hold: '0' }).response.attrs;
    assert.equal(created.hold, '0');
    assert.equal(created.requests, '1');
    const poll = h.post(created.sid!, FIRST_RID + 1);
    assert.ok(poll.answered);
    assert.deepEqual(poll.response.payload, []);
  });

  it('wait 0 also makes a polling session', () => {
    const h = new BoshHarness();
    const sid = h.open({ wait: '0' });
    assert.ok(h.post(sid, FIRST_RID + 1).answered);
  });

  it('ver answered is the lower of the client version and 1.11, minors compared as integers', () => {
    const h = new BoshHarness();
    assert.equal(h.create({ ver: '1.6' }).response.attrs.ver, '1.6');
    assert.equal(h.create({ ver: '1.10' }).response.attrs.ver, '1.10');
    assert.equal(h.create({ ver: '1.20' }).response.attrs.ver, '1.11');
    assert.equal(h.create({ ver: '2.0' }).response.attrs.ver, '1.11');
  });

  it('a malformed ver is bad-request', () => {
    const h = new BoshHarness();
    assert.ok(isTerminal(h.create({ ver: 'one' }).response, 'bad-request'));
  });

  it('content becomes the Content-Type of every response; the default is text/xml; charset=utf-8', () => {
    const h = new BoshHarness();
    const created = h.create({ content: 'text/html; charset=utf-8' });
    assert.equal(created.response.contentType, 'text/html; charset=utf-8');
    const later = h.post(created.response.attrs.sid!, FIRST_RID + 1, [message('x')]);
    h.clock.advanceSeconds(60);
    assert.equal(later.response.contentType, 'text/html; charset=utf-8');
    const plain = h.send({ rid: '1', to: 'example.com', ver: '1.6' });
    assert.equal(plain.response.contentType, 'text/xml; charset=utf-8');
  });

  it('a content with control characters (header injection) is bad-request', () => {
    const h = new BoshHarness();
    assert.ok(isTerminal(h.create({ content: 'text/xml\r\nSet-Cookie: x=1' }).response, 'bad-request'));
  });

  it('to, from, xml:lang, route and xmpp:version reach the stream header; route is not interpreted', () => {
    const h = new BoshHarness();
    const sid = h.open({ from: 'alice@example.com', route: 'xmpp:somewhere.example:5222' });
    const header = h.sink(sid).headers[0]!;
    assert.equal(header.to, 'example.com');
    assert.equal(header.from, 'alice@example.com');
    assert.equal(header.lang, 'en');
    assert.equal(header.version, '1.0');
    assert.equal(header.route, 'xmpp:somewhere.example:5222');
  });

  it('xmpp:version is found through whatever prefix the client bound to urn:xmpp:xbosh', () => {
    const h = new BoshHarness();
    const ex = h.send({ rid: '7', to: 'example.com', ver: '1.6', 'xmlns:x': 'urn:xmpp:xbosh', 'x:version': '1.0' });
    assert.equal(h.sink(ex.response.attrs.sid!).headers[0]!.version, '1.0');
  });

  it('a malformed newkey is bad-request', () => {
    const h = new BoshHarness();
    assert.ok(isTerminal(h.create({ newkey: 'not-a-sha1' }).response, 'bad-request'));
  });

  it('payload in the creation body is forwarded after the stream is opened', () => {
    const h = new BoshHarness();
    const ex = h.send({ rid: '9', to: 'example.com', ver: '1.6' }, [message('early')]);
    const sink = h.sink(ex.response.attrs.sid!);
    assert.equal(sink.events[0], 'open');
    assert.equal(sink.received.length, 1);
    assert.match(sink.received[0]!, /early/);
  });

  it('a stream engine that cannot be created refuses the session with internal-server-error', () => {
    const h = new BoshHarness({
      createSink: () => {
        throw new Error('no stream engine');
      },
    });
    assert.ok(isTerminal(h.create().response, 'internal-server-error'));
    assert.equal(h.manager.size, 0);
  });
});
