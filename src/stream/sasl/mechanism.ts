// RFC 4422 section 3 (the SASL exchange as a server-side state machine) and RFC 6120 section 6.5
// (the failure conditions XMPP can report). Mechanisms here are pure: bytes in, a step out; the
// stream layer does the base64 and the <challenge/>/<success/>/<failure/> elements.

import type { ScramCredentials, ScramHash } from '../../storage/accounts.js';

export type { ScramCredentials, ScramHash };

export type SaslFailure =
  | 'aborted'
  | 'account-disabled'
  | 'credentials-expired'
  | 'encryption-required'
  | 'incorrect-encoding'
  | 'invalid-authzid'
  | 'invalid-mechanism'
  | 'malformed-request'
  | 'mechanism-too-weak'
  | 'not-authorized'
  | 'temporary-auth-failure';

export type SaslStep =
  | { kind: 'challenge'; data: Buffer }
  | { kind: 'success'; data?: Buffer; username: string; authzid?: string }
  | { kind: 'failure'; condition: SaslFailure; text?: string };

export interface SaslMechanism {
  readonly name: string;
  /** The initial response: undefined when the client sent none, an empty Buffer for "=". */
  start(initial: Buffer | undefined): Promise<SaslStep>;
  step(response: Buffer): Promise<SaslStep>;
}

/** What the mechanisms need from the server; implemented by the accounts and token stores. */
export interface SaslCredentialSource {
  /** SCRAM keys for `username` (an already normalised JID localpart), or undefined. */
  getScramCredentials(username: string, hash: ScramHash): Promise<ScramCredentials | undefined>;
  /** For PLAIN: verify a password (the store holds SCRAM keys only and verifies by deriving). */
  verifyPassword(username: string, password: string): Promise<boolean>;
  /** For OAUTHBEARER / X-OAUTH2: map a bearer token to a username, or undefined. */
  verifyToken(token: string): Promise<string | undefined>;
}

/** RFC 9266 section 2 (tls-exporter) and RFC 5929 section 3 (tls-unique, TLS 1.2 only). */
export type ChannelBindingType = 'tls-exporter' | 'tls-unique';

/** How transports obtain tls-exporter data: socket.exportKeyingMaterial(LENGTH, LABEL). */
export const TLS_EXPORTER_LABEL = 'EXPORTER-Channel-Binding';
export const TLS_EXPORTER_LENGTH = 32;

export interface SaslContext {
  /** Whether the stream is encrypted (TLS). */
  secure: boolean;
  /** Present when the server can offer the -PLUS mechanisms on this stream. */
  channelBinding?: { type: ChannelBindingType; data: Buffer };
  /** The domain the stream is for; authzids are compared with username@domain. */
  domain: string;
}

export function failure(condition: SaslFailure, text?: string): SaslStep {
  return text === undefined ? { kind: 'failure', condition } : { kind: 'failure', condition, text };
}

export function challenge(data: Buffer): SaslStep {
  return { kind: 'challenge', data };
}
