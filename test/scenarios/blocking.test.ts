// XEP-0191 Blocking Command (1.3) as scripted conversations: discovery (3.1), the block list (3.2),
// block (3.3), unblock (3.4), unblock all (3.5), pushes, JID matching (section 5), enforcement both
// ways, the presence effects of blocking and unblocking, and persistence across a restart.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient, type Received } from '../support/test-client.js';

const BLOCKING = 'urn:xmpp:blocking';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

describe('blocking command (XEP-0191)', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  let next = 0;

  const connect = async (user: string, resource: string, s: TestServer = server) => {
    const c = await TestClient.connect(s.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.online();
    clients.push(c);
    return c;
  };
  const iq = (c: TestClient, body: string, type: 'get' | 'set' = 'set') => {
    const id = `q${next++}`;
    return c.iq(`<iq type='${type}' id='${id}'>${body}</iq>`, id);
  };
  const block = (c: TestClient, ...jids: string[]) => iq(c, `<block xmlns='${BLOCKING}'>${jids.map((j) => `<item jid='${j}'/>`).join('')}</block>`);
  const unblock = (c: TestClient, ...jids: string[]) => iq(c, `<unblock xmlns='${BLOCKING}'>${jids.map((j) => `<item jid='${j}'/>`).join('')}</unblock>`);
  const blocklist = async (c: TestClient) => {
    const res = await iq(c, `<blocklist xmlns='${BLOCKING}'/>`, 'get');
    assert.equal(res.attrs.type, 'result');
    return res.getChild('blocklist', BLOCKING)!.getChildren('item').map((i) => i.attrs.jid as string);
  };
  /** A fresh alice-n (resource a1) and bob-n (resources b1, b2). */
  const pair = async () => {
    const n = next++;
    await server.addUser(`alice${n}`);
    await server.addUser(`bob${n}`);
    const a1 = await connect(`alice${n}`, 'a1');
    const b1 = await connect(`bob${n}`, 'b1');
    const b2 = await connect(`bob${n}`, 'b2');
    return { alice: `alice${n}@localhost`, bob: `bob${n}@localhost`, a1, b1, b2 };
  };
  const isMessage = (el: Received) => el.name === 'message';
  const conditionOf = (el: Received) => el.getChild('error')?.getChildElements().find((c) => c.attrs.xmlns === STANZAS)?.name;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('the server advertises urn:xmpp:blocking in its disco#info (3.1)', async () => {
    const { a1 } = await pair();
    const res = await a1.iq(`<iq type='get' to='localhost' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, 'd1');
    assert.ok(res.getChild('query')!.getChildren('feature').some((f) => f.attrs.var === BLOCKING));
  });

  it('an empty block list is an empty <blocklist/> (3.2)', async () => {
    const { a1 } = await pair();
    assert.deepEqual(await blocklist(a1), []);
  });

  it('a block is answered with a result, listed, and pushed to the resources that requested the list (3.3)', async () => {
    const n = next++;
    await server.addUser(`carol${n}`);
    const c1 = await connect(`carol${n}`, 'c1');
    const c2 = await connect(`carol${n}`, 'c2');
    const c3 = await connect(`carol${n}`, 'c3');
    await blocklist(c2);
    const res = await block(c1, 'romeo@montague.example', 'iago@shakespeare.example');
    assert.equal(res.attrs.type, 'result');
    const pushed = await c2.receive((el) => el.name === 'iq' && el.attrs.type === 'set');
    assert.equal(pushed.attrs.to, `carol${n}@localhost/c2`);
    assert.deepEqual(
      pushed.getChild('block', BLOCKING)!.getChildren('item').map((i) => i.attrs.jid),
      ['romeo@montague.example', 'iago@shakespeare.example'],
    );
    // c3 never asked for the list: no push.
    assert.equal(await c3.nothing((el) => el.name === 'iq'), undefined);
    assert.deepEqual(await blocklist(c3), ['romeo@montague.example', 'iago@shakespeare.example']);
  });

  it('a block without an item is a bad request (3.3)', async () => {
    const { a1 } = await pair();
    const res = await block(a1);
    assert.equal(res.attrs.type, 'error');
    assert.equal(conditionOf(res), 'bad-request');
  });

  it('a message from a blocked JID never reaches the user; the sender gets service-unavailable (3.3)', async () => {
    const { alice, bob, a1, b1 } = await pair();
    await block(a1, bob);
    b1.send(`<message to='${alice}' type='chat' id='blocked1'><body>can you hear me?</body></message>`);
    const err = await b1.receive((el) => isMessage(el) && el.attrs.id === 'blocked1');
    assert.equal(err.attrs.type, 'error');
    assert.equal(conditionOf(err), 'service-unavailable');
    assert.equal(await a1.nothing(isMessage), undefined);
  });

  it('presence from a blocked JID is dropped without an error (3.3)', async () => {
    const { alice, bob, a1, b1 } = await pair();
    await block(a1, bob);
    b1.send(`<presence to='${alice}/a1'/>`);
    b1.send(`<presence to='${alice}' type='subscribe'/>`);
    assert.equal(await a1.nothing((el) => el.name === 'presence' && (el.attrs.from as string).startsWith(bob)), undefined);
    assert.equal(await b1.nothing((el) => el.name === 'presence' && el.attrs.type === 'error'), undefined);
  });

  it('an IQ get from a blocked JID is answered with service-unavailable and never delivered (3.3)', async () => {
    const { alice, bob, a1, b1 } = await pair();
    await block(a1, bob);
    const res = await b1.iq(`<iq type='get' to='${alice}/a1' id='v1'><query xmlns='jabber:iq:version'/></iq>`, 'v1');
    assert.equal(conditionOf(res), 'service-unavailable');
    assert.equal(await a1.nothing((el) => el.name === 'iq' && el.attrs.id === 'v1'), undefined);
  });

  it('a message from the user to a blocked JID gets not-acceptable with <blocked/> and is not routed (3.3)', async () => {
    const { bob, a1, b1 } = await pair();
    await block(a1, bob);
    a1.send(`<message to='${bob}/b1' type='chat' id='out1'><body>sorry</body></message>`);
    const err = await a1.receive((el) => isMessage(el) && el.attrs.id === 'out1');
    assert.equal(err.attrs.type, 'error');
    assert.equal(conditionOf(err), 'not-acceptable');
    assert.equal(err.getChild('error')!.attrs.type, 'cancel');
    assert.ok(err.getChild('error')!.getChild('blocked', 'urn:xmpp:blocking:errors'));
    assert.equal(await b1.nothing(isMessage), undefined);
  });

  it('a blocked full JID blocks only that resource (section 5)', async () => {
    const { alice, bob, a1, b1, b2 } = await pair();
    await block(a1, `${bob}/b1`);
    b1.send(`<message to='${alice}' type='chat' id='r1'><body>from b1</body></message>`);
    b2.send(`<message to='${alice}' type='chat' id='r2'><body>from b2</body></message>`);
    assert.equal((await a1.receive(isMessage)).attrs.id, 'r2');
    assert.equal(conditionOf(await b1.receive((el) => isMessage(el) && el.attrs.id === 'r1')), 'service-unavailable');
  });

  it('a blocked domain blocks every address in it (section 5)', async () => {
    const { a1 } = await pair();
    await block(a1, 'evil.example');
    a1.send(`<message to='mallory@evil.example/x' type='chat' id='dom'><body>?</body></message>`);
    const err = await a1.receive((el) => isMessage(el) && el.attrs.id === 'dom');
    assert.equal(conditionOf(err), 'not-acceptable');
  });

  it("messages between the user's own resources are never blocked, even with the own JID on the list", async () => {
    const { alice, a1 } = await pair();
    const a2 = await connect(alice.split('@')[0]!, 'a2');
    await block(a1, alice);
    a1.send(`<message to='${alice}/a2' type='chat' id='self'><body>me</body></message>`);
    assert.equal((await a2.receive(isMessage)).attrs.id, 'self');
  });

  it('blocking a contact who sees the user\'s presence sends it unavailable presence; unblocking sends the current presence (3.3, 3.4)', async () => {
    const { alice, bob, a1, b1 } = await pair();
    b1.send(`<presence to='${alice}' type='subscribe'/>`);
    await a1.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
    a1.send(`<presence to='${bob}' type='subscribed'/>`);
    await b1.receive((el) => el.name === 'presence' && el.attrs.from === `${alice}/a1` && el.attrs.type === undefined);
    await block(a1, bob);
    const gone = await b1.receive((el) => el.name === 'presence' && el.attrs.from === `${alice}/a1`);
    assert.equal(gone.attrs.type, 'unavailable');
    await unblock(a1, bob);
    const back = await b1.receive((el) => el.name === 'presence' && el.attrs.from === `${alice}/a1`);
    assert.equal(back.attrs.type, undefined);
  });

  it('after an unblock, messages from the JID reach the user again, and the unblock is pushed (3.4)', async () => {
    const { alice, bob, a1, b1 } = await pair();
    await blocklist(a1);
    await block(a1, bob);
    await a1.receive((el) => el.name === 'iq' && el.getChild('block', BLOCKING) !== undefined);
    assert.equal((await unblock(a1, bob)).attrs.type, 'result');
    const pushed = await a1.receive((el) => el.name === 'iq' && el.getChild('unblock', BLOCKING) !== undefined);
    assert.deepEqual(pushed.getChild('unblock', BLOCKING)!.getChildren('item').map((i) => i.attrs.jid), [bob]);
    b1.send(`<message to='${alice}' type='chat' id='again'><body>hello again</body></message>`);
    assert.equal((await a1.receive(isMessage)).attrs.id, 'again');
  });

  it('an empty unblock unblocks every JID and pushes an empty <unblock/> (3.5)', async () => {
    const { bob, a1 } = await pair();
    await blocklist(a1);
    await block(a1, bob, 'romeo@montague.example');
    await a1.receive((el) => el.name === 'iq' && el.getChild('block', BLOCKING) !== undefined);
    assert.equal((await unblock(a1)).attrs.type, 'result');
    const pushed = await a1.receive((el) => el.name === 'iq' && el.getChild('unblock', BLOCKING) !== undefined);
    assert.equal(pushed.getChild('unblock', BLOCKING)!.getChildElements().length, 0);
    assert.deepEqual(await blocklist(a1), []);
  });

  it('the block list survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'almanac-blocking-'));
    try {
      const first = await startTestServer((c) => void (c.dataDir = dataDir));
      await first.addUser('dana');
      const d1 = await connect('dana', 'd1', first);
      await block(d1, 'romeo@montague.example');
      d1.destroy();
      await first.stop();
      const second = await startTestServer((c) => void (c.dataDir = dataDir));
      try {
        const d2 = await connect('dana', 'd2', second);
        assert.deepEqual(await blocklist(d2), ['romeo@montague.example']);
        d2.destroy();
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
