// XEP-0163 PEP across the processes of a cluster: an account's PEP service has an engine in every process
// that serves one of its resources (or a contact asking), each with its own node cache. A change made
// through one process (configuration, subscription, deletion) is seen by the others at their next use,
// even when they had the node cached before (src/cluster/pubsub-coherence.ts, docs/CLUSTER.md).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster } from './cluster-kit.js';
import type { TestClient } from '../support/test-client.js';
import type { Element } from '@xmpp/xml';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const OWNER = 'http://jabber.org/protocol/pubsub#owner';
const EVENT = 'http://jabber.org/protocol/pubsub#event';
const ALICE = 'alice@localhost';

const form = (type: string, fields: Record<string, string>) =>
  `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${PUBSUB}#${type}</value></field>${Object.entries(fields)
    .map(([k, v]) => `<field var='pubsub#${k}'><value>${v}</value></field>`)
    .join('')}</x>`;

describe('PEP node caches across the processes of a cluster', () => {
  const cluster = useCluster(2, ['alice', 'bob']);

  const ok = async (c: TestClient, id: string, payload: string, ns = PUBSUB): Promise<Element> => {
    const r = await c.iq(`<iq type='set' to='${ALICE}' id='${id}'><pubsub xmlns='${ns}'>${payload}</pubsub></iq>`, id);
    assert.equal(r.attrs.type, 'result', r.toString());
    return r;
  };
  const publish = (c: TestClient, id: string, node: string, item: string, options: Record<string, string> = {}) =>
    ok(c, id, `<publish node='${node}'><item id='${item}'><entry xmlns='urn:example'>${item}</entry></item></publish><publish-options>${form('publish-options', options)}</publish-options>`);
  const accessModel = async (c: TestClient, id: string, node: string): Promise<string | undefined> => {
    const r = await c.iq(`<iq type='get' to='${ALICE}' id='${id}'><pubsub xmlns='${OWNER}'><configure node='${node}'/></pubsub></iq>`, id);
    assert.equal(r.attrs.type, 'result', r.toString());
    const fields = r.getChild('pubsub', OWNER)?.getChild('configure')?.getChild('x', 'jabber:x:data')?.getChildren('field') ?? [];
    return fields.find((f) => f.attrs.var === 'pubsub#access_model')?.getChildText('value') ?? undefined;
  };
  const itemOf = (el: Element) => el.getChild('event', EVENT)?.getChild('items')?.getChild('item');

  it('a node reconfigured through one process has its new access model when used through the other', async () => {
    const alice0 = await cluster.login(0, 'alice', 'cfg-0');
    const alice1 = await cluster.login(1, 'alice', 'cfg-1');
    const bob1 = await cluster.login(1, 'bob', 'cfg');
    await publish(alice0, 'c1', 'plans', 'a', { access_model: 'open' });
    // Process 1 loads the node now, while it is still open.
    assert.equal(await accessModel(alice1, 'c2', 'plans'), 'open');

    await ok(alice0, 'c3', `<configure node='plans'>${form('node_config', { access_model: 'whitelist' })}</configure>`, OWNER);

    assert.equal(await accessModel(alice1, 'c4', 'plans'), 'whitelist');
    // XEP-0060 6.1.3.11: bob is not on the whitelist, so process 1 refuses him now.
    const refused = await bob1.iq(`<iq type='set' to='${ALICE}' id='c5'><pubsub xmlns='${PUBSUB}'><subscribe node='plans' jid='${bob1.jid}'/></pubsub></iq>`, 'c5');
    assert.equal(refused.attrs.type, 'error', refused.toString());
    assert.ok(refused.getChild('error')?.getChild('not-allowed', 'urn:ietf:params:xml:ns:xmpp-stanzas'), refused.toString());
  });

  it('a subscription made through one process gets the notifications of publishes made through the other', async () => {
    const alice0 = await cluster.login(0, 'alice', 'sub-0');
    const bob1 = await cluster.login(1, 'bob', 'sub');
    // Process 0 holds the node in its cache from here on, before bob subscribes elsewhere.
    await publish(alice0, 's1', 'news', 'first', { access_model: 'open' });
    const sub = await bob1.iq(`<iq type='set' to='${ALICE}' id='s2'><pubsub xmlns='${PUBSUB}'><subscribe node='news' jid='${bob1.jid}'/></pubsub></iq>`, 's2');
    assert.equal(sub.attrs.type, 'result', sub.toString());
    await cluster.seenEverywhere(bob1);

    await publish(alice0, 's3', 'news', 'second');
    const got = await bob1.receive((el) => el.name === 'message' && itemOf(el)?.attrs.id === 'second');
    assert.equal(got.attrs.from, ALICE);
    assert.equal(got.attrs.to, bob1.jid);
  });

  it('a node deleted through one process is gone when asked for through the other', async () => {
    const alice0 = await cluster.login(0, 'alice', 'del-0');
    const alice1 = await cluster.login(1, 'alice', 'del-1');
    await publish(alice0, 'd1', 'drafts', 'a');
    assert.equal(await accessModel(alice1, 'd2', 'drafts'), 'presence');

    await ok(alice0, 'd3', `<delete node='drafts'/>`, OWNER);

    const gone = await alice1.iq(`<iq type='get' to='${ALICE}' id='d4'><pubsub xmlns='${PUBSUB}'><items node='drafts'/></pubsub></iq>`, 'd4');
    assert.equal(gone.attrs.type, 'error', gone.toString());
    assert.ok(gone.getChild('error')?.getChild('item-not-found', 'urn:ietf:params:xml:ns:xmpp-stanzas'), gone.toString());
  });
});
