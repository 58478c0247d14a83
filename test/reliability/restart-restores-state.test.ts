// DESIGN.md section 8: everything the server acknowledged is durable state, so after a kill -9 and
// a restart every pubsub node (XEP-0060 8.1) with its items, every subscription (6.1), every roster
// item (RFC 6121 2) and every offline message (XEP-0160) is back.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { crash, createNodeIq, dataDirWith, itemIds, online, PUBSUB, publishIq, serve, stop, subscribedNodes, subscribeIq } from './fault-fixture.js';

describe('restart after kill -9', () => {
  let dataDir: string;
  before(() => (dataDir = dataDirWith(['alice', 'bob', 'carol'])));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('brings back every node, subscription, roster item and offline message', async () => {
    const first = await serve(dataDir);
    try {
      const alice = await online(first, 'alice', 'a');
      const bob = await online(first, 'bob', 'b');
      for (const node of ['news', 'notes']) assert.equal((await alice.iq(createNodeIq(`c-${node}`, node), `c-${node}`)).attrs.type, 'result');
      for (const [i, node] of ['news', 'notes'].entries()) {
        assert.equal((await alice.iq(publishIq(`p${i}`, node, `${node}-1`), `p${i}`)).attrs.type, 'result');
        assert.equal((await bob.iq(subscribeIq(`s${i}`, node, 'bob@localhost'), `s${i}`)).attrs.type, 'result');
      }
      for (const [jid, name] of [['bob@localhost', 'Bob'], ['carol@localhost', 'Carol']]) {
        const set = await alice.iq(`<iq type='set' id='r-${name}'><query xmlns='jabber:iq:roster'><item jid='${jid}' name='${name}'><group>Team</group></item></query></iq>`, `r-${name}`);
        assert.equal(set.attrs.type, 'result');
      }
      for (const n of [1, 2, 3]) alice.send(`<message to='carol@localhost' type='chat' id='off${n}'><body>offline ${n}</body></message>`);
      // stanzas on one stream are handled in order: once this ping is answered the messages are stored
      await alice.iq(`<iq type='get' to='localhost' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>`, 'sync');
      alice.destroy();
      bob.destroy();
    } finally {
      await crash(first);
    }

    const second = await serve(dataDir);
    try {
      const alice = await online(second, 'alice', 'a');
      const disco = await alice.iq(`<iq type='get' to='pubsub.localhost' id='d'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`, 'd');
      const nodes = disco.getChild('query')!.getChildren('item').map((i) => i.attrs.node as string);
      for (const node of ['news', 'notes']) {
        assert.ok(nodes.includes(node), `node ${node} is listed (${nodes.join(', ')})`);
        assert.deepEqual([...(await itemIds(alice, node))], [`${node}-1`]);
      }
      const affiliations = await alice.iq(`<iq type='get' to='pubsub.localhost' id='aff'><pubsub xmlns='${PUBSUB}'><affiliations/></pubsub></iq>`, 'aff');
      const owned = affiliations.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').filter((a) => a.attrs.affiliation === 'owner');
      assert.deepEqual(owned.map((a) => a.attrs.node).sort(), ['news', 'notes']);

      const bob = await online(second, 'bob', 'b');
      assert.deepEqual(await subscribedNodes(bob), ['news', 'notes']);

      const roster = await alice.iq(`<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>`, 'r');
      const items = roster.getChild('query')!.getChildren('item').map((i) => `${i.attrs.jid} ${i.attrs.name} ${i.getChildText('group')}`);
      assert.deepEqual(items.sort(), ['bob@localhost Bob Team', 'carol@localhost Carol Team']);

      const carol = await online(second, 'carol', 'c');
      carol.send('<presence/>');
      const bodies: string[] = [];
      while (bodies.length < 3) bodies.push((await carol.receive((el) => el.name === 'message' && !!el.getChildText('body'))).getChildText('body')!);
      assert.deepEqual(bodies, ['offline 1', 'offline 2', 'offline 3']);
      for (const c of [alice, bob, carol]) c.destroy();
    } finally {
      await stop(second);
    }
  });
});
