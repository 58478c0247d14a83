// XEP-0313 with XEP-0442 (archives of pubsub nodes) over the wire: a query naming a node pages through
// its items in publish order by XEP-0059 RSM and by time, each result a forwarded notification, the IQ
// result a <fin/>; access is that of item retrieval; the same on an account's PEP nodes.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { entry, errorOf, EVENT, NODE_CONFIG, SERVICE, startScenario, submitForm, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

const MAM = 'urn:xmpp:mam:2';
const RSM = 'http://jabber.org/protocol/rsm';

interface Page {
  ids: string[];
  archiveIds: string[];
  stamps: string[];
  fin: Element;
}

/** Runs a MAM query and collects its result messages up to the IQ result. */
async function query(c: PubsubClient, to: string, node: string, inner = '', queryid = 'q'): Promise<Page | Element> {
  const results: Element[] = [];
  const done = c.iq('set', to, `<query xmlns='${MAM}' node='${node}' queryid='${queryid}'>${inner}</query>`);
  const res = await done;
  if (res.attrs.type !== 'result') return res;
  for (;;) {
    const m = await c.client.nothing((el) => el.name === 'message' && el.getChild('result', MAM)?.attrs.queryid === queryid, 50);
    if (!m) break;
    results.push(m);
  }
  const forwarded = results.map((m) => m.getChild('result', MAM)!.getChild('forwarded', 'urn:xmpp:forward:0')!);
  return {
    ids: forwarded.map((f) => f.getChild('message')!.getChild('event', EVENT)!.getChild('items')!.getChild('item')!.attrs.id!),
    archiveIds: results.map((m) => m.getChild('result', MAM)!.attrs.id!),
    stamps: forwarded.map((f) => f.getChild('delay', 'urn:xmpp:delay')!.attrs.stamp!),
    fin: res.getChild('fin', MAM)!,
  };
}

const page = (p: Page | Element): Page => {
  assert.ok('ids' in p, `expected results, got ${(p as Element).toString()}`);
  return p as Page;
};
const rsm = (max: number, extra = '') => `<set xmlns='${RSM}'><max>${max}</max>${extra}</set>`;
const form = (fields: Record<string, string>) => submitForm(MAM, fields);

