// What a feature module gets (DESIGN.md section 4: modules use this API, protocol, xml and jid,
// never a transport). A module is a function of its context that hooks events and registers
// IQ handlers and disco features.

import type { EventBus } from './event-bus.js';
import type { Router } from './router.js';
import type { SessionRegistry } from './session-registry.js';
import type { IqDispatcher } from './iq-dispatcher.js';
import type { DiscoRegistry } from './disco-registry.js';
import type { AccountStore } from '../storage/accounts.js';
import type { RosterStore } from '../storage/roster-store.js';
import type { OfflineStore } from '../storage/offline-store.js';
import type { TokenStore } from '../storage/tokens.js';
import type { BlocklistStore } from '../storage/blocklist-store.js';

export interface ModuleStores {
  accounts: AccountStore;
  roster: RosterStore;
  offline: OfflineStore;
  tokens: TokenStore;
  blocklist: BlocklistStore;
}

export interface ModuleContext {
  domain: string;
  bus: EventBus;
  router: Router;
  sessions: SessionRegistry;
  iq: IqDispatcher;
  disco: DiscoRegistry;
  stores: ModuleStores;
  /** Normalises a JID (RFC 7622); undefined when invalid. */
  normalizeJid(jid: string): string | undefined;
  /** Serialised stream features a module adds after authentication. */
  addStreamFeature(serialised: string): void;
  /** Timers that the server clears on shutdown. */
  every(ms: number, fn: () => void): void;
}

export type ServerModule = (ctx: ModuleContext) => void | Promise<void>;

/**
 * Session lifecycle events fired by the stream engine and the presence module: 'session-bound',
 * 'session-ended', 'presence/initial|updated|unavailable'; in a cluster also 'session-resumed' (a session
 * moved here from another process, XEP-0198 5) and 'session-released' (a session moved away from this
 * process: it did not end, but what this process kept for it can go).
 */
export interface SessionEvent {
  session: import('./client-session.js').ClientSession;
  replaced?: boolean;
}

/**
 * 'presence/peers' (broadcast by the presence module before it writes presence to sessions itself):
 * presence is about to travel between `jid` (a local account's session, full JID, or its bare JID) and
 * each of `peers`, in either direction. Handlers replace `peers` with those allowed (XEP-0191 3.3: a
 * blocked entity neither gets the user's presence nor reaches the user with its own). It runs on every
 * presence broadcast, so handlers decide from memory.
 */
export interface PresencePeersEvent {
  jid: string;
  peers: import('./client-session.js').ClientSession[];
}

/**
 * 'session/flag': a per-session flag a module keeps changed (XEP-0280 'carbons', XEP-0191 'blocklist'
 * interest). The module fires it for its own sessions; in a cluster, src/cluster carries the flags with
 * each session's directory entry and fires it for the sessions of other processes, so the module's view
 * of a resource does not depend on where it is connected. Handlers of the module keep the flag.
 */
export interface SessionFlagEvent {
  session: import('./client-session.js').ClientSession;
  flag: string;
  on: boolean;
}

/**
 * 'cache/changed': a module committed a change to state it caches in memory under `key` of `cache`
 * (XEP-0191 block lists by account). In a cluster the other processes fire 'cache/stale' with the same
 * fields and drop their copy; awaiting the broadcast of 'cache/changed' waits until they were told.
 */
export interface CacheChangeEvent {
  cache: string;
  key: string;
}

/**
 * 'cache/stale': what a module caches may be older than the store. Without `key`, every key; without
 * `cache`, every cache (after a cluster bus outage, when changes made meanwhile went unannounced).
 */
export interface CacheStaleEvent {
  cache?: string;
  key?: string;
}
