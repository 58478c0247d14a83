// The SDK's resync rule (web/sdk/feed-sync.ts) against a model server: the REST lists with sync tokens
// are the truth, the feed is the push, and the copy stays complete across reconnects and gaps.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FeedSync } from '../../web/sdk/feed-sync.js';
import type { Change, FeedChange, SyncedEvent } from '../../web/sdk/types.js';
import { copyOf, FakeSyncServer, type Edit } from './support/fake-sync-server.js';

function setup(server = new FakeSyncServer()) {
  const changes: Change[] = [];
  const synced: SyncedEvent[] = [];
  const errors: unknown[] = [];
  const sync = new FeedSync(server, {
    change: (c) => changes.push(c),
    synced: (e) => synced.push(e),
    error: (err) => errors.push(err),
  });
  return { server, sync, changes, synced, errors };
}

const event = (id: string, alive = true): Edit => ({ resource: 'event', id, alive });
const calendar = (id: string, alive = true): Edit => ({ resource: 'calendar', id, alive });

/** Lets pending promise callbacks (a resync the feed started) run to completion. */
async function settle(sync: FeedSync): Promise<void> {
  for (let i = 0; i < 20 && sync.resyncing; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

describe('FeedSync: the first sync and live items', () => {
  it('the first sync lists every resource kind in full and emits each resource as created', async () => {
    const { server, sync, changes, synced } = setup();
    server.commit(calendar('c1'), event('e1'));
    server.commit(event('e2'));
    await sync.resync('connect');
    assert.deepEqual(server.listCalls, ['calendar@-', 'event@-', 'event_subscription@-']);
    assert.deepEqual(
      changes.map((c) => `${c.source}:${c.action}:${c.resource}:${c.id}`).sort(),
      ['resync:created:calendar:c1', 'resync:created:event:e1', 'resync:created:event:e2'],
    );
    assert.deepEqual(synced, [{ reason: 'connect', changes: 3, full: true }]);
    assert.deepEqual(sync.syncTokens, { calendar: 2, event: 2, event_subscription: 2 });
  });

  it('a live item after the sync is applied and emitted with its actor and commit time', async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    const [item] = server.commit(event('e1'));
    sync.receive(item!);
    assert.equal(changes.length, 1);
    assert.deepEqual({ ...changes[0] }, {
      resource: 'event',
      id: 'e1',
      action: 'created',
      syncToken: 1,
      data: item!.data,
      source: 'feed',
      modified: '2026-11-24T10:15:00Z',
      actor: 'alice',
    });
    assert.equal(sync.cache.events.get('e1'), item!.data);
  });

  it('a deletion item removes the resource and is emitted with null data', async () => {
    const { server, sync, changes } = setup();
    server.commit(event('e1'));
    await sync.resync('connect');
    sync.receive(server.commit(event('e1', false))[0]!);
    assert.equal(sync.cache.events.has('e1'), false);
    assert.deepEqual([changes.at(-1)!.action, changes.at(-1)!.data], ['deleted', null]);
  });

  it('a deletion of something the copy never had changes nothing and emits nothing', async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    server.withPrevious = false;
    server.commit(event('e1'));
    sync.receive(server.commit(event('e1', false))[0]!);
    assert.deepEqual(changes, []);
  });

  it('items of one commit share its token and are all applied', async () => {
    const { server, sync } = setup();
    await sync.resync('connect');
    for (const item of server.commit(calendar('c1'), event('e1'), event('e2'))) sync.receive(item);
    assert.deepEqual([...copyOf(sync.cache).keys()].sort(), ['calendar:c1', 'event:e1', 'event:e2']);
  });

  it('an item older than the state the copy holds never overwrites it', async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    server.withPrevious = false;
    const [first] = server.commit(event('e1'));
    const [second] = server.commit(event('e1'));
    sync.receive(second!);
    sync.receive(first!);
    assert.equal(sync.cache.events.get('e1')?.title, 'e1 v2');
    assert.equal(changes.length, 1);
  });

  it('the same item twice is applied once', async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    const [item] = server.commit(event('e1'));
    sync.receive(item!);
    sync.receive(item!);
    assert.equal(changes.length, 1);
  });

  it('items that arrive before the first sync are held, then dropped when the lists already reflect them', async () => {
    const { server, sync, changes } = setup();
    const [item] = server.commit(event('e1'));
    sync.receive(item!);
    assert.equal(changes.length, 0);
    await sync.resync('connect');
    assert.deepEqual(changes.map((c) => c.source), ['resync']);
  });
});

