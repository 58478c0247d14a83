// REST v2 event subscriptions: invitations to single events with RSVP, the subscriptions a calendar share
// brings, and who may see or change which.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';

describe('REST event subscriptions', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  let carol: Client;
  let cal: string;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
    carol = await h.user('carol');
    cal = (await alice.post('/calendars', { title: 'Work' })).body.id;
  });
  after(async () => {
    await h.close();
  });

  const newEvent = async (title: string) =>
    (await alice.post('/events', { calendar_id: cal, title, start: { date_time: '2026-05-04T14:00:00', timezone: 'UTC' } })).body.id as string;

  it('an invitation lets the invitee see the event and answer it; the organiser sees the answer', async () => {
    const ev = await newEvent('Lunch');
    const invited = await alice.post('/event_subscriptions', { event_id: ev, user: 'Bob' });
    assert.equal(invited.status, 201);
    const sub = invited.body;
    assert.deepEqual([sub.user, sub.permission, sub.source, sub.invited, sub.rsvp_status], ['bob', 'read', 'invitation', true, 'not_replied']);
    const seen = await bob.get(`/events/${ev}`);
    assert.deepEqual([seen.status, seen.body.permission, seen.body.rsvp_status, seen.body.subscription_id], [200, 'read', 'not_replied', sub.id]);
    assert.equal((await bob.get(`/calendars/${cal}`)).status, 403, 'an invitation does not open the calendar');
    const answered = await bob.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'attending' }, { 'if-match': sub.etag });
    assert.deepEqual([answered.status, answered.body.rsvp_status], [200, 'attending']);
    const organiser = await alice.get(`/event_subscriptions?event_ids=${ev}`);
    const answers = organiser.body.items.map((s: { user: string; rsvp_status: string }) => `${s.user}:${s.rsvp_status}`).sort();
    assert.deepEqual(answers, ['alice:attending', 'bob:attending']);
    assert.equal((await bob.get(`/event_subscriptions/${sub.id}`)).body.rsvp_status, 'attending');
  });

  it('only the invitee answers, only a writer invites, and others see nothing', async () => {
    const ev = await newEvent('Board');
    const sub = (await alice.post('/event_subscriptions', { event_id: ev, user: 'bob' })).body;
    assert.equal((await alice.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'not_attending' })).status, 403);
    assert.equal((await bob.post('/event_subscriptions', { event_id: ev, user: 'carol' })).status, 403);
    assert.equal((await carol.get(`/event_subscriptions/${sub.id}`)).status, 403);
    assert.equal((await carol.get(`/events/${ev}`)).status, 403);
    assert.equal((await carol.post('/event_subscriptions', { event_id: ev, user: 'nobody' })).status, 403);
    assert.equal((await bob.patch(`/event_subscriptions/${sub.id}`, { permission: 'write' })).status, 403);
  });

  it('invitations are checked: known user, valid values, not twice, stale etags refused', async () => {
    const ev = await newEvent('Checks');
    const unknown = await alice.post('/event_subscriptions', { event_id: ev, user: 'nobody' });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'user']);
    const badPermission = await alice.post('/event_subscriptions', { event_id: ev, user: 'bob', permission: 'owner' });
    assert.deepEqual([badPermission.status, badPermission.body.field], [400, 'permission']);
    assert.equal((await alice.post('/event_subscriptions', { event_id: 'nope', user: 'bob' })).status, 404);
    const sub = (await alice.post('/event_subscriptions', { event_id: ev, user: 'bob' })).body;
    const twice = await alice.post('/event_subscriptions', { event_id: ev, user: 'bob' });
    assert.deepEqual([twice.status, twice.body.field], [409, 'user']);
    const badRsvp = await bob.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'maybe' });
    assert.deepEqual([badRsvp.status, badRsvp.body.field], [400, 'rsvp_status']);
    await bob.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'attending' });
    assert.equal((await bob.patch(`/event_subscriptions/${sub.id}`, { rsvp_status: 'not_attending' }, { 'if-match': sub.etag })).status, 412);
    assert.equal((await bob.get('/event_subscriptions/nope')).status, 404);
  });

  it('a write invitation lets the invitee edit the event', async () => {
    const ev = await newEvent('Draft');
    const sub = (await alice.post('/event_subscriptions', { event_id: ev, user: 'carol', permission: 'read' })).body;
    assert.equal((await carol.patch(`/events/${ev}`, { title: 'edited' })).status, 403);
    const promoted = await alice.patch(`/event_subscriptions/${sub.id}`, { permission: 'write' });
    assert.deepEqual([promoted.status, promoted.body.permission], [200, 'write']);
    assert.equal((await carol.patch(`/events/${ev}`, { title: 'edited' })).status, 200);
  });

  it('withdrawing an invitation removes the event from the invitee; a share subscription cannot be withdrawn', async () => {
    const ev = await newEvent('Withdrawn');
    const sub = (await alice.post('/event_subscriptions', { event_id: ev, user: 'bob' })).body;
    assert.equal((await bob.delete(`/event_subscriptions/${sub.id}`)).status, 204);
    assert.equal((await bob.get(`/events/${ev}`)).status, 403);
    const own = (await alice.get(`/events/${ev}`)).body.subscription_id;
    const refused = await alice.delete(`/event_subscriptions/${own}`);
    assert.deepEqual([refused.status, refused.body.field], [409, 'source']);
  });

  it('sharing a calendar gives the sharee a subscription to each of its events', async () => {
    const shared = (await alice.post('/calendars', { title: 'Team' })).body.id;
    const evs = [];
    for (const title of ['one', 'two']) {
      evs.push((await alice.post('/events', { calendar_id: shared, title, start: { date: '2026-05-04' } })).body.id);
    }
    await alice.put(`/calendars/${shared}/shares/carol`, { permission: 'write' });
    const subs = await carol.get(`/event_subscriptions?calendar_ids=${shared}`);
    assert.deepEqual(
      subs.body.items.map((s: { event_id: string; source: string; permission: string }) => [s.event_id, s.source, s.permission]).sort(),
      evs.map((id) => [id, 'share', 'write']).sort(),
    );
    const listed = await carol.get(`/events?calendar_ids=${shared}`);
    assert.deepEqual(listed.body.items.map((e: { id: string }) => e.id).sort(), [...evs].sort());
  });
});
