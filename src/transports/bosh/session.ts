// XEP-0124 sections 8 (holding requests), 9 (acks and reports), 10 (inactivity, pause), 11-12 (overactivity,
// polling), 13 (terminate), 14 (rid window, retransmission), 15 (keys), 17 (conditions), 19 (secure sessions);
// XEP-0206 section 5 (restart). One BOSH session: it takes requests from BoshSessionManager, hands their
// payloads to the stream engine in rid order, exactly once, and answers them in rid order with what the
// stream engine delivers.

import { MAX_RID, parseBoundedInteger, parseRid, type BoshCondition } from '../../protocol/xep0124.js';
import { checkNewRequest, type PreviousRequest } from './activity-rules.js';
import { ClientAcknowledgements } from './client-acknowledgements.js';
import type { BoshLimits } from './config.js';
import { HeldRequests, type PendingRequest } from './held-requests.js';
import { isBarePoll, isPauseOrTerminate, isRestart, streamHeader, toClientNamespace } from './incoming-body.js';
import { KeySequence } from './key-sequence.js';
import { OutgoingQueue } from './outgoing-queue.js';
import { ResponseCache } from './response-cache.js';
import { RidWindow } from './rid-window.js';
import type { BoshSessionParams } from './session-params.js';
import * as shapes from './session-responses.js';
import type { BoshClock, BoshEndCause, BoshRequest, BoshResponse, BoshSessionEnd, BoshStreamHeader, BoshStreamSink, BoshTimer } from './types.js';

