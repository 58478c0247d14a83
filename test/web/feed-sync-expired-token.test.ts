// The SDK's resync (web/sdk/feed-sync.ts over web/sdk/rest-api.ts) against the real calendar API when the
// copy's sync token is older than the change log the server kept (calendar.change_log_days): the server
// answers 410 sync_token_expired and the SDK lists in full, dropping what the full list lacks.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FeedSync } from '../../web/sdk/feed-sync.js';
import { RestApi } from '../../web/sdk/rest-api.js';
import type { SyncedEvent } from '../../web/sdk/types.js';
import { startApi, type Client, type Harness } from '../calendar/support/api-harness.js';

const day = (n: number): Date => new Date(Date.UTC(2026, 10, n, 12, 0, 0));
const start = { date_time: '2026-05-04T14:00:00', timezone: 'UTC' };

describe('SDK resync after the server pruned past its sync token', () => {
  let h: Harness;
  let alice: Client;
  let clock = day(1);
  before(async () => {
    h = await startApi({ now: () => clock });
    alice = await h.user('alice');
  });
  after(async () => {
    await h.close();
  });

  it('a 410 on the sync call is answered by a full list, and what it lacks is deleted', async () => {
    const answers: string[] = [];
    const fetchAndRecord: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(String(input));
      answers.push(`${url.pathname.replace('/api/v2', '')}${url.searchParams.has('sync_token') ? '@T' : ''}:${res.status}`);
      return res;
    };
    const api = new RestApi(h.base.replace(/\/api\/v2$/, ''), { token: alice.token, fetch: fetchAndRecord });
    const synced: SyncedEvent[] = [];
    const sync = new FeedSync(api, { change: () => undefined, synced: (e) => synced.push(e) });

    const cal = (await alice.post('/calendars', { title: 'Work' })).body.id;
    const kept = (await alice.post('/events', { calendar_id: cal, title: 'Kept', start })).body.id;
    const dropped = (await alice.post('/events', { calendar_id: cal, title: 'Dropped', start })).body.id;
    await sync.resync('connect');
    assert.deepEqual([...sync.cache.events.keys()].sort(), [kept, dropped].sort());

    clock = day(2);
    await alice.delete(`/events/${dropped}`);
    clock = day(40);
    const added = (await alice.post('/events', { calendar_id: cal, title: 'Added', start })).body.id;
    const pruned = await h.store.pruneChangeLog(day(10));
    assert.ok(pruned.prunedThrough > sync.syncTokens.event!, 'the copy holds a token from before the cut');

    answers.length = 0;
    await sync.resync('connect');
    assert.deepEqual(answers, [
      '/calendars@T:410',
      '/calendars:200',
      '/events@T:410',
      '/events:200',
      '/event_subscriptions@T:410',
      '/event_subscriptions:200',
    ]);
    assert.deepEqual([...sync.cache.events.keys()].sort(), [kept, added].sort());
    assert.equal(synced.at(-1)!.full, true);
  });
});
