// DESIGN.md section 3: the feed item of one change for one user, with its JSON carried as XML text.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { feedItem, feedItemId, jsonForXml, renderFeedItem, CHANGE_NS, JSON_NS } from '../../src/calendar/feed/payload.js';
import type { CommittedChange } from '../../src/calendar/feed/change.js';
import { parseDocument } from '../../src/xml/parse-document.js';

function change(views: Array<[string, object | null]>, action: CommittedChange['action'] = 'updated'): CommittedChange {
  return {
    resource: 'event',
    id: '7f3c',
    action,
    syncToken: 1448,
    modified: '2026-11-24T10:15:00Z',
    actor: 'alice',
    views: new Map(views),
  };
}

describe('feed payload', () => {
  it('renders the item of DESIGN.md section 3 with the view of that user', () => {
    const xml = renderFeedItem(change([['bob', { id: '7f3c', title: 'Standup' }]]), 'bob');
    assert.equal(
      xml,
      `<item id='event:7f3c'><change xmlns='${CHANGE_NS}' resource='event' id='7f3c' action='updated' sync-token='1448' ` +
        `modified='2026-11-24T10:15:00Z' actor='alice'><json xmlns='${JSON_NS}'>{"id":"7f3c","title":"Standup"}</json></change></item>`,
    );
  });

  it('gives nothing for a user the change does not concern', () => {
    assert.equal(renderFeedItem(change([['bob', {}]]), 'carol'), undefined);
  });

  it('a deletion carries a tombstone and its sync token', () => {
    const el = feedItem(change([['bob', null]], 'deleted'), 'bob')!;
    const c = el.getChild('change', CHANGE_NS)!;
    assert.equal(c.attr('sync-token'), '1448');
    assert.equal(c.attr('action'), 'deleted');
    assert.deepEqual(JSON.parse(c.getChild('json', JSON_NS)!.text()), { id: '7f3c', deleted: true });
  });

  it('escapes markup in the JSON and the result parses back to the same JSON', () => {
    const view = { title: '</json><evil attr="1"> & \'x\' ]]>', note: 'tab\tnew\nline\u0001\uffff' };
    const xml = renderFeedItem(change([['bob', view]]), 'bob', { actorAddress: (u) => `${u}@example.com` })!;
    assert.doesNotMatch(xml, /<evil/);
    assert.match(xml, /actor='alice@example.com'/);
    const root = parseDocument(xml);
    const json = root.getChild('change', CHANGE_NS)!.getChild('json', JSON_NS)!.text();
    assert.deepEqual(JSON.parse(json), view);
  });

  it('keeps characters XML forbids out of the text', () => {
    assert.equal(jsonForXml('\uffff\ufffe'), '"\\uffff\\ufffe"');
    assert.equal(jsonForXml('\u0000'), '"\\u0000"');
    assert.equal(jsonForXml('\ud800'), '"\\ud800"');
  });

  it('names the item after the resource so a newer change replaces it', () => {
    assert.equal(feedItemId({ resource: 'event_subscription', id: 'abc' }), 'event_subscription:abc');
  });
});
