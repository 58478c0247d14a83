// XEP-0280 message carbons and XEP-0191 blocking across the processes of a cluster (DESIGN.md section 4):
// the carbons flag and the "asked for the block list" flag of a session travel with its directory entry
// (src/cluster/module-state-relay.ts), so copies and block pushes reach a resource wherever it is
// connected; a block made through one process is enforced by every other one at once, since each drops
// its cached copy of the list when told of the change.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster, eventually } from './cluster-kit.js';
import type { Received, TestClient } from '../support/test-client.js';
import { RemoteSession } from '../../src/cluster/remote-sessions.js';

const CARBONS = 'urn:xmpp:carbons:2';
const BLOCKING = 'urn:xmpp:blocking';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

describe('carbons and blocking across processes', () => {
  const cluster = useCluster(3, ['alice', 'bob', 'carol', 'dave']);

  const enableCarbons = async (c: TestClient) => {
    const res = await c.iq(`<iq type='set' id='carbons-on'><enable xmlns='${CARBONS}'/></iq>`, 'carbons-on');
    assert.equal(res.attrs.type, 'result');
  };
  /** Every other process mirrors the session with `flag` (module-state-relay.ts). */
  const flaggedEverywhere = (c: TestClient, flag: string) =>
    eventually(
      () =>
        cluster.servers.every((s) => {
          const mirrored = s.host.sessions.get(c.jid);
          return !(mirrored instanceof RemoteSession) || mirrored.flags.includes(flag);
        }),
      `${c.jid} flagged ${flag} everywhere`,
    );
  const conditionOf = (el: Received) => el.getChild('error')?.getChildElements().find((e) => e.attrs.xmlns === STANZAS)?.name;

  it('a message to alice/0 is carbon-copied to alice/1 on another process, and what alice/0 sends too', async () => {
    const a0 = await cluster.login(0, 'alice', 'zero');
    const a1 = await cluster.login(1, 'alice', 'one');
    const bob = await cluster.login(2, 'bob', 'b');
    await enableCarbons(a0);
    await enableCarbons(a1);
    for (const c of [a0, a1, bob]) await cluster.seenEverywhere(c);
    await flaggedEverywhere(a0, 'carbons');
    await flaggedEverywhere(a1, 'carbons');

    bob.send(`<message to='${a0.jid}' type='chat' id='c1'><body>to zero</body></message>`);
    assert.equal((await a0.receiveNamed('message', (el) => el.attrs.id === 'c1')).getChildText('body'), 'to zero');
    const received = await a1.receiveNamed('message', (el) => el.getChild('received', CARBONS) !== undefined);
    const inner = received.getChild('received', CARBONS)!.getChild('forwarded')!.getChild('message')!;
    assert.equal(inner.attrs.id, 'c1');
    assert.equal(received.attrs.from, 'alice@localhost');

    a0.send(`<message to='${bob.jid}' type='chat' id='c2'><body>from zero</body></message>`);
    await bob.receiveNamed('message', (el) => el.attrs.id === 'c2');
    const sent = await a1.receiveNamed('message', (el) => el.getChild('sent', CARBONS) !== undefined);
    assert.equal(sent.getChild('sent', CARBONS)!.getChild('forwarded')!.getChild('message')!.attrs.id, 'c2');
  });

  it('a resource on another process that disabled carbons gets no more copies', async () => {
    const c0 = await cluster.login(0, 'carol', 'zero');
    const c1 = await cluster.login(1, 'carol', 'one');
    const dave = await cluster.login(2, 'dave', 'd');
    await enableCarbons(c1);
    await flaggedEverywhere(c1, 'carbons');
    const off = await c1.iq(`<iq type='set' id='carbons-off'><disable xmlns='${CARBONS}'/></iq>`, 'carbons-off');
    assert.equal(off.attrs.type, 'result');
    await eventually(() => !(cluster.servers[2]!.host.sessions.get(c1.jid) as RemoteSession).flags.includes('carbons'), 'the flag cleared on process 2');
    dave.send(`<message to='${c0.jid}' type='chat' id='d1'><body>only zero</body></message>`);
    await c0.receiveNamed('message', (el) => el.attrs.id === 'd1');
    assert.equal(await c1.nothing((el) => el.name === 'message'), undefined);
  });

  it('a block made through process 0 is pushed to alice/1 and enforced by processes 1 and 2', async () => {
    const a0 = await cluster.login(0, 'alice', 'block-zero');
    const a1 = await cluster.login(1, 'alice', 'block-one');
    const bob = await cluster.login(2, 'bob', 'block-b');
    for (const c of [a0, a1, bob]) await cluster.seenEverywhere(c);
    // alice/1 asks for the list (so it gets pushes, 3.3); the empty list is then cached on every process.
    const list = await a1.iq(`<iq type='get' id='list'><blocklist xmlns='${BLOCKING}'/></iq>`, 'list');
    assert.equal(list.attrs.type, 'result');
    await flaggedEverywhere(a1, 'blocklist');
    bob.send(`<message to='${a1.jid}' type='chat' id='before'><body>hi</body></message>`);
    await a1.receiveNamed('message', (el) => el.attrs.id === 'before');
    a1.send(`<message to='${bob.jid}' type='chat' id='before-back'><body>hi</body></message>`);
    await bob.receiveNamed('message', (el) => el.attrs.id === 'before-back');

    const res = await a0.iq(`<iq type='set' id='blk'><block xmlns='${BLOCKING}'><item jid='bob@localhost'/></block></iq>`, 'blk');
    assert.equal(res.attrs.type, 'result');
    const push = await a1.receive((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('block', BLOCKING) !== undefined);
    assert.equal(push.getChild('block', BLOCKING)!.getChild('item')!.attrs.jid, 'bob@localhost');

    // Process 2 routes bob's message (the sender's process applies alice's list).
    bob.send(`<message to='${a1.jid}' type='chat' id='after'><body>still there?</body></message>`);
    const bounced = await bob.receiveNamed('message', (el) => el.attrs.id === 'after');
    assert.equal(conditionOf(bounced), 'service-unavailable');
    // Process 1 refuses what alice/1 sends to bob.
    a1.send(`<message to='${bob.jid}' type='chat' id='after-back'><body>hello?</body></message>`);
    const refused = await a1.receiveNamed('message', (el) => el.attrs.id === 'after-back');
    assert.equal(conditionOf(refused), 'not-acceptable');
    assert.equal(await a1.nothing((el) => el.name === 'message' && el.attrs.id === 'after'), undefined);
    assert.equal(await bob.nothing((el) => el.name === 'message' && el.attrs.id === 'after-back'), undefined);
  });
});
