// Reading one feed item (DESIGN.md section 3): <item id='event:ID'><change xmlns='urn:almanac:change:0'
// resource= id= action= sync-token= modified= actor=><json xmlns='urn:xmpp:json:0'>{...}</json></change>
// </item>, the JSON carried as character data as in XEP-0335. Each XMPP library hands over the
// attributes and the JSON text; this file alone decides what is a valid change, so both links agree.

import type { ChangeAction, ChangeResource, FeedChange } from './types.js';

export const CHANGE_NS = 'urn:almanac:change:0';
export const JSON_NS = 'urn:xmpp:json:0';
export const PUBSUB_NS = 'http://jabber.org/protocol/pubsub';
export const PUBSUB_EVENT_NS = 'http://jabber.org/protocol/pubsub#event';

/** The parts of a <change/> element, as an XMPP library exposes them. */
export interface RawChange {
  attr(name: string): string | null | undefined;
  /** Character data of the <json xmlns='urn:xmpp:json:0'/> child, or undefined without one. */
  json: string | undefined;
}

/** One item of a pubsub event notification (XEP-0060 section 7.1.2), library-neutral. */
export interface RawFeedItem {
  node: string;
  itemId: string | undefined;
  /** The <change/> payload, or undefined for other payloads (heartbeats, foreign items). */
  change: RawChange | undefined;
}

const RESOURCES = new Set<string>(['calendar', 'event', 'event_subscription']);
const ACTIONS = new Set<string>(['created', 'updated', 'deleted']);
const TOKEN = /^(0|[1-9][0-9]{0,15})$/;

export class FeedItemError extends Error {}

function token(raw: string | null | undefined, name: string): number {
  if (raw == null || !TOKEN.test(raw)) throw new FeedItemError(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** The typed change of a <change/> element; throws FeedItemError when it is not one. */
export function parseChange(raw: RawChange): FeedChange {
  const resource = raw.attr('resource');
  const action = raw.attr('action');
  const id = raw.attr('id');
  if (resource == null || !RESOURCES.has(resource)) throw new FeedItemError(`unknown resource ${JSON.stringify(resource)}`);
  if (action == null || !ACTIONS.has(action)) throw new FeedItemError(`unknown action ${JSON.stringify(action)}`);
  if (!id) throw new FeedItemError('the change has no id');
  if (raw.json === undefined) throw new FeedItemError('the change has no <json/> payload');
  let json: unknown;
  try {
    json = JSON.parse(raw.json);
  } catch {
    throw new FeedItemError('the <json/> payload is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new FeedItemError('the <json/> payload is not an object');
  const previous = raw.attr('prev-sync-token');
  return {
    resource: resource as ChangeResource,
    id,
    action: action as ChangeAction,
    syncToken: token(raw.attr('sync-token'), 'sync-token'),
    ...(previous != null ? { previousSyncToken: token(previous, 'prev-sync-token') } : {}),
    modified: raw.attr('modified') ?? '',
    actor: raw.attr('actor') ?? '',
    // A deletion, or a resource this user can no longer see, arrives as a tombstone {id, deleted: true}.
    data: action === 'deleted' || (json as { deleted?: unknown }).deleted === true ? null : json,
  };
}
