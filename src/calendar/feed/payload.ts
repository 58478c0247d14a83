// The feed item of DESIGN.md section 3, for one change as one user sees it:
//   <item id='event:ID'><change xmlns='urn:almanac:change:0' resource= id= action= sync-token= modified=
//   actor=><json xmlns='urn:xmpp:json:0'>{...}</json></change></item>
// XEP-0335 (JSON containers) carries the JSON as character data; XEP-0060 section 7.1 gives the item its
// id, so a newer change of the same resource replaces the older item on a node that keeps one per id.

import { Element, xml } from '../../xml/element.js';
import type { CommittedChange } from './change.js';

export const CHANGE_NS = 'urn:almanac:change:0';
export const JSON_NS = 'urn:xmpp:json:0';

/** The pubsub item id of a change: resource and id, e.g. `event:7f3c...`. */
export function feedItemId(change: Pick<CommittedChange, 'resource' | 'id'>): string {
  return `${change.resource}:${change.id}`;
}

/**
 * JSON text that is also legal XML 1.0 character data. JSON.stringify already escapes control characters
 * and lone surrogates; U+FFFE and U+FFFF are valid JSON but not XML characters, so they become \u escapes.
 * `&`, `<` and `>` are left to the XML serialiser.
 */
export function jsonForXml(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export interface FeedItemOptions {
  /** How the actor is written (e.g. as a bare JID); the username by default. */
  actorAddress?: (username: string) => string;
  /**
   * The sync token of the item published before this one on the same feed node, so a client can
   * tell a gap (an item it never saw) from a quiet feed and resync through sync_token.
   */
  previousSyncToken?: number;
}

/** The `<item>` for `username`, or undefined when the change does not concern that user. */
export function feedItem(change: CommittedChange, username: string, options: FeedItemOptions = {}): Element | undefined {
  if (!change.views.has(username)) return undefined;
  const view = change.views.get(username) ?? { id: change.id, deleted: true };
  return xml(
    'item',
    { id: feedItemId(change) },
    xml(
      'change',
      {
        xmlns: CHANGE_NS,
        resource: change.resource,
        id: change.id,
        action: change.action,
        'sync-token': String(change.syncToken),
        modified: change.modified,
        actor: options.actorAddress ? options.actorAddress(change.actor) : change.actor,
        ...(options.previousSyncToken !== undefined ? { 'prev-sync-token': String(options.previousSyncToken) } : {}),
      },
      xml('json', { xmlns: JSON_NS }, jsonForXml(view)),
    ),
  );
}

/** The serialised `<item>` for `username` (see feedItem). */
export function renderFeedItem(change: CommittedChange, username: string, options: FeedItemOptions = {}): string | undefined {
  return feedItem(change, username, options)?.toString();
}
