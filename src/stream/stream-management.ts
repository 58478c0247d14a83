// XEP-0198 stream management: acks in both directions (section 4), resumption within a timeout
// (section 5) with every unacknowledged stanza resent, the session (and its presence) kept while it
// can be resumed, and on timeout unacknowledged messages handed back to the router so they reach
// another resource or offline storage instead of vanishing (section 5, "Unacknowledged stanzas").

import { randomBytes } from 'node:crypto';
import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import { parseDocument } from '../xml/parse-document.js';
import type { ClientSession, EntityCaps, SessionOutput } from '../core/client-session.js';
import type { Router } from '../core/router.js';

const MOD = 2 ** 32;
/** Ask the client for an ack this long after an unacknowledged stanza went out. */
const ACK_REQUEST_DELAY_MS = 250;

export interface StreamManagementOptions {
  resumeTimeoutMs: number;
  maxQueue: number;
  /** XEP-0198 5: where the client should reconnect to resume (host:port), if not here. */
  location?: string;
}

/** The stream side the SM state talks to: the current stream engine of the session. */
export interface SmStream {
  writeNonza(serialised: string): void;
  writeRaw(serialised: string): void;
  fail(condition: 'undefined-condition' | 'resource-constraint' | 'policy-violation', text?: string): void;
  /** Another stream resumed the session: this one closes without ending it. */
  supersede(): void;
}

/** The counters and unacknowledged stanzas of a resumable session (section 5), as they move between processes. */
export interface SmCounters {
  id: string;
  inbound: number;
  outbound: number;
  acked: number;
  queue: string[];
}

/**
 * A resumable session handed from the process that held it to the one the client resumed on: the SM
 * state and what the rest of the server knows of the session (RFC 6121 presence, roster interest).
 */
export interface ResumableSession extends SmCounters {
  full: string;
  /** The stream id the session had where it was bound (its entry in a cluster's directory). */
  streamId: string;
  available: boolean;
  priority: number;
  presence?: string;
  interestedInRoster: boolean;
  caps?: EntityCaps;
  directedPresence: string[];
  mechanism: string;
  secure: boolean;
}

/** A session taken over from another process, to be installed on the resuming stream. */
export interface TakenSession {
  session: ResumableSession;
  /** Told once the session is installed here, or that it could not be (then it must be ended for good). */
  installed(session: ClientSession | undefined): void;
}

/** Sessions that other processes of a cluster hold (src/cluster/session-handover.ts). */
export interface SessionsElsewhere {
  /** Prefix of the ids this process gives, so another process knows where to ask. */
  readonly idPrefix: string;
  /** Asks the process that holds `id` to hand the session over; undefined when none holds it for `username`. */
  take(id: string, username: string): Promise<TakenSession | undefined>;
}

/** Per-session stream-management state; survives a broken connection while resumable. */
export class StreamManagementState {
  readonly id: string;
  inbound = 0;
  private outbound = 0;
  private acked = 0;
  /** Serialised stanzas sent but not acknowledged, oldest first. */
  private readonly queue: string[] = [];
  private ackTimer: NodeJS.Timeout | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;
  stream: SmStream | undefined;

  constructor(
    readonly session: ClientSession,
    readonly resumable: boolean,
    private readonly registry: StreamManagementRegistry,
    restored?: SmCounters,
  ) {
    this.id = restored?.id ?? registry.newId();
    if (restored) {
      this.inbound = restored.inbound;
      this.outbound = restored.outbound;
      this.acked = restored.acked;
      this.queue.push(...restored.queue);
    }
  }

  counters(): SmCounters {
    return { id: this.id, inbound: this.inbound, outbound: this.outbound, acked: this.acked, queue: this.queue.slice() };
  }

  get detached(): boolean {
    return this.stream === undefined;
  }

  get unacknowledged(): readonly string[] {
    return this.queue;
  }

