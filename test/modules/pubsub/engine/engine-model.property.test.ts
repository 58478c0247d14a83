// Property: random sequences of subscribe / unsubscribe / publish / retract / purge / affiliation
// changes on one node (XEP-0060 4.1 privileges, 6.1-6.2, 7.1-7.2 with max_items eviction, 8.5, 8.9)
// behave like a simple model: same successes and failures, the same recipients (one per JID with its
// subids) for every item, retract and purge notification, and the same items, newest first.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OWNER, harness, payload } from './engine-fixture.js';
import type { Notification } from '../../../../src/modules/pubsub/engine/notification.js';

const ENTITIES = ['a@example.com', 'b@example.com', 'c@example.com'] as const;
const MAX_ITEMS = 3;
const OPTION_VARIANTS = [{}, { 'pubsub#digest': '1' }, { 'pubsub#deliver': '0' }] as const;
type Aff = 'publisher' | 'publish-only' | 'member' | 'none' | 'outcast';

type Command =
  | { op: 'subscribe'; who: number; full: boolean; variant: number }
  | { op: 'unsubscribe'; who: number; full: boolean }
  | { op: 'publish'; who: number; id: string | undefined }
  | { op: 'retract'; who: number; id: string }
  | { op: 'purge'; who: number }
  | { op: 'affiliate'; who: number; affiliation: Aff };

// The owner acts in about half of the commands, so items accumulate and eviction happens often.
const who = fc.oneof(fc.constant(-1), fc.integer({ min: -1, max: ENTITIES.length - 1 }));
const itemId = fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5');
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('subscribe' as const), who, full: fc.boolean(), variant: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unsubscribe' as const), who, full: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('publish' as const), who, id: fc.option(itemId, { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('retract' as const), who, id: itemId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), who }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('affiliate' as const),
      who: fc.integer({ min: 0, max: ENTITIES.length - 1 }),
      affiliation: fc.constantFrom<Aff>('publisher', 'publish-only', 'member', 'none', 'outcast'),
    }),
  },
);

interface ModelSub {
  jid: string;
  subid: string;
  variant: number;
}

class Model {
  subs: ModelSub[] = [];
  items: { id: string; publisher: string }[] = []; // oldest first
  affs = new Map<string, Aff>();

  bareOf(i: number): string {
    return i < 0 ? 'owner@example.com' : ENTITIES[i]!;
  }
  aff(bare: string): Aff | 'owner' {
    return bare === 'owner@example.com' ? 'owner' : (this.affs.get(bare) ?? 'none');
  }
  recipients(): string[] {
    const byJid = new Map<string, string[]>();
    for (const s of this.subs) {
      if (OPTION_VARIANTS[s.variant]!['pubsub#deliver' as never] === '0') continue;
      byJid.set(s.jid, [...(byJid.get(s.jid) ?? []), s.subid]);
    }
    return [...byJid].map(([jid, subids]) => `${jid}:${subids.sort().join(',')}`).sort();
  }
}

const seen = (n: Notification) => n.recipients.map((r) => `${r.jid}:${[...r.subids].sort().join(',')}`).sort();

