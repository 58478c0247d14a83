// The block lists the router hooks consult for every stanza to or from a local account (XEP-0191
// section 3.3), kept in memory so enforcement costs a map lookup rather than a store round trip.
// Changes made through this process update the cache after the store has them.

import type { BlocklistStore } from '../../storage/blocklist-store.js';

/** Accounts whose lists are kept; beyond that the least recently loaded are forgotten (and reloaded). */
const MAX_ACCOUNTS = 10_000;

export class BlocklistCache {
  private readonly lists = new Map<string, Promise<Set<string>>>();

  constructor(private readonly store: BlocklistStore) {}

  /** The account's blocked JIDs (a live set: do not change it). */
  get(user: string): Promise<ReadonlySet<string>> {
    let list = this.lists.get(user);
    if (!list) {
      if (this.lists.size >= MAX_ACCOUNTS) this.lists.delete(this.lists.keys().next().value!);
      list = this.store.list(user).then((jids) => new Set(jids));
      // A failed load is not kept: the next stanza tries again.
      list.catch(() => this.lists.delete(user));
      this.lists.set(user, list);
    }
    return list;
  }

  async block(user: string, jids: string[]): Promise<string[]> {
    const added = await this.store.block(user, jids);
    await this.refresh(user);
    return added;
  }

  async unblock(user: string, jids: string[]): Promise<string[]> {
    const removed = await this.store.unblock(user, jids);
    await this.refresh(user);
    return removed;
  }

  async unblockAll(user: string): Promise<string[]> {
    const removed = await this.store.unblockAll(user);
    await this.refresh(user);
    return removed;
  }

  /** Reloads from the store, so the cache also picks up what other processes changed meanwhile. */
  private async refresh(user: string): Promise<void> {
    this.lists.delete(user);
    await this.get(user);
  }
}
