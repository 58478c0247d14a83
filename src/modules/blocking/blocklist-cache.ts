// The block lists the router hooks and presence broadcast consult for every stanza to or from a local
// account (XEP-0191 section 3.3), kept in memory so enforcement costs a map lookup rather than a store
// round trip. A list is loaded when a session of its account binds (so it is there before traffic, and
// through a database outage), and kept while the account has sessions on this process. Changes made
// through this process reload the list after the store has them; changes made elsewhere in a cluster
// arrive as forget() and are reloaded on next use.

import { log } from '../../core/log.js';
import type { BlocklistStore } from '../../storage/blocklist-store.js';

/** Accounts whose lists are kept; beyond that the oldest unpinned ones are forgotten (and reloaded). */
const MAX_ACCOUNTS = 10_000;

const NOTHING_BLOCKED: ReadonlySet<string> = new Set();

export class BlocklistCache {
  private readonly loaded = new Map<string, ReadonlySet<string>>();
  private readonly loading = new Map<string, Promise<ReadonlySet<string>>>();
  /** Accounts with sessions on this process, and how many: their lists are never evicted. */
  private readonly pinned = new Map<string, number>();

  constructor(private readonly store: BlocklistStore) {}

  /** The account's blocked JIDs if they are in memory (a live set: do not change it). */
  cached(user: string): ReadonlySet<string> | undefined {
    return this.loaded.get(user);
  }

  /** The account's blocked JIDs, loaded from the store when not in memory. */
  get(user: string): Promise<ReadonlySet<string>> {
    const list = this.loaded.get(user);
    if (list) return Promise.resolve(list);
    let load = this.loading.get(user);
    if (!load) {
      const started: Promise<ReadonlySet<string>> = this.store.list(user).then(
        (jids) => {
          // Most accounts block nobody: they share one empty list (memory per idle connection, DESIGN.md 7).
          const set: ReadonlySet<string> = jids.length === 0 ? NOTHING_BLOCKED : new Set(jids);
          // A change announced while this load ran dropped it: what it read may be older than the change.
          if (this.loading.get(user) === started) {
            this.loading.delete(user);
            this.keep(user, set);
          }
          return set;
        },
        (err: unknown) => {
          // A failed load is not kept: the next use tries again.
          if (this.loading.get(user) === started) this.loading.delete(user);
          throw err;
        },
      );
      load = started;
      this.loading.set(user, load);
    }
    return load;
  }

  /**
   * For enforcement: the list, or, when the store cannot be read (a database outage, docs/CLUSTER.md),
   * an empty one with a warning, so stanzas flow rather than bounce (nothing accepted is lost).
   */
  lookup(user: string): ReadonlySet<string> | Promise<ReadonlySet<string>> {
    return (
      this.loaded.get(user) ??
      this.get(user).catch((err: unknown) => {
        log.warn({ user, err: (err as Error).message }, 'blocking: block list unreadable; the stanza is not filtered');
        return NOTHING_BLOCKED;
      })
    );
  }

  /** A session of `user` bound here: load its list now and keep it while sessions remain. */
  pin(user: string): void {
    this.pinned.set(user, (this.pinned.get(user) ?? 0) + 1);
    this.preload(user);
  }

  unpin(user: string): void {
    const n = (this.pinned.get(user) ?? 0) - 1;
    if (n > 0) this.pinned.set(user, n);
    else this.pinned.delete(user);
  }

  /** The list changed elsewhere (another process): dropped, and reloaded at once if sessions use it. */
  forget(user: string): void {
    this.loaded.delete(user);
    this.loading.delete(user);
    if (this.pinned.has(user)) this.preload(user);
  }

  /** Every list may be stale: all are dropped, and those in use reloaded. */
  forgetAll(): void {
    this.loaded.clear();
    this.loading.clear();
    for (const user of this.pinned.keys()) this.preload(user);
  }

  private preload(user: string): void {
    if (this.loaded.has(user)) return;
    this.get(user).catch((err: unknown) =>
      log.warn({ user, err: (err as Error).message }, 'blocking: block list not loaded ahead of use; tried again on first use'),
    );
  }

  async block(user: string, jids: string[]): Promise<string[]> {
    const added = await this.store.block(user, jids);
    await this.reload(user);
    return added;
  }

  async unblock(user: string, jids: string[]): Promise<string[]> {
    const removed = await this.store.unblock(user, jids);
    await this.reload(user);
    return removed;
  }

  async unblockAll(user: string): Promise<string[]> {
    const removed = await this.store.unblockAll(user);
    await this.reload(user);
    return removed;
  }

  /** Reads the list again after a write, so the cache also has what other processes changed meanwhile. */
  private async reload(user: string): Promise<void> {
    this.loaded.delete(user);
    this.loading.delete(user);
    await this.get(user);
  }

  private keep(user: string, list: ReadonlySet<string>): void {
    if (this.loaded.size >= MAX_ACCOUNTS && !this.loaded.has(user)) {
      for (const candidate of this.loaded.keys()) {
        if (this.pinned.has(candidate)) continue;
        this.loaded.delete(candidate);
        break;
      }
    }
    this.loaded.set(user, list);
  }
}
