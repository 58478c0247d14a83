// Bearer tokens on PostgreSQL (DESIGN.md section 3, one credential for REST and XMPP): only the SHA-256
// of a token is stored, so a stolen database does not yield working credentials (section 8).

import type { IssuedToken, TokenStore } from '../tokens.js';
import { expiryOf, hasExpired, hashToken, newTokenSecret } from '../token-secrets.js';
import type { PostgresDatabase } from './database.js';

const MIGRATIONS = [
  `CREATE TABLE tokens (
     id TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     username TEXT NOT NULL,
     label TEXT,
     created_at TIMESTAMPTZ NOT NULL,
     expires_at TIMESTAMPTZ
   );
   CREATE INDEX tokens_username ON tokens (username);`,
];

export class PostgresTokenStore implements TokenStore {
  private constructor(private readonly database: PostgresDatabase, private readonly now: () => Date) {}

  /** `now` is this process's clock: expiry is judged by it, as in the SQLite store, not by the server's. */
  static async open(database: PostgresDatabase, now: () => Date = () => new Date()): Promise<PostgresTokenStore> {
    await database.migrate('tokens', MIGRATIONS);
    return new PostgresTokenStore(database, now);
  }

  async issue(username: string, options: { label?: string; ttlSeconds?: number } = {}): Promise<IssuedToken> {
    const { token, id } = newTokenSecret();
    const now = this.now();
    const expiresAt = expiryOf(now, options.ttlSeconds);
    await this.database.run(
      'INSERT INTO tokens (id, hash, username, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, hashToken(token), username, options.label ?? null, now, expiresAt ?? null],
    );
    return { token, id, username, expiresAt };
  }

  async verify(token: string): Promise<string | undefined> {
    const row = await this.database.one<{ username: string; expires_at: Date | null }>(
      'SELECT username, expires_at FROM tokens WHERE hash = $1',
      [hashToken(token)],
    );
    if (!row) return undefined;
    if (hasExpired(row.expires_at, () => this.now())) return undefined;
    return row.username;
  }

  async revoke(token: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM tokens WHERE hash = $1', [hashToken(token)])) > 0;
  }

  async revokeAll(username: string): Promise<number> {
    return this.database.run('DELETE FROM tokens WHERE username = $1', [username]);
  }
}
