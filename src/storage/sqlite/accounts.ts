// Accounts on SQLite: one row per account with its SCRAM-SHA-1 and SCRAM-SHA-256 keys; the password
// itself is never stored (DESIGN.md section 8). Key derivation is injected so storage does not
// depend on the SASL layer.

import { AccountExistsError, type AccountStore, type ScramCredentials, type ScramHash } from '../accounts.js';
import type { SqliteDatabase } from './database.js';

export interface CredentialHasher {
  derive(password: string, hash: ScramHash): Promise<ScramCredentials>;
  verify(password: string, stored: ScramCredentials, hash: ScramHash): Promise<boolean>;
}

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

  private async credentials(password: string): Promise<{ sha1: string; sha256: string }> {
    const [sha1, sha256] = await Promise.all([this.hasher.derive(password, 'sha-1'), this.hasher.derive(password, 'sha-256')]);
    return { sha1: encode(sha1), sha256: encode(sha256) };
  }

  async create(username: string, password: string): Promise<void> {
    const c = await this.credentials(password);
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
    const c = await this.credentials(password);
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
    return decode(hash === 'sha-1' ? row.sha1 : row.sha256);
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    const stored = await this.getScramCredentials(username, 'sha-256');
    if (!stored) return false;
    return this.hasher.verify(password, stored, 'sha-256');
  }
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
