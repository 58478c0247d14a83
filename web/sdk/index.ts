// The almanac client SDK (docs/SDK.md): AlmanacClient with its REST calls, typed change events and the
// resync rule, plus the pieces an application may use on their own. The XMPP library adapters are
// separate entry points: strophe-link.js for browsers, stanza-link.js for Node.

export { AlmanacClient, type AlmanacClientOptions, type ClientEvents } from './client.js';
export { RealtimeConnection, SIGNED_OUT, type ConnectionOptions } from './realtime-connection.js';
export { ApiError, RestApi, type CalendarInput, type EventInput, type SyncPage } from './rest-api.js';
export { FeedSync, ResourceCache, type FeedSyncHooks, type SyncSource } from './feed-sync.js';
export { FeedItemError, parseChange, CHANGE_NS, JSON_NS, type RawChange, type RawFeedItem } from './feed-item.js';
export { discoverRealtime, type ResolvedRealtime } from './realtime-discovery.js';
export type { LinkConnectOptions, LinkHandlers, SubscriptionState, XmppLink, XmppLinkFactory } from './xmpp-link.js';
export * from './types.js';
