// XEP-0124 section 7 (session creation request and response), section 12 (polling sessions), section 19.3
// (unpredictable sids) and XEP-0206 sections 3-4 ('xmpp:version', 'xmpp:restartlogic', stream features in
// the creation response with xmlns:stream declared), over real HTTP.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession, XBOSH, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';

describe('BOSH over HTTP: session creation', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.maxWait = 30;
      c.bosh.maxHold = 1;
      c.bosh.maxInactivity = 40;
      c.bosh.polling = 3;
      c.bosh.maxPause = 100;
    });
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  it('the creation response carries sid, wait, requests, hold, inactivity, polling, ver, maxpause and from', async () => {
    const session = await BoshTestSession.create(url, { wait: 20, hold: 1 });
    const a = session.creation.body!.attrs;
    assert.equal(a.wait, '20');
    assert.equal(a.hold, '1');
    assert.equal(a.requests, '2');
    assert.equal(a.inactivity, '40');
    assert.equal(a.polling, '3');
    assert.equal(a.maxpause, '100');
    assert.equal(a.ver, '1.6');
    assert.equal(a.from, 'localhost');
    assert.equal(a.type, undefined);
  });

  it("XEP-0206: xmpp:version='1.0', xmpp:restartlogic='true' and the stream features, with xmlns:stream on <body/>", async () => {
    const session = await BoshTestSession.create(url);
    const body = session.creation.body!;
    assert.equal(body.attrs['xmlns:xmpp'], XBOSH);
    assert.equal(body.attrs['xmpp:version'], '1.0');
    assert.equal(body.attrs['xmpp:restartlogic'], 'true');
    assert.equal(body.attrs['xmlns:stream'], 'http://etherx.jabber.org/streams');
    const features = body.getChildElements().find((el) => el.name === 'stream:features');
    assert.ok(features, session.creation.text);
    assert.ok(features.getChild('mechanisms', 'urn:ietf:params:xml:ns:xmpp-sasl'));
  });

  it('sids are 128 random bits, different for every session', async () => {
    const sids = new Set<string>();
    for (let i = 0; i < 5; i++) sids.add((await BoshTestSession.create(url)).sid);
    assert.equal(sids.size, 5);
    for (const sid of sids) assert.match(sid, /^[0-9a-f]{32}$/);
  });

  it("a 'wait' above the server's maximum is lowered to it", async () => {
    const session = await BoshTestSession.create(url, { wait: 300 });
    assert.equal(session.creation.body!.attrs.wait, '30');
  });

  it("a 'hold' above the maximum is clamped, and 'requests' is hold + 1", async () => {
    const session = await BoshTestSession.create(url, { hold: 5 });
    assert.equal(session.creation.body!.attrs.hold, '1');
    assert.equal(session.creation.body!.attrs.requests, '2');
  });

  it("hold='0' makes a polling session: requests are answered at once and inactivity exceeds polling", async () => {
    const session = await BoshTestSession.create(url, { hold: 0 });
    const a = session.creation.body!.attrs;
    assert.equal(a.hold, '0');
    assert.ok(Number(a.inactivity) > Number(a.polling));
    const answer = await session.send('', {}); // would hang for 'wait' seconds if it were held
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.attrs.type, undefined);
  });

  it("'ver' is the lower of the client's and the server's version (minor numbers compared as integers)", async () => {
    assert.equal((await BoshTestSession.create(url, { ver: '1.6' })).creation.body!.attrs.ver, '1.6');
    assert.equal((await BoshTestSession.create(url, { ver: '1.20' })).creation.body!.attrs.ver, '1.11');
  });

  it("ack='1' gets ack set to the creation rid (section 9.1)", async () => {
    const session = await BoshTestSession.create(url, { ack: 1 });
    assert.equal(session.creation.body!.attrs.ack, String(session.rid));
  });

  it("a missing 'to' is improper-addressing, an unknown domain host-unknown", async () => {
    const { to: _omitted, ...noTo } = creationAttrs(randomRid());
    const missing = await httpRequest(url, bodyXml(noTo));
    assert.equal(missing.status, 200);
    assert.equal(missing.body?.attrs.type, 'terminate');
    assert.equal(missing.body?.attrs.condition, 'improper-addressing');
    const unknown = await httpRequest(url, bodyXml(creationAttrs(randomRid(), { to: 'elsewhere.example' })));
    assert.equal(unknown.body?.attrs.condition, 'host-unknown');
  });

  it('a rid that is not a positive integer up to 2^53-1 is bad-request', async () => {
    for (const rid of ['abc', '-5', '9007199254740992', '1e6']) {
      const res = await httpRequest(url, bodyXml({ ...creationAttrs(1), rid }));
      assert.equal(res.body?.attrs.condition, 'bad-request', rid);
      assert.equal(res.status, 200, rid);
    }
  });
});

describe('BOSH over HTTP: sessions per address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((c) => (c.limits.boshSessionsPerAddress = 2));
  });
  after(() => server.stop());

  it('beyond limits.bosh_sessions_per_address a new session is refused with policy-violation', async () => {
    const url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    await BoshTestSession.create(url);
    await BoshTestSession.create(url);
    const third = await httpRequest(url, bodyXml(creationAttrs(randomRid())));
    assert.equal(third.body?.attrs.type, 'terminate');
    assert.equal(third.body?.attrs.condition, 'policy-violation');
  });
});
