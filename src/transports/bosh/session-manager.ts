// XEP-0124 section 7 (session creation), 10 (a request for a session that timed out is answered as for
// one that never existed), 17 (conditions for requests without a session) and 19.3 (unpredictable,
// unique sids). Routes each request to its session by 'sid', enforcing the session limits (DESIGN
// section 8). The HTTP adapter's whole job is: parse <body/>, call handle(), render what comes back.

import { randomBytes } from 'node:crypto';
import { DEFAULT_BOSH_CONTENT_TYPE } from '../../protocol/xep0124.js';
import { systemClock } from './clock.js';
import { resolveBoshLimits, type BoshLimits, type BoshManagerOptions } from './config.js';
import { BoshSession } from './session.js';
import { negotiateSession } from './session-params.js';
import { sessionlessTerminalResponse } from './session-responses.js';
import type { BoshClock, BoshRequest } from './types.js';

/** What is remembered of an ended session, so later requests get the answer its client understands. */
interface EndedSession {
  readonly legacy: boolean;
  readonly contentType: string;
  readonly forgetAt: number;
}

export class BoshSessionManager {
  readonly limits: BoshLimits;
  private readonly clock: BoshClock;
  private readonly sessions = new Map<string, BoshSession>();
  private readonly perAddress = new Map<string, number>();
  private readonly ended = new Map<string, EndedSession>();
  private shuttingDown = false;
  private readonly endedListeners: Array<(sid: string) => void> = [];

  constructor(private readonly options: BoshManagerOptions) {
    this.limits = resolveBoshLimits(options);
    this.clock = options.clock ?? systemClock;
  }

  /** Takes one request; its respond() or drop() is called now or later, exactly once. */
  handle(request: BoshRequest): void {
    const sid = request.attrs.sid;
    if (sid === undefined) return this.create(request);
    const session = this.sessions.get(sid);
    if (session) return session.receive(request);
    const gone = this.recentlyEnded(sid);
    request.respond(sessionlessTerminalResponse('item-not-found', gone?.legacy ?? false, gone?.contentType ?? DEFAULT_BOSH_CONTENT_TYPE));
  }

  /**
   * For a <body/> the adapter parsed but found unacceptable (character data or comments in it, a wrong root
   * namespace): 'bad-request' (section 17.2), which ends the session it names, if any.
   */
  rejectMalformed(request: BoshRequest): void {
    const session = request.attrs.sid === undefined ? undefined : this.sessions.get(request.attrs.sid);
    if (session) return session.reject(request, 'bad-request');
    request.respond(sessionlessTerminalResponse('bad-request', request.attrs.ver === undefined && request.attrs.sid === undefined, DEFAULT_BOSH_CONTENT_TYPE));
  }

  /** Told the sid of every session that ends (a cluster forgets where it was held). */
  onSessionEnded(listener: (sid: string) => void): void {
    this.endedListeners.push(listener);
  }

  get(sid: string): BoshSession | undefined {
    return this.sessions.get(sid);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Section 17.2 'system-shutdown' to every session; new sessions are refused from now on. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const session of [...this.sessions.values()]) session.shutdown();
  }

  private create(request: BoshRequest): void {
    const attrs = request.attrs;
    const legacy = attrs.ver === undefined;
    const refuse = (condition: Parameters<typeof sessionlessTerminalResponse>[0]) =>
      request.respond(sessionlessTerminalResponse(condition, legacy, DEFAULT_BOSH_CONTENT_TYPE));
    if (this.shuttingDown) return refuse('system-shutdown');
    const negotiated = negotiateSession(attrs, this.limits, (domain) => this.options.isHostServed(domain));
    if (!negotiated.ok) return refuse(negotiated.condition);
    const refused = this.options.refuseCreation?.(attrs);
    if (refused !== undefined) return refuse(refused);
    if (this.sessions.size >= this.limits.maxSessions) return refuse('internal-server-error');
    if ((this.perAddress.get(request.clientAddress) ?? 0) >= this.limits.maxSessionsPerAddress) return refuse('policy-violation');

    const session = new BoshSession(this.newSid(), negotiated.params, this.limits, this.clock, request.secure, request.clientAddress, (s) =>
      this.forget(s),
    );
    this.sessions.set(session.sid, session);
    this.perAddress.set(request.clientAddress, (this.perAddress.get(request.clientAddress) ?? 0) + 1);
    let sink;
    try {
      sink = this.options.createSink(session);
    } catch {
      this.forget(session);
      return refuse('internal-server-error');
    }
    session.start(sink, request);
  }

  /** Section 19.3: 128 random bits, never reused while this process remembers the sid. */
  private newSid(): string {
    for (;;) {
      const sid = randomBytes(16).toString('hex');
      if (!this.sessions.has(sid) && !this.ended.has(sid)) return sid;
    }
  }

  private forget(session: BoshSession): void {
    if (this.sessions.get(session.sid) !== session) return;
    this.sessions.delete(session.sid);
    const left = (this.perAddress.get(session.clientAddress) ?? 1) - 1;
    if (left > 0) this.perAddress.set(session.clientAddress, left);
    else this.perAddress.delete(session.clientAddress);
    const forgetAt = this.clock.now() + this.limits.maxInactivity * 2000;
    this.ended.set(session.sid, { legacy: session.params.legacy, contentType: session.params.contentType, forgetAt });
    // Bounded: the oldest memories go first (Map keeps insertion order).
    for (const sid of this.ended.keys()) {
      if (this.ended.size <= this.limits.maxSessions) break;
      this.ended.delete(sid);
    }
    for (const listener of this.endedListeners) listener(session.sid);
  }

  private recentlyEnded(sid: string): EndedSession | undefined {
    const gone = this.ended.get(sid);
    if (gone && gone.forgetAt <= this.clock.now()) {
      this.ended.delete(sid);
      return undefined;
    }
    return gone;
  }
}
