// RFC 6120 section 6.4.1 (which mechanisms a server offers, strongest first) and the choice of
// engine for the one the client picked. Channel-binding variants come first when the transport can
// bind (RFC 9266); password-revealing and token mechanisms only on encrypted streams unless the
// operator allowed otherwise (DESIGN.md section 6, --no-require-tls).

import type { SaslContext, SaslCredentialSource, SaslMechanism } from './mechanism.js';
import { OAuthBearerMechanism } from './oauthbearer.js';
import { PlainMechanism } from './plain.js';
import { ScramMechanism } from './scram.js';
import { XOAuth2Mechanism } from './x-oauth2.js';

export function offeredMechanisms(ctx: SaslContext, opts: { allowPlainInsecure: boolean }): string[] {
  const names: string[] = [];
  if (ctx.channelBinding) names.push('SCRAM-SHA-256-PLUS', 'SCRAM-SHA-1-PLUS');
  names.push('SCRAM-SHA-256', 'SCRAM-SHA-1');
  if (ctx.secure || opts.allowPlainInsecure) names.push('PLAIN', 'OAUTHBEARER', 'X-OAUTH2');
  return names;
}

/**
 * The engine for `name`, or undefined when it is unknown or cannot run here (-PLUS without channel
 * binding data). Whether a clear-text mechanism is allowed on this stream is the caller's policy:
 * check offeredMechanisms first.
 */
export function createMechanism(name: string, ctx: SaslContext, creds: SaslCredentialSource): SaslMechanism | undefined {
  switch (name) {
    case 'SCRAM-SHA-256':
      return new ScramMechanism({ hash: 'sha-256', plus: false, ctx, creds });
    case 'SCRAM-SHA-1':
      return new ScramMechanism({ hash: 'sha-1', plus: false, ctx, creds });
    case 'SCRAM-SHA-256-PLUS':
      return ctx.channelBinding ? new ScramMechanism({ hash: 'sha-256', plus: true, ctx, creds }) : undefined;
    case 'SCRAM-SHA-1-PLUS':
      return ctx.channelBinding ? new ScramMechanism({ hash: 'sha-1', plus: true, ctx, creds }) : undefined;
    case 'PLAIN':
      return new PlainMechanism(ctx, creds);
    case 'OAUTHBEARER':
      return new OAuthBearerMechanism(ctx, creds);
    case 'X-OAUTH2':
      return new XOAuth2Mechanism(ctx, creds);
    default:
      return undefined;
  }
}
