// XEP-0124 sections 5-8 and XEP-0206 section 3: the contract between the BOSH engine and the HTTP adapter
// that feeds it (one BoshRequest per POSTed <body/>) and the XMPP stream engine behind it (BoshStreamSink).
// The engine never sees HTTP objects or sockets; the adapter never sees rids, sids or timers.

import type { Element } from '../../xml/element.js';
import type { BoshCondition } from '../../protocol/xep0124.js';

/** One POSTed <body/> as the adapter parsed it. */
export interface BoshRequest {
  /** The attributes of <body/>, namespace declarations included (they locate the 'xmpp:' prefix). */
  readonly attrs: Record<string, string>;
  /** Its child elements, in document order (parents may still point at <body/>). */
  readonly payload: Element[];
  /** Whether it arrived over HTTPS (section 19). */
  readonly secure: boolean;
  /** The client's address, for the per-address session limit. */
  readonly clientAddress: string;
  /** Called at most once with the answer; the adapter renders it with renderBoshBody() (src/protocol/xep0124.ts). */
  respond(response: BoshResponse): void;
  /** Close the HTTP connection without answering (section 19: an insecure request in a secure session). */
  drop(): void;
  /**
   * Set by the engine while it keeps this request waiting; the adapter calls it when the client closes the
   * connection before an answer was given, so that no payload is ever written into a dead connection.
   */
  onAborted?: () => void;
}

/** What the adapter sends back: an HTTP status, a Content-Type and a <body/>. */
export interface BoshResponse {
  /** 200, or 400/403/404 for the starred terminal conditions when the client is legacy (section 17.1). */
  readonly status: number;
  /** The session's 'content' (section 7.1) or text/xml; charset=utf-8. */
  readonly contentType: string;
  /** The <body/> attributes, without namespace declarations (the renderer adds them). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Serialised payloads, each a complete element. */
  readonly payload: readonly string[];
  /** The session creation response declares xmlns:stream even when it has no payload (XEP-0206 section 4). */
  readonly declareStream?: boolean;
}

/**
 * Why a session ended: a terminal condition, a clean 'terminate' from the client (section 13) or from the
 * stream engine (session.terminate() without a condition), or inactivity (section 10).
 */
export type BoshEndCause = BoshCondition | 'client-terminate' | 'server-terminate' | 'inactivity';

export interface BoshSessionEnd {
  readonly cause: BoshEndCause;
  /** Stanzas the stream engine delivered that never reached the client: to bounce or store (DESIGN section 8). */
  readonly undelivered: string[];
}

/** The XEP-0206 stream header fields a new or restarted stream is opened with. */
export interface BoshStreamHeader {
  readonly to: string | undefined;
  readonly from: string | undefined;
  readonly lang: string | undefined;
  /** 'xmpp:version' of the request (XEP-0206 section 3). */
  readonly version: string | undefined;
  /** 'route' (section 7.1): a single-server connection manager may ignore it. */
  readonly route: string | undefined;
  /** All attributes of the <body/> that asked for it. */
  readonly attrs: Readonly<Record<string, string>>;
}

/**
 * The stream engine's side of one session, provided by the adapter. Calls arrive in rid order, each
 * payload exactly once. Any of them may synchronously call session.deliver() or session.terminate().
 */
export interface BoshStreamSink {
  /** The session was created: open the XMPP stream and deliver the stream features. */
  open(header: BoshStreamHeader): void;
  /**
   * 'xmpp:restart' (XEP-0206 section 5): discard stream state, deliver the new stream features. Header fields
   * the restart request left out are those of the creation request.
   */
  restart(header: BoshStreamHeader): void;
  /** Client stanzas; unqualified ones were given xmlns='jabber:client'. */
  stanzas(elements: Element[]): void;
  /**
   * The BOSH session ended for a reason other than session.terminate(): a client 'terminate', inactivity,
   * a binding error, or shutdown. The stream engine closes the XMPP session; deliver() now returns false.
   */
  close(cause: BoshEndCause): void;
}

/** Time as the engine sees it; tests inject a fake one. */
export interface BoshClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  setTimer(ms: number, fn: () => void): BoshTimer;
}

export interface BoshTimer {
  cancel(): void;
}
