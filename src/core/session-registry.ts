// RFC 6120 section 7.7.2.2 (resource conflicts) and RFC 6121 section 8.5 (which resources a stanza
// to a bare JID reaches): the index of bound sessions by bare JID and resource.

import type { ClientSession } from './client-session.js';
import { renderTemplate } from './stanza-template.js';

/**
 * [cluster] Sessions bound on other processes of a cluster (src/cluster/remote-sessions.ts). Lookups
 * for delivery see them after the local ones, so the router and modules reach a resource wherever it
 * is; add, remove, all() and size stay local.
 */
export interface RemoteSessionView {
  get(fullJid: string): ClientSession | undefined;
  resourcesOf(bare: string): ClientSession[];
  /**
   * [cluster] Sends one stanza to many sessions of other processes: the template travels once to each
   * holding process, which splices each recipient's `to` (and part) in (pubsub fan-out, DESIGN.md 7).
   */
  sendTemplate?(template: StanzaTemplate, recipients: TemplateRecipient[]): void;
}

/**
 * [cluster] A serialised stanza whose copies differ only in `to` and one part before the end tag: the
 * text for a recipient is head + escapeAttribute(to) + body + (its part, or `part`) + end.
 */
export interface StanzaTemplate {
  head: string;
  body: string;
  /** The part for recipients without one of their own. */
  part: string;
  end: string;
}

export interface TemplateRecipient {
  session: ClientSession;
  /** The `to` attribute (a bare JID when the stanza was addressed to the account). */
  to: string;
  part?: string;
}

export class SessionRegistry {
  private readonly byBare = new Map<string, Map<string, ClientSession>>();
  private count = 0;
  /** [cluster] Set by src/cluster when the process is part of a cluster. */
  remote: RemoteSessionView | undefined;

  get size(): number {
    return this.count;
  }

  get(fullJid: string): ClientSession | undefined {
    return this.getLocal(fullJid) ?? this.remote?.get(fullJid);
  }

  /** A session bound on this process only. */
  getLocal(fullJid: string): ClientSession | undefined {
    const slash = fullJid.indexOf('/');
    if (slash === -1) return undefined;
    return this.byBare.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1));
  }

  resourcesOf(bare: string): ClientSession[] {
    const map = this.byBare.get(bare);
    const local = map ? [...map.values()] : [];
    return this.remote ? this.withRemote(local, this.remote.resourcesOf(bare)) : local;
  }

  /** Available (initial presence sent) resources, for presence broadcast and message delivery. */
  availableResourcesOf(bare: string): ClientSession[] {
    const out: ClientSession[] = [];
    const map = this.byBare.get(bare);
    if (map) for (const s of map.values()) if (s.available) out.push(s);
    if (this.remote) for (const s of this.withRemote([], this.remote.resourcesOf(bare))) if (s.available) out.push(s);
    return out;
  }

  /** Remote sessions whose resource is not also bound here (the local one wins while a conflict settles). */
  private withRemote(local: ClientSession[], remote: ClientSession[]): ClientSession[] {
    if (remote.length === 0) return local;
    const out = local.slice();
    for (const r of remote) if (!this.hasResource(r.bare, r.resource)) out.push(r);
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

  /**
   * One stanza for many sessions, serialised once (stanza-template.ts): each local session gets it with
   * its `to` spliced in; [cluster] sessions of other processes get it through one message per process.
   */
  sendTemplate(template: StanzaTemplate, recipients: readonly TemplateRecipient[]): void {
    let elsewhere: TemplateRecipient[] | undefined;
    for (const r of recipients) {
      if (this.remote?.sendTemplate && this.getLocal(r.session.full) !== r.session) (elsewhere ??= []).push(r);
      else r.session.sendRaw(renderTemplate(template, r.to, r.part));
    }
    if (elsewhere) this.remote!.sendTemplate!(template, elsewhere);
  }

  hasResource(bare: string, resource: string): boolean {
    return this.byBare.get(bare)?.has(resource) ?? false;
  }

  *all(): IterableIterator<ClientSession> {
    for (const map of this.byBare.values()) yield* map.values();
  }
}
