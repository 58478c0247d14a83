// XEP-0206 sections 3-5 on this server: one BOSH session is one XMPP stream of the shared stream engine
// (RFC 6120 negotiation, SASL, bind, then the router), exactly as on TCP. This class is both the engine's
// transport (framing: stanzas go into the session's outgoing queue, a stream error becomes the terminal
// condition 'remote-stream-error' of XEP-0206 section 6) and the session's sink (the client's payloads go to
// the engine, in rid order, one after another). XEP-0206 section 7: stanzas the session can no longer carry
// are stored or bounced (undeliverable.ts).

import { log } from '../../core/log.js';
import type { RoutedStanza } from '../../core/router.js';
import { bareOf } from '../../core/router.js';
import { StreamEngine } from '../../stream/stream-engine.js';
import type { StreamContext } from '../../stream/stream-context.js';
import type { ChannelBinding, StreamHeader, StreamTransport } from '../../stream/stream-transport.js';
import type { Element } from '../../xml/element.js';
import { qualifyStanza } from '../websocket/framing.js';
import type { BoshSession } from './session.js';
import type { BoshStreamHeader, BoshStreamSink } from './types.js';
import { undeliverableFate } from './undeliverable.js';
import type { BoshBackend } from './http-adapter.js';

export class BoshLocalStream implements BoshStreamSink, StreamTransport {
  readonly kind = 'bosh' as const;
  readonly canStartTls = false;
  readonly engine: StreamEngine;
  private queue: Promise<void> = Promise.resolve();
  /** The <stream:error/> the engine wrote, carried by the terminal body when it closes the stream. */
  private streamError: string | undefined;

  constructor(
    private readonly session: BoshSession,
    private readonly ctx: StreamContext,
  ) {
    this.engine = new StreamEngine(this, ctx);
    session.onEnd((end) => {
      for (const serialised of end.undelivered) returnUndeliverable(this.ctx, serialised);
    });
  }

  get remoteAddress(): string {
    return this.session.clientAddress;
  }

  /** Section 19 of XEP-0124: the session was created over HTTPS, and every request of it must be. */
  get secure(): boolean {
    return this.session.secure;
  }

  /** TLS ends at the HTTP layer, possibly on another connection per request: nothing to bind to. */
  channelBinding(): ChannelBinding | undefined {
    return undefined;
  }

  // ---- the stream engine's transport ----

  /** The session creation response's attributes stand in for the stream header (XEP-0206 section 3). */
  openStream(): void {}

  write(data: string): void {
    if (data.startsWith('<stream:error')) {
      this.streamError = data;
      return;
    }
    // XEP-0206: <body/> has the httpbind namespace, so each stanza names jabber:client itself.
    const serialised = qualifyStanza(data);
    if (!this.session.deliver(serialised)) returnUndeliverable(this.ctx, serialised);
  }

  /** Each request is parsed on its own: there is no parser state to reset (XEP-0206 section 5). */
  resetParser(): void {}

  closeStream(): void {
    if (this.streamError !== undefined) this.session.terminate('remote-stream-error', [this.streamError]);
    else this.session.terminate();
  }

  destroy(): void {
    this.session.terminate('undefined-condition');
  }

  // ---- the BOSH session's sink ----

  open(header: BoshStreamHeader): void {
    this.run(() => this.engine.onStreamStart(streamHeader(header)));
  }

  restart(header: BoshStreamHeader): void {
    this.run(() => this.engine.onStreamStart(streamHeader(header)));
  }

  stanzas(elements: Element[]): void {
    for (const el of elements) this.run(() => this.engine.onElement(el));
  }

  /** Queued behind the payloads, so that a terminate's unavailable presence is routed before the session ends. */
  close(): void {
    this.run(() => this.engine.onTransportClosed());
  }

  /** Elements are handled one after another, in order, even when a handler awaits storage. */
  private run(fn: () => void | Promise<void>): void {
    this.queue = this.queue.then(fn).catch((err) => {
      log.error({ err, remote: this.remoteAddress }, 'bosh stream handler failed');
      this.engine.fail('internal-server-error');
    });
  }
}

function streamHeader(header: BoshStreamHeader): StreamHeader {
  return { to: header.to, from: header.from, version: header.version, lang: header.lang };
}

/** XEP-0206 section 7 on this server: presence dropped, IQs answered, messages stored offline or answered. */
export function returnUndeliverable(ctx: StreamContext, serialised: string): void {
  const fate = undeliverableFate(serialised);
  if (fate.kind === 'drop') return;
  if (fate.kind === 'reply') return void ctx.router.route(fate.reply);
  void storeOrBounce(ctx, fate.stanza, fate.reply);
}

async function storeOrBounce(ctx: StreamContext, stanza: Element, reply: Element | undefined): Promise<void> {
  const type = stanza.attrs.type ?? 'normal';
  const to = stanza.attrs.to;
  // RFC 6121 8.5.2.2.1: only normal and chat messages are kept for later.
  if (to !== undefined && (type === 'normal' || type === 'chat')) {
    const toBare = bareOf(to);
    const slash = to.indexOf('/');
    const routed: RoutedStanza = { stanza, from: stanza.attrs.from ?? ctx.domain, to, toBare, toResource: slash === -1 ? undefined : to.slice(slash + 1) };
    try {
      if (await ctx.bus.emit('message/offline', routed)) return;
    } catch (err) {
      log.error({ err }, 'offline storage of an undeliverable BOSH message failed');
    }
  }
  if (reply) await ctx.router.route(reply);
}

/** The backend of the server's own /http-bind: every session is a local stream engine. */
export function localBoshBackend(ctx: StreamContext): BoshBackend {
  return {
    isHostServed: (domain) => domain.toLowerCase() === ctx.domain,
    createSink: (session) => new BoshLocalStream(session, ctx),
  };
}
