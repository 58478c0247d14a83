// RFC 5802 section 3 (SCRAM algorithm: SaltedPassword, ClientKey, StoredKey, ServerKey,
// signatures and proof) with the hashes of RFC 5802 (SHA-1) and RFC 7677 (SHA-256). Passwords are
// prepared with SASLprep (RFC 4013) as RFC 5802 section 2.2 requires.

import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import saslprep from '@mongodb-js/saslprep';
import type { ScramCredentials, ScramHash } from './mechanism.js';

const pbkdf2Async = promisify(pbkdf2);

export const MIN_ITERATIONS = 4096; // RFC 7677 section 4 recommends at least this many
export const DEFAULT_SALT_BYTES = 16;

const NODE_HASH: Record<ScramHash, 'sha1' | 'sha256'> = { 'sha-1': 'sha1', 'sha-256': 'sha256' };
const HASH_BYTES: Record<ScramHash, number> = { 'sha-1': 20, 'sha-256': 32 };

export function hashLength(hash: ScramHash): number {
  return HASH_BYTES[hash];
}

export function hmac(hash: ScramHash, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(NODE_HASH[hash], key).update(data).digest();
}

export function digest(hash: ScramHash, data: Buffer): Buffer {
  return createHash(NODE_HASH[hash]).update(data).digest();
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** SASLprep (RFC 4013) of a password; throws when it contains prohibited code points. */
export function preparePassword(password: string): string {
  return saslprep(password);
}

/** Hi() of RFC 5802 section 2.2 is PBKDF2 with HMAC and dkLen = hash length. */
export async function saltedPassword(password: string, hash: ScramHash, salt: Buffer, iterations: number): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(preparePassword(password), 'utf8'), salt, iterations, HASH_BYTES[hash], NODE_HASH[hash]);
}

export function keysFromSaltedPassword(hash: ScramHash, salted: Buffer): { clientKey: Buffer; storedKey: Buffer; serverKey: Buffer } {
  const clientKey = hmac(hash, salted, 'Client Key');
  return { clientKey, storedKey: digest(hash, clientKey), serverKey: hmac(hash, salted, 'Server Key') };
}

/** What the server stores for a password (RFC 5802 section 3): never the password itself. */
export async function deriveScramCredentials(
  password: string,
  hash: ScramHash,
  iterations: number = MIN_ITERATIONS,
  salt: Buffer = randomBytes(DEFAULT_SALT_BYTES),
): Promise<ScramCredentials> {
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new RangeError(`SCRAM iteration count must be an integer of at least ${MIN_ITERATIONS}`);
  }
  if (salt.length === 0) throw new RangeError('SCRAM salt must not be empty');
  const { storedKey, serverKey } = keysFromSaltedPassword(hash, await saltedPassword(password, hash, salt, iterations));
  return { salt: Buffer.from(salt), iterations, storedKey, serverKey };
}
