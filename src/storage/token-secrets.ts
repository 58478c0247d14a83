// How a bearer token is made, stored and judged (DESIGN.md sections 3 and 8): 256 random bits shown to
// the client once, only their SHA-256 kept, expiry judged by this process's clock. Shared by the SQLite and
// PostgreSQL token stores so that a token issued through one backend verifies through the other and both
// expire it at the same instant; the backends only store the rows.

import { createHash, randomBytes } from 'node:crypto';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh secret for the client and the id that names it in listings and logs (never the secret). */
export function newTokenSecret(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  const id = randomBytes(8).toString('hex');
  return { token, id };
}

/** No ttl (or 0): the token does not expire. */
export function expiryOf(issuedAt: Date, ttlSeconds: number | undefined): Date | undefined {
  return ttlSeconds ? new Date(issuedAt.getTime() + ttlSeconds * 1000) : undefined;
}

/** A token is dead from its expiry instant on; the clock is read only for tokens that expire. */
export function hasExpired(expiresAt: Date | null | undefined, now: () => Date): boolean {
  if (!expiresAt) return false;
  return expiresAt <= now();
}