export class BoshSession {
  private sink!: BoshStreamSink;
  private creationHeader!: BoshStreamHeader;
  private readonly window: RidWindow<PendingRequest>;
  private readonly held: HeldRequests;
  private readonly cache: ResponseCache;
  private readonly keys: KeySequence | null;
  private readonly acks: ClientAcknowledgements;
  private readonly outgoing: OutgoingQueue;
  private previous: PreviousRequest | undefined;
  private inactivityTimer: BoshTimer | null = null;
  /** Section 10: the inactivity period a pause asked for, until the next request. */
  private pausedFor: number | null = null;
  private processing = 0;
  private flushQueued = false;
  private endedFlag = false;
  /** A terminal <body/> waiting for the client's next request, when no connection was there to take it. */
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
    this.window = new RidWindow(params.initialRid, params.requests);
    this.held = new HeldRequests(clock);
    this.cache = new ResponseCache(params.acks ? limits.maxUnackedResponses : params.requests);
    this.keys = params.newkey === undefined ? null : new KeySequence(params.newkey);
    this.acks = new ClientAcknowledgements(this.cache, clock);
    this.outgoing = new OutgoingQueue(limits.maxQueuedBytes);
  }

  /** True once the session is over for the stream engine: deliver() refuses, onEnd has fired. */
  get ended(): boolean {
    return this.endedFlag;
  }

  /** Queues a serialised stanza for the client; false when the session has ended (the caller keeps it). */
  deliver(serialised: string): boolean {
    if (this.endedFlag) return false;
    if (!this.outgoing.push(serialised)) {
      // A client that stopped collecting its data must not hold memory hostage; onEnd hands the queue back.
      this.end('undefined-condition', true, shapes.terminalResponse(this.params, 'undefined-condition'));
    } else if (this.processing === 0 && !this.flushQueued) {
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
   * Ends the session from the stream engine's side, with a terminal condition (section 17.2) or, without one,
   * a plain type='terminate'. Queued stanzas and then `payload` (e.g. a <stream:error/> for
   * 'remote-stream-error') go in the terminal <body/>. With no connection waiting, the body keeps only
   * `payload` for the client's next request and the queued stanzas are handed back through onEnd: a client
   * that never returns must not take them with it.
   */
  terminate(condition?: BoshCondition, payload: readonly string[] = []): void {
    if (this.endedFlag) return;
    const waiting = this.held.anyConnected() || this.window.waiting().some((p) => p.connected);
    const body = [...(waiting ? this.outgoing.take() : []), ...payload];
    if (condition) this.end(condition, false, shapes.terminalResponse(this.params, condition, body));
    else this.end('server-terminate', false, { ...shapes.terminateAcknowledgement(this.params), payload: body });
  }

  onEnd(listener: (end: BoshSessionEnd) => void): void {
    this.endListeners.push(listener);
  }

  /** Called by the manager with the creation request, once the sink exists. */
  start(sink: BoshStreamSink, request: BoshRequest): void {
    this.sink = sink;
    this.creationHeader = streamHeader(request.attrs);
    // The creation request is not a bare poll: the first poll after it is never "too frequent" (section 12).
    this.previous = { rid: this.params.initialRid, arrivedAt: this.clock.now(), empty: false, answered: false, answeredWithPayload: false };
    this.run(() => {
      this.hold({ rid: this.params.initialRid, request, connected: true, resends: 0, creation: true });
      this.callSink(() => this.sink.open(this.creationHeader));
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
    switch (this.window.place(rid, isPauseOrTerminate(request))) {
      case 'processed':
        return this.resend(rid, request);
      case 'waiting':
        return this.replace(this.window.waitingFor(rid)!, request);
      case 'outside':
        return this.fail('item-not-found', request);
    }
    if (this.breaksActivityRules(rid, request)) return this.fail('policy-violation', request);
    this.stopInactivity();
    const pending: PendingRequest = { rid, request, connected: true, resends: 0, creation: false };
    request.onAborted = () => this.aborted(pending);
    this.window.add(pending);
    this.run(() => {
      for (let next = this.window.takeNext(); next; next = this.endedFlag ? undefined : this.window.takeNext()) this.process(next);
    });
  }

  /** Called by the manager for a request the adapter found malformed: the session ends with `condition`. */
  reject(request: BoshRequest, condition: BoshCondition): void {
    if (this.secure && !request.secure) return request.drop();
    if (this.terminal) {
      request.respond(this.terminal);
      return this.unregister();
    }
    this.fail(condition, request);
  }

  /** Ends the session because the server is going away (section 17.2 'system-shutdown'). */
  shutdown(): void {
    if (!this.endedFlag) this.end('system-shutdown', true, shapes.terminalResponse(this.params, 'system-shutdown'));
    this.unregister();
  }

  /** Sections 11-12, judged as the request arrives; a run of requests is judged by its highest rid. */
  private breaksActivityRules(rid: number, request: BoshRequest): boolean {
    const waitingNewest = this.window.newest();
    const newest = waitingNewest && waitingNewest.rid > rid ? waitingNewest.request : request;
    const now = this.clock.now();
    const facts = {
      rid,
      arrivedAt: now,
      unanswered: this.held.count + this.window.waitingCount + 1,
      empty: isBarePoll(newest),
      pauseOrTerminate: isPauseOrTerminate(newest),
    };
    if (checkNewRequest(this.params, facts, this.previous) !== undefined) return true;
    this.previous = { rid, arrivedAt: now, empty: isBarePoll(request), answered: false, answeredWithPayload: false };
    return false;
  }

  private process(pending: PendingRequest): void {
    const { attrs, payload } = pending.request;
    // Section 15.3: a missing or wrong key means the request is not processed at all.
    if (this.keys ? !this.keys.accept(attrs.key, attrs.newkey) : attrs.key !== undefined) return this.fail('item-not-found', pending.request);
    this.pausedFor = null;
    if (this.params.acks && !this.acks.read(pending.rid, attrs.ack)) return this.fail('bad-request', pending.request);
    let pause: number | undefined;
    if (attrs.pause !== undefined && this.params.maxPause > 0) {
      pause = parseBoundedInteger(attrs.pause, 0, MAX_RID);
      if (pause === undefined) return this.fail('bad-request', pending.request);
      if (pause > this.params.maxPause) return this.fail('policy-violation', pending.request);
    }
    this.hold(pending);
    if (attrs.type === 'terminate') {
      // Section 13: the payload (typically unavailable presence) reaches the server before the stream closes.
      if (payload.length > 0) this.callSink(() => this.sink.stanzas(toClientNamespace(payload)));
      if (!this.endedFlag) this.end('client-terminate', true, shapes.terminateAcknowledgement(this.params), shapes.emptyResponse(this.params));
      return;
    }
    // XEP-0206 section 5: a restart request's payload, if any, is ignored.
    if (isRestart(pending.request)) this.callSink(() => this.sink.restart(streamHeader(attrs, this.creationHeader)));
    else if (payload.length > 0) this.callSink(() => this.sink.stanzas(toClientNamespace(payload)));
    if (pause !== undefined && !this.endedFlag) {
      // Section 10: every held request is answered at once, without payloads; the pause answer is not cached.
      for (let oldest = this.held.oldest; oldest; oldest = this.held.oldest) this.answer(oldest, [], oldest !== pending);
      this.pausedFor = pause;
    }
  }

  private hold(pending: PendingRequest): void {
    pending.request.onAborted = () => this.aborted(pending);
    // Section 8: when 'wait' is over, answer it (and anything older, to keep rid order) with what there is.
    this.held.hold(pending, this.params.wait * 1000, (expired) =>
      this.run(() => {
        for (let oldest = this.held.oldest; oldest && this.held.has(expired); oldest = this.held.oldest) this.answer(oldest, this.outgoing.take(), true);
      }),
    );
    if (!pending.connected) this.answer(pending, [], true);
  }

  /** Section 14.3: a rid already processed gets its cached response, or replaces a copy still held. */
  private resend(rid: number, request: BoshRequest): void {
    const cached = this.cache.get(rid);
    if (!cached) {
      const held = this.held.find(rid);
      return held ? this.replace(held, request) : this.fail('item-not-found', request);
    }
    if (++cached.resends > this.limits.maxResendsPerRid) return this.fail('policy-violation', request);
    request.respond(cached.response);
    // A replayed response is a response: the inactivity period counts from it.
    if (this.inactivityTimer) {
      this.stopInactivity();
      this.startInactivityIfIdle();
    }
  }

  /** The client resent a request still pending: the older copy gets a recoverable error (section 17.3). */
  private replace(pending: PendingRequest, request: BoshRequest): void {
    if (++pending.resends > this.limits.maxResendsPerRid) return this.fail('policy-violation', request);
    // A resend is an exact copy; one whose key differs was not made by the key holder (section 15).
    if (this.keys && request.attrs.key !== pending.request.attrs.key) return this.fail('item-not-found', request);
    pending.request.onAborted = undefined;
    if (pending.connected) pending.request.respond(shapes.recoverableErrorResponse(this.params));
    pending.request = request;
    pending.connected = true;
    request.onAborted = () => this.aborted(pending);
  }

  private aborted(pending: PendingRequest): void {
    pending.connected = false;
    pending.request.onAborted = undefined;
    // Settled at once with an empty body, so that a resend of this rid finds it in the cache.
    if (this.held.has(pending)) this.run(() => this.answer(pending, [], true));
  }

  /** Answers held requests as section 8 says: at once when there is data, and never more than 'hold' kept. */
  private flush(): void {
    if (this.endedFlag || this.processing > 0) return;
    const keep = this.params.pollingSession ? 0 : this.params.hold;
    for (let oldest = this.held.oldest; oldest && (this.outgoing.length > 0 || this.held.count > keep || this.acks.reportDue); oldest = this.held.oldest) {
      this.answer(oldest, this.outgoing.take(), true);
    }
    this.startInactivityIfIdle();
  }

  private answer(pending: PendingRequest, payload: string[], cacheable: boolean): void {
    this.held.release(pending);
    const attrs: Record<string, string> = pending.creation ? shapes.creationAttributes(this.sid, this.params, this.limits) : {};
    // Section 9.1: omitted when it would name the rid being answered.
    if (this.params.acks && !pending.creation && this.window.last !== pending.rid) attrs.ack = String(this.window.last);
    if (cacheable && pending.connected) this.acks.addReport(attrs);
    const response: BoshResponse = { status: 200, contentType: this.params.contentType, attrs, payload, declareStream: pending.creation || undefined };
    if (cacheable) this.cache.put(pending.rid, response, this.clock.now());
    this.acks.answered(pending.rid);
    if (this.previous?.rid === pending.rid) {
      this.previous.answered = true;
      this.previous.answeredWithPayload = payload.length > 0;
    }
    pending.request.onAborted = undefined;
    if (pending.connected) pending.request.respond(response);
  }

  /** A binding error caused by `request`: the session ends, every waiting connection learns why. */
  private fail(condition: BoshCondition, request: BoshRequest): void {
    const body = shapes.terminalResponse(this.params, condition);
    if (this.endedFlag) return request.respond(body);
    this.end(condition, true, body, body, request);
  }

  /**
   * The one way a session ends. The oldest waiting connection gets `first`, the others `rest`; with no
   * connection waiting, `first` is kept for the client's next request. Inactivity passes no response at all.
   */
  private end(cause: BoshEndCause, notifySink: boolean, first?: BoshResponse, rest: BoshResponse | undefined = first, extra?: BoshRequest): void {
    this.endedFlag = true;
    this.stopInactivity();
    const connections: BoshRequest[] = [];
    for (const p of [...this.held.releaseAll(), ...this.window.drain()]) {
      p.request.onAborted = undefined;
      if (p.connected) connections.push(p.request);
    }
    if (extra && !connections.includes(extra)) connections.push(extra);
    if (first) {
      connections.forEach((c, i) => c.respond(i === 0 ? first : rest!));
      if (connections.length === 0) this.terminal = first;
    }
    const undelivered = this.outgoing.take();
    if (notifySink) this.callSink(() => this.sink.close(cause));
    for (const listener of this.endListeners) listener({ cause, undelivered });
    if (this.terminal) this.startInactivityIfIdle();
    else this.unregister();
  }

  private startInactivityIfIdle(): void {
    if (this.inactivityTimer || this.held.count > 0 || this.window.waitingCount > 0) return;
    if (this.endedFlag && !this.terminal) return;
    this.inactivityTimer = this.clock.setTimer((this.pausedFor ?? this.params.inactivity) * 1000, () => {
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
