// RFC 6120 sections 8 and 10, RFC 6121 section 8: addressing, `from` stamping, delivery rules by
// type and priority, errors for unavailable recipients, and XEP-0160 offline storage.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('messages and routing (RFC 6120 section 10, RFC 6121 section 8)', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  const connect = async (user: string, resource: string, priority?: number) => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.online(priority === undefined ? '' : `<priority>${priority}</priority>`);
    clients.push(c);
    return c;
  };
  before(async () => {
    server = await startTestServer();
    for (const u of ['alice', 'bob', 'carol', 'dave', 'erin']) await server.addUser(u);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('alice sends a chat to bob\'s full JID; bob receives it with alice\'s full JID as from', async () => {
    const alice = await connect('alice', 'a1');
    const bob = await connect('bob', 'b1');
    alice.send(`<message to='bob@localhost/b1' type='chat' id='m1'><body>hello</body></message>`);
    const msg = await bob.receiveNamed('message');
    assert.equal(msg.attrs.from, 'alice@localhost/a1');
    assert.equal(msg.getChildText('body'), 'hello');
  });

  it('a spoofed from is refused with an invalid-from stream error (8.1.2.1)', async () => {
    const carol = await TestClient.connect(server.ports.c2s!);
    await carol.login('carol', 'secret', 'c1');
    carol.send(`<message from='bob@localhost/b1' to='alice@localhost'><body>spoof</body></message>`);
    const err = await carol.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'invalid-from');
    await carol.closed;
  });

  it('a message to a bare JID goes to the highest-priority resources only (RFC 6121 8.5.2.1.1)', async () => {
    const dave1 = await connect('dave', 'd1', 5);
    const dave2 = await connect('dave', 'd2', 1);
    const erin = await connect('erin', 'e1');
    erin.send(`<message to='dave@localhost' type='chat'><body>to the top</body></message>`);
    const got = await dave1.receiveNamed('message');
    assert.equal(got.getChildText('body'), 'to the top');
    assert.equal(await dave2.nothing((el) => el.name === 'message'), undefined);
  });

  it('a headline to a bare JID goes to every non-negative resource (8.5.2.1.1)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    erin.send(`<message to='dave@localhost' type='headline'><body>news</body></message>`);
    const d1 = clients.find((c) => c.jid === 'dave@localhost/d1')!;
    const d2 = clients.find((c) => c.jid === 'dave@localhost/d2')!;
    assert.equal((await d1.receiveNamed('message')).getChildText('body'), 'news');
    assert.equal((await d2.receiveNamed('message')).getChildText('body'), 'news');
  });

  it('an iq to an unavailable resource is answered with service-unavailable (8.5.3.2.1)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    const res = await erin.iq(`<iq type='get' to='dave@localhost/nowhere' id='q1'><query xmlns='jabber:iq:version'/></iq>`, 'q1');
    assert.equal(res.attrs.type, 'error');
    assert.ok(res.getChild('error')?.getChild('service-unavailable'));
    assert.equal(res.getChild('error')?.attrs.type, 'cancel');
  });

  it('a message to an account that does not exist is answered with service-unavailable', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    erin.send(`<message to='nobody@localhost' type='chat' id='x1'><body>?</body></message>`);
    const err = await erin.receive((el) => el.name === 'message' && el.attrs.type === 'error' && el.attrs.id === 'x1');
    assert.ok(err.getChild('error')?.getChild('service-unavailable'));
  });

  it('a message to another domain is answered with remote-server-not-found (no federation)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    erin.send(`<message to='someone@example.org' id='x2'><body>?</body></message>`);
    const err = await erin.receive((el) => el.name === 'message' && el.attrs.id === 'x2');
    assert.ok(err.getChild('error')?.getChild('remote-server-not-found'));
  });

  it('a malformed to address is answered with jid-malformed (8.3.3.8)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    erin.send(`<message to='a@b@c' id='x3'><body>?</body></message>`);
    const err = await erin.receive((el) => el.name === 'message' && el.attrs.id === 'x3');
    assert.ok(err.getChild('error')?.getChild('jid-malformed'));
  });

  it('an iq to the server that nobody handles gets service-unavailable (8.4)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    const res = await erin.iq(`<iq type='get' to='localhost' id='u1'><unknown xmlns='urn:example:nothing'/></iq>`, 'u1');
    assert.ok(res.getChild('error')?.getChild('service-unavailable'));
  });

  it('an iq without exactly one child gets bad-request (8.2.3)', async () => {
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    const res = await erin.iq(`<iq type='get' to='localhost' id='u2'/>`, 'u2');
    assert.ok(res.getChild('error')?.getChild('bad-request'));
  });

  it('chat to an offline account is stored and delivered with a delay stamp on initial presence (XEP-0160)', async () => {
    await server.addUser('frank');
    const erin = clients.find((c) => c.jid === 'erin@localhost/e1')!;
    erin.send(`<message to='frank@localhost' type='chat'><body>first</body></message>`);
    erin.send(`<message to='frank@localhost' type='normal'><body>second</body></message>`);
    erin.send(`<message to='frank@localhost' type='headline'><body>dropped</body></message>`);
    await new Promise((r) => setTimeout(r, 200));
    const frank = await TestClient.connect(server.ports.c2s!);
    clients.push(frank);
    await frank.login('frank', 'secret', 'f1');
    frank.send('<presence/>');
    const first = await frank.receiveNamed('message');
    const second = await frank.receiveNamed('message');
    assert.deepEqual([first.getChildText('body'), second.getChildText('body')], ['first', 'second']);
    assert.ok(first.getChild('delay', 'urn:xmpp:delay'));
    assert.equal(await frank.nothing((el) => el.name === 'message'), undefined);
  });
});
