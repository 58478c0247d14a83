// REST v2 events: CRUD, filters, recurrence expansion across DST, permissions through shares, validation
// naming the field, 404, and conflicts (412 on a stale If-Match, 409 on a stale sequence or a duplicate uid).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';

const paris = (date_time: string) => ({ date_time, timezone: 'Europe/Paris' });

describe('REST events', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  let work: string;
  let home: string;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
    work = (await alice.post('/calendars', { title: 'Work', timezone: 'Europe/Paris' })).body.id;
    home = (await alice.post('/calendars', { title: 'Home', timezone: 'America/New_York' })).body.id;
  });
  after(async () => {
    await h.close();
  });

  it('create, read, update and delete an event', async () => {
    const created = await alice.post('/events', { calendar_id: work, title: 'Review', start: paris('2026-05-04T14:00:00'), location: 'Room 1' });
    assert.equal(created.status, 201);
    const e = created.body;
    assert.equal(created.headers.get('location'), `/api/v2/events/${e.id}`);
    assert.deepEqual([e.end, e.sequence, e.permission, e.rsvp_status, e.rrule], [paris('2026-05-04T15:00:00'), 0, 'owner', 'attending', null]);
    assert.deepEqual((await alice.get(`/events/${e.id}`)).body, e);
    const moved = await alice.patch(`/events/${e.id}`, { start: paris('2026-05-05T10:00:00'), sequence: 0 });
    assert.equal(moved.status, 200);
    assert.deepEqual([moved.body.start, moved.body.end, moved.body.sequence, moved.body.location], [paris('2026-05-05T10:00:00'), paris('2026-05-05T11:00:00'), 1, 'Room 1']);
    assert.equal(moved.headers.get('etag'), moved.body.etag);
    assert.equal((await alice.delete(`/events/${e.id}`)).status, 204);
    assert.equal((await alice.get(`/events/${e.id}`)).status, 404);
  });

  it('validation errors are 400 naming the field', async () => {
    const base = { calendar_id: work, title: 'x', start: paris('2026-05-04T14:00:00') };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, title: undefined }, 'title'],
      [{ ...base, calendar_id: undefined }, 'calendar_id'],
      [{ ...base, start: { date_time: '2026-05-04T14:00:00', timezone: 'Nowhere/City' } }, 'start.timezone'],
      [{ ...base, start: { date_time: '4 May 2026' , timezone: 'UTC' } }, 'start.date_time'],
      [{ ...base, start: { date: '2026-05-04', date_time: '2026-05-04T14:00:00' } }, 'start'],
      [{ ...base, end: paris('2026-05-04T13:00:00') }, 'end'],
      [{ ...base, end: { date: '2026-05-05' } }, 'end'],
      [{ ...base, rrule: 'FREQ=SOMETIMES' }, 'rrule'],
      [{ ...base, rrule: 'FREQ=DAILY', exdates: ['yesterday'] }, 'exdates.0'],
      [{ ...base, color: 'blue' }, 'color'],
      [{ ...base, rdates: { first: '2026-05-05T14:00:00' } }, 'rdates'],
    ];
    for (const [body, field] of cases) {
      const res = await alice.post('/events', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual([res.body.error, res.body.field], ['validation', field], JSON.stringify(res.body));
    }
  });

  it('an unknown calendar or event is 404', async () => {
    assert.equal((await alice.post('/events', { calendar_id: 'nope', title: 'x', start: paris('2026-05-04T14:00:00') })).status, 404);
    assert.equal((await alice.get('/events/nope')).status, 404);
    assert.equal((await alice.patch('/events/nope', { title: 'y' })).status, 404);
    assert.equal((await alice.delete('/events/nope')).status, 404);
  });

  it('a user cannot see or change events of a calendar not shared with them; read share reads, write share writes', async () => {
    const cal = (await alice.post('/calendars', { title: 'Shared later' })).body.id;
    const id = (await alice.post('/events', { calendar_id: cal, title: 'Plan', start: paris('2026-06-01T09:00:00') })).body.id;
    assert.equal((await bob.get(`/events/${id}`)).status, 403);
    assert.equal((await bob.post('/events', { calendar_id: cal, title: 'Mine', start: paris('2026-06-01T09:00:00') })).status, 403);
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'read' });
    const read = await bob.get(`/events/${id}`);
    assert.deepEqual([read.status, read.body.permission], [200, 'read']);
    assert.equal((await bob.patch(`/events/${id}`, { title: 'changed' })).status, 403);
    assert.equal((await bob.delete(`/events/${id}`)).status, 403);
    assert.equal((await bob.post('/events', { calendar_id: cal, title: 'Mine', start: paris('2026-06-01T09:00:00') })).status, 403);
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'write' });
    assert.equal((await bob.patch(`/events/${id}`, { title: 'changed by bob' })).status, 200);
    const bobs = await bob.post('/events', { calendar_id: cal, title: 'By bob', start: paris('2026-06-02T09:00:00') });
    assert.equal(bobs.status, 201);
    assert.equal((await alice.get(`/events/${bobs.body.id}`)).body.permission, 'owner');
  });

  it('a stale If-Match is 412, a stale sequence 409, and neither write is applied', async () => {
    const created = (await alice.post('/events', { calendar_id: work, title: 'v0', start: paris('2026-05-06T09:00:00') })).body;
    const v1 = await alice.patch(`/events/${created.id}`, { title: 'v1' }, { 'if-match': created.etag });
    assert.equal(v1.status, 200);
    const staleEtag = await alice.patch(`/events/${created.id}`, { title: 'lost' }, { 'if-match': created.etag });
    assert.deepEqual([staleEtag.status, staleEtag.body.current_etag], [412, v1.body.etag]);
    const staleSequence = await alice.patch(`/events/${created.id}`, { title: 'lost', sequence: 0 });
    assert.deepEqual([staleSequence.status, staleSequence.body.error, staleSequence.body.field], [409, 'conflict', 'sequence']);
    assert.equal((await alice.get(`/events/${created.id}`)).body.title, 'v1');
    assert.equal((await alice.delete(`/events/${created.id}`, { 'if-match': created.etag })).status, 412);
  });

  it('a duplicate uid in one calendar is 409', async () => {
    await alice.post('/events', { calendar_id: work, uid: 'dup@x', title: 'a', start: paris('2026-05-07T09:00:00') });
    const again = await alice.post('/events', { calendar_id: work, uid: 'dup@x', title: 'b', start: paris('2026-05-07T09:00:00') });
    assert.deepEqual([again.status, again.body.field], [409, 'uid']);
  });

  it('a weekly 09:00 Europe/Paris event expands at 09:00 local across the March and October DST changes', async () => {
    const cal = (await alice.post('/calendars', { title: 'DST' })).body.id;
    const ev = await alice.post('/events', {
      calendar_id: cal,
      title: 'Weekly',
      start: paris('2026-03-16T09:00:00'),
      end: paris('2026-03-16T09:30:00'),
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
    });
    const spring = await alice.get(`/events?calendar_ids=${cal}&expand=true&start=2026-03-20T00:00:00Z&end=2026-04-07T00:00:00Z`);
    assert.equal(spring.status, 200);
    assert.deepEqual(
      spring.body.items.map((i: { start: unknown; start_utc: string; recurrence_id: string }) => [i.recurrence_id, i.start, i.start_utc]),
      [
        ['2026-03-23T09:00:00', paris('2026-03-23T09:00:00'), '2026-03-23T08:00:00Z'],
        ['2026-03-30T09:00:00', paris('2026-03-30T09:00:00'), '2026-03-30T07:00:00Z'],
        ['2026-04-06T09:00:00', paris('2026-04-06T09:00:00'), '2026-04-06T07:00:00Z'],
      ],
    );
    const autumn = await alice.get(`/events/${ev.body.id}/instances?start=2026-10-19&end=2026-10-27`);
    assert.deepEqual(
      autumn.body.items.map((i: { start_utc: string; end_utc: string }) => [i.start_utc, i.end_utc]),
      [
        ['2026-10-19T07:00:00Z', '2026-10-19T07:30:00Z'],
        ['2026-10-26T08:00:00Z', '2026-10-26T08:30:00Z'],
      ],
    );
  });

  it('expansion applies exceptions and overrides and pages instances in time order', async () => {
    const cal = (await alice.post('/calendars', { title: 'Exceptions' })).body.id;
    await alice.post('/events', {
      calendar_id: cal,
      title: 'Daily',
      start: paris('2026-02-02T08:00:00'),
      rrule: 'FREQ=DAILY;COUNT=5',
      exdates: ['2026-02-03T08:00:00'],
      overrides: { '2026-02-05T08:00:00': { title: 'Late one', start: paris('2026-02-05T17:00:00') } },
    });
    await alice.post('/events', { calendar_id: cal, title: 'Single', start: paris('2026-02-04T12:00:00') });
    const all = await alice.get(`/events?calendar_ids=${cal}&expand=true&start=2026-02-01&end=2026-03-01`);
    assert.deepEqual(
      all.body.items.map((i: { title: string; start: { date_time: string } }) => `${i.title}@${i.start.date_time}`),
      ['Daily@2026-02-02T08:00:00', 'Daily@2026-02-04T08:00:00', 'Single@2026-02-04T12:00:00', 'Late one@2026-02-05T17:00:00', 'Daily@2026-02-06T08:00:00'],
    );
    const page = await alice.get(`/events?calendar_ids=${cal}&expand=true&start=2026-02-01&end=2026-03-01&limit=2&offset=2`);
    assert.deepEqual([page.body.items.length, page.body.has_more, page.body.items[0].title], [2, true, 'Single']);
  });

  it('a time range filter keeps events with an instance in the range, recurring ones included', async () => {
    const cal = (await alice.post('/calendars', { title: 'Range' })).body.id;
    const monthly = (await alice.post('/events', { calendar_id: cal, title: 'Monthly', start: paris('2026-01-15T10:00:00'), rrule: 'FREQ=MONTHLY' })).body.id;
    const once = (await alice.post('/events', { calendar_id: cal, title: 'Once', start: paris('2026-07-01T10:00:00') })).body.id;
    const ids = async (q: string) => (await alice.get(`/events?calendar_ids=${cal}&${q}`)).body.items.map((e: { id: string }) => e.id).sort();
    assert.deepEqual(await ids('start=2026-07-01&end=2026-07-02'), [once]);
    assert.deepEqual(await ids('start=2026-07-14&end=2026-07-16'), [monthly]);
    assert.deepEqual(await ids('start=2026-07-16&end=2026-08-14'), []);
    assert.deepEqual(await ids(''), [monthly, once].sort());
  });

  it('all-day events are days in their calendar\'s zone', async () => {
    await alice.post('/events', { calendar_id: home, title: 'Holiday', start: { date: '2026-07-04' } });
    const res = await alice.get(`/events?calendar_ids=${home}&expand=true&start=2026-07-04T00:00:00Z&end=2026-07-05T00:00:00Z`);
    assert.deepEqual(
      res.body.items.map((i: { start: unknown; end: unknown; start_utc: string }) => [i.start, i.end, i.start_utc]),
      [[{ date: '2026-07-04' }, { date: '2026-07-05' }, '2026-07-04T04:00:00Z']],
    );
  });

  it('calendar_ids may be comma-separated or repeated', async () => {
    const both = await alice.get(`/events?calendar_ids=${work},${home}`);
    const repeated = await alice.get(`/events?calendar_ids=${work}&calendar_ids=${home}`);
    assert.equal(both.status, 200);
    assert.deepEqual(both.body.items, repeated.body.items);
    const onlyHome = await alice.get(`/events?calendar_ids=${home}`);
    assert.ok(onlyHome.body.items.every((e: { calendar_id: string }) => e.calendar_id === home));
  });

  it('range parameters are checked and expansion needs a range', async () => {
    const cases: Array<[string, string]> = [
      ['expand=true', 'start'],
      ['start=2026-01-01', 'end'],
      ['start=yesterday&end=2026-01-02', 'start'],
      ['start=2026-02-01&end=2026-01-01', 'end'],
      ['expand=true&start=2026-01-01&end=2026-02-01&sync_token=1', 'expand'],
    ];
    for (const [q, field] of cases) {
      const res = await alice.get(`/events?${q}`);
      assert.deepEqual([res.status, res.body.field], [400, field], q);
    }
    const id = (await alice.get('/events?limit=1')).body.items[0].id;
    const missing = await alice.get(`/events/${id}/instances?start=2026-01-01`);
    assert.deepEqual([missing.status, missing.body.field], [400, 'end']);
  });
});
