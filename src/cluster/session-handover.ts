// XEP-0198 section 5 in a cluster: a client whose connection broke may resume on any process. The
// stream-management id names the process that holds the session (its prefix), so the process the client
// reconnected to asks that one, over the bus, to hand the session over: the holder lets go of it without
// ending it (no unavailable presence, nothing handed back) and sends its counters, unacknowledged
// stanzas and presence state; the session continues on the new process under the same full JID and id.
// Stanzas that reach the old holder meanwhile (other processes' views of the directory lag a little)
// are passed on to the new one, and those reaching the new one before the session is installed wait
// for it. If the session cannot be installed after all, it is ended for good here, as its holder would
// have ended it: unacknowledged messages back to the router, unavailable presence to contacts.

import { randomBytes } from 'node:crypto';
import type { Host } from '../core/host.js';
import type { ClientSession } from '../core/client-session.js';
import type { SessionFlagEvent } from '../core/module-context.js';
import { log } from '../core/log.js';
import {
  handBackUnacknowledged,
  resumableSession,
  type ResumableSession,
  type SessionsElsewhere,
  type StreamManagementRegistry,
  type TakenSession,
} from '../stream/stream-management.js';
import type { ClusterBus } from './cluster-bus.js';
import type { SessionDirectory, SessionInfo } from './session-directory.js';
import { RemoteSession, type RemoteLink, type RemoteSessions } from './remote-sessions.js';

/** How long a process waits for the holder's answer before telling the client item-not-found. */
const TAKE_TIMEOUT_MS = 5000;
/** How long the old holder passes on stanzas for a session it handed over. */
const FORWARD_FOR_MS = 30_000;

/** A session on its way between processes, with the modules' flags it had (module-state-relay.ts). */
interface HandedSession extends ResumableSession {
  flags?: string[];
}

interface Pending {
  resolve(session: HandedSession | undefined): void;
  timer: NodeJS.Timeout;
}

export class SessionHandover implements SessionsElsewhere {
  readonly idPrefix: string;
  private readonly requests = new Map<string, Pending>();
  /** Sessions handed over from here: full JID → the process that holds them now. */
  private readonly movedTo = new Map<string, string>();
  /** Sessions being installed here: full JID → stanzas that arrived for them meanwhile. */
  private readonly arriving = new Map<string, string[]>();

  constructor(
    private readonly host: Host,
    private readonly bus: ClusterBus,
    private readonly directory: SessionDirectory,
    private readonly remote: RemoteSessions,
    private readonly link: RemoteLink,
    private readonly registry: StreamManagementRegistry,
    /** The modules' per-session flags (XEP-0280 carbons enabled, ...), which move with the session. */
    private readonly flagsOf: (session: ClientSession) => string[] | undefined,
  ) {
    this.idPrefix = `${Buffer.from(bus.nodeId).toString('base64url')}.`;
    registry.elsewhere = this;
    bus.on('sm-take', (m) => this.handOver(m.from, m.id as string, m.username as string, m.request as string));
    bus.on('sm-taken', (m) => this.received(m.request as string, m.session as HandedSession | undefined));
  }

  /** The process that gave `id`, if it is another one. */
  private holderOf(id: string): string | undefined {
    const dot = id.indexOf('.');
    if (dot <= 0) return undefined;
    const node = Buffer.from(id.slice(0, dot), 'base64url').toString('utf8');
    return node === this.bus.nodeId ? undefined : node;
  }

