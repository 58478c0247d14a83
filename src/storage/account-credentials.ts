// The credential columns of the accounts table (RFC 5802 SCRAM; DESIGN.md section 8: keys are stored,
// never passwords): one JSON text per hash with the salt, iteration count, StoredKey and ServerKey.
// Shared by the SQLite and PostgreSQL account stores so that both derive and encode keys the same way and
// an export from one backend reads the same in the other. Key derivation is injected (CredentialHasher)
// so storage does not depend on the SASL layer.

import type { ScramCredentials, ScramHash } from './accounts.js';

export interface CredentialHasher {
  derive(password: string, hash: ScramHash): Promise<ScramCredentials>;
  verify(password: string, stored: ScramCredentials, hash: ScramHash): Promise<boolean>;
}

/** The sha1 and sha256 column values for a password. */
export async function credentialColumns(hasher: CredentialHasher, password: string): Promise<{ sha1: string; sha256: string }> {
  const [sha1, sha256] = await Promise.all([hasher.derive(password, 'sha-1'), hasher.derive(password, 'sha-256')]);
  return { sha1: encode(sha1), sha256: encode(sha256) };
}

export function credentialsFromColumns(row: { sha1: string; sha256: string }, hash: ScramHash): ScramCredentials {
  return decode(hash === 'sha-1' ? row.sha1 : row.sha256);
}

/** A password is checked against the SCRAM-SHA-256 keys; `keysOf` loads the stored keys for a hash. */
export async function verifyPassword(
  hasher: CredentialHasher,
  password: string,
  keysOf: (hash: ScramHash) => Promise<ScramCredentials | undefined>,
): Promise<boolean> {
  const stored = await keysOf('sha-256');
  if (!stored) return false;
  return hasher.verify(password, stored, 'sha-256');
}

function encode(c: ScramCredentials): string {
  return JSON.stringify({
    salt: c.salt.toString('base64'),
    iterations: c.iterations,
    storedKey: c.storedKey.toString('base64'),
    serverKey: c.serverKey.toString('base64'),
  });
}

function decode(s: string): ScramCredentials {
  const o = JSON.parse(s) as { salt: string; iterations: number; storedKey: string; serverKey: string };
  return {
    salt: Buffer.from(o.salt, 'base64'),
    iterations: o.iterations,
    storedKey: Buffer.from(o.storedKey, 'base64'),
    serverKey: Buffer.from(o.serverKey, 'base64'),
  };
}
