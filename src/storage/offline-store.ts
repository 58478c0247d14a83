// XEP-0160: messages for an account with no available resource are stored and delivered, in order,
// when the account next sends initial presence.

export interface OfflineStore {
  /** Stores one serialised message; resolves false when the account's quota is full. */
  store(user: string, stanza: string, quota: number): Promise<boolean>;
  /** Returns and removes every stored message, oldest first. */
  takeAll(user: string): Promise<string[]>;
  count(user: string): Promise<number>;
}
