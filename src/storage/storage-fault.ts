// Which failures of a store are the storage being temporarily unable to serve (DESIGN.md section 8:
// "storage faults are clear errors, not corruption"), as opposed to bugs. One classification for every
// protocol: REST answers them with 503 and Retry-After (RFC 9110 15.6.4), XMPP with stanza errors of
// type 'wait' (RFC 6120 8.3.2) and SASL with <temporary-auth-failure/> (RFC 6120 6.5.12).
//
// Codes: SQLite result codes (better-sqlite3's err.code), PostgreSQL SQLSTATEs (Appendix A of its
// manual), Node's socket errors, and the few connection failures node-postgres reports without a code.

/**
 * busy: locked or contended, retry in a moment; full: out of disk space, retrying soon will not help;
 * unavailable: the database cannot be reached (down, restarting, refusing connections).
 */
export type StorageFault = 'busy' | 'full' | 'unavailable';

const BUSY = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  '55P03', // lock_not_available
  '40P01', // deadlock_detected (after the transaction retries ran out)
  '40001', // serialization_failure (likewise)
  '53300', // too_many_connections
]);

const FULL = new Set(['SQLITE_FULL', '53100' /* disk_full */]);

const UNAVAILABLE = new Set([
  // The socket to the server.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // Class 08, connection exception.
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // Class 57, operator intervention: the server shuts down, crashed, or is still starting.
  '57P01',
  '57P02',
  '57P03',
]);

/** node-postgres reports a connection that died under it, or a connect timeout, as a plain Error. */
const CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** What kind of storage fault `err` is, or undefined when it is something else (a bug, a bad request). */
export function storageFault(err: unknown): StorageFault | undefined {
  // openPostgresStorage and friends wrap the driver's error: look one level down too.
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 2; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (BUSY.has(code)) return 'busy';
      if (FULL.has(code)) return 'full';
      if (UNAVAILABLE.has(code)) return 'unavailable';
    }
    if (CONNECTION_LOST.test(e.message)) return 'unavailable';
  }
  return undefined;
}

/** A short description of a storage error for logs: the driver's message, never a URL or a password. */
export function faultReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${err.message}, ${code}` : err.message;
}
