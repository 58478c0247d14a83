// The resync rule of DESIGN.md section 3: "every list endpoint accepts ?sync_token=T and returns only what
// changed after T, deletions as tombstones. This is the source of truth; the feed is the push." This
// class keeps the client's copy complete whatever happens to the connection:
//   - it remembers, per resource kind, the sync token its copy reflects;
//   - after every (re)connect, and whenever a feed item shows a gap, it calls the list endpoints with
//     those tokens and applies what changed (tombstones included) before any further feed item;
//   - feed items that arrive while it resyncs are held back, then applied in order unless the lists
//     already reflect them.
// A gap is a feed item whose prev-sync-token (the token of the item before it on the same node) is
// later than everything this copy has seen. Without that attribute only reconnects trigger a resync,
// which already covers every way an XMPP session can lose notifications.

import { ApiError, type SyncPage } from './rest-api.js';
import { RESOURCES, type Change, type ChangeResource, type FeedChange, type ResourceJson, type ResyncReason, type SyncedEvent } from './types.js';

/** Where a resync reads from: the REST list endpoints (RestApi.list). */
export interface SyncSource {
  list<R extends ChangeResource>(resource: R, syncToken?: number): Promise<SyncPage<ResourceJson[R]>>;
}

export interface FeedSyncHooks {
  change(change: Change): void;
  started?(reason: ResyncReason): void;
  synced?(event: SyncedEvent): void;
  /** A resync that the feed itself started (a gap) failed; the next one retries it. */
  error?(err: unknown): void;
}

type Json = { id: string };

/** The client's copy: the resources the user can see, each with the sync token it is known as of. */
export class ResourceCache {
  readonly calendars = new Map<string, ResourceJson['calendar']>();
  readonly events = new Map<string, ResourceJson['event']>();
  readonly subscriptions = new Map<string, ResourceJson['event_subscription']>();
  /** `resource:id` -> the newest sync token applied to it, deletions included, so stale news is ignored. */
  readonly asOf = new Map<string, number>();

  map<R extends ChangeResource>(resource: R): Map<string, ResourceJson[R]> {
    const maps = { calendar: this.calendars, event: this.events, event_subscription: this.subscriptions };
    return maps[resource] as unknown as Map<string, ResourceJson[R]>;
  }

  clear(): void {
    this.calendars.clear();
    this.events.clear();
    this.subscriptions.clear();
    this.asOf.clear();
  }
}

/** A sync_token the server no longer accepts (newer than its newest change, or pruned): list in full. */
function staleToken(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 410 || (err.status === 400 && err.field === 'sync_token'));
}

export class FeedSync {
  readonly cache = new ResourceCache();
  private tokens: Partial<Record<ChangeResource, number>> = {};
  /** Every feed item with a token up to this one is reflected in the copy. */
  private cursor: number | undefined;
  private held: FeedChange[] = [];
  private running: Promise<void> | undefined;
  private followUp: ResyncReason | undefined;

  constructor(
    private readonly source: SyncSource,
    private readonly hooks: FeedSyncHooks,
  ) {}

  /** The sync token each resource kind's copy reflects (undefined before the first sync). */
  get syncTokens(): Readonly<Partial<Record<ChangeResource, number>>> {
    return { ...this.tokens };
  }

  get resyncing(): boolean {
    return this.running !== undefined;
  }

  /** Forgets everything (sign-out, another user). */
  reset(): void {
    this.cache.clear();
    this.tokens = {};
    this.cursor = undefined;
    this.held = [];
  }

  /** A live feed item: applied now, held back during a resync, or the start of one when it shows a gap. */
  receive(change: FeedChange): void {
    if (this.running || this.cursor === undefined) {
      this.held.push(change);
      return;
    }
    if (this.isGap(change)) {
      this.held.push(change);
      this.resync('gap').catch((err) => this.hooks.error?.(err));
      return;
    }
    this.applyFeed(change);
  }

  /**
   * Brings the copy up to date through the list endpoints, then applies the held feed items. Calls
   * during a run share it and add one more run after it, so each caller's moment is covered.
   */
  resync(reason: ResyncReason): Promise<void> {
    if (this.running) {
      this.followUp ??= reason;
      return this.running;
    }
    // Marked as running before any list is requested, so that every feed item from now on is held.
    this.running = Promise.resolve().then(() => this.runResyncs(reason));
    return this.running;
  }

  private async runResyncs(reason: ResyncReason): Promise<void> {
    try {
      for (let next: ResyncReason | undefined = reason; next !== undefined; ) {
        this.followUp = undefined;
        await this.resyncOnce(next);
        next = this.followUp;
      }
    } finally {
      // Cleared in the same turn as the last check of followUp, so no request can fall in between.
      this.running = undefined;
    }
  }