describe('FeedSync: resync after a reconnect', () => {
  it('passes the last sync token of each kind and applies what changed, tombstones included', async () => {
    const { server, sync, changes, synced } = setup();
    server.commit(event('e1'), event('e2'));
    await sync.resync('connect');
    // While disconnected: e1 changes, e2 is deleted, e3 is created, and others commit too.
    server.commit(event('e1'));
    server.foreignCommit();
    server.commit(event('e2', false));
    server.commit(event('e3'));
    server.listCalls.length = 0;
    changes.length = 0;
    await sync.resync('connect');
    assert.deepEqual(server.listCalls, ['calendar@1', 'event@1', 'event_subscription@1']);
    assert.deepEqual(changes.map((c) => `${c.action}:${c.id}`), ['updated:e1', 'deleted:e2', 'created:e3']);
    assert.deepEqual(copyOf(sync.cache), server.state());
    assert.deepEqual(synced.at(-1), { reason: 'connect', changes: 3, full: false });
    assert.deepEqual(sync.syncTokens, { calendar: 5, event: 5, event_subscription: 5 });
  });

  it('items that arrive during a resync are held, then applied unless the lists already reflect them', async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    server.beforeList = (resource) => {
      // e1 commits before the event list is read, e2 after it.
      const items = resource === 'calendar' ? server.commit(event('e1')) : resource === 'event_subscription' ? server.commit(event('e2')) : [];
      for (const item of items) sync.receive(item);
      assert.equal(changes.length, resource === 'event_subscription' ? 1 : 0, 'no feed item is applied while the lists are read');
    };
    await sync.resync('connect');
    assert.deepEqual(changes.map((c) => `${c.source}:${c.id}`), ['resync:e1', 'feed:e2']);
    assert.deepEqual(copyOf(sync.cache), server.state());
  });

  it('a sync token the server refuses falls back to a full list, and what it lacks is deleted', async () => {
    const { server, sync, changes, synced } = setup();
    server.commit(event('e1'), event('e2'));
    await sync.resync('connect');
    server.commit(event('e2', false));
    server.refuseTokensBelow = 100;
    changes.length = 0;
    server.listCalls.length = 0;
    await sync.resync('connect');
    assert.deepEqual(server.listCalls, ['calendar@1', 'calendar@-', 'event@1', 'event@-', 'event_subscription@1', 'event_subscription@-']);
    assert.deepEqual(changes.map((c) => `${c.action}:${c.id}`), ['deleted:e2']);
    assert.equal(synced.at(-1)!.full, true);
  });

  it('resyncs requested while one runs share it and add exactly one more run', async () => {
    const { server, sync, synced } = setup();
    let runs = 0;
    const requested: Array<Promise<void>> = [];
    server.beforeList = (resource) => {
      if (resource !== 'calendar') return;
      runs++;
      if (runs === 1) requested.push(sync.resync('manual'), sync.resync('gap'));
    };
    await sync.resync('connect');
    await Promise.all(requested);
    assert.equal(runs, 2);
    assert.deepEqual(synced.map((s) => s.reason), ['connect', 'manual']);
  });

  it('resyncs requested before a run has read anything are covered by it', async () => {
    const { server, sync } = setup();
    await Promise.all([sync.resync('connect'), sync.resync('manual')]);
    assert.deepEqual(server.listCalls, ['calendar@-', 'event@-', 'event_subscription@-']);
  });

  it('a failed list leaves the kinds listed before it synced and the rest at their old tokens', async () => {
    const { server, sync } = setup();
    server.commit(event('e1'));
    await sync.resync('connect');
    server.commit(calendar('c1'));
    server.beforeList = (resource) => {
      if (resource === 'event') throw new Error('network down');
    };
    await assert.rejects(sync.resync('connect'), /network down/);
    assert.deepEqual(sync.syncTokens, { calendar: 2, event: 1, event_subscription: 1 });
    assert.equal(sync.cache.calendars.has('c1'), true);
    assert.equal(sync.resyncing, false);
  });
});

