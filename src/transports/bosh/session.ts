// XEP-0124 sections 8 (holding requests, in-order forwarding), 9 (acknowledgements and reports), 10
// (inactivity and pause), 11-12 (overactivity, polling), 13 (terminate), 14 (rid window, retransmission),
// 15 (key sequencing), 17 (conditions), 19 (secure sessions); XEP-0206 section 5 (restart). One BOSH session:
// it takes requests from BoshSessionManager, hands their payloads to the stream engine in rid order, exactly
// once, and answers them in rid order with what the stream engine delivers.

import { NS } from '../../protocol/namespaces.js';
import { isXmlTrue, MAX_RID, parseBoundedInteger, parseRid, xboshAttribute, type BoshCondition } from '../../protocol/xep0124.js';
import type { Element } from '../../xml/element.js';
import { checkNewRequest, type PreviousRequest } from './activity-rules.js';
import type { BoshLimits } from './config.js';
import { KeySequence } from './key-sequence.js';
import { ResponseCache } from './response-cache.js';
import type { BoshSessionParams } from './session-params.js';
import * as shapes from './session-responses.js';
import type { BoshClock, BoshEndCause, BoshRequest, BoshResponse, BoshSessionEnd, BoshStreamHeader, BoshStreamSink, BoshTimer } from './types.js';

/** A request received and not yet answered. `request` is the latest copy when the client resent it. */
interface Pending {
  readonly rid: number;
  request: BoshRequest;
  /** False once the client closed the connection: nothing may be written into it. */
  connected: boolean;
  resends: number;
  /** Set while held: the section 8 'wait' timer. */
  timer: BoshTimer | null;
  readonly creation: boolean;
}

export class BoshSession {
  private sink!: BoshStreamSink;
  private readonly cache: ResponseCache;
  private readonly keys: KeySequence | null;
  /** Highest rid processed: every rid up to it has been received (the window starts after it). */
  private lastRid: number;
  /** Highest rid answered, for section 9.2 reports. */
  private lastAnsweredRid = 0;
  /** Requests that arrived ahead of a gap, waiting for the missing rids (section 14.2). */
  private readonly ahead = new Map<number, Pending>();
  /** Processed requests waiting for data, oldest first (section 8). */
  private held: Pending[] = [];
  private outQueue: string[] = [];
  private outBytes = 0;
  private previous: PreviousRequest | undefined;
  private report: { rid: number; time: number } | null = null;
  private inactivityTimer: BoshTimer | null = null;
  /** Section 10: the inactivity period a pause asked for, until the next request. */
  private pausedFor: number | null = null;
  private processing = 0;
  private flushQueued = false;
  private endedFlag = false;
  /** A terminal <body/> waiting for the client's next request, when none was held at the end. */
  private terminal: BoshResponse | null = null;
  private readonly endListeners: Array<(end: BoshSessionEnd) => void> = [];

  /** Use BoshSessionManager; the constructor is internal to this folder. */
  constructor(
    readonly sid: string,
    readonly params: BoshSessionParams,
    private readonly limits: BoshLimits,
    private readonly clock: BoshClock,
    /** Section 19: created over HTTPS, so every later request must be too. */
    readonly secure: boolean,
    readonly clientAddress: string,
    private readonly removed: (session: BoshSession) => void,
  ) {
    this.lastRid = params.initialRid;
    this.cache = new ResponseCache(params.acks ? limits.maxUnackedResponses : params.requests);
    this.keys = params.newkey === undefined ? null : new KeySequence(params.newkey);
  }

  /** True once the session is over for the stream engine: deliver() refuses, onEnd has fired. */
  get ended(): boolean {
    return this.endedFlag;
  }