  /** A REST write's answer, shown at once; its feed item then finds it already applied. */
  applyLocal<R extends ChangeResource>(resource: R, json: ResourceJson[R]): void {
    this.apply(resource, json.id, json, json.sync_token, { source: 'local' });
  }

  /** A deletion this client made; `syncToken` when known, else the entry's own token. */
  applyLocalDeletion(resource: ChangeResource, id: string, syncToken?: number): void {
    const current = this.cache.map(resource).get(id);
    if (current === undefined) return;
    this.apply(resource, id, null, syncToken ?? current.sync_token, { source: 'local' });
  }

  private isGap(change: FeedChange): boolean {
    return change.previousSyncToken !== undefined && this.cursor !== undefined && change.previousSyncToken > this.cursor;
  }

  private applyFeed(change: FeedChange): void {
    const listed = this.tokens[change.resource];
    // The lists already reflect every commit up to their token.
    if (listed === undefined || change.syncToken > listed) {
      this.apply(change.resource, change.id, change.data as Json | null, change.syncToken, {
        source: 'feed',
        modified: change.modified,
        actor: change.actor,
      });
    }
    this.cursor = Math.max(this.cursor ?? 0, change.syncToken);
  }

  private async resyncOnce(reason: ResyncReason): Promise<void> {
    this.hooks.started?.(reason);
    let changes = 0;
    let full = false;
    for (const resource of RESOURCES) {
      const since = this.tokens[resource];
      let page: SyncPage<ResourceJson[typeof resource]> | undefined;
      if (since !== undefined) {
        try {
          page = await this.source.list(resource, since);
        } catch (err) {
          if (!staleToken(err)) throw err;
        }
      }
      if (page === undefined) {
        page = await this.source.list(resource);
        changes += this.replaceAll(resource, page);
        full = true;
      } else {
        for (const item of page.items) {
          const gone = (item as { deleted?: boolean }).deleted === true;
          if (this.apply(resource, item.id, gone ? null : (item as Json), page.syncToken, { source: 'resync' })) changes++;
        }
      }
      // The copy and its token move together, so a resync cut short still leaves a consistent state.
      this.tokens[resource] = page.syncToken;
    }
    this.cursor = Math.max(this.cursor ?? 0, Math.min(...RESOURCES.map((r) => this.tokens[r]!)));
    this.hooks.synced?.({ reason, changes, full });
    this.drainHeld();
  }

  /** A full list: what it lacks is gone, unless this copy learned of it after the list was read. */
  private replaceAll(resource: ChangeResource, page: SyncPage<Json & { sync_token: number }>): number {
    let changes = 0;
    const seen = new Set<string>();
    for (const item of page.items) {
      if ((item as { deleted?: boolean }).deleted === true) continue;
      seen.add(item.id);
      if (this.apply(resource, item.id, item, page.syncToken, { source: 'resync' })) changes++;
    }
    for (const id of [...this.cache.map(resource).keys()]) {
      if (!seen.has(id) && this.apply(resource, id, null, page.syncToken, { source: 'resync' })) changes++;
    }
    return changes;
  }

  private drainHeld(): void {
    const held = this.held;
    this.held = [];
    for (let i = 0; i < held.length; i++) {
      if (this.isGap(held[i]!)) {
        this.held = held.slice(i).concat(this.held);
        this.followUp ??= 'gap';
        return;
      }
      this.applyFeed(held[i]!);
    }
  }

  /**
   * Applies one resource state known as of `token`; returns whether the copy changed. Older news than
   * the copy has is ignored, and so is the same news twice. The store changes a resource at most once
   * per commit, so two states with the same token are the same state.
   */
  private apply(
    resource: ChangeResource,
    id: string,
    data: Json | null,
    token: number,
    meta: { source: Change['source']; modified?: string; actor?: string },
  ): boolean {
    const key = `${resource}:${id}`;
    const known = this.cache.asOf.get(key);
    const map = this.cache.map(resource) as Map<string, Json>;
    const current = map.get(id);
    if (known !== undefined && (known > token || (known === token && data !== null))) return false;
    this.cache.asOf.set(key, token);
    if (data === null) {
      if (current === undefined) return false;
      map.delete(id);
    } else {
      // A full list or a repeated item often brings what the copy already has: no change to report.
      if (current !== undefined && JSON.stringify(current) === JSON.stringify(data)) return false;
      map.set(id, data);
    }
    // The action says what happened to this copy: a resource shared with the user is new to it.
    const action = data === null ? 'deleted' : current ? 'updated' : 'created';
    const change = { resource, id, action, syncToken: token, data, source: meta.source } as Change;
    if (meta.modified) change.modified = meta.modified;
    if (meta.actor) change.actor = meta.actor;
    this.hooks.change(change);
    return true;
  }
}
