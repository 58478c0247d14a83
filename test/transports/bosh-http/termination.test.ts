// XEP-0124 section 13 (a client's terminate may carry payloads, forwarded before the stream closes), 17.1-17.2
// (terminal conditions are HTTP 200 with type='terminate'; a legacy client without 'ver' gets 400/403/404 for
// the three starred ones), 17.2 'system-shutdown' and XEP-0206 section 6 ('remote-stream-error' carries the
// stream engine's <stream:error/>), over real HTTP.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TestClient } from '../../support/test-client.js';
import { BoshTestSession, HTTPBIND, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';

describe('BOSH over HTTP: termination and terminal conditions', () => {
  let server: TestServer;
  let url: string;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.maxPause = 30;
    });
    for (const u of ['alice', 'bob']) await server.addUser(u);
    for (const [user, contact] of [['alice', 'bob'], ['bob', 'alice']] as const) {
      await server.host.stores.roster.setItem(user, { jid: `${contact}@localhost`, subscription: 'both', ask: false, approved: false, groups: [] });
    }
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    bob.destroy();
    await server.stop();
  });

  it("a terminate's payload is forwarded first: contacts get the unavailable presence; the answer is type='terminate'", async () => {
    const alice = await BoshTestSession.create(url, { wait: 2 });
    const jid = await alice.login('alice', 'secret', 'web');
    await alice.send(`<presence/>`);
    await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid && el.attrs.type === undefined);
    const bye = await alice.send(`<presence type='unavailable'><status>gone for lunch</status></presence>`, { type: 'terminate' });
    assert.equal(bye.status, 200);
    assert.equal(bye.body?.attrs.type, 'terminate');
    assert.equal(bye.body?.attrs.condition, undefined);
    const unavailable = await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid && el.attrs.type === 'unavailable');
    assert.equal(unavailable.getChildText('status'), 'gone for lunch');
    assert.equal((await alice.send()).body?.attrs.condition, 'item-not-found');
    assert.equal(server.host.sessions.get(jid), undefined);
  });

  it("a stream error of the stream engine ends the session with 'remote-stream-error' carrying the <stream:error/>", async () => {
    const session = await BoshTestSession.create(url);
    // A stanza before authentication is a not-authorized stream error (RFC 6120 6.4).
    const answer = await session.send(`<message to='bob@localhost'><body>too early</body></message>`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'remote-stream-error');
    const error = answer.body?.getChildElements().find((el) => el.name === 'stream:error');
    assert.ok(error, answer.text);
    assert.ok(error.getChild('not-authorized', 'urn:ietf:params:xml:ns:xmpp-streams'));
  });

  it('terminal conditions reach a non-legacy client as HTTP 200 with type=terminate', async () => {
    const cases: Array<[string, () => Promise<{ status: number; condition?: string }>]> = [
      ['bad-request', async () => answerOf(await httpRequest(url, `<body xmlns='${HTTPBIND}' rid='x' to='localhost' ver='1.6'/>`))],
      ['host-unknown', async () => answerOf(await httpRequest(url, bodyXml(creationAttrs(randomRid(), { to: 'nowhere.example' }))))],
      ['item-not-found', async () => answerOf(await httpRequest(url, bodyXml({ rid: randomRid(), sid: 'no-such-session' })))],
      ['policy-violation', async () => answerOf(await (await BoshTestSession.create(url)).send('', { pause: 999 }))],
    ];
    for (const [condition, run] of cases) {
      const got = await run();
      assert.equal(got.status, 200, condition);
      assert.equal(got.condition, condition);
    }
  });

  it('a legacy client (no ver) gets HTTP 400, 403 and 404 for bad-request, policy-violation and item-not-found', async () => {
    const legacy = async () => {
      const rid = randomRid();
      const { ver: _noVersion, ...attrs } = creationAttrs(rid);
      const res = await httpRequest(url, bodyXml(attrs));
      const session = { sid: res.body!.attrs.sid!, rid };
      assert.equal(res.body?.attrs.ver, undefined);
      return session;
    };
    const a = await legacy();
    assert.equal((await httpRequest(url, `<body xmlns='${HTTPBIND}' sid='${a.sid}' rid='${a.rid + 1}'>text</body>`)).status, 400);
    const b = await legacy();
    assert.equal((await httpRequest(url, bodyXml({ sid: b.sid, rid: b.rid + 1, pause: 999 }))).status, 403);
    const c = await legacy();
    const notFound = await httpRequest(url, bodyXml({ sid: c.sid, rid: c.rid + 5 }));
    assert.equal(notFound.status, 404);
    assert.equal(notFound.body?.attrs.condition, 'item-not-found');
    // Conditions without a legacy code stay HTTP 200 even for a legacy client.
    const unknown = await httpRequest(url, bodyXml({ rid: randomRid(), to: 'nowhere.example' }));
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body?.attrs.condition, 'host-unknown');
  });
});

describe('BOSH over HTTP: server shutdown', () => {
  it("stopping the server answers held requests with 'system-shutdown'", async () => {
    const server = await startTestServer();
    const session = await BoshTestSession.create(`http://127.0.0.1:${server.ports.http}/http-bind`, { wait: 30 });
    const held = session.send();
    await new Promise((r) => setTimeout(r, 100));
    await server.stop();
    const answer = await held;
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'system-shutdown');
  });
});

function answerOf(res: { status: number; body?: { attrs: Record<string, string> } }): { status: number; condition?: string } {
  assert.equal(res.body?.attrs.type, 'terminate');
  return { status: res.status, condition: res.body?.attrs.condition };
}
