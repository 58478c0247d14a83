// RFC 6121 section 2 (roster items, versioning) and section 3 (subscription states, pending inbound
// requests that must survive until the contact answers).

export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface RosterItem {
  jid: string;
  name?: string;
  subscription: Subscription;
  /** An outbound subscription request is pending (the 'ask' of 2.1.2.2). */
  ask: boolean;
  /** The user pre-approved the contact's subscription (3.4). */
  approved: boolean;
  groups: string[];
}

export interface Roster {
  version: number;
  items: RosterItem[];
}

export interface RosterStore {
  getRoster(user: string): Promise<Roster>;
  getItem(user: string, jid: string): Promise<RosterItem | undefined>;
  /** Stores the item and returns the new roster version. */
  setItem(user: string, item: RosterItem): Promise<number>;
  /** Removes the item and returns the new roster version (the current one if nothing was removed). */
  removeItem(user: string, jid: string): Promise<number>;
  /** Inbound subscription requests not yet answered (3.1.3), with the stanza as received. */
  getPendingIn(user: string): Promise<{ from: string; stanza: string }[]>;
  setPendingIn(user: string, from: string, stanza: string): Promise<void>;
  removePendingIn(user: string, from: string): Promise<boolean>;
  /** Users whose roster contains `jid` (e.g. to clean up after an account is removed). */
  removeUser(user: string): Promise<void>;
}