describe('MAM on pubsub nodes (XEP-0313, XEP-0442)', () => {
  let s: Scenario;
  let hamlet: PubsubClient;
  let francisco: PubsubClient;
  before(async () => {
    s = await startScenario(['hamlet', 'francisco', 'yorick']);
    hamlet = await s.connect('hamlet');
    francisco = await s.connect('francisco');
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await hamlet.ok(hamlet.pubsub('set', `<publish node='journal'><item id='${id}'>${entry(id)}</item></publish>`));
      // distinct publish instants, so that time ranges split the history cleanly
      await new Promise((r) => setTimeout(r, 3));
    }
  });
  after(() => s.stop());

  it('a query returns every item in publish order as forwarded notifications, then fin complete (4, XEP-0442 3)', async () => {
    const all = page(await query(francisco, SERVICE, 'journal', '', 'all'));
    assert.deepEqual(all.ids, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(all.fin.attrs.complete, 'true');
    const set = all.fin.getChild('set', RSM)!;
    assert.deepEqual([set.getChildText('first'), set.getChildText('last'), set.getChildText('count')], [all.archiveIds[0], all.archiveIds[4], '5']);
    for (const stamp of all.stamps) assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('each result message carries the queryid and wraps one item of the node (4.2, XEP-0442 3)', async () => {
    francisco.send(`<iq type='set' id='one' to='${SERVICE}'><query xmlns='${MAM}' node='journal' queryid='shape'>${rsm(1)}</query></iq>`);
    const m = await francisco.client.receive((el) => el.name === 'message' && !!el.getChild('result', MAM));
    const result = m.getChild('result', MAM)!;
    assert.equal(result.attrs.queryid, 'shape');
    const inner = result.getChild('forwarded', 'urn:xmpp:forward:0')!.getChild('message')!;
    assert.equal(inner.attrs.xmlns, 'jabber:client');
    const items = inner.getChild('event', EVENT)!.getChild('items')!;
    assert.equal(items.attrs.node, 'journal');
    assert.equal(items.getChildren('item').length, 1);
    await francisco.client.receive((el) => el.name === 'iq' && el.attrs.id === 'one');
  });

  it('RSM max pages forward with after; the last page says complete (5.2)', async () => {
    const first = page(await query(francisco, SERVICE, 'journal', rsm(2)));
    assert.deepEqual(first.ids, ['a', 'b']);
    assert.notEqual(first.fin.attrs.complete, 'true');
    const second = page(await query(francisco, SERVICE, 'journal', rsm(2, `<after>${first.archiveIds[1]}</after>`)));
    assert.deepEqual(second.ids, ['c', 'd']);
    const third = page(await query(francisco, SERVICE, 'journal', rsm(2, `<after>${second.archiveIds[1]}</after>`)));
    assert.deepEqual(third.ids, ['e']);
    assert.equal(third.fin.attrs.complete, 'true');
  });

  it('an empty before asks for the last page, still in chronological order (5.3)', async () => {
    const last = page(await query(francisco, SERVICE, 'journal', rsm(2, '<before/>')));
    assert.deepEqual(last.ids, ['d', 'e']);
  });

  it('start and end select items by publish time, inclusively (4.1.2)', async () => {
    const all = page(await query(francisco, SERVICE, 'journal'));
    const middle = page(await query(francisco, SERVICE, 'journal', form({ start: all.stamps[1]!, end: all.stamps[3]! })));
    assert.deepEqual(middle.ids, ['b', 'c', 'd']);
    const since = page(await query(francisco, SERVICE, 'journal', form({ start: all.stamps[3]! })));
    assert.deepEqual(since.ids, ['d', 'e']);
  });

  it('flip-page sends the same page newest first (5.4)', async () => {
    const flipped = page(await query(francisco, SERVICE, 'journal', `${rsm(3)}<flip-page/>`));
    assert.deepEqual(flipped.ids, ['c', 'b', 'a']);
  });

  it('paging after an id the archive does not have is item-not-found (5.2)', async () => {
    const res = await query(francisco, SERVICE, 'journal', rsm(2, '<after>999999</after>'));
    assert.equal(errorOf(res as Element).condition, 'item-not-found');
  });

  it('a malformed start, an unknown field or with are refused (4.1.2, 4.1.5)', async () => {
    assert.equal(errorOf((await query(francisco, SERVICE, 'journal', form({ start: 'yesterday' }))) as Element).condition, 'bad-request');
    assert.equal(errorOf((await query(francisco, SERVICE, 'journal', form({ 'x-colour': 'red' }))) as Element).condition, 'feature-not-implemented');
    assert.equal(errorOf((await query(francisco, SERVICE, 'journal', form({ with: 'hamlet@localhost' }))) as Element).condition, 'feature-not-implemented');
  });

  it('the archive of a node follows item retrieval access: whitelist refuses strangers (XEP-0060 6.5.1)', async () => {
    await hamlet.ok(hamlet.pubsub('set', `<create node='diary'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#access_model': 'whitelist' })}</configure>`));
    await hamlet.ok(hamlet.pubsub('set', `<publish node='diary'><item id='x'>${entry('x')}</item></publish>`));
    assert.deepEqual(errorOf((await query(francisco, SERVICE, 'diary')) as Element), { type: 'cancel', condition: 'not-allowed', pubsub: 'closed-node' });
    assert.deepEqual(page(await query(hamlet, SERVICE, 'diary')).ids, ['x']);
  });

  it('a query without a node, or for a missing node, is refused', async () => {
    assert.equal(errorOf(await francisco.iq('set', SERVICE, `<query xmlns='${MAM}'/>`)).condition, 'bad-request');
    assert.equal(errorOf((await query(francisco, SERVICE, 'no-such-node')) as Element).condition, 'item-not-found');
  });

  it('the query form lists start, end and with (4.1.5); the service advertises urn:xmpp:mam:2', async () => {
    const res = await francisco.ok(francisco.iq('get', SERVICE, `<query xmlns='${MAM}'/>`));
    const vars = res.getChild('query', MAM)!.getChild('x')!.getChildren('field').map((f) => f.attrs.var);
    assert.deepEqual(vars.sort(), ['FORM_TYPE', 'end', 'start', 'with']);
    const info = await francisco.ok(francisco.iq('get', SERVICE, `<query xmlns='http://jabber.org/protocol/disco#info'/>`));
    assert.ok(info.getChild('query')!.getChildren('feature').some((f) => f.attrs.var === MAM));
  });

  it('archive metadata names the first and last entries of a node (6)', async () => {
    const all = page(await query(francisco, SERVICE, 'journal'));
    const res = await francisco.ok(francisco.iq('get', SERVICE, `<metadata xmlns='${MAM}' node='journal'/>`));
    const meta = res.getChild('metadata', MAM)!;
    assert.deepEqual([meta.getChild('start')!.attrs.id, meta.getChild('end')!.attrs.id], [all.archiveIds[0], all.archiveIds[4]]);
    assert.equal(meta.getChild('start')!.attrs.timestamp, all.stamps[0]);
    await hamlet.ok(hamlet.pubsub('set', `<create node='blank'/>`));
    const empty = await francisco.ok(francisco.iq('get', SERVICE, `<metadata xmlns='${MAM}' node='blank'/>`));
    assert.equal(empty.getChild('metadata', MAM)!.getChildElements().length, 0);
  });

  it('a PEP node has an archive at the account, with presence access (XEP-0163, XEP-0442)', async () => {
    await s.server.host.stores.roster.setItem('hamlet', { jid: 'francisco@localhost', subscription: 'from', ask: false, approved: false, groups: [] });
    for (const id of ['p1', 'p2']) await hamlet.ok(hamlet.pubsub('set', `<publish node='urn:example:mood'><item id='${id}'>${entry(id)}</item></publish>`, null));
    const got = page(await query(francisco, 'hamlet@localhost', 'urn:example:mood'));
    assert.deepEqual(got.ids, ['p2']); // PEP nodes keep one item by default (XEP-0163 7)
    const yorick = await s.connect('yorick');
    assert.equal(errorOf((await query(yorick, 'hamlet@localhost', 'urn:example:mood')) as Element).pubsub, 'presence-subscription-required');
  });
});
