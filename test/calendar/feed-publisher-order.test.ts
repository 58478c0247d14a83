// DESIGN.md section 3 feed ordering: each feed/<user> node gets the items of overlapping changes in the
// order they were handed over, each naming the sync token of the item before it on that node; nodes do
// not wait for each other, and a failed item fails its change without blocking the node.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FeedPublisher, type FeedNodes } from '../../src/calendar/feed/feed-publisher.js';
import type { CommittedChange } from '../../src/calendar/feed/change.js';

interface Published {
  node: string;
  token: string;
  prev: string | undefined;
}

function change(syncToken: number, users: string[]): CommittedChange {
  return {
    resource: 'event',
    id: `e${syncToken}`,
    action: 'created',
    syncToken,
    modified: '2026-11-25T12:00:00Z',
    actor: 'owner',
    views: new Map(users.map((u) => [u, { id: `e${syncToken}`, title: 't' }])),
  };
}

/** Fake nodes whose publish of a given sync token waits for `gate(token)` before it is stored. */
function fakeNodes(gate: (token: number, node: string) => Promise<void> = async () => undefined): { nodes: FeedNodes; stored: Published[] } {
  const stored: Published[] = [];
  const nodes: FeedNodes = {
    async ensure() {},
    async newestPayload() {
      return undefined;
    },
    async publish(node, itemId, payload) {
      const token = /sync-token='(\d+)'/.exec(payload)![1]!;
      await gate(Number(token), node);
      stored.push({ node, token, prev: /prev-sync-token='(\d+)'/.exec(payload)?.[1] });
      return itemId;
    },
  };
  return { nodes, stored };
}

const onNode = (stored: Published[], node: string) => stored.filter((p) => p.node === node).map((p) => [p.token, p.prev]);

describe('feed publisher ordering', () => {
  it('overlapping changes reach each node in the order handed over, each naming the previous token', async () => {
    const { nodes, stored } = fakeNodes((token) => new Promise((r) => setTimeout(r, token === 1 ? 20 : 0)));
    const feed = new FeedPublisher(nodes, 'example.com');
    await Promise.all([feed.committed(change(1, ['alice', 'bob'])), feed.committed(change(2, ['alice'])), feed.committed(change(3, ['bob', 'carol']))]);
    assert.deepEqual(onNode(stored, 'feed/alice'), [['1', undefined], ['2', '1']]);
    assert.deepEqual(onNode(stored, 'feed/bob'), [['1', undefined], ['3', '1']]);
    assert.deepEqual(onNode(stored, 'feed/carol'), [['3', undefined]]);
  });

  it('a change for other users does not wait for a node that is still publishing', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { nodes, stored } = fakeNodes((token) => (token === 1 ? held : Promise.resolve()));
    const feed = new FeedPublisher(nodes, 'example.com');
    const first = feed.committed(change(1, ['alice']));
    const second = feed.committed(change(2, ['bob']));
    // Once the microtasks have run, bob's item is stored while alice's is still held.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(stored.map((p) => p.node), ['feed/bob']);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(onNode(stored, 'feed/alice'), [['1', undefined]]);
  });

  it('a failed item rejects its change and the next change on that node still goes out', async () => {
    const { nodes, stored } = fakeNodes(async (token, node) => {
      if (token === 1 && node === 'feed/alice') throw new Error('store down');
    });
    const feed = new FeedPublisher(nodes, 'example.com');
    const failed = feed.committed(change(1, ['alice', 'bob']));
    const next = feed.committed(change(2, ['alice']));
    await assert.rejects(failed, /store down/);
    await next;
    assert.deepEqual(onNode(stored, 'feed/bob'), [['1', undefined]]);
    assert.deepEqual(onNode(stored, 'feed/alice'), [['2', undefined]]);
  });
});
