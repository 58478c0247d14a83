// XEP-0191 sections 3.3 and 3.4 for presence broadcast (RFC 6121 4.2-4.5): once alice blocks bob, a
// contact with a 'both' subscription, neither sees the other's presence: updates, initial presence,
// probe answers and unavailable presence, whichever side sends them; after the unblock they flow again.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient, type Received } from '../support/test-client.js';

const BLOCKING = 'urn:xmpp:blocking';

describe('presence between a user and a JID it blocked (XEP-0191)', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  let next = 0;

  const connect = async (user: string, resource: string, online = true) => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.iq(`<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>`, 'roster');
    if (online) await c.online();
    clients.push(c);
    return c;
  };
  const blockIq = async (c: TestClient, name: 'block' | 'unblock', jid: string) => {
    const id = `b${next++}`;
    const res = await c.iq(`<iq type='set' id='${id}'><${name} xmlns='${BLOCKING}'><item jid='${jid}'/></${name}></iq>`, id);
    assert.equal(res.attrs.type, 'result');
  };
  /** Availability presence (RFC 6121 4: available or unavailable, not subscription stanzas) from `jid`. */
  const presenceFrom = (jid: string, show?: string) => (el: Received) =>
    el.name === 'presence' &&
    (el.attrs.type === undefined || el.attrs.type === 'unavailable') &&
    (el.attrs.from === jid || (el.attrs.from as string).startsWith(`${jid}/`)) &&
    (show === undefined || el.getChildText('show') === show);
  /** Forgets what a client received so far, so later checks see only what follows. */
  const drain = (c: TestClient) => {
    while (c.pending().length > 0) void c.receive();
  };

  /** alice-n (a1) and bob-n (b1), subscribed to each other (RFC 6121 3.1), then alice blocks bob. */
  const blockedPair = async () => {
    const n = next++;
    await server.addUser(`alice${n}`);
    await server.addUser(`bob${n}`);
    const alice = `alice${n}@localhost`;
    const bob = `bob${n}@localhost`;
    const a1 = await connect(`alice${n}`, 'a1');
    const b1 = await connect(`bob${n}`, 'b1');
    for (const [from, to, fromBare, toBare] of [
      [a1, b1, alice, bob],
      [b1, a1, bob, alice],
    ] as const) {
      from.send(`<presence to='${toBare}' type='subscribe'/>`);
      await to.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === fromBare);
      to.send(`<presence to='${fromBare}' type='subscribed'/>`);
      await from.receive((el) => el.name === 'presence' && el.attrs.from === to.jid && !el.attrs.type);
    }
    // Each side sees the other's updates before the block.
    b1.send(`<presence><show>away</show></presence>`);
    await a1.receive(presenceFrom(bob, 'away'));
    await blockIq(a1, 'block', bob);
    await b1.receive((el) => presenceFrom(alice)(el) && el.attrs.type === 'unavailable');
    drain(a1);
    drain(b1);
    return { alice, bob, a1, b1, n };
  };

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it("the blocked contact's presence updates no longer reach the user", async () => {
    const { bob, a1, b1 } = await blockedPair();
    b1.send(`<presence><show>dnd</show></presence>`);
    assert.equal(await a1.nothing(presenceFrom(bob)), undefined);
  });

  it("the user's presence updates no longer reach the blocked contact", async () => {
    const { alice, a1, b1 } = await blockedPair();
    a1.send(`<presence><show>xa</show></presence>`);
    await a1.receive(presenceFrom(a1.jid, 'xa'));
    assert.equal(await b1.nothing(presenceFrom(alice)), undefined);
  });

  it("the user's new resource is not told the blocked contact's presence, nor the contact the new resource's", async () => {
    const { alice, bob, b1, n } = await blockedPair();
    const a2 = await connect(`alice${n}`, 'a2');
    assert.equal(await a2.nothing(presenceFrom(bob)), undefined);
    assert.equal(await b1.nothing(presenceFrom(alice)), undefined);
  });

  it("a probe from the blocked contact, and its new resource's initial presence, are answered with nothing", async () => {
    const { alice, b1, n } = await blockedPair();
    b1.send(`<presence to='${alice}' type='probe'/>`);
    const b2 = await connect(`bob${n}`, 'b2');
    assert.equal(await b1.nothing(presenceFrom(alice)), undefined);
    assert.equal(await b2.nothing(presenceFrom(alice)), undefined);
  });

  it("the blocked contact's unavailable presence does not reach the user either", async () => {
    const { bob, a1, b1 } = await blockedPair();
    b1.send(`<presence type='unavailable'/>`);
    assert.equal(await a1.nothing(presenceFrom(bob)), undefined);
  });

  it('after the unblock, updates flow both ways again (3.4)', async () => {
    const { alice, bob, a1, b1 } = await blockedPair();
    await blockIq(a1, 'unblock', bob);
    // 3.4: the contact gets the user's current presence at once.
    await b1.receive((el) => presenceFrom(alice)(el) && !el.attrs.type);
    b1.send(`<presence><show>chat</show></presence>`);
    await a1.receive(presenceFrom(bob, 'chat'));
    a1.send(`<presence><show>away</show></presence>`);
    await b1.receive(presenceFrom(alice, 'away'));
  });
});