describe('FeedSync: gaps in the feed', () => {
  it('an item whose prev-sync-token is beyond the copy starts a resync and is applied after it', async () => {
    const { server, sync, changes, synced } = setup();
    await sync.resync('connect');
    server.commit(event('e1')); // lost on the way
    const [next] = server.commit(event('e2'));
    sync.receive(next!);
    assert.equal(sync.resyncing, true);
    await settle(sync);
    assert.deepEqual(synced.map((s) => s.reason), ['connect', 'gap']);
    assert.deepEqual(changes.map((c) => `${c.source}:${c.id}`), ['resync:e1', 'resync:e2']);
    assert.deepEqual(copyOf(sync.cache), server.state());
  });

  it('a prev-sync-token the copy has seen is no gap, even when other users committed in between', async () => {
    const { server, sync, synced } = setup();
    await sync.resync('connect');
    sync.receive(server.commit(event('e1'))[0]!);
    server.foreignCommit();
    server.foreignCommit();
    sync.receive(server.commit(event('e2'))[0]!);
    assert.equal(sync.resyncing, false);
    assert.equal(synced.length, 1);
  });

  it('without prev-sync-token no item counts as a gap', async () => {
    const server = new FakeSyncServer();
    server.withPrevious = false;
    const { sync, synced } = setup(server);
    await sync.resync('connect');
    server.commit(event('e1'));
    sync.receive(server.commit(event('e2'))[0]!);
    assert.equal(sync.resyncing, false);
    assert.equal(synced.length, 1);
    assert.equal(sync.cache.events.has('e2'), true);
  });

  it('a gap resync that fails is reported, and the next item retries it', async () => {
    const { server, sync, errors } = setup();
    await sync.resync('connect');
    server.commit(event('e1'));
    let failing = true;
    server.beforeList = () => {
      if (failing) throw new Error('offline');
    };
    sync.receive(server.commit(event('e2'))[0]!);
    await settle(sync);
    assert.equal(errors.length, 1);
    assert.equal(sync.cache.events.size, 0);
    failing = false;
    sync.receive(server.commit(event('e3'))[0]!);
    await settle(sync);
    assert.deepEqual(copyOf(sync.cache), server.state());
  });
});

describe('FeedSync: local writes', () => {
  it("a REST answer is shown at once, and its feed item is then a no-op", async () => {
    const { server, sync, changes } = setup();
    await sync.resync('connect');
    const [item] = server.commit(event('e1'));
    sync.applyLocal('event', item!.data as never);
    sync.receive(item!);
    assert.deepEqual(changes.map((c) => c.source), ['local']);
  });

  it('a local deletion removes the resource; the feed item for it then changes nothing', async () => {
    const { server, sync, changes } = setup();
    server.commit(event('e1'));
    await sync.resync('connect');
    const [deletion] = server.commit(event('e1', false));
    sync.applyLocalDeletion('event', 'e1');
    sync.receive(deletion!);
    assert.deepEqual(changes.map((c) => `${c.source}:${c.action}`), ['resync:created', 'local:deleted']);
  });

  it('reset() forgets the copy and its tokens, so the next sync is a full one', async () => {
    const { server, sync, synced } = setup();
    server.commit(event('e1'));
    await sync.resync('connect');
    sync.reset();
    assert.equal(sync.cache.events.size, 0);
    assert.deepEqual(sync.syncTokens, {});
    await sync.resync('connect');
    assert.equal(synced.at(-1)!.full, true);
  });
});

describe('FeedSync: the copy is complete (property)', () => {
  type Step = { kind: 'commit'; edits: Edit[]; delivered: boolean } | { kind: 'foreign' } | { kind: 'reconnect' };
  const id = fc.constantFrom('a', 'b', 'c');
  const edit = fc.record({ resource: fc.constantFrom('calendar', 'event', 'event_subscription') as fc.Arbitrary<Edit['resource']>, id, alive: fc.boolean() });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('commit' as const), edits: fc.uniqueArray(edit, { minLength: 1, maxLength: 3, selector: (e) => `${e.resource}:${e.id}` }), delivered: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'foreign' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
  );

  async function play(steps: Step[], withPrevious: boolean): Promise<{ server: FakeSyncServer; sync: FeedSync }> {
    const server = new FakeSyncServer();
    server.withPrevious = withPrevious;
    const { sync } = setup(server);
    await sync.resync('connect');
    for (const s of steps) {
      if (s.kind === 'foreign') server.foreignCommit();
      else if (s.kind === 'reconnect') await sync.resync('connect');
      else {
        const items = server.commit(...s.edits);
        if (s.delivered) for (const item of items) sync.receive(item);
      }
      await settle(sync);
    }
    return { server, sync };
  }

  it('whatever items are lost, a reconnect resync leaves the copy equal to the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.boolean(), async (steps, withPrevious) => {
        const { server, sync } = await play(steps, withPrevious);
        await sync.resync('connect');
        assert.deepEqual(copyOf(sync.cache), server.state());
      }),
      { numRuns: 150 },
    );
  });

  it('with prev-sync-token, a lost item is repaired by the next delivered one, without a reconnect', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { server, sync } = await play([...steps, { kind: 'commit', edits: [{ resource: 'event', id: 'z', alive: true }], delivered: true }], true);
        assert.deepEqual(copyOf(sync.cache), server.state());
      }),
      { numRuns: 150 },
    );
  });
});
