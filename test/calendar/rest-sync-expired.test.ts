// A sync token older than the change log kept (calendar.change_log_days) answers 410 Gone with the usual
// JSON error body, never a silently incomplete list (RFC 6578 section 3.8's DAV:valid-sync-token; RFC
// 9110 section 15.5.11), and the OpenAPI document says so for every list.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';
import { checkSchema } from './support/schema-check.js';

const day = (n: number): Date => new Date(Date.UTC(2026, 10, n, 12, 0, 0));
const start = { date_time: '2026-05-04T14:00:00', timezone: 'UTC' };

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('REST sync tokens older than the change log kept', () => {
  let h: Harness;
  let alice: Client;
  let clock = day(1);
  let keptToken: number;
  let event: string;
  before(async () => {
    h = await startApi({ now: () => clock });
    alice = await h.user('alice');
    const cal = (await alice.post('/calendars', { title: 'Work' })).body.id;
    event = (await alice.post('/events', { calendar_id: cal, title: 'Standup', start })).body.id;
    clock = day(40);
    // Day 1's writes (tokens 1 and 2) are pruned; the day 40 edit (3) is kept, so 2 is the oldest token answered.
    keptToken = (await alice.patch(`/events/${event}`, { title: 'Standup (moved)' })).body.sync_token - 1;
    await h.store.pruneChangeLog(day(10));
  });
  after(async () => {
    await h.close();
  });

  it('every list answers 410 sync_token_expired naming the field and how to resync', async () => {
    for (const list of ['/calendars', '/events', '/event_subscriptions']) {
      const res = await alice.get(`${list}?sync_token=${keptToken - 1}`);
      assert.equal(res.status, 410, list);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(res.body.error, 'sync_token_expired');
      assert.equal(res.body.field, 'sync_token');
      assert.match(res.body.message, /list without sync_token to resync/);
      assert.equal(res.body.oldest_sync_token, keptToken);
    }
  });

  it('the oldest token kept is answered with exactly what changed after it', async () => {
    const res = await alice.get(`/events?sync_token=${keptToken}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((i: { id: string; title: string }) => `${i.id}:${i.title}`), [`${event}:Standup (moved)`]);
  });

  it('a list without sync_token is the resync: everything visible, and a token that works', async () => {
    const full = await alice.get('/events');
    assert.equal(full.status, 200);
    assert.equal(full.body.items.length, 1);
    assert.equal((await alice.get(`/events?sync_token=${full.body.sync_token}`)).status, 200);
  });

  it('a token newer than the newest change is still 400, not 410', async () => {
    const res = await alice.get('/events?sync_token=999');
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'sync_token');
  });

  it('the OpenAPI document gives the 410 answer of each list, and the real answer conforms', async () => {
    const doc = (await h.anonymous.get('/openapi.json')).body as Doc;
    const res = await alice.get(`/events?sync_token=0`);
    for (const path of ['/calendars', '/events', '/event_subscriptions']) {
      const response = doc.paths[`/api/v2${path}`]!.get!.responses['410'];
      assert.ok(response, `${path} documents 410`);
      const schema = response.content!['application/json']!.schema;
      assert.deepEqual(checkSchema(res.body, schema, doc.components.schemas), [], path);
    }
  });
});
