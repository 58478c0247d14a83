// Accounts and their credentials (RFC 6120 section 6, SASL): SCRAM keys are stored, never passwords
// (DESIGN.md section 8). Usernames are JID localparts, already normalised by the caller.

export interface ScramCredentials {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export type ScramHash = 'sha-1' | 'sha-256';

export class AccountExistsError extends Error {
  constructor(readonly username: string) {
    super(`account ${username} already exists`);
  }
}

export interface AccountStore {
  /** Creates an account; throws AccountExistsError when the name is taken. */
  create(username: string, password: string): Promise<void>;
  /** Replaces the credentials; resolves false when there is no such account. */
  setPassword(username: string, password: string): Promise<boolean>;
  remove(username: string): Promise<boolean>;
  exists(username: string): Promise<boolean>;
  list(): Promise<string[]>;
  verifyPassword(username: string, password: string): Promise<boolean>;
  getScramCredentials(username: string, hash: ScramHash): Promise<ScramCredentials | undefined>;
}
