// Sessions bound on other processes, as this process sees them (RFC 6121 section 8.5: the resources a
// stanza to a bare JID reaches, wherever they are connected). Each is a ClientSession whose output is
// the bus: the router, presence, roster pushes and pubsub deliver to it exactly as to a local one, and
// the stanza text travels to the holding process (DESIGN.md section 4: "clustering adds a bus, not a
// second code path"). Kept in step by the session messages every process broadcasts.

import { ClientSession, type SessionOutput } from '../core/client-session.js';
import type { RemoteSessionView, StanzaTemplate, TemplateRecipient } from '../core/session-registry.js';
import type { Element } from '../xml/element.js';
import { parseDocument } from '../xml/parse-document.js';
import type { SessionInfo } from './session-directory.js';

/** How a remote session's stanzas reach their process. */
export interface RemoteLink {
  /** Whether the bus is connected (Redis reachable). */
  readonly up: boolean;
  /** False when the bus is down: the stanza was not sent. */
  forward(node: string, full: string, serialised: string): boolean;
  /** One template for several sessions of `node`, which splices each `to` in; false when the bus is down. */
  forwardTemplate(node: string, template: StanzaTemplate, recipients: WireRecipient[]): boolean;
  /** Tells the holding process to end the session's stream (a conflict, for one). */
  close(node: string, full: string, streamId: string, condition?: string, text?: string): void;
  /** Answers a stanza that could not be forwarded. */
  refuse(stanza: Element): void;
}

/** A template recipient on the bus: its session's full JID, the `to` when it differs, its own part. */
export interface WireRecipient {
  s: string;
  to?: string;
  part?: string;
}


export class RemoteSession extends ClientSession {
  /** Modules' flags for this session as its holder published them (module-state-relay.ts). */
  flags: readonly string[] = [];

  constructor(
    info: SessionInfo,
    readonly node: string,
    private readonly link: RemoteLink,
  ) {
    const slash = info.full.indexOf('/');
    const at = info.full.indexOf('@');
    const output: SessionOutput = {
      writeStanza: (serialised) => void link.forward(node, info.full, serialised),
      close: (condition, text) => link.close(node, info.full, info.streamId, condition, text),
    };
    super(info.streamId, info.full.slice(0, at), info.full.slice(at + 1, slash), 'cluster', node, output);
    this.resource = info.full.slice(slash + 1);
    this.update(info);
  }

  update(info: SessionInfo): void {
    this.available = info.available;
    this.priority = info.priority;
    // The holder filters roster pushes itself (src/cluster/cluster-node.ts), since interest has no event.
    this.interestedInRoster = true;
    this.caps = info.caps;
    this.flags = info.flags ?? [];
    this.presence = info.presence ? parseDocument(info.presence) : undefined;
  }

  override send(stanza: Element): void {
    if (this.closed) return;
    if (!this.link.forward(this.node, this.full, stanza.toString())) this.link.refuse(stanza);
  }
}

export class RemoteSessions implements RemoteSessionView {
  private readonly byBare = new Map<string, Map<string, RemoteSession>>();

  constructor(private readonly link: RemoteLink) {}

  /** Whether stanzas can reach other processes now. */
  get connected(): boolean {
    return this.link.up;
  }

  /** One PUBLISH payload per holding process carrying the template once (pubsub fan-out, DESIGN.md 7). */
  sendTemplate(template: StanzaTemplate, recipients: TemplateRecipient[]): void {
    const byNode = new Map<string, WireRecipient[]>();
    for (const r of recipients) {
      const session = r.session as RemoteSession;
      if (session.closed) continue;
      const wire: WireRecipient = { s: session.full };
      if (r.to !== session.full) wire.to = r.to;
      if (r.part !== undefined) wire.part = r.part;
      const list = byNode.get(session.node);
      if (list) list.push(wire);
      else byNode.set(session.node, [wire]);
    }
    // Like sendRaw to a RemoteSession: a notification that cannot travel while Redis is down is dropped.
    for (const [node, list] of byNode) this.link.forwardTemplate(node, template, list);
  }

  /** Adds or refreshes a session; a different stream on the same JID replaces the old one. */
  upsert(info: SessionInfo): RemoteSession {
    const { bare, resource } = split(info.full);
    let map = this.byBare.get(bare);
    if (!map) {
      map = new Map();
      this.byBare.set(bare, map);
    }
    const existing = map.get(resource);
    if (existing && existing.streamId === info.streamId && existing.node === info.node) {
      existing.update(info);
      return existing;
    }
    if (existing) existing.closed = true;
    const session = new RemoteSession(info, info.node, this.link);
    map.set(resource, session);
    return session;
  }

  /** Removes the session of `full` if it is still the one of `streamId` (or any, without one). */
  remove(full: string, streamId?: string): RemoteSession | undefined {
    const { bare, resource } = split(full);
    const map = this.byBare.get(bare);
    const existing = map?.get(resource);
    if (!map || !existing || (streamId !== undefined && existing.streamId !== streamId)) return undefined;
    map.delete(resource);
    if (map.size === 0) this.byBare.delete(bare);
    existing.closed = true;
    return existing;
  }

  /** Removes every session of a process; returns them (still marked as they were, for cleanup). */
  dropNode(node: string): RemoteSession[] {
    const dropped: RemoteSession[] = [];
    for (const s of [...this.all()]) if (s.node === node) dropped.push(this.remove(s.full)!);
    return dropped;
  }

  clear(): void {
    for (const s of this.all()) s.closed = true;
    this.byBare.clear();
  }

  get(fullJid: string): RemoteSession | undefined {
    const slash = fullJid.indexOf('/');
    if (slash === -1) return undefined;
    return this.byBare.get(fullJid.slice(0, slash))?.get(fullJid.slice(slash + 1));
  }

  resourcesOf(bare: string): RemoteSession[] {
    const map = this.byBare.get(bare);
    return map ? [...map.values()] : [];
  }

  *all(): IterableIterator<RemoteSession> {
    for (const map of this.byBare.values()) yield* map.values();
  }

  /** The processes holding at least one session. */
  nodes(): Set<string> {
    const out = new Set<string>();
    for (const s of this.all()) out.add(s.node);
    return out;
  }
}

function split(full: string): { bare: string; resource: string } {
  const slash = full.indexOf('/');
  return { bare: full.slice(0, slash), resource: full.slice(slash + 1) };
}
