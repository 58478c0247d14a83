// A model of what the sync rules rely on (DESIGN.md section 3), for testing them alone: one global,
// strictly increasing sync token; list endpoints that return everything, or with ?sync_token=T only what
// changed after T (deletions as tombstones); and the feed items one user is sent, each naming the token
// of the item before it (prev-sync-token). Other users' commits advance the token without an item.

import { ApiError, type SyncPage } from '../../../web/sdk/rest-api.js';
import type { ResourceCache } from '../../../web/sdk/feed-sync.js';
import type { ChangeResource, FeedChange, ResourceJson } from '../../../web/sdk/types.js';

interface Row {
  token: number;
  alive: boolean;
  title: string;
}

export interface Edit {
  resource: ChangeResource;
  id: string;
  /** false deletes it (or takes it out of the user's sight). */
  alive: boolean;
}

export class FakeSyncServer {
  token = 0;
  private lastItemToken = 0;
  readonly rows: Record<ChangeResource, Map<string, Row>> = { calendar: new Map(), event: new Map(), event_subscription: new Map() };
  /** Every list call, as `resource@since` ('-' for a full list). */
  readonly listCalls: string[] = [];
  /** Runs before a list answers (commits made here land during a resync). */
  beforeList: ((resource: ChangeResource) => void | Promise<void>) | undefined;
  /** Tokens at or below this are refused as the server's would be after a database reset. */
  refuseTokensBelow = 0;
  withPrevious = true;

  /** One commit of edits to distinct resources (as the store makes them); returns the user's feed items. */
  commit(...edits: Edit[]): FeedChange[] {
    const token = ++this.token;
    return edits.map((e) => {
      const existed = this.rows[e.resource].get(e.id)?.alive ?? false;
      const row: Row = { token, alive: e.alive, title: `${e.id} v${token}` };
      this.rows[e.resource].set(e.id, row);
      const previous = this.lastItemToken;
      this.lastItemToken = token;
      return {
        resource: e.resource,
        id: e.id,
        action: !e.alive ? 'deleted' : existed ? 'updated' : 'created',
        syncToken: token,
        ...(this.withPrevious ? { previousSyncToken: previous } : {}),
        modified: '2026-11-24T10:15:00Z',
        actor: 'alice',
        data: e.alive ? this.json(e.resource, e.id, row) : null,
      };
    });
  }

  /** A commit of another user that this user is not told about. */
  foreignCommit(): void {
    this.token++;
  }

  json(resource: ChangeResource, id: string, row: Row): object {
    const base = { id, sync_token: row.token, title: row.title };
    return resource === 'event_subscription' ? { ...base, event_id: id } : base;
  }

  /** The user's visible state: `resource:id` -> title. */
  state(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [resource, rows] of Object.entries(this.rows)) {
      for (const [id, row] of rows) if (row.alive) out.set(`${resource}:${id}`, row.title);
    }
    return out;
  }

  async list<R extends ChangeResource>(resource: R, since?: number): Promise<SyncPage<ResourceJson[R]>> {
    this.listCalls.push(`${resource}@${since ?? '-'}`);
    await this.beforeList?.(resource);
    if (since !== undefined && (since > this.token || since < this.refuseTokensBelow)) {
      throw new ApiError(400, 'validation', 'is newer than the newest change; list without it to resync', 'sync_token');
    }
    const items: object[] = [];
    for (const [id, row] of this.rows[resource]) {
      if (since === undefined) {
        if (row.alive) items.push(this.json(resource, id, row));
      } else if (row.token > since) {
        items.push(row.alive ? this.json(resource, id, row) : { id, deleted: true });
      }
    }
    return { items: items as SyncPage<ResourceJson[R]>['items'], syncToken: this.token };
  }
}

/** The copy a FeedSync holds, in the form of FakeSyncServer.state(). */
export function copyOf(cache: ResourceCache): Map<string, string> {
  const out = new Map<string, string>();
  for (const [resource, map] of [['calendar', cache.calendars], ['event', cache.events], ['event_subscription', cache.subscriptions]] as const) {
    for (const [id, json] of map) out.set(`${resource}:${id}`, (json as { title: string }).title);
  }
  return out;
}
