// Accounts on SQLite: one row per account with its SCRAM-SHA-1 and SCRAM-SHA-256 keys; the password
// itself is never stored (DESIGN.md section 8). The key columns' encoding is storage/account-credentials.ts,
// shared with the PostgreSQL store.

import { AccountExistsError, type AccountStore, type ScramCredentials, type ScramHash } from '../accounts.js';
import type { SqliteDatabase } from './database.js';
import { credentialColumns, credentialsFromColumns, verifyPassword, type CredentialHasher } from '../account-credentials.js';

// Where the stream layer has always imported it from.
export type { CredentialHasher } from '../account-credentials.js';

interface Row {
  username: string;
  sha1: string;
  sha256: string;
}

export class SqliteAccountStore implements AccountStore {
  constructor(private readonly database: SqliteDatabase, private readonly hasher: CredentialHasher) {
    database.migrate('accounts', [
      `CREATE TABLE accounts (
        username TEXT PRIMARY KEY,
        sha1 TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
    ]);
  }

  async create(username: string, password: string): Promise<void> {
    const c = await credentialColumns(this.hasher, password);
    try {
      this.database.db
        .prepare('INSERT INTO accounts (username, sha1, sha256, created_at) VALUES (?, ?, ?, ?)')
        .run(username, c.sha1, c.sha256, new Date().toISOString());
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new AccountExistsError(username);
      throw err;
    }
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    const c = await credentialColumns(this.hasher, password);
    const r = this.database.db.prepare('UPDATE accounts SET sha1 = ?, sha256 = ? WHERE username = ?').run(c.sha1, c.sha256, username);
    return r.changes > 0;
  }

  async remove(username: string): Promise<boolean> {
    return this.database.db.prepare('DELETE FROM accounts WHERE username = ?').run(username).changes > 0;
  }

  async exists(username: string): Promise<boolean> {
    return this.database.db.prepare('SELECT 1 FROM accounts WHERE username = ?').get(username) !== undefined;
  }

  async list(): Promise<string[]> {
    return (this.database.db.prepare('SELECT username FROM accounts ORDER BY username').all() as Row[]).map((r) => r.username);
  }

  async getScramCredentials(username: string, hash: ScramHash): Promise<ScramCredentials | undefined> {
    const row = this.database.db.prepare('SELECT sha1, sha256 FROM accounts WHERE username = ?').get(username) as Row | undefined;
    if (!row) return undefined;
    return credentialsFromColumns(row, hash);
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    return verifyPassword(this.hasher, password, (hash) => this.getScramCredentials(username, hash));
  }
}
