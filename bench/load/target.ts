// What the load generator needs to know about the server under test. The orchestrator fills it in
// from almanac's `ready` line or from the peer scripts' fixed ports (/work/shared/peers/README.md).

export interface Target {
  /** almanac, prosody or ejabberd: used in reports only. */
  server: string;
  host: string;
  /** Plain-TCP c2s port (RFC 6120; no TLS, SASL PLAIN allowed on loopback in bench mode). */
  port: number;
  domain: string;
  /** The XEP-0060 service address, pubsub.<domain> on all three servers. */
  pubsub: string;
  /** BOSH endpoint (XEP-0206), absent when the server has no HTTP listener yet. */
  boshUrl?: string;
  /** RFC 7395 WebSocket endpoint, absent when the server has no HTTP listener yet. */
  wsUrl?: string;
  /** Accounts bench0..bench<users-1>, all with this password. */
  userPrefix: string;
  users: number;
  password: string;
}

export function jidOf(target: Target, index: number): string {
  return `${target.userPrefix}${index}@${target.domain}`;
}

/** The SASL PLAIN initial response (RFC 4616 section 2): empty authzid, authcid, password. */
export function plainResponse(target: Target, index: number): string {
  return Buffer.from(`\0${target.userPrefix}${index}\0${target.password}`, 'utf8').toString('base64');
}
