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

/** Session lifecycle events fired by the stream engine and the presence module. */
export interface SessionEvent {
  session: import('./client-session.js').ClientSession;
  replaced?: boolean;
}
