// The feed of DESIGN.md section 3: after each committed write, one item per affected user on
// `feed/<username>` at the pubsub service, published as the server (whitelist access, the user its
// only member). A deletion is an item too, carrying its sync token. Each item names the sync token of
// the item before it on the same node (`prev-sync-token`), so a client that missed one notices.

import { feedItem, feedItemId } from './payload.js';
import type { ChangeSink, CommittedChange } from './change.js';

/** What the feed needs from publish-subscribe (the pubsub module's publishAsServer and items). */
export interface FeedNodeOptions {
  config: Record<string, unknown>;
  affiliations: Record<string, 'member' | 'publisher' | 'owner'>;
}

export interface FeedNodes {
  /** Creates the node with these options unless it exists. */
  ensure(node: string, options: FeedNodeOptions): Promise<void>;
  publish(node: string, itemId: string, payloadXml: string, options: FeedNodeOptions): Promise<string>;
  /** The payload of the newest item on a node, if any (to continue prev-sync-token after a restart). */
  newestPayload(node: string): Promise<string | undefined>;
}

export function feedNode(username: string): string {
  return `feed/${username}`;
}

export class FeedPublisher implements ChangeSink {
  private readonly lastToken = new Map<string, number>();
  /**
   * Per node, items leave in the order changes were handed over (commit order), even when REST writes
   * overlap; the prev-sync-token chain is per node, so different nodes need not wait for each other.
   */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly nodes: FeedNodes, private readonly domain: string) {}

  /**
   * The users' items go out together, letting the store commit them at once (and with those of other
   * changes in flight); resolves once all are stored, rejects with the first failure.
   */
  async committed(change: CommittedChange): Promise<void> {
    const rendered = new Map<object | null, Map<number | undefined, string | undefined>>();
    const runs = [...change.views.keys()].map((username) => {
      const node = feedNode(username);
      const run = (this.tails.get(node) ?? Promise.resolve()).then(() => this.publishTo(change, username, rendered));
      const tail = run.catch(() => undefined);
      this.tails.set(node, tail);
      void tail.then(() => {
        if (this.tails.get(node) === tail) this.tails.delete(node);
      });
      return run;
    });
    const published = await Promise.allSettled(runs);
    const failed = published.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * `rendered` holds this change's payloads by view and previous token: users who see the same view
   * object (one per access level for a calendar) and share a previous token get the same item text,
   * serialised once.
   */
  private async publishTo(
    change: CommittedChange,
    username: string,
    rendered: Map<object | null, Map<number | undefined, string | undefined>>,
  ): Promise<void> {
    const node = feedNode(username);
    const previous = await this.previousToken(node);
    const view = change.views.get(username) ?? null;
    let byPrevious = rendered.get(view);
    if (!byPrevious) rendered.set(view, (byPrevious = new Map()));
    let payload = byPrevious.get(previous);
    if (!byPrevious.has(previous)) {
      // The pubsub item's payload is the <change/> inside the <item/> that payload.ts renders.
      payload = feedItem(change, username, {
        actorAddress: (u) => `${u}@${this.domain}`,
        previousSyncToken: previous,
      })?.getChildElements()[0]?.toString();
      byPrevious.set(previous, payload);
    }
    if (payload === undefined) return;
    await this.nodes.publish(node, feedItemId(change), payload, this.options(username));
    this.lastToken.set(node, change.syncToken);
  }

  /** The feed node exists before the first change, so a client can subscribe at once. */
  ensureFeed(username: string): Promise<void> {
    return this.nodes.ensure(feedNode(username), this.options(username));
  }

  private options(username: string): FeedNodeOptions {
    return {
      config: {
        access_model: 'whitelist',
        max_items: 'max',
        notification_type: 'headline',
        send_last_published_item: 'never',
        title: `Changes to ${username}'s calendars`,
      },
      affiliations: { [`${username}@${this.domain}`]: 'member' },
    };
  }

  private async previousToken(node: string): Promise<number | undefined> {
    const known = this.lastToken.get(node);
    if (known !== undefined) return known;
    const newest = await this.nodes.newestPayload(node);
    const match = newest ? /\ssync-token=(?:'(\d+)'|"(\d+)")/.exec(newest) : null;
    return match ? Number(match[1] ?? match[2]) : undefined;
  }
}
