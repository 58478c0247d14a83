// The feed contract (DESIGN.md section 3, src/calendar/feed/change.ts): after each committed write the
// ChangeSink gets the changes with their sync token and, for each affected user, the JSON as that user
// sees it (null for a deletion); nothing for a write that failed.

import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';
import { checkSchema } from './support/schema-check.js';
import { renderFeedItem, CHANGE_NS, JSON_NS } from '../../src/calendar/feed/payload.js';
import { parseDocument } from '../../src/xml/parse-document.js';

const start = { date_time: '2026-05-04T14:00:00', timezone: 'Europe/Paris' };

describe('REST writes and the feed', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  let carol: Client;
  let schemas: Record<string, Record<string, unknown>>;
  before(async () => {
    h = await startApi({ now: () => new Date('2026-11-24T10:15:00Z') });
    alice = await h.user('alice');
    bob = await h.user('bob');
    carol = await h.user('carol');
    schemas = (await h.anonymous.get('/openapi.json')).body.components.schemas;
  });
  after(async () => {
    await h.close();
  });
  beforeEach(() => h.sink.clear());

  it('creating a calendar is one change for its owner, with the commit\'s token, time and actor', async () => {
    const res = await alice.post('/calendars', { title: 'Mine' });
    assert.equal(h.sink.changes.length, 1);
    const [c] = h.sink.changes;
    assert.deepEqual(
      [c!.resource, c!.id, c!.action, c!.syncToken, c!.modified, c!.actor, c!.calendarId, c!.sharedCalendar],
      ['calendar', res.body.id, 'created', res.body.sync_token, '2026-11-24T10:15:00Z', 'alice', res.body.id, false],
    );
    assert.deepEqual([...c!.views.keys()], ['alice']);
    assert.deepEqual(c!.views.get('alice'), res.body);
  });

  it('an event change in a shared calendar reaches owner and sharees, each with their own view', async () => {
    const cal = (await alice.post('/calendars', { title: 'Team' })).body.id;
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'read' });
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'Plan', start })).body.id;
    h.sink.clear();
    const updated = await alice.patch(`/events/${ev}`, { title: 'Plan B' });
    assert.equal(h.sink.changes.length, 1);
    const [c] = h.sink.changes;
    assert.deepEqual([c!.resource, c!.action, c!.syncToken, c!.sharedCalendar, [...c!.views.keys()].sort()], ['event', 'updated', updated.body.sync_token, true, ['alice', 'bob']]);
    assert.deepEqual(c!.views.get('alice'), (await alice.get(`/events/${ev}`)).body);
    assert.deepEqual(c!.views.get('bob'), (await bob.get(`/events/${ev}`)).body);
    assert.equal((c!.views.get('bob') as { permission: string }).permission, 'read');
    for (const view of c!.views.values()) assert.deepEqual(checkSchema(view, schemas.Event!, schemas), []);
  });

  it('carol, who has no access, is in no change', async () => {
    const cal = (await alice.post('/calendars', { title: 'Private' })).body.id;
    await alice.post('/events', { calendar_id: cal, title: 'Secret', start });
    assert.deepEqual(h.sink.seenBy('carol'), []);
  });

  it('a deletion is a change with a null view per affected user', async () => {
    const cal = (await alice.post('/calendars', { title: 'Deleting' })).body.id;
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'write' });
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'Gone', start })).body.id;
    h.sink.clear();
    await bob.delete(`/events/${ev}`);
    const eventChange = h.sink.changes.find((c) => c.resource === 'event')!;
    assert.deepEqual([eventChange.action, eventChange.actor, [...eventChange.views.entries()].sort()], ['deleted', 'bob', [['alice', null], ['bob', null]]]);
    const item = renderFeedItem(eventChange, 'alice')!;
    const json = parseDocument(item).getChild('change', CHANGE_NS)!.getChild('json', JSON_NS)!.text();
    assert.deepEqual(JSON.parse(json), { id: ev, deleted: true });
  });

  it('sharing tells the new sharee about the calendar, its events and their subscriptions', async () => {
    const cal = (await alice.post('/calendars', { title: 'Sharing' })).body.id;
    await alice.post('/events', { calendar_id: cal, title: 'One', start });
    h.sink.clear();
    await alice.put(`/calendars/${cal}/shares/carol`, { permission: 'read' });
    assert.deepEqual(h.sink.seenBy('carol').sort(), ['calendar:created', 'event:created', 'event_subscription:created']);
    assert.deepEqual(h.sink.seenBy('alice'), ['calendar:updated']);
    assert.equal(new Set(h.sink.changes.map((c) => c.syncToken)).size, 1, 'one transaction, one token');
    const calendarView = h.sink.changes.find((c) => c.resource === 'calendar' && c.views.has('carol'))!.views.get('carol');
    assert.deepEqual(calendarView, (await carol.get(`/calendars/${cal}`)).body);
  });

  it('an RSVP reaches the invitee and the organiser', async () => {
    const cal = (await alice.post('/calendars', { title: 'Invites' })).body.id;
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'Party', start })).body.id;
    const sub = (await alice.post('/event_subscriptions', { event_id: ev, user: 'carol' })).body;
    h.sink.clear();
    await carol.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'not_attending' });
    const subChange = h.sink.changes.find((c) => c.resource === 'event_subscription')!;
    assert.deepEqual([...subChange.views.keys()].sort(), ['alice', 'carol']);
    assert.equal((subChange.views.get('alice') as { rsvp_status: string }).rsvp_status, 'not_attending');
    assert.deepEqual(checkSchema(subChange.views.get('alice'), schemas.Subscription!, schemas), []);
  });

  it('a write that fails publishes nothing', async () => {
    const cal = (await alice.post('/calendars', { title: 'Failing' })).body.id;
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'Stable', start })).body;
    h.sink.clear();
    assert.equal((await bob.patch(`/events/${ev.id}`, { title: 'x' })).status, 403);
    assert.equal((await alice.patch(`/events/${ev.id}`, { title: '' })).status, 400);
    assert.equal((await alice.patch(`/events/${ev.id}`, { end: { date: '2026-05-05' } })).status, 400);
    assert.equal((await alice.patch(`/events/${ev.id}`, { title: 'x' }, { 'if-match': '"1"' })).status, 412);
    assert.equal((await alice.patch(`/events/${ev.id}`, { title: 'x', sequence: 7 })).status, 409);
    assert.equal((await alice.post('/events', { calendar_id: cal, uid: ev.uid, title: 'dup', start })).status, 409);
    assert.equal((await alice.delete('/calendars/nope')).status, 404);
    assert.deepEqual(h.sink.changes, []);
  });

  it('each change carries the token a sync list then starts after', async () => {
    const cal = (await alice.post('/calendars', { title: 'Tokens' })).body.id;
    const before = (await alice.get('/events')).body.sync_token;
    h.sink.clear();
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'T', start })).body;
    const token = h.sink.changes[0]!.syncToken;
    assert.equal(token, ev.sync_token);
    assert.deepEqual((await alice.get(`/events?sync_token=${before}`)).body.items.map((e: { id: string }) => e.id), [ev.id]);
    assert.deepEqual((await alice.get(`/events?sync_token=${token}`)).body.items, []);
  });
});
