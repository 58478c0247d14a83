// XEP-0124 section 3 and XEP-0206 as a standalone connection manager: each BOSH session is relayed to an XMPP
// server over TCP (upstream-stream.ts). The creation request opens the upstream stream with the client's
// 'to', 'from' and 'xml:lang' (and 'route', when allowed); payloads go upstream in rid order; the server's
// elements come back in the session's responses. An upstream stream error ends the session as
// 'remote-stream-error' with the error inside (XEP-0206 section 6); a server that cannot be reached or is lost
// as 'remote-connection-failed' (section 17.2).

import { log } from '../../core/log.js';
import { NS } from '../../protocol/namespaces.js';
import type { BoshSession } from '../bosh/session.js';
import type { BoshStreamHeader, BoshStreamSink } from '../bosh/types.js';
import type { BoshBackend } from '../bosh/http-adapter.js';
import type { Element } from '../../xml/element.js';
import { standalone, upstreamBounce } from './relayed-elements.js';
import { isLoopback, resolveRoute, type UpstreamTarget } from './route.js';
import { UpstreamStream, type UpstreamOptions } from './upstream-stream.js';

export interface UpstreamBoshOptions {
  upstream: UpstreamTarget;
  /** Other servers a client's 'route' may name. */
  routeAllow: readonly UpstreamTarget[];
  maxStanzaBytes: number;
  maxDepth: number;
}

export class BoshUpstreamSink implements BoshStreamSink {
  private stream: UpstreamStream | undefined;

  constructor(
    private readonly session: BoshSession,
    private readonly options: UpstreamBoshOptions,
  ) {
    session.onEnd((end) => {
      // XEP-0206 section 7: answered to the server before our stream closes.
      for (const serialised of end.undelivered) this.bounce(serialised);
      this.stream?.close();
    });
  }

  open(header: BoshStreamHeader): void {
    const decision = resolveRoute(header.route, this.options.upstream, this.options.routeAllow);
    // Already checked at creation (refuseCreation); kept as a guard.
    if (!decision.ok) return this.session.terminate(decision.condition);
    const target = decision.target;
    const streamOptions: UpstreamOptions = { verifyTls: !isLoopback(target.host), maxStanzaBytes: this.options.maxStanzaBytes, maxDepth: this.options.maxDepth };
    this.stream = new UpstreamStream(
      target,
      {
        header: () => undefined, // the creation response's attributes stand in for it
        element: (el) => this.toClient(el),
        streamError: (el) => this.session.terminate('remote-stream-error', [standalone(el)]),
        end: () => this.session.terminate(),
        failed: (reason) => {
          log.info({ upstream: target, reason }, 'connection manager: upstream connection failed');
          this.session.terminate('remote-connection-failed');
        },
      },
      streamOptions,
    );
    this.stream.open({ to: header.to ?? '', from: header.from, lang: header.lang, version: header.version });
  }

  restart(header: BoshStreamHeader): void {
    this.stream?.restart({ to: header.to, from: header.from, lang: header.lang, version: header.version });
  }

  stanzas(elements: Element[]): void {
    for (const el of elements) {
      // XEP-0206 section 2: TLS is the HTTP layer's business; a <starttls/> must not reach the server's stream.
      if (el.getNS() === NS.TLS) continue;
      this.stream?.send(el.toString());
    }
  }

  /** The session's end listener closes the upstream stream, after bouncing what was left undelivered. */
  close(): void {}

  private toClient(el: Element): void {
    const serialised = standalone(el);
    if (!this.session.deliver(serialised)) this.bounce(serialised);
  }

  private bounce(serialised: string): void {
    if (!this.stream?.isOpen) return;
    const reply = upstreamBounce(serialised);
    if (reply !== undefined) this.stream.send(reply);
  }
}

/** The backend of a connection manager's /http-bind: sessions relayed to `options.upstream`. */
export function upstreamBoshBackend(options: UpstreamBoshOptions): BoshBackend {
  return {
    // The server behind decides which domains it serves; it answers an unknown one with a stream error.
    isHostServed: () => true,
    refuseCreation: (attrs) => {
      const decision = resolveRoute(attrs.route, options.upstream, options.routeAllow);
      return decision.ok ? undefined : decision.condition;
    },
    createSink: (session) => new BoshUpstreamSink(session, options),
  };
}
