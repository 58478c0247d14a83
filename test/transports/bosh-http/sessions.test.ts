// XEP-0206 over this server: a BOSH session is a full XMPP session of the shared stream engine (SASL, bind,
// roster, presence, messages with TCP clients); a client that vanishes is cleaned up after the inactivity
// period with unavailable presence to its contacts (XEP-0124 section 10), and stanzas it never collected are
// answered or stored (XEP-0206 section 7: IQ -> service-unavailable, message -> offline storage).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TestClient } from '../../support/test-client.js';
import { BoshTestSession, payloadOf } from '../../support/bosh-http-client.js';

async function befriend(server: TestServer, a: string, b: string): Promise<void> {
  for (const [user, contact] of [[a, b], [b, a]] as const) {
    await server.host.stores.roster.setItem(user, { jid: `${contact}@localhost`, subscription: 'both', ask: false, approved: false, groups: [] });
  }
}

describe('BOSH over HTTP: an XMPP session with a TCP client on the other side', () => {
  let server: TestServer;
  let url: string;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer();
    for (const u of ['alice', 'bob']) await server.addUser(u);
    await befriend(server, 'alice', 'bob');
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    bob.destroy();
    await server.stop();
  });

  it('a BOSH client logs in, gets its roster, and exchanges messages with a TCP client both ways', async () => {
    const alice = await BoshTestSession.create(url, { wait: 5 });
    const jid = await alice.login('alice', 'secret', 'web');
    assert.equal(jid, 'alice@localhost/web');
    assert.equal(server.host.sessions.get(jid)?.transport, 'bosh');
    const roster = await alice.send(`<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>`);
    assert.match(roster.text, /jid='bob@localhost'/);
    await alice.send(`<presence/>`);
    await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid);

    await alice.send(`<message to='bob@localhost/tcp' type='chat'><body>hello from BOSH</body></message>`, { pause: 10 });
    const got = await bob.receiveNamed('message');
    assert.equal(got.attrs.from, jid);
    assert.equal(got.getChildText('body'), 'hello from BOSH');

    const poll = alice.send();
    bob.send(`<message to='${jid}' type='chat'><body>hello from TCP</body></message>`);
    const answer = await poll;
    const message = payloadOf(answer).find((el) => el.name === 'message');
    assert.equal(message?.attrs.from, 'bob@localhost/tcp');
    assert.equal(message?.attrs.xmlns, 'jabber:client');
    assert.equal(message?.getChildText('body'), 'hello from TCP');
    await alice.send('', { type: 'terminate' });
  });
});

describe('BOSH over HTTP: a client that vanishes', () => {
  let server: TestServer;
  let url: string;
  let bob: TestClient;
  before(async () => {
    server = await startTestServer((c) => {
      c.bosh.maxInactivity = 1;
      c.bosh.polling = 0;
    });
    for (const u of ['carol', 'bob']) await server.addUser(u);
    await befriend(server, 'carol', 'bob');
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    bob.destroy();
    await server.stop();
  });

  it('after the inactivity period its contacts get unavailable presence; an IQ it never collected is answered with service-unavailable and a message is stored offline', async () => {
    const carol = await BoshTestSession.create(url, { wait: 1 });
    const jid = await carol.login('carol', 'secret', 'phone');
    await carol.send(`<presence/>`, { pause: 1 });
    await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid && el.attrs.type === undefined);
    // carol sends no more requests: what arrives for her now waits in the queue of a session about to expire.
    bob.send(`<iq type='get' id='v1' to='${jid}'><query xmlns='jabber:iq:version'/></iq>`);
    bob.send(`<message to='${jid}' type='chat' id='m1'><body>are you there?</body></message>`);

    const error = await bob.receive((el) => el.name === 'iq' && el.attrs.id === 'v1', 8000);
    assert.equal(error.attrs.type, 'error');
    assert.ok(error.getChild('error')?.getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas'));
    const gone = await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid && el.attrs.type === 'unavailable', 8000);
    assert.equal(gone.attrs.type, 'unavailable');
    assert.equal(server.host.sessions.get(jid), undefined);
    assert.equal(await bob.nothing((el) => el.name === 'message' && el.attrs.type === 'error', 200), undefined, 'the message was not bounced');

    // The message waits in offline storage for carol's next session (XEP-0160).
    const back = await TestClient.connect(server.ports.c2s!);
    await back.login('carol', 'secret', 'desk');
    back.send('<presence/>');
    const stored = await back.receive((el) => el.name === 'message');
    assert.equal(stored.getChildText('body'), 'are you there?');
    back.destroy();
  });

  it("a client that stops collecting more than 1 MiB of stanzas is cut off with 'undefined-condition'; the stanzas are stored offline", async () => {
    const carol = await BoshTestSession.create(url, { wait: 1 });
    const jid = await carol.login('carol', 'secret', 'slow');
    await carol.send(`<presence/>`, { pause: 3 });
    const text = 'x'.repeat(200_000);
    for (let i = 0; i < 6; i++) bob.send(`<message to='${jid}' type='chat' id='big${i}'><body>${i}${text}</body></message>`);
    await bob.receive((el) => el.name === 'presence' && el.attrs.from === jid && el.attrs.type === 'unavailable', 8000);
    const next = await carol.send();
    assert.equal(next.body?.attrs.type, 'terminate');
    assert.equal(next.body?.attrs.condition, 'undefined-condition');
    const back = await TestClient.connect(server.ports.c2s!);
    await back.login('carol', 'secret', 'desk');
    back.send('<presence/>');
    const first = await back.receive((el) => el.name === 'message' && el.attrs.id === 'big0', 8000);
    assert.equal(first.getChildText('body')?.length, 200_001);
    back.destroy();
  });
});
