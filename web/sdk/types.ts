// The shapes the SDK hands to applications: the REST JSON of DESIGN.md section 3 (imported as types
// only, so the browser build never loads server code), the typed change events carried by the feed
// node feed/<username> (urn:almanac:change:0), the discovery document of GET /api/v2/realtime and the
// connection state.

import type { CalendarJson, EventJson, InstanceJson, ShareJson, SubscriptionJson } from '../../src/calendar/model/views.js';
import type { EventTime, Tombstone } from '../../src/calendar/model/types.js';

export type { CalendarJson, EventJson, InstanceJson, ShareJson, SubscriptionJson, EventTime, Tombstone };

export type ChangeResource = 'calendar' | 'event' | 'event_subscription';
export type ChangeAction = 'created' | 'updated' | 'deleted';

/** The JSON of each resource kind, as the signed-in user sees it. */
export interface ResourceJson {
  calendar: CalendarJson;
  event: EventJson;
  event_subscription: SubscriptionJson;
}

export const RESOURCES: readonly ChangeResource[] = ['calendar', 'event', 'event_subscription'];

interface ChangeOf<R extends ChangeResource> {
  resource: R;
  id: string;
  /** What happened to the client's copy: a calendar just shared with the user is `created` for it. */
  action: ChangeAction;
  /** The sync token of the commit; every change of one commit shares it. */
  syncToken: number;
  /** The resource after the change, or null when it is gone for this user (a tombstone). */
  data: ResourceJson[R] | null;
  /** ISO 8601 time of the commit (feed items; a resync knows it only for live resources). */
  modified?: string;
  /** Who made the change (feed items only). */
  actor?: string;
  /** Where the change came from: a live feed item, a REST resync, or this client's own REST write. */
  source: 'feed' | 'resync' | 'local';
}

/** One typed change, as emitted by `client.on('change', ...)`. */
export type Change = { [R in ChangeResource]: ChangeOf<R> }[ChangeResource];

/** A feed item after parsing, before the sync rules decide whether to apply it. */
export interface FeedChange {
  resource: ChangeResource;
  id: string;
  action: ChangeAction;
  syncToken: number;
  /** The sync token of the previous item on the same feed node, when the server says so (gap detection). */
  previousSyncToken?: number;
  modified: string;
  actor: string;
  data: object | null;
}

/** What GET /api/v2/realtime tells a client (DESIGN.md section 3). */
export interface RealtimeInfo {
  domain: string;
  /** The account's bare JID (username@domain when absent). */
  jid?: string;
  websocket_url?: string | null;
  bosh_url?: string | null;
  pubsub_service: string;
  node: string;
  heartbeat_node?: string | null;
  /** Minutes between heartbeat items (0 or absent: no heartbeat). */
  heartbeat_minutes?: number | null;
}

export type Transport = 'websocket' | 'bosh';

export type ConnectionStatus = 'offline' | 'connecting' | 'resyncing' | 'live';

export interface ConnectionState {
  status: ConnectionStatus;
  /** The transport in use (connecting, resyncing, live). */
  transport?: Transport;
  /** Why the client is offline or retrying. */
  error?: string;
  /** When offline with a retry scheduled: milliseconds until the next attempt. */
  retryInMs?: number;
}

export type ResyncReason = 'connect' | 'gap' | 'manual';

export interface SyncedEvent {
  reason: ResyncReason;
  /** Changes the resync applied. */
  changes: number;
  /** A full download (first sync, or the server no longer had the old token). */
  full: boolean;
}
