// Reading feed items (web/sdk/feed-item.ts): the <change xmlns='urn:almanac:change:0'/> payload of
// DESIGN.md section 3, as the server's own renderer (src/calendar/feed/payload.ts) writes it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FeedItemError, parseChange, type RawChange } from '../../web/sdk/feed-item.js';
import { feedItem } from '../../src/calendar/feed/payload.js';
import type { CommittedChange } from '../../src/calendar/feed/change.js';
import type { Element } from '../../src/xml/element.js';

function raw(attrs: Record<string, string>, json: string | undefined): RawChange {
  return { attr: (n) => attrs[n], json };
}

const base = { resource: 'event', id: '7f3c', action: 'updated', 'sync-token': '1448', modified: '2026-11-24T10:15:00Z', actor: 'alice' };

/** The <change/> of an <item/> from the server's renderer, read the way a link reads it. */
function fromServer(item: Element): RawChange {
  const change = item.getChild('change', 'urn:almanac:change:0')!;
  return { attr: (n) => change.attr(n), json: change.getChild('json', 'urn:xmpp:json:0')?.text() };
}

describe('parseChange', () => {
  it('reads what the server renders: resource, id, action, sync token, time, actor and the JSON', () => {
    const change: CommittedChange = {
      resource: 'event',
      id: '7f3c',
      action: 'updated',
      syncToken: 1448,
      modified: '2026-11-24T10:15:00Z',
      actor: 'alice',
      views: new Map([['bob', { id: '7f3c', title: 'Stand-up <daily> & more' }]]),
    };
    assert.deepEqual(parseChange(fromServer(feedItem(change, 'bob')!)), {
      resource: 'event',
      id: '7f3c',
      action: 'updated',
      syncToken: 1448,
      modified: '2026-11-24T10:15:00Z',
      actor: 'alice',
      data: { id: '7f3c', title: 'Stand-up <daily> & more' },
    });
  });

  it('a user who lost sight of a resource gets its tombstone as null data', () => {
    const change: CommittedChange = {
      resource: 'calendar',
      id: 'c1',
      action: 'updated',
      syncToken: 9,
      modified: '2026-11-24T10:15:00Z',
      actor: 'alice',
      views: new Map([['bob', null]]),
    };
    const parsed = parseChange(fromServer(feedItem(change, 'bob')!));
    assert.equal(parsed.data, null);
  });

  it('a deletion carries null data whatever its JSON', () => {
    assert.equal(parseChange(raw({ ...base, action: 'deleted' }, '{"id":"7f3c","deleted":true}')).data, null);
  });

  it('prev-sync-token, when present, is read as the previous item token', () => {
    assert.equal(parseChange(raw({ ...base, 'prev-sync-token': '1440' }, '{}')).previousSyncToken, 1440);
    assert.equal('previousSyncToken' in parseChange(raw(base, '{}')), false);
  });

  for (const [name, attrs, json] of [
    ['an unknown resource', { ...base, resource: 'user' }, '{}'],
    ['an unknown action', { ...base, action: 'moved' }, '{}'],
    ['a missing id', { ...base, id: '' }, '{}'],
    ['a sync token that is not a number', { ...base, 'sync-token': '12a' }, '{}'],
    ['a negative sync token', { ...base, 'sync-token': '-1' }, '{}'],
    ['a missing sync token', (({ 'sync-token': _, ...rest }) => rest)(base), '{}'],
    ['a malformed prev-sync-token', { ...base, 'prev-sync-token': 'x' }, '{}'],
    ['a missing <json/>', base, undefined],
    ['JSON that does not parse', base, '{"id":'],
    ['JSON that is not an object', base, '[1,2]'],
  ] as Array<[string, Record<string, string>, string | undefined]>) {
    it(`${name} is refused with FeedItemError`, () => {
      assert.throws(() => parseChange(raw(attrs, json)), FeedItemError);
    });
  }
});
