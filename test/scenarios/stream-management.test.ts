// XEP-0198 stream management over TCP: acks both ways (section 4), resumption with resend of what
// was not acknowledged (section 5), presence kept while resumable, failed resumes, and on timeout
// unacknowledged messages going to offline storage instead of vanishing.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const SM = 'urn:xmpp:sm:3';

async function authenticate(server: TestServer, user: string): Promise<TestClient> {
  const c = await TestClient.connect(server.ports.c2s!);
  const features = await c.authenticate(user, 'secret');
  assert.ok(features.getChild('sm', SM), 'stream management is offered after authentication');
  return c;
}

describe('stream management (XEP-0198)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((c) => (c.sm.resumeTimeout = 2));
    for (const u of ['alice', 'bob', 'carol']) await server.addUser(u);
  });
  after(() => server.stop());

  it('<enable resume="true"/> is answered with an id, resume and max (section 3)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'sm1');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const enabled = await alice.receiveNamed('enabled');
    assert.ok(enabled.attrs.id);
    assert.equal(enabled.attrs.resume, 'true');
    assert.equal(enabled.attrs.max, '2');
    alice.destroy();
  });

  it('the server answers <r/> with the number of stanzas it handled (section 4)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'sm2');
    alice.send(`<enable xmlns='${SM}'/>`);
    await alice.receiveNamed('enabled');
    alice.send(`<presence/>`);
    alice.send(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    alice.send(`<r xmlns='${SM}'/>`);
    const a = await alice.receiveNamed('a');
    assert.equal(a.attrs.h, '2');
    alice.destroy();
  });

  it('the server asks for acks of what it sent (section 4)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'sm3');
    alice.send(`<enable xmlns='${SM}'/>`);
    await alice.receiveNamed('enabled');
    alice.send(`<iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await alice.receiveNamed('iq');
    assert.ok(await alice.receiveNamed('r'));
    alice.destroy();
  });

  it('an ack for more stanzas than were sent is a stream error (section 4)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'sm4');
    alice.send(`<enable xmlns='${SM}'/>`);
    await alice.receiveNamed('enabled');
    alice.send(`<a xmlns='${SM}' h='99'/>`);
    const err = await alice.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'undefined-condition');
  });

  it('a broken connection is resumed: unacknowledged stanzas are resent and presence was kept (section 5)', async () => {
    const bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'b');
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'phone');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    alice.send('<presence/>');
    await alice.receive((el) => el.name === 'presence');
    alice.send(`<a xmlns='${SM}' h='1'/>`);
    alice.destroy(); // the network drops
    await alice.closed;
    bob.send(`<message to='alice@localhost/phone' id='lost1'><body>one</body></message>`);
    bob.send(`<message to='alice@localhost/phone' id='lost2'><body>two</body></message>`);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(server.host.sessions.get('alice@localhost/phone')?.available, 'presence kept while resumable');

    const again = await authenticate(server, 'alice');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='1'/>`);
    const resumed = await again.receiveNamed('resumed');
    assert.equal(resumed.attrs.previd, id);
    const first = await again.receiveNamed('message');
    const second = await again.receiveNamed('message');
    assert.deepEqual([first.attrs.id, second.attrs.id], ['lost1', 'lost2']);
    // the session continues on the new stream
    bob.send(`<message to='alice@localhost/phone' id='after'><body>three</body></message>`);
    assert.equal((await again.receiveNamed('message')).attrs.id, 'after');
    again.destroy();
    bob.destroy();
  });

  it('resuming while the old connection still looks alive takes the session over from it (section 5)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'tablet');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    alice.send(`<iq type='get' id='x' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await alice.receiveNamed('iq');
    const again = await authenticate(server, 'alice');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='1'/>`);
    const resumed = await again.receiveNamed('resumed');
    assert.equal(resumed.attrs.h, '1', 'the server reports the one stanza it handled');
    await alice.closed;
    const res = await again.iq(`<iq type='get' id='y' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'y');
    assert.equal(res.attrs.to, 'alice@localhost/tablet');
    again.destroy();
  });

  it('resuming an unknown session fails with item-not-found and the client can bind (section 5)', async () => {
    const c = await authenticate(server, 'carol');
    c.send(`<resume xmlns='${SM}' previd='nope' h='0'/>`);
    const failed = await c.receiveNamed('failed');
    assert.ok(failed.getChild('item-not-found'));
    const res = await c.iq(`<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`, 'b');
    assert.equal(res.attrs.type, 'result');
    c.destroy();
  });

  it('another user cannot resume someone else\'s session', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'victim');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    alice.destroy();
    const carol = await authenticate(server, 'carol');
    carol.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    assert.ok((await carol.receiveNamed('failed')).getChild('item-not-found'));
    carol.destroy();
  });

  it('when resumption times out, unacknowledged messages go to offline storage (section 5)', async () => {
    const bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'b2');
    const carol = await TestClient.connect(server.ports.c2s!);
    await carol.login('carol', 'secret', 'laptop');
    carol.send(`<enable xmlns='${SM}' resume='true'/>`);
    await carol.receiveNamed('enabled');
    carol.send('<presence/>');
    await carol.receive((el) => el.name === 'presence');
    carol.destroy();
    await carol.closed;
    bob.send(`<message to='carol@localhost/laptop' type='chat' id='kept'><body>do not lose me</body></message>`);
    await new Promise((r) => setTimeout(r, 2600)); // resume timeout is 2 s
    assert.equal(server.host.sessions.get('carol@localhost/laptop'), undefined, 'the session ended');
    const back = await TestClient.connect(server.ports.c2s!);
    await back.login('carol', 'secret', 'desk');
    back.send('<presence/>');
    const msg = await back.receive((el) => el.name === 'message' && el.attrs.id === 'kept');
    assert.equal(msg.getChildText('body'), 'do not lose me');
    back.destroy();
    bob.destroy();
  });
});
