// RFC 6120 sections 4 to 7: one stream's negotiation, shared by TCP, WebSocket and BOSH.
// Header checks (4.7-4.8), features (4.3.2), STARTTLS (5), SASL (6), resource binding (7), then
// stanzas go to the router with `from` stamped (8.1.2.1). Every violation ends in the stream error
// of section 4.9.3 that names it.

import { randomBytes } from 'node:crypto';
import { log } from '../core/log.js';
import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import { escapeAttribute } from '../xml/escape.js';
import { streamErrorXml, type StreamErrorCondition } from '../protocol/stream-error.js';
import { errorReply } from '../protocol/stanza-error.js';
import { ClientSession } from '../core/client-session.js';
import type { StreamContext } from './stream-context.js';
import type { StreamHeader, StreamTransport } from './stream-transport.js';
import { featuresXml } from './features.js';
import { SaslNegotiation } from './sasl-negotiation.js';
import { bindResource } from './resource-binding.js';
import { StreamManagement } from './stream-management-negotiation.js';

type Phase = 'header' | 'negotiating' | 'bound' | 'closed';

export class StreamEngine {
  private phase: Phase = 'header';
  private headerSent = false;
  private streamId = '';
  /** Set by a successful SASL exchange. */
  username: string | undefined;
  mechanism = '';
  session: ClientSession | undefined;
  private sasl: SaslNegotiation;
  private authTimer: NodeJS.Timeout | undefined;
  readonly sm: StreamManagement;

  constructor(readonly transport: StreamTransport, readonly ctx: StreamContext) {
    this.sasl = new SaslNegotiation(this);
    this.sm = new StreamManagement(this);
    this.authTimer = setTimeout(() => {
      if (this.phase !== 'bound' && this.phase !== 'closed') this.fail('connection-timeout', 'Authentication took too long');
    }, ctx.policy.authTimeoutMs);
    this.authTimer.unref?.();
  }

  get id(): string {
    return this.streamId;
  }