  /** An outgoing stanza: counted, queued until acked, and written when a stream is attached. */
  send(serialised: string): void {
    this.queue.push(serialised);
    this.outbound = (this.outbound + 1) % MOD;
    if (this.queue.length > this.registry.options.maxQueue) {
      this.stream?.fail('resource-constraint', 'Too many unacknowledged stanzas');
      return;
    }
    if (!this.stream) return;
    this.stream.writeRaw(serialised);
    if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = undefined;
        if (this.queue.length > 0) this.stream?.writeNonza(`<r xmlns='${NS.SM}'/>`);
      }, ACK_REQUEST_DELAY_MS);
      this.ackTimer.unref();
    }
  }

  /** <a h='N'/>: drops what the client confirms; an h above what was sent is a protocol error. */
  acknowledge(h: number): boolean {
    const newly = (h - this.acked + MOD) % MOD;
    if (newly > this.queue.length) return false;
    this.queue.splice(0, newly);
    this.acked = h;
    return true;
  }

  countInbound(): void {
    this.inbound = (this.inbound + 1) % MOD;
  }

  /** The connection broke: keep the session, queue its stanzas, and wait for a resume. */
  detach(onExpire: (state: StreamManagementState) => void): void {
    this.stream = undefined;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.resumeTimer = setTimeout(() => {
      this.registry.forget(this);
      onExpire(this);
    }, this.registry.options.resumeTimeoutMs);
    this.resumeTimer.unref();
  }

  /** A new stream resumes: drop what the client had, resend the rest (section 5). */
  reattach(stream: SmStream, clientH: number): boolean {
    if (!this.acknowledge(clientH)) return false;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.stream = stream;
    for (const s of this.queue) stream.writeRaw(s);
    return true;
  }

  cancelTimers(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
  }
}

/** Resumable sessions by their SM id, shared by every stream of the server. */
export class StreamManagementRegistry {
  private readonly byId = new Map<string, StreamManagementState>();
  /** In a cluster: the sessions other processes hold, which a client may resume here. */
  elsewhere: SessionsElsewhere | undefined;

  constructor(readonly options: StreamManagementOptions) {}

  newId(): string {
    return (this.elsewhere?.idPrefix ?? '') + randomBytes(12).toString('base64url');
  }

  create(session: ClientSession, resumable: boolean, restored?: SmCounters): StreamManagementState {
    const state = new StreamManagementState(session, resumable, this, restored);
    if (resumable) this.byId.set(state.id, state);
    return state;
  }

  get(id: string): StreamManagementState | undefined {
    return this.byId.get(id);
  }

  forget(state: StreamManagementState): void {
    if (this.byId.get(state.id) === state) this.byId.delete(state.id);
    state.cancelTimers();
  }

  get size(): number {
    return this.byId.size;
  }
}

/** What a session carries to the process it resumes on: its SM counters and its RFC 6121 state. */
export function resumableSession(state: StreamManagementState): ResumableSession {
  const s = state.session;
  return {
    ...state.counters(),
    full: s.full,
    streamId: s.streamId,
    available: s.available,
    priority: s.priority,
    presence: s.presence?.toString(),
    interestedInRoster: s.interestedInRoster,
    caps: s.caps,
    directedPresence: [...s.directedPresence],
    mechanism: s.mechanism,
    secure: s.secure,
  };
}

/** Gives `session` (new on this process) the state the resumed session had. */
export function restoreSessionState(session: ClientSession, from: ResumableSession): void {
  session.resource = from.full.slice(from.full.indexOf('/') + 1);
  session.available = from.available;
  session.priority = from.priority;
  session.presence = from.presence ? parseDocument(from.presence) : undefined;
  session.interestedInRoster = from.interestedInRoster;
  session.caps = from.caps;
  for (const jid of from.directedPresence) session.directedPresence.add(jid);
}

/**
 * Stanzas a session that ended never got acknowledged (section 5): messages go back to the router
 * (another resource, or offline storage); IQ requests are answered with an error; presence is dropped.
 */
export async function handBackUnacknowledged(router: Router, pending: readonly string[]): Promise<void> {
  for (const serialised of pending) {
    let stanza: Element;
    try {
      stanza = parseDocument(serialised);
    } catch {
      continue;
    }
    const type = stanza.attrs.type;
    if (stanza.localName === 'message' && type !== 'error' && type !== 'groupchat') {
      await router.route(stanza);
    } else if (stanza.localName === 'iq' && (type === 'get' || type === 'set')) {
      router.bounce(stanza, 'service-unavailable');
    }
  }
}

export function enabledXml(state: StreamManagementState, options: StreamManagementOptions): string {
  let out = `<enabled xmlns='${NS.SM}' id='${state.id}'`;
  if (state.resumable) {
    out += ` resume='true' max='${Math.round(options.resumeTimeoutMs / 1000)}'`;
    if (options.location) out += ` location='${options.location}'`;
  }
  return out + '/>';
}

export function failedXml(condition: string, h?: number): string {
  return `<failed xmlns='${NS.SM}'${h !== undefined ? ` h='${h}'` : ''}><${condition} xmlns='${NS.STANZAS}'/></failed>`;
}

/** Parses the h attribute (an unsigned 32-bit integer). */
export function parseH(el: Element): number | undefined {
  const h = el.attrs.h;
  if (h === undefined || !/^\d{1,10}$/.test(h)) return undefined;
  const n = Number(h);
  return n < MOD ? n : undefined;
}

export type { SessionOutput };
