// Test harness for the BOSH engine (XEP-0124, XEP-0206): a manager on a fake clock, a stream-engine sink that
// records what reaches it, and a client that posts <body/> attributes and payloads and keeps what comes back.

import { Element, xml } from '../../../src/xml/element.js';
import { NS } from '../../../src/protocol/namespaces.js';
import { BoshSessionManager } from '../../../src/transports/bosh/session-manager.js';
import type { BoshSession } from '../../../src/transports/bosh/session.js';
import type { BoshManagerOptions } from '../../../src/transports/bosh/config.js';
import type { BoshEndCause, BoshRequest, BoshResponse, BoshSessionEnd, BoshStreamHeader, BoshStreamSink } from '../../../src/transports/bosh/types.js';
import { FakeClock } from './fake-clock.js';

export const FEATURES = "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";
export const FIRST_RID = 1000;

/** The stream engine's side: records calls; by default answers open/restart with stream features at once. */
export class RecordingSink implements BoshStreamSink {
  readonly events: string[] = [];
  readonly headers: BoshStreamHeader[] = [];
  /** Client stanzas as serialised, in the order they arrived. */
  readonly received: string[] = [];
  readonly closes: BoshEndCause[] = [];
  featuresOnOpen = true;
  onStanzas: ((els: Element[]) => void) | null = null;

  constructor(readonly session: BoshSession) {}

  open(header: BoshStreamHeader): void {
    this.events.push('open');
    this.headers.push(header);
    if (this.featuresOnOpen) this.session.deliver(FEATURES);
  }
  restart(header: BoshStreamHeader): void {
    this.events.push('restart');
    this.headers.push(header);
    this.session.deliver(FEATURES);
  }
  stanzas(elements: Element[]): void {
    for (const el of elements) {
      this.received.push(el.toString());
      this.events.push(`stanza ${el.toString()}`);
    }
    this.onStanzas?.(elements);
  }
  close(cause: BoshEndCause): void {
    this.closes.push(cause);
    this.events.push(`close ${cause}`);
  }
}

/** One HTTP request/response pair as the adapter would see it. */
export class Exchange implements BoshRequest {
  readonly responses: BoshResponse[] = [];
  dropped = false;
  onAborted?: () => void;

  constructor(
    readonly attrs: Record<string, string>,
    readonly payload: Element[],
    readonly secure: boolean,
    readonly clientAddress: string,
  ) {}

  respond(response: BoshResponse): void {
    this.responses.push(response);
  }
  drop(): void {
    this.dropped = true;
  }
  /** The client hangs up before an answer. */
  abort(): void {
    if (this.responses.length === 0) this.onAborted?.();
  }
  get answered(): boolean {
    return this.responses.length > 0;
  }
  /** The one response; fails the test if there is none or more than one. */
  get response(): BoshResponse {
    if (this.responses.length !== 1) throw new Error(`expected exactly one response, got ${this.responses.length}`);
    return this.responses[0]!;
  }
}

export interface SendOptions {
  secure?: boolean;
  clientAddress?: string;
}

export class BoshHarness {
  readonly clock = new FakeClock();
  readonly manager: BoshSessionManager;
  readonly sinks = new Map<string, RecordingSink>();
  readonly ends = new Map<string, BoshSessionEnd>();
  featuresOnOpen = true;
  served = new Set(['example.com']);

  constructor(options: Partial<BoshManagerOptions> = {}) {
    this.manager = new BoshSessionManager({
      clock: this.clock,
      isHostServed: (domain) => this.served.has(domain),
      createSink: (session) => {
        const sink = new RecordingSink(session);
        sink.featuresOnOpen = this.featuresOnOpen;
        this.sinks.set(session.sid, sink);
        session.onEnd((end) => this.ends.set(session.sid, end));
        return sink;
      },
      ...options,
    });
  }

  /** Posts a <body/>; the payload elements get <body/> as their parent, as a parser would leave them. */
  send(attrs: Record<string, string>, payload: Element[] = [], options: SendOptions = {}): Exchange {
    const body = new Element('body', { xmlns: NS.HTTPBIND, ...attrs });
    for (const el of payload) body.append(el);
    const exchange = new Exchange(body.attrs, payload, options.secure ?? false, options.clientAddress ?? '192.0.2.1');
    this.manager.handle(exchange);
    return exchange;
  }

  /** A session creation request as Strophe.js sends it, with `extra` overriding attributes. */
  create(extra: Record<string, string> = {}, options: SendOptions = {}): Exchange {
    return this.send(
      {
        rid: String(FIRST_RID),
        to: 'example.com',
        'xml:lang': 'en',
        wait: '60',
        hold: '1',
        content: 'text/xml; charset=utf-8',
        ver: '1.6',
        'xmpp:version': '1.0',
        'xmlns:xmpp': NS.XBOSH,
        ...extra,
      },
      [],
      options,
    );
  }

  /** Creates a session and returns its sid (the creation response must have come back at once). */
  open(extra: Record<string, string> = {}, options: SendOptions = {}): string {
    const exchange = this.create(extra, options);
    const sid = exchange.response.attrs.sid;
    if (sid === undefined) throw new Error(`session not created: ${JSON.stringify(exchange.response)}`);
    return sid;
  }

  /** A request in session `sid` with the given rid (relative to FIRST_RID when `offset` is used). */
  post(sid: string, rid: number, payload: Element[] = [], extra: Record<string, string> = {}, options: SendOptions = {}): Exchange {
    return this.send({ sid, rid: String(rid), ...extra }, payload, options);
  }

  sink(sid: string): RecordingSink {
    const sink = this.sinks.get(sid);
    if (!sink) throw new Error(`no sink for ${sid}`);
    return sink;
  }

  session(sid: string): BoshSession {
    const session = this.manager.get(sid);
    if (!session) throw new Error(`no live session ${sid}`);
    return session;
  }
}

export function message(body: string, attrs: Record<string, string> = {}): Element {
  return xml('message', { to: 'bob@example.com', type: 'chat', ...attrs }, xml('body', {}, body));
}

/** Lets queued microtasks run: stanzas delivered outside a request go out at the end of the tick. */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

export function isTerminal(response: BoshResponse, condition?: string): boolean {
  return response.attrs.type === 'terminate' && response.attrs.condition === condition;
}
