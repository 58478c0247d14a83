// Bearer tokens on SQLite: only the SHA-256 of a token is stored, so a stolen database does not
// yield working credentials (DESIGN.md section 8).

import type { IssuedToken, TokenStore } from '../tokens.js';
import { expiryOf, hasExpired, hashToken, newTokenSecret } from '../token-secrets.js';
import type { SqliteDatabase } from './database.js';

export class SqliteTokenStore implements TokenStore {
  constructor(private readonly database: SqliteDatabase, private readonly now: () => Date = () => new Date()) {
    database.migrate('tokens', [
      `CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL,
        label TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT
      );
      CREATE INDEX tokens_username ON tokens (username);`,
    ]);
  }

  async issue(username: string, options: { label?: string; ttlSeconds?: number } = {}): Promise<IssuedToken> {
    const { token, id } = newTokenSecret();
    const expiresAt = expiryOf(this.now(), options.ttlSeconds);
    this.database.db
      .prepare('INSERT INTO tokens (id, hash, username, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, hashToken(token), username, options.label ?? null, this.now().toISOString(), expiresAt?.toISOString() ?? null);
    return { token, id, username, expiresAt };
  }

  async verify(token: string): Promise<string | undefined> {
    const row = this.database.db.prepare('SELECT username, expires_at FROM tokens WHERE hash = ?').get(hashToken(token)) as
      | { username: string; expires_at: string | null }
      | undefined;
    if (!row) return undefined;
    if (hasExpired(row.expires_at ? new Date(row.expires_at) : null, () => this.now())) return undefined;
    return row.username;
  }

  async revoke(token: string): Promise<boolean> {
    return this.database.db.prepare('DELETE FROM tokens WHERE hash = ?').run(hashToken(token)).changes > 0;
  }

  async revokeAll(username: string): Promise<number> {
    return this.database.db.prepare('DELETE FROM tokens WHERE username = ?').run(username).changes;
  }
}
