// RFC 6120 section 7.7.2.2 (resource conflicts) and RFC 6121 section 8.5 (which resources a stanza
// to a bare JID reaches): the index of bound sessions by bare JID and resource.

import type { ClientSession } from './client-session.js';

export class SessionRegistry {
  private readonly byBare = new Map<string, Map<string, ClientSession>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(fullJid: string): ClientSession | undefined {
    const slash = fullJid.indexOf('/');
    if (slash === -1) return undefined;
    return this.byBare.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1));
  }

  resourcesOf(bare: string): ClientSession[] {
    const map = this.byBare.get(bare);
    return map ? [...map.values()] : [];
  }

  /** Available (initial presence sent) resources, for presence broadcast and message delivery. */
  availableResourcesOf(bare: string): ClientSession[] {
    const out: ClientSession[] = [];
    const map = this.byBare.get(bare);
    if (map) for (const s of map.values()) if (s.available) out.push(s);
    return out;
  }

  isAvailable(fullOrBare: string): boolean {
    if (fullOrBare.includes('/')) return this.get(fullOrBare)?.available ?? false;
    return this.availableResourcesOf(fullOrBare).length > 0;
  }

  /** Adds a session; returns the session it replaces on the same resource (the old one loses). */
  add(session: ClientSession): ClientSession | undefined {
    let map = this.byBare.get(session.bare);
    if (!map) {
      map = new Map();
      this.byBare.set(session.bare, map);
    }
    const previous = map.get(session.resource);
    if (!previous) this.count++;
    map.set(session.resource, session);
    return previous;
  }

  remove(session: ClientSession): boolean {
    const map = this.byBare.get(session.bare);
    if (!map || map.get(session.resource) !== session) return false;
    map.delete(session.resource);
    this.count--;
    if (map.size === 0) this.byBare.delete(session.bare);
    return true;
  }

  hasResource(bare: string, resource: string): boolean {
    return this.byBare.get(bare)?.has(resource) ?? false;
  }

  *all(): IterableIterator<ClientSession> {
    for (const map of this.byBare.values()) yield* map.values();
  }
}