  get authenticated(): boolean {
    return this.username !== undefined;
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /**
   * A new stream header arrived (initial, or a restart after TLS or SASL). `problem` is a condition
   * the transport found in the framing (wrong namespace or prefix); the engine still answers with a
   * header first, as RFC 6120 4.9.1.1 requires.
   */
  onStreamStart(header: StreamHeader, problem?: StreamErrorCondition): void {
    if (this.phase === 'closed') return;
    this.streamId = randomBytes(12).toString('base64url');
    const attrs: Record<string, string> = {
      id: this.streamId,
      from: this.ctx.domain,
      version: '1.0',
      'xml:lang': 'en',
    };
    if (this.session) attrs.to = this.session.full;
    else if (this.username) attrs.to = `${this.username}@${this.ctx.domain}`;
    this.transport.openStream(attrs);
    this.headerSent = true;
    if (problem) return this.fail(problem);
    const version = header.version;
    if (version === undefined || !/^\d+\.\d+$/.test(version) || Number(version.split('.')[0]) !== 1) {
      return this.fail('unsupported-version', 'This server speaks XMPP 1.0 only');
    }
    if (header.to === undefined || header.to.toLowerCase() !== this.ctx.domain) {
      return this.fail('host-unknown', `This server serves ${this.ctx.domain}`);
    }
    this.phase = 'negotiating';
    this.sendFeatures();
  }

  private sendFeatures(): void {
    if (this.authenticated) {
      const extras = this.sm.offered ? [...this.ctx.boundFeatures, `<sm xmlns='${NS.SM}'/>`] : this.ctx.boundFeatures;
      this.transport.write(featuresXml('bound', { offerStartTls: false, requireTls: false, mechanisms: [], extras }));
      return;
    }
    const offerStartTls = !this.transport.secure && this.transport.canStartTls;
    const requireTls = this.ctx.policy.requireTls && !this.transport.secure;
    this.transport.write(
      featuresXml('tls', {
        offerStartTls,
        requireTls: offerStartTls && this.ctx.policy.requireTls,
        mechanisms: requireTls && offerStartTls ? [] : this.sasl.offered(),
        channelBindingTypes: [this.transport.channelBinding()?.type].filter((t): t is 'tls-exporter' | 'tls-unique' => t !== undefined),
        extras: [],
      }),
    );
  }

  /** A complete first-level element of the stream. */
  async onElement(el: Element): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.phase === 'header') return this.fail('not-well-formed', 'Data before the stream header');
    const ns = el.getNS();
    if (this.phase === 'negotiating') {
      if (ns === NS.TLS && el.localName === 'starttls') return this.startTls();
      if (ns === NS.SASL) return this.sasl.handle(el);
      if (!this.authenticated) {
        return this.fail('not-authorized', 'Authenticate before sending stanzas');
      }
      if (ns === NS.SM && this.sm.offered) return this.sm.handleBeforeBind(el);
      if (el.localName === 'iq' && ns === NS.CLIENT) {
        const bind = el.getChild('bind', NS.BIND);
        if (bind && el.attrs.type === 'set') return bindResource(this, el, bind);
        if (el.getChild('session', NS.SESSION)) return this.answer(el, 'result');
      }
      return this.fail('not-authorized', 'Bind a resource before sending stanzas');
    }
    // phase 'bound'
    this.session!.lastActivity = Date.now();
    if (ns === NS.SM && this.sm.offered) return this.sm.handle(el);
    if (ns !== NS.CLIENT) {
      const handler = this.ctx.nonzaHandlers.get(`${ns ?? ''} ${el.localName}`);
      if (handler) return handler(this, el);
      if (ns === NS.SASL || ns === NS.TLS) return this.fail('policy-violation', 'Negotiation is over');
      return this.fail('unsupported-stanza-type', `Unknown element ${el.name}`);
    }
    if (el.localName === 'iq' && el.getChild('session', NS.SESSION) && el.attrs.type === 'set') {
      return this.answer(el, 'result');
    }
    if (el.localName === 'iq' && el.getChild('bind', NS.BIND)) {
      return this.session?.send(errorReply(el, { condition: 'not-allowed', text: 'A resource is already bound' }));
    }
    if (el.localName !== 'message' && el.localName !== 'presence' && el.localName !== 'iq') {
      return this.fail('unsupported-stanza-type', `Unknown stanza ${el.name}`);
    }
    await this.routeStanza(el);
    this.sm.countInbound();
  }

  private async routeStanza(el: Element): Promise<void> {
    const session = this.session!;
    const from = el.attrs.from;
    // RFC 6120 8.1.2.1: a client may only name itself; anything else is a spoof.
    if (from !== undefined && from !== session.full && from !== session.bare) {
      return this.fail('invalid-from', 'The from address does not match this stream');
    }
    el.attrs.from = session.full;
    el.parent = null;
    if (el.attrs.xmlns === undefined) el.attrs.xmlns = NS.CLIENT;
    if (el.localName === 'iq') {
      const type = el.attrs.type;
      if (el.attrs.id === undefined || (type !== 'get' && type !== 'set' && type !== 'result' && type !== 'error')) {
        if (type !== 'error') session.send(errorReply(el, { condition: 'bad-request', text: 'An IQ needs an id and a valid type' }));
        return;
      }
    }
    await this.ctx.router.fromClient(session, el);
  }

  /** RFC 3921 legacy session establishment: accepted and answered, nothing else to do. */
  private answer(el: Element, type: 'result'): void {
    this.writeNonza(`<iq xmlns='${NS.CLIENT}' type='${type}' id='${escapeAttribute(el.attrs.id ?? '')}'/>`);
  }

  private async startTls(): Promise<void> {
    if (this.transport.secure || !this.transport.canStartTls || !this.transport.startTls || this.authenticated) {
      this.transport.write(`<failure xmlns='${NS.TLS}'/>`);
      this.close();
      return;
    }
    this.transport.write(`<proceed xmlns='${NS.TLS}'/>`);
    this.phase = 'header';
    this.headerSent = false;
    try {
      await this.transport.startTls();
    } catch {
      this.phase = 'closed';
      this.transport.destroy();
    }
  }

  /** RFC 6120 4.3.3: after TLS or SASL success both sides start a new stream on the same connection. */
  expectRestart(): void {
    this.phase = 'header';
    this.headerSent = false;
    this.transport.resetParser();
  }

  /** Called by resource binding (or a XEP-0198 resume) once the session is registered. */
  bound(session: ClientSession): void {
    this.session = session;
    this.phase = 'bound';
    if (this.authTimer) clearTimeout(this.authTimer);
  }

  /** XEP-0198: another stream resumed this one's session; go away without ending it. */
  supersede(): void {
    this.session = undefined;
    this.ended = true;
    this.phase = 'closed';
    this.transport.destroy();
  }

  /** Writes a negotiation element (not counted by stream management). */
  writeNonza(serialised: string): void {
    if (this.phase !== 'closed') this.transport.write(serialised);
  }

  /** The output of a bound session's stanzas (counted and queued when XEP-0198 is enabled). */
  writeStanza(serialised: string): void {
    if (this.sm.state) return this.sm.state.send(serialised);
    if (this.phase === 'closed') return;
    this.transport.write(serialised);
  }

  /** Writes without stream-management accounting (resent or already queued stanzas). */
  writeRaw(serialised: string): void {
    if (this.phase !== 'closed') this.transport.write(serialised);
  }

  /** The peer closed its stream (</stream:stream> or <close/>): answer and end (RFC 6120 4.4). */
  onStreamEnd(): void {
    if (this.phase === 'closed') return;
    this.close();
  }

  /** The parser found a violation. */
  onParseError(condition: StreamErrorCondition, text?: string): void {
    this.fail(condition, text);
  }

  /** The connection is gone (socket closed, BOSH session ended). */
  onTransportClosed(): void {
    const wasOpen = this.phase !== 'closed';
    this.phase = 'closed';
    if (this.authTimer) clearTimeout(this.authTimer);
    // XEP-0198 5: a broken (not closed) stream with resumption keeps its session for a while.
    if (wasOpen && this.session && this.sm.detach(() => this.finishSession())) return;
    if (wasOpen || this.session) void this.finishSession();
  }

  /** Ends the stream with a stream error (RFC 6120 4.9.1.1: header first if not sent). */
  fail(condition: StreamErrorCondition, text?: string): void {
    if (this.phase === 'closed') return;
    if (!this.headerSent) {
      this.transport.openStream({ id: randomBytes(12).toString('base64url'), from: this.ctx.domain, version: '1.0', 'xml:lang': 'en' });
      this.headerSent = true;
    }
    this.transport.write(streamErrorXml(condition, text));
    this.close();
  }

  /** Closes cleanly: our closing tag, then the connection. */
  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.authTimer) clearTimeout(this.authTimer);
    this.transport.closeStream();
    void this.finishSession();
  }

  private ended = false;
  /**
   * Ends the session in the background: a store failure while ending (presence, offline hand-back)
   * is logged, never an unhandled rejection, and the server's shutdown can wait for it.
   */
  private finishSession(): Promise<void> {
    const done = this.endSession().catch((err) => log.error({ err, user: this.username }, 'ending a session failed'));
    this.ctx.background?.add(done);
    void done.finally(() => this.ctx.background?.delete(done));
    return done;
  }

  private async endSession(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const session = this.session;
    if (!session) return;
    session.closed = true;
    const removed = this.ctx.sessions.remove(session);
    // XEP-0198 5: what the client never acknowledged goes back to the router, not to /dev/null.
    await this.sm.handBack();
    if (removed) await this.ctx.bus.broadcast('session-ended', { session });
  }
}
