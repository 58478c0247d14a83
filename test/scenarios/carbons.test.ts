// XEP-0280 Message Carbons (1.0.1) as scripted conversations: enabling (sections 4, 5, 9.1), which
// messages are copied (section 6.1), received copies (section 7), sent copies (section 8), the
// <private/> and <no-copy/> exclusions (section 7 of the XEP, XEP-0334), and a message between two
// resources of one account.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient, type Received } from '../support/test-client.js';

const CARBONS = 'urn:xmpp:carbons:2';
const FORWARD = 'urn:xmpp:forward:0';

describe('message carbons (XEP-0280)', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  let next = 0;

  const connect = async (user: string, resource: string, priority = 0) => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.online(`<priority>${priority}</priority>`);
    clients.push(c);
    return c;
  };
  const enable = async (c: TestClient) => {
    const id = `en${next++}`;
    const res = await c.iq(`<iq type='set' id='${id}'><enable xmlns='${CARBONS}'/></iq>`, id);
    assert.equal(res.attrs.type, 'result');
  };
  /** alice-n with a1 (priority 5, the one bare-JID messages reach) and a2, a3 (priority 1); bob-n with b1. */
  const cast = async (opts: { enableA1?: boolean } = {}) => {
    const n = next++;
    const alice = `alice${n}`;
    const bob = `bob${n}`;
    await server.addUser(alice);
    await server.addUser(bob);
    const a1 = await connect(alice, 'a1', 5);
    const a2 = await connect(alice, 'a2', 1);
    const a3 = await connect(alice, 'a3', 1);
    const b1 = await connect(bob, 'b1');
    await enable(a2);
    if (opts.enableA1) await enable(a1);
    return { alice: `${alice}@localhost`, bob: `${bob}@localhost`, a1, a2, a3, b1 };
  };
  const isMessage = (el: Received) => el.name === 'message';
  const carbonOf = (el: Received, kind: 'sent' | 'received') => el.getChild(kind, CARBONS)?.getChild('forwarded', FORWARD)?.getChild('message');

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('the server advertises urn:xmpp:carbons:2 in its disco#info (section 3)', async () => {
    await server.addUser('disco');
    const c = await connect('disco', 'd');
    const res = await c.iq(`<iq type='get' to='localhost' id='i1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, 'i1');
    const features = res.getChild('query')!.getChildren('feature').map((f) => f.attrs.var);
    assert.ok(features.includes(CARBONS));
  });

  it('enable and disable are answered with a result, and repeating either is not an error (9.1)', async () => {
    await server.addUser('toggler');
    const c = await connect('toggler', 't');
    for (const [id, op] of [['e1', 'enable'], ['e2', 'enable'], ['d1', 'disable'], ['d2', 'disable']]) {
      const res = await c.iq(`<iq type='set' id='${id}'><${op} xmlns='${CARBONS}'/></iq>`, id!);
      assert.equal(res.attrs.type, 'result', `${op} ${id}`);
    }
  });

  it("a chat message to alice's bare JID is carbon-copied to her other enabled resource (section 7)", async () => {
    const { alice, bob, a1, a2, a3, b1 } = await cast();
    b1.send(`<message to='${alice}' type='chat' id='m1'><body>hi alice</body></message>`);
    const original = await a1.receive(isMessage);
    assert.equal(original.getChildText('body'), 'hi alice');
    const copy = await a2.receive(isMessage);
    assert.equal(copy.attrs.from, alice);
    assert.equal(copy.attrs.to, `${alice}/a2`);
    assert.equal(copy.attrs.type, 'chat');
    const inner = carbonOf(copy, 'received');
    assert.ok(inner, copy.toString());
    assert.equal(inner.attrs.from, `${bob}/b1`);
    assert.equal(inner.attrs.to, alice);
    assert.equal(inner.attrs.xmlns, 'jabber:client');
    assert.equal(inner.getChildText('body'), 'hi alice');
    // a3 has not enabled carbons: nothing for it.
    assert.equal(await a3.nothing(isMessage), undefined);
  });

  it("a message to alice's full JID is copied to her other enabled resources, never to the addressed one", async () => {
    const { alice, a1, a2, b1 } = await cast({ enableA1: true });
    b1.send(`<message to='${alice}/a2' type='chat'><body>to a2</body></message>`);
    const original = await a2.receive(isMessage);
    assert.equal(original.getChildText('body'), 'to a2');
    assert.equal(original.getChild('received', CARBONS), undefined);
    const copy = await a1.receive(isMessage);
    assert.equal(carbonOf(copy, 'received')?.getChildText('body'), 'to a2');
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it("a message alice sends is copied as <sent/> to her other enabled resources, not back to the sender (section 8)", async () => {
    const { alice, bob, a1, a2, b1 } = await cast({ enableA1: true });
    a1.send(`<message to='${bob}' type='chat' id='s1'><body>hello bob</body></message>`);
    assert.equal((await b1.receive(isMessage)).getChildText('body'), 'hello bob');
    const copy = await a2.receive(isMessage);
    assert.equal(copy.attrs.from, alice);
    assert.equal(copy.attrs.to, `${alice}/a2`);
    const inner = carbonOf(copy, 'sent');
    assert.equal(inner?.attrs.from, `${alice}/a1`);
    assert.equal(inner?.attrs.to, bob);
    assert.equal(inner?.getChildText('body'), 'hello bob');
    assert.equal(await a1.nothing(isMessage), undefined);
  });

  it('a resource that disabled carbons gets no more copies (section 5)', async () => {
    const { alice, a2, b1 } = await cast();
    const res = await a2.iq(`<iq type='set' id='off'><disable xmlns='${CARBONS}'/></iq>`, 'off');
    assert.equal(res.attrs.type, 'result');
    b1.send(`<message to='${alice}' type='chat'><body>quiet</body></message>`);
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it('a message with <private/> is not copied (section 7 of XEP-0280)', async () => {
    const { alice, bob, a1, a2, b1 } = await cast();
    b1.send(`<message to='${alice}' type='chat'><body>secret</body><private xmlns='${CARBONS}'/></message>`);
    assert.equal((await a1.receive(isMessage)).getChildText('body'), 'secret');
    a1.send(`<message to='${bob}' type='chat'><body>secret too</body><private xmlns='${CARBONS}'/></message>`);
    assert.equal((await b1.receive(isMessage)).getChildText('body'), 'secret too');
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it('a message with the <no-copy/> hint is not copied (XEP-0334)', async () => {
    const { alice, a1, a2, b1 } = await cast();
    b1.send(`<message to='${alice}' type='chat'><body>once</body><no-copy xmlns='urn:xmpp:hints'/></message>`);
    assert.equal((await a1.receive(isMessage)).getChildText('body'), 'once');
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it('a normal message with a body and a bodiless chat state are copied; a bodiless normal message and a headline are not (6.1)', async () => {
    const { alice, a1, a2, b1 } = await cast();
    b1.send(`<message to='${alice}' type='normal' id='n1'><body>normal with body</body></message>`);
    b1.send(`<message to='${alice}' id='n2'><active xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    b1.send(`<message to='${alice}' id='n3'><thread>t</thread></message>`);
    b1.send(`<message to='${alice}' type='headline' id='n4'><body>news</body></message>`);
    const first = await a2.receive(isMessage);
    assert.equal(carbonOf(first, 'received')?.attrs.id, 'n1');
    const second = await a2.receive(isMessage);
    assert.equal(carbonOf(second, 'received')?.attrs.id, 'n2');
    // a2 is a non-negative resource, so the headline reaches it as the original, never as a copy.
    const headline = await a2.receive(isMessage);
    assert.equal(headline.attrs.id, 'n4');
    assert.equal(headline.getChild('received', CARBONS), undefined);
    assert.equal(await a2.nothing(isMessage), undefined);
    assert.deepEqual(
      [await a1.receive(isMessage), await a1.receive(isMessage), await a1.receive(isMessage), await a1.receive(isMessage)].map((m) => m.attrs.id),
      ['n1', 'n2', 'n3', 'n4'],
    );
  });

  it('a carbon is never carbon-copied: a message already wrapping <received/> is not copied again', async () => {
    const { alice, a1, a2, b1 } = await cast();
    b1.send(
      `<message to='${alice}' type='chat' id='fake'><received xmlns='${CARBONS}'><forwarded xmlns='${FORWARD}'>` +
        `<message xmlns='jabber:client' from='mallory@localhost/m' to='${alice}' type='chat'><body>forged</body></message>` +
        `</forwarded></received></message>`,
    );
    assert.equal((await a1.receive(isMessage)).attrs.id, 'fake');
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it('a private message from a room occupant (muc#user) is not copied to the other resources (6.1)', async () => {
    const { alice, a1, a2, b1 } = await cast();
    b1.send(`<message to='${alice}' type='chat' id='pm'><body>psst</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>`);
    assert.equal((await a1.receive(isMessage)).attrs.id, 'pm');
    assert.equal(await a2.nothing(isMessage), undefined);
  });

  it('a message from one of alice\'s resources to another reaches each other enabled resource once, as a <sent/> copy', async () => {
    const { alice, a1, a2, a3 } = await cast();
    await enable(a3);
    a1.send(`<message to='${alice}/a3' type='chat' id='self'><body>note to self</body></message>`);
    const original = await a3.receive(isMessage);
    assert.equal(original.attrs.id, 'self');
    assert.equal(original.getChild('sent', CARBONS), undefined);
    const copy = await a2.receive(isMessage);
    assert.equal(carbonOf(copy, 'sent')?.attrs.id, 'self');
    assert.equal(await a2.nothing(isMessage), undefined);
    assert.equal(await a3.nothing(isMessage), undefined);
    assert.equal(await a1.nothing(isMessage), undefined);
  });
});