async function run(commands: Command[]): Promise<void> {
  const h = harness({ options: { maxSubscriptionsPerJid: 2 } });
  const created = await h.engine.createNode(OWNER, 'n', { 'pubsub#max_items': String(MAX_ITEMS), 'pubsub#send_last_published_item': 'never' });
  assert.ok(created.ok);
  const m = new Model();
  for (const c of commands) {
    const bare = m.bareOf(c.who);
    const actor = `${bare}/r`;
    const aff = m.aff(bare);
    h.notifier.take();
    const expectNotification = (kind: Notification['kind'], extra?: (n: Notification) => void) => {
      const recipients = m.recipients();
      const got = h.notifier.take(kind);
      if (recipients.length === 0) return assert.deepEqual(got, [], `${kind} with no recipients`);
      assert.equal(got.length, 1, `one ${kind} notification`);
      assert.deepEqual(seen(got[0]!), recipients, `${kind} recipients`);
      extra?.(got[0]!);
    };
    switch (c.op) {
      case 'subscribe': {
        const jid = c.full ? actor : bare;
        const r = await h.engine.subscribe(actor, 'n', jid, OPTION_VARIANTS[c.variant]);
        const mine = m.subs.filter((s) => s.jid === jid);
        if (aff === 'outcast' || aff === 'publish-only') assert.equal(r.ok ? 'ok' : r.error.condition, 'forbidden');
        else if (mine.some((s) => s.variant === c.variant)) assert.equal(r.ok && r.value.subscription.subid, mine.find((s) => s.variant === c.variant)!.subid);
        else if (mine.length >= 2) assert.equal(r.ok ? 'ok' : r.error.pubsub, 'too-many-subscriptions');
        else {
          assert.ok(r.ok);
          m.subs.push({ jid, subid: r.value.subscription.subid, variant: c.variant });
        }
        break;
      }
      case 'unsubscribe': {
        const jid = c.full ? actor : bare;
        const mine = m.subs.filter((s) => s.jid === jid);
        const r = await h.engine.unsubscribe(actor, 'n', jid, mine[0]?.subid);
        if (mine.length === 0) assert.equal(r.ok ? 'ok' : r.error.pubsub, 'not-subscribed');
        else {
          assert.ok(r.ok);
          m.subs = m.subs.filter((s) => s !== mine[0]);
        }
        break;
      }
      case 'publish': {
        const r = await h.engine.publish(actor, 'n', [{ ...(c.id ? { id: c.id } : {}), payload: payload('x') }]);
        if (aff !== 'owner' && aff !== 'publisher' && aff !== 'publish-only') {
          assert.equal(r.ok ? 'ok' : r.error.condition, 'forbidden');
          break;
        }
        assert.ok(r.ok);
        const id = r.value.itemIds[0]!;
        m.items = m.items.filter((i) => i.id !== id);
        m.items.push({ id, publisher: bare });
        const evicted = m.items.splice(0, Math.max(0, m.items.length - MAX_ITEMS)).map((i) => i.id);
        expectNotification('items', (n) => assert.deepEqual(n.items?.map((i) => i.id), [id]));
        if (evicted.length > 0) expectNotification('retract', (n) => assert.deepEqual(n.retracted, evicted));
        break;
      }
      case 'retract': {
        const r = await h.engine.retract(actor, 'n', [c.id], true);
        const item = m.items.find((i) => i.id === c.id);
        const allowed = aff === 'owner' || aff === 'publisher' || (aff === 'publish-only' && item?.publisher === bare);
        if (aff === 'outcast') assert.equal(r.ok ? 'ok' : r.error.condition, 'forbidden');
        else if (!item) assert.equal(r.ok ? 'ok' : r.error.condition, 'item-not-found');
        else if (!allowed) assert.equal(r.ok ? 'ok' : r.error.condition, 'forbidden');
        else {
          assert.ok(r.ok);
          m.items = m.items.filter((i) => i !== item);
          expectNotification('retract', (n) => assert.deepEqual(n.retracted, [c.id]));
        }
        break;
      }
      case 'purge': {
        const r = await h.engine.purgeNode(actor, 'n');
        if (aff !== 'owner' && aff !== 'publisher') assert.equal(r.ok ? 'ok' : r.error.condition, 'forbidden');
        else {
          assert.ok(r.ok);
          m.items = [];
          expectNotification('purge');
        }
        break;
      }
      case 'affiliate': {
        const r = await h.engine.setNodeAffiliations(OWNER, 'n', [{ jid: bare, affiliation: c.affiliation }]);
        // The state chart of 4.1: a publisher cannot become a member.
        if (aff === 'publisher' && c.affiliation === 'member') {
          assert.deepEqual(r.ok ? 'ok' : r.error.rejected, [{ jid: bare, affiliation: 'publisher' }]);
          break;
        }
        assert.ok(r.ok);
        m.affs.set(bare, c.affiliation);
        if (c.affiliation === 'outcast' || c.affiliation === 'publish-only') {
          m.subs = m.subs.filter((s) => s.jid.split('/')[0] !== bare);
        }
        break;
      }
    }
    const items = await h.engine.getItems(OWNER, 'n');
    assert.ok(items.ok);
    assert.deepEqual(items.value.items.map((i) => i.id), m.items.map((i) => i.id).reverse(), 'items newest first');
  }
}

describe('pubsub engine against a model', () => {
  it('random operation sequences give the model\'s results, recipients and items', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 50 }), run), { numRuns: 200 });
  });
});
