// A SaslCredentialSource held in memory for the mechanism tests: SCRAM keys derived the way the
// accounts store derives them (RFC 5802 section 3), tokens as a plain map.

import { timingSafeEqual } from 'node:crypto';
import type { SaslCredentialSource, ScramCredentials, ScramHash } from '../../../src/stream/sasl/index.js';
import { deriveScramCredentials, keysFromSaltedPassword, saltedPassword } from '../../../src/stream/sasl/scram-keys.js';

export class MemoryCredentials implements SaslCredentialSource {
  private readonly keys = new Map<string, Record<ScramHash, ScramCredentials>>();
  private readonly tokens = new Map<string, string>();

  async addUser(username: string, password: string): Promise<this> {
    this.keys.set(username, {
      'sha-1': await deriveScramCredentials(password, 'sha-1'),
      'sha-256': await deriveScramCredentials(password, 'sha-256'),
    });
    return this;
  }

  setKeys(username: string, hash: ScramHash, credentials: ScramCredentials): this {
    const existing = this.keys.get(username);
    this.keys.set(username, { ...(existing ?? { 'sha-1': credentials, 'sha-256': credentials }), [hash]: credentials });
    return this;
  }

  addToken(token: string, username: string): this {
    this.tokens.set(token, username);
    return this;
  }

  async getScramCredentials(username: string, hash: ScramHash): Promise<ScramCredentials | undefined> {
    return this.keys.get(username)?.[hash];
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    const stored = this.keys.get(username)?.['sha-256'];
    if (!stored) return false;
    const { storedKey } = keysFromSaltedPassword('sha-256', await saltedPassword(password, 'sha-256', stored.salt, stored.iterations));
    return timingSafeEqual(storedKey, stored.storedKey);
  }

  async verifyToken(token: string): Promise<string | undefined> {
    return this.tokens.get(token);
  }
}

/** A credential source whose backing store is down. */
export const brokenCredentials: SaslCredentialSource = {
  getScramCredentials: () => Promise.reject(new Error('database is down')),
  verifyPassword: () => Promise.reject(new Error('database is down')),
  verifyToken: () => Promise.reject(new Error('database is down')),
};
