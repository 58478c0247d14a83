// Accounts on PostgreSQL (RFC 6120 section 6, SASL): one row per account with its SCRAM-SHA-1 and
// SCRAM-SHA-256 keys; the password itself is never stored (DESIGN.md section 8). The key columns hold
// the same JSON text as the SQLite store, so an export from one backend reads the same in the other.

import { AccountExistsError, type AccountStore, type ScramCredentials, type ScramHash } from '../accounts.js';
import { credentialColumns, credentialsFromColumns, verifyPassword, type CredentialHasher } from '../account-credentials.js';
import type { PostgresDatabase } from './database.js';

const MIGRATIONS = [
  `CREATE TABLE accounts (
     username TEXT PRIMARY KEY,
     sha1 TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL
   )`,
];

const UNIQUE_VIOLATION = '23505';

export class PostgresAccountStore implements AccountStore {
  private constructor(private readonly database: PostgresDatabase, private readonly hasher: CredentialHasher) {}

  static async open(database: PostgresDatabase, hasher: CredentialHasher): Promise<PostgresAccountStore> {
    await database.migrate('accounts', MIGRATIONS);
    return new PostgresAccountStore(database, hasher);
  }

  async create(username: string, password: string): Promise<void> {
    const c = await credentialColumns(this.hasher, password);
    try {
      await this.database.run('INSERT INTO accounts (username, sha1, sha256, created_at) VALUES ($1, $2, $3, now())', [
        username,
        c.sha1,
        c.sha256,
      ]);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new AccountExistsError(username);
      throw err;
    }
  }

  async setPassword(username: string, password: string): Promise<boolean> {
    const c = await credentialColumns(this.hasher, password);
    return (await this.database.run('UPDATE accounts SET sha1 = $1, sha256 = $2 WHERE username = $3', [c.sha1, c.sha256, username])) > 0;
  }

  async remove(username: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM accounts WHERE username = $1', [username])) > 0;
  }

  async exists(username: string): Promise<boolean> {
    return (await this.database.one('SELECT 1 FROM accounts WHERE username = $1', [username])) !== undefined;
  }

  async list(): Promise<string[]> {
    // COLLATE "C": byte order, the same as SQLite's, whatever the database's locale.
    const rows = await this.database.rows<{ username: string }>('SELECT username FROM accounts ORDER BY username COLLATE "C"');
    return rows.map((r) => r.username);
  }

  async getScramCredentials(username: string, hash: ScramHash): Promise<ScramCredentials | undefined> {
    const row = await this.database.one<{ sha1: string; sha256: string }>('SELECT sha1, sha256 FROM accounts WHERE username = $1', [
      username,
    ]);
    if (!row) return undefined;
    return credentialsFromColumns(row, hash);
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    return verifyPassword(this.hasher, password, (hash) => this.getScramCredentials(username, hash));
  }
}