  async take(id: string, username: string): Promise<TakenSession | undefined> {
    const holder = this.holderOf(id);
    if (!holder || !this.bus.up || !(await this.directory.isAlive(holder).catch(() => false))) return undefined;
    const request = randomBytes(9).toString('base64url');
    const answer = new Promise<HandedSession | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.requests.delete(request);
        resolve(undefined);
      }, TAKE_TIMEOUT_MS);
      this.requests.set(request, { resolve, timer });
    });
    if (!this.bus.send(holder, { t: 'sm-take', id, username, request })) return undefined;
    const session = await answer;
    if (!session) return undefined;
    return { session, installed: (installed) => this.installed(session, installed) };
  }

  /** On the holder: lets go of the session, if it is here and the user's, and sends it to `to`. */
  private handOver(to: string, id: string, username: string, request: string): void {
    const state = this.registry.get(id);
    const session = state?.session;
    if (!state || !session || session.username !== username || session.closed) {
      this.bus.send(to, { t: 'sm-taken', request });
      return;
    }
    // The old connection, if it still looks alive, steps aside; the session itself does not end.
    state.stream?.supersede();
    this.registry.forget(state);
    session.closed = true;
    this.host.sessions.remove(session);
    const handed: HandedSession = { ...resumableSession(state), flags: this.flagsOf(session) };
    // Until the new holder's directory entry reaches everyone, what comes here for the session goes there.
    this.remote.upsert(infoOf(handed, to));
    this.movedTo.set(handed.full, to);
    setTimeout(() => {
      if (this.movedTo.get(handed.full) === to) this.movedTo.delete(handed.full);
    }, FORWARD_FOR_MS).unref();
    this.bus.send(to, { t: 'sm-taken', request, session: handed });
    void this.host.bus.broadcast('session-released', { session }).catch((err: unknown) => log.error({ err }, 'cluster: releasing a handed-over session failed'));
    log.debug({ full: handed.full, to }, 'cluster: resumable session handed over');
  }

  /** On the resuming process: the holder's answer. */
  private received(request: string, session: HandedSession | undefined): void {
    if (session) this.arriving.set(session.full, []);
    const pending = this.requests.get(request);
    if (pending) {
      this.requests.delete(request);
      clearTimeout(pending.timer);
      pending.resolve(session);
    } else if (session) {
      // The client was told item-not-found already; the session must still end properly, not vanish.
      void this.installed(session, undefined);
    }
  }

  /**
   * A stanza for a session that is not (or no longer) here: passed on to where it went, or kept for the
   * session being installed here. False when neither applies.
   */
  deliver(full: string, serialised: string): boolean {
    const waiting = this.arriving.get(full);
    if (waiting) {
      waiting.push(serialised);
      return true;
    }
    const node = this.movedTo.get(full);
    if (node) return this.bus.send(node, { t: 'deliver', to: full, xml: serialised });
    return false;
  }

  private async installed(handed: HandedSession, session: ClientSession | undefined): Promise<void> {
    const waiting = this.arriving.get(handed.full) ?? [];
    this.arriving.delete(handed.full);
    if (session) {
      // This process's view of the directory still has the session at its old holder.
      this.remote.remove(handed.full);
      for (const serialised of waiting) session.sendRaw(serialised);
      // The modules here take the session's switches over (carbons stay enabled, block pushes continue).
      for (const flag of handed.flags ?? []) {
        await this.host.bus.broadcast<SessionFlagEvent>('session/flag', { session, flag, on: true }).catch((err: unknown) => log.error({ err, flag }, 'cluster: restoring a session flag failed'));
      }
      return;
    }
    try {
      this.remote.remove(handed.full);
      await handBackUnacknowledged(this.host.router, [...handed.queue, ...waiting]);
      const ended = new RemoteSession(infoOf(handed, this.bus.nodeId), this.bus.nodeId, this.link);
      ended.closed = true;
      // As if its holder had ended it: unavailable presence to contacts, temporary subscriptions end.
      await this.host.bus.broadcast('session-ended', { session: ended });
      await this.directory.remove(handed.full, handed.streamId);
      this.bus.broadcast({ t: 'gone', full: handed.full, streamId: handed.streamId });
    } catch (err) {
      log.error({ err, full: handed.full }, 'cluster: ending a handed-over session failed');
    }
  }

  stop(): void {
    for (const p of this.requests.values()) {
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
    this.requests.clear();
    if (this.registry.elsewhere === this) this.registry.elsewhere = undefined;
  }
}

function infoOf(s: ResumableSession, node: string): SessionInfo {
  return { full: s.full, node, streamId: s.streamId, available: s.available, priority: s.priority, presence: s.presence, caps: s.caps };
}