  /** Queues a serialised stanza for the client; false when the session has ended (the caller keeps it). */
  deliver(serialised: string): boolean {
    if (this.endedFlag) return false;
    this.outQueue.push(serialised);
    this.outBytes += Buffer.byteLength(serialised);
    if (this.outBytes > this.limits.maxQueuedBytes) {
      // A client that stopped collecting its data must not hold memory hostage (DESIGN section 7).
      this.end('undefined-condition', true, shapes.terminalResponse(this.params, 'undefined-condition'));
      return true;
    }
    if (this.processing === 0 && !this.flushQueued) {
      // Stanzas delivered in the same tick leave in one response.
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
    return true;
  }

  /**
   * Ends the session from the stream engine's side with a terminal condition (section 17.2); queued stanzas
   * and then `payload` (e.g. a <stream:error/> for 'remote-stream-error') go in the terminal <body/>. With no
   * connection waiting, the body keeps only `payload` for the client's next request and the queued stanzas
   * are reported undelivered: a client that never comes back must not take them with it.
   */
  terminate(condition: BoshCondition, payload: readonly string[] = []): void {
    if (this.endedFlag) return;
    const waiting = this.held.some((p) => p.connected) || [...this.ahead.values()].some((p) => p.connected);
    const stanzas = waiting ? this.takeQueue() : [];
    this.end(condition, false, shapes.terminalResponse(this.params, condition, [...stanzas, ...payload]));
  }

  onEnd(listener: (end: BoshSessionEnd) => void): void {
    this.endListeners.push(listener);
  }

  /** Called by the manager with the creation request, once the sink exists. */
  start(sink: BoshStreamSink, request: BoshRequest): void {
    this.sink = sink;
    // The creation request is not a bare poll: the first poll after it is never "too frequent" (section 12).
    this.previous = { rid: this.params.initialRid, arrivedAt: this.clock.now(), empty: false, answered: false, answeredWithPayload: false };
    this.run(() => {
      this.hold({ rid: this.params.initialRid, request, connected: true, resends: 0, timer: null, creation: true });
      this.callSink(() => this.sink.open(streamHeader(request.attrs)));
      // Not in the spec's examples, but nothing forbids it and Prosody accepts it: payload in the creation body.
      if (request.payload.length > 0 && !this.endedFlag) this.callSink(() => this.sink.stanzas(toClientNamespace(request.payload)));
    });
  }

  /** Called by the manager for every later request naming this sid. */
  receive(request: BoshRequest): void {
    if (this.secure && !request.secure) return request.drop();
    const rid = parseRid(request.attrs.rid);
    if (this.terminal) {
      // A resend of an answer the client lost still gets that answer; anything else learns the session is over.
      const cached = rid === undefined ? undefined : this.cache.get(rid);
      if (cached) return request.respond(cached.response);
      request.respond(this.terminal);
      return this.unregister();
    }
    if (rid === undefined) return this.fail('bad-request', request);
    if (rid <= this.lastRid) return this.resend(rid, request);
    const early = this.ahead.get(rid);
    if (early) return this.replace(early, request);
    if (rid > this.lastRid + this.params.requests + (isPauseOrTerminate(request) ? 1 : 0)) return this.fail('item-not-found', request);

    // Section 11 judges a run of requests by its last one, which need not be the one that arrived last.
    let newest = { rid, request };
    for (const p of this.ahead.values()) if (p.rid > newest.rid) newest = p;
    const now = this.clock.now();
    const empty = isBarePoll(request);
    const facts = {
      rid,
      arrivedAt: now,
      unanswered: this.held.length + this.ahead.size + 1,
      empty: isBarePoll(newest.request),
      pauseOrTerminate: isPauseOrTerminate(newest.request),
    };
    if (checkNewRequest(this.params, facts, this.previous) !== undefined) return this.fail('policy-violation', request);
    this.previous = { rid, arrivedAt: now, empty, answered: false, answeredWithPayload: false };
    this.stopInactivity();
    const pending: Pending = { rid, request, connected: true, resends: 0, timer: null, creation: false };
    request.onAborted = () => this.aborted(pending);
    this.ahead.set(rid, pending);
    this.run(() => this.processInOrder());
  }

  /** Ends the session because the server is going away (section 17.2 'system-shutdown'). */
  shutdown(): void {
    if (!this.endedFlag) this.end('system-shutdown', true, shapes.terminalResponse(this.params, 'system-shutdown'));
    this.unregister();
  }

  private processInOrder(): void {
    for (let next = this.ahead.get(this.lastRid + 1); next && !this.endedFlag; next = this.ahead.get(this.lastRid + 1)) {
      this.ahead.delete(next.rid);
      this.process(next);
    }
  }

  private process(pending: Pending): void {
    const attrs = pending.request.attrs;
    // Section 15.3: a missing or wrong key means the request is not processed at all.
    if (this.keys ? !this.keys.accept(attrs.key, attrs.newkey) : attrs.key !== undefined) {
      return this.fail('item-not-found', pending.request);
    }
    this.lastRid = pending.rid;
    this.pausedFor = null;
    if (this.params.acks && !this.readClientAck(pending.rid, attrs.ack)) return this.fail('bad-request', pending.request);
    let pause: number | undefined;
    if (attrs.pause !== undefined && this.params.maxPause > 0) {
      pause = parseBoundedInteger(attrs.pause, 0, MAX_RID);
      if (pause === undefined) return this.fail('bad-request', pending.request);
      if (pause > this.params.maxPause) return this.fail('policy-violation', pending.request);
    }
    this.hold(pending);
    if (attrs.type === 'terminate') {
      // Section 13: the payload (typically unavailable presence) reaches the server before the stream closes.
      if (pending.request.payload.length > 0) this.callSink(() => this.sink.stanzas(toClientNamespace(pending.request.payload)));
      if (!this.endedFlag) this.end('client-terminate', true, shapes.terminateAcknowledgement(this.params), shapes.emptyResponse(this.params));
      return;
    }
    if (isXmlTrue(xboshAttribute(attrs, 'restart'))) {
      // XEP-0206 section 5: a restart request's payload, if any, is ignored.
      this.callSink(() => this.sink.restart(streamHeader(attrs)));
    } else if (pending.request.payload.length > 0) {
      this.callSink(() => this.sink.stanzas(toClientNamespace(pending.request.payload)));
    }
    if (pause !== undefined && !this.endedFlag) {
      // Section 10: every held request is answered at once, without payloads, and the pause one is not cached.
      while (this.held.length > 0) this.answer(this.held[0]!, [], this.held[0] !== pending);
      this.pausedFor = pause;
    }
  }

  /** Section 9.2; false when 'ack' is not a number. A missing 'ack' acknowledges every earlier response. */
  private readClientAck(rid: number, value: string | undefined): boolean {
    const ack = value === undefined ? rid - 1 : parseBoundedInteger(value, 0, MAX_RID);
    if (ack === undefined) return false;
    if (ack >= rid) return true;
    const missing = this.cache.get(ack + 1);
    if (ack < this.lastAnsweredRid && missing) this.report = { rid: ack + 1, time: Math.round(this.clock.now() - missing.sentAt) };
    this.cache.forgetThrough(ack);
    return true;
  }

  private hold(pending: Pending): void {
    this.held.push(pending);
    pending.request.onAborted = () => this.aborted(pending);
    if (!pending.connected) return this.answer(pending, [], true);
    pending.timer = this.clock.setTimer(this.params.wait * 1000, () => this.waitExpired(pending));
  }

  /** Section 8: the 'wait' period is over; answer it (and anything older, to keep rid order) empty. */
  private waitExpired(pending: Pending): void {
    pending.timer = null;
    this.run(() => {
      while (this.held.includes(pending)) this.answer(this.held[0]!, this.takeQueue(), true);
    });
  }

  /** Section 14.3: a rid already processed gets its cached response, or replaces a copy still held. */
  private resend(rid: number, request: BoshRequest): void {
    const cached = this.cache.get(rid);
    if (cached) {
      if (++cached.resends > this.limits.maxResendsPerRid) return this.fail('policy-violation', request);
      request.respond(cached.response);
      // A replayed response is a response: the inactivity period counts from it.
      if (this.inactivityTimer) {
        this.stopInactivity();
        this.startInactivityIfIdle();
      }
      return;
    }
    const held = this.held.find((p) => p.rid === rid);
    if (!held) return this.fail('item-not-found', request);
    this.replace(held, request);
  }

  /** The client resent a request still pending: the older copy gets a recoverable error (section 17.3). */
  private replace(pending: Pending, request: BoshRequest): void {
    if (++pending.resends > this.limits.maxResendsPerRid) return this.fail('policy-violation', request);
    // A resend is an exact copy; one whose key differs was not made by the key holder (section 15).
    if (this.keys && request.attrs.key !== pending.request.attrs.key) return this.fail('item-not-found', request);
    const older = pending.request;
    older.onAborted = undefined;
    if (pending.connected) older.respond(shapes.recoverableErrorResponse(this.params));
    pending.request = request;
    pending.connected = true;
    request.onAborted = () => this.aborted(pending);
  }

  private aborted(pending: Pending): void {
    pending.connected = false;
    pending.request.onAborted = undefined;
    // Settled at once with an empty body, so that a resend of this rid finds it in the cache.
    if (this.held.includes(pending)) this.run(() => this.answer(pending, [], true));
  }

  /** Answers held requests as section 8 says: at once when there is data, and never more than 'hold' kept. */
  private flush(): void {
    if (this.endedFlag || this.processing > 0) return;
    const keep = this.params.pollingSession ? 0 : this.params.hold;
    while (this.held.length > 0 && (this.outQueue.length > 0 || this.held.length > keep || this.report)) {
      this.answer(this.held[0]!, this.takeQueue(), true);
    }
    this.startInactivityIfIdle();
  }

  private answer(pending: Pending, payload: string[], cacheable: boolean): void {
    this.held.splice(this.held.indexOf(pending), 1);
    pending.timer?.cancel();
    pending.timer = null;
    const attrs: Record<string, string> = pending.creation ? shapes.creationAttributes(this.sid, this.params, this.limits) : {};
    // Section 9.1: omitted when it would name the rid being answered.
    if (this.params.acks && !pending.creation && this.lastRid !== pending.rid) attrs.ack = String(this.lastRid);
    if (this.report && cacheable && pending.connected) {
      attrs.report = String(this.report.rid);
      attrs.time = String(this.report.time);
      this.report = null;
    }
    const response: BoshResponse = { status: 200, contentType: this.params.contentType, attrs, payload, declareStream: pending.creation || undefined };
    if (cacheable) this.cache.put(pending.rid, response, this.clock.now());
    this.lastAnsweredRid = Math.max(this.lastAnsweredRid, pending.rid);
    if (this.previous?.rid === pending.rid) {
      this.previous.answered = true;
      this.previous.answeredWithPayload = payload.length > 0;
    }
    pending.request.onAborted = undefined;
    if (pending.connected) pending.request.respond(response);
  }

  /** A binding error caused by `request`: the session ends, every waiting connection learns why. */
  private fail(condition: BoshCondition, request: BoshRequest): void {
    if (this.endedFlag) return request.respond(shapes.terminalResponse(this.params, condition));
    const body = shapes.terminalResponse(this.params, condition);
    this.end(condition, true, body, body, request);
  }

  /**
   * The one way a session ends. The oldest waiting connection gets `first`, the others `rest`; with no
   * connection waiting, `first` is kept for the client's next request. Inactivity passes no response at all.
   */
  private end(cause: BoshEndCause, notifySink: boolean, first?: BoshResponse, rest: BoshResponse | undefined = first, extra?: BoshRequest): void {
    this.endedFlag = true;
    this.stopInactivity();
    const waiting = [...this.held, ...[...this.ahead.values()].sort((a, b) => a.rid - b.rid)];
    this.held = [];
    this.ahead.clear();
    const connections: BoshRequest[] = [];
    for (const p of waiting) {
      p.timer?.cancel();
      p.request.onAborted = undefined;
      if (p.connected) connections.push(p.request);
    }
    if (extra && !connections.includes(extra)) connections.push(extra);
    if (first) {
      connections.forEach((c, i) => c.respond(i === 0 ? first : rest!));
      if (connections.length === 0) this.terminal = first;
    }
    const undelivered = this.takeQueue();
    if (notifySink) this.callSink(() => this.sink.close(cause));
    for (const listener of this.endListeners) listener({ cause, undelivered });
    if (this.terminal) this.startInactivityIfIdle();
    else this.unregister();
  }

  private startInactivityIfIdle(): void {
    if (this.inactivityTimer || this.held.length > 0 || this.ahead.size > 0) return;
    if (this.endedFlag && !this.terminal) return;
    const seconds = this.pausedFor ?? this.params.inactivity;
    this.inactivityTimer = this.clock.setTimer(seconds * 1000, () => {
      this.inactivityTimer = null;
      // Section 10: the client is assumed gone; nobody is told.
      if (this.terminal) this.unregister();
      else this.end('inactivity', true);
    });
  }

  private stopInactivity(): void {
    this.inactivityTimer?.cancel();
    this.inactivityTimer = null;
  }

  private unregister(): void {
    this.stopInactivity();
    this.terminal = null;
    this.removed(this);
  }

  private takeQueue(): string[] {
    const queued = this.outQueue;
    this.outQueue = [];
    this.outBytes = 0;
    return queued;
  }

  /** Runs engine work, answering held requests only at the end so one response carries everything. */
  private run(work: () => void): void {
    this.processing++;
    try {
      work();
    } finally {
      this.processing--;
    }
    this.flush();
  }

  /** The stream engine must not be able to break the session's bookkeeping by throwing. */
  private callSink(call: () => void): void {
    try {
      call();
    } catch {
      if (!this.endedFlag) this.end('internal-server-error', true, shapes.terminalResponse(this.params, 'internal-server-error'));
    }
  }
}

function isPauseOrTerminate(request: BoshRequest): boolean {
  return request.attrs.type === 'terminate' || request.attrs.pause !== undefined;
}

/** An empty request that asks for nothing but data: what sections 11 and 12 call polling. */
function isBarePoll(request: BoshRequest): boolean {
  return request.payload.length === 0 && !isPauseOrTerminate(request) && !isXmlTrue(xboshAttribute(request.attrs, 'restart'));
}

function streamHeader(attrs: Record<string, string>): BoshStreamHeader {
  return {
    to: attrs.to,
    from: attrs.from,
    lang: attrs['xml:lang'],
    version: xboshAttribute(attrs, 'version'),
    route: attrs.route,
    attrs,
  };
}

/** XEP-0206 section 2: stanzas without their own namespace inherit httpbind from <body/>; they mean jabber:client. */
function toClientNamespace(payload: Element[]): Element[] {
  for (const el of payload) {
    if (el.prefix === null && (el.attrs.xmlns === undefined || el.attrs.xmlns === NS.HTTPBIND)) el.attrs.xmlns = NS.CLIENT;
  }
  return payload;
}
