// RFC 6120 section 6.4: the SASL exchange on a stream (<auth/>, <challenge/>, <response/>,
// <success/>, <failure/>, <abort/>). The mechanisms themselves are pure state machines in ./sasl/;
// this file only frames them and applies the policy: which mechanisms are offered, encryption,
// retries per stream and failures per address.

import type { Element } from '../xml/element.js';
import { NS } from '../protocol/namespaces.js';
import { escapeText } from '../xml/escape.js';
import { createMechanism, offeredMechanisms, type SaslMechanism, type SaslStep } from './sasl/index.js';
import type { StreamEngine } from './stream-engine.js';

/** Mechanisms some clients still try that we know and refuse as weaker than SCRAM (RFC 6120 6.5.9). */
const WEAK_MECHANISMS = new Set(['DIGEST-MD5', 'CRAM-MD5', 'LOGIN', 'ANONYMOUS']);
const CLEAR_TEXT_MECHANISMS = new Set(['PLAIN', 'OAUTHBEARER', 'X-OAUTH2']);
const STORE_UNAVAILABLE = 'The account store is unavailable; try again later';

export class SaslNegotiation {
  private mechanism: SaslMechanism | undefined;
  private mechanismName = '';
  private attempts = 0;

  constructor(private readonly engine: StreamEngine) {}

  private context() {
    const t = this.engine.transport;
    return { secure: t.secure, domain: this.engine.ctx.domain, channelBinding: t.channelBinding() };
  }

  offered(): string[] {
    return offeredMechanisms(this.context(), { allowPlainInsecure: !this.engine.ctx.policy.requireTls });
  }

  async handle(el: Element): Promise<void> {
    if (this.engine.authenticated) return this.engine.fail('policy-violation', 'Already authenticated');
    switch (el.localName) {
      case 'auth':
        return this.start(el);
      case 'response':
        return this.respond(el);
      case 'abort':
        this.mechanism = undefined;
        return this.failure('aborted');
      default:
        return this.engine.fail('unsupported-stanza-type', `Unknown SASL element ${el.localName}`);
    }
  }

  private async start(el: Element): Promise<void> {
    if (this.mechanism) {
      this.mechanism = undefined;
      return this.failure('aborted', 'A new <auth/> aborts the exchange in progress');
    }
    const address = this.engine.transport.remoteAddress;
    if (this.engine.ctx.authThrottle.isBlocked(address)) {
      return this.failure('temporary-auth-failure', 'Too many failed attempts; try again later');
    }
    const name = el.attrs.mechanism ?? '';
    const offered = this.offered();
    if (!offered.includes(name)) {
      if (CLEAR_TEXT_MECHANISMS.has(name) && !this.engine.transport.secure) return this.failure('encryption-required');
      if (this.engine.ctx.policy.requireTls && !this.engine.transport.secure) return this.failure('encryption-required');
      if (WEAK_MECHANISMS.has(name)) return this.failure('mechanism-too-weak');
      return this.failure('invalid-mechanism');
    }
    const mechanism = createMechanism(name, this.context(), this.engine.ctx.credentials);
    if (!mechanism) return this.failure('invalid-mechanism');
    const initial = decode(el.text());
    if (initial === null) return this.failure('incorrect-encoding');
    this.mechanism = mechanism;
    this.mechanismName = name;
    await this.apply(await mechanism.start(initial));
  }

  private async respond(el: Element): Promise<void> {
    const mechanism = this.mechanism;
    if (!mechanism) return this.failure('malformed-request', 'No exchange in progress');
    const data = decode(el.text());
    if (data === null) return this.failure('incorrect-encoding');
    await this.apply(await mechanism.step(data ?? Buffer.alloc(0)));
  }

  private async apply(step: SaslStep): Promise<void> {
    if (this.engine.isClosed) return;
    switch (step.kind) {
      case 'challenge':
        this.engine.writeNonza(`<challenge xmlns='${NS.SASL}'>${step.data.toString('base64')}</challenge>`);
        return;
      case 'success': {
        this.mechanism = undefined;
        const data = step.data && step.data.length > 0 ? step.data.toString('base64') : '';
        this.engine.username = step.username;
        this.engine.mechanism = this.mechanismName;
        this.engine.transport.onAuthenticated?.();
        this.engine.writeNonza(data ? `<success xmlns='${NS.SASL}'>${data}</success>` : `<success xmlns='${NS.SASL}'/>`);
        this.engine.expectRestart();
        return;
      }
      case 'failure':
        this.mechanism = undefined;
        // RFC 6120 6.5.12: the mechanisms answer temporary-auth-failure when the credential store could
        // not be read (a database that is down). The credentials were not found wrong, so it is no failed
        // attempt of the address: counting it would lock out every client behind an address that
        // retried during an outage for a minute after it.
        if (step.condition === 'temporary-auth-failure') return this.failure(step.condition, step.text ?? STORE_UNAVAILABLE);
        this.engine.ctx.authThrottle.recordFailure(this.engine.transport.remoteAddress);
        return this.failure(step.condition, step.text);
    }
  }

  private failure(condition: string, text?: string): void {
    let out = `<failure xmlns='${NS.SASL}'><${condition}/>`;
    if (text) out += `<text xml:lang='en'>${escapeText(text)}</text>`;
    this.engine.writeNonza(out + '</failure>');
    if (condition !== 'aborted' && ++this.attempts >= this.engine.ctx.policy.maxSaslAttempts) {
      this.engine.fail('policy-violation', 'Too many authentication attempts');
    }
  }
}

/** RFC 6120 6.4.2: '=' is an empty response; no text is an absent one; anything else is base64. */
function decode(text: string): Buffer | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === '=') return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  return Buffer.from(t, 'base64');
}
