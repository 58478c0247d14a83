// DESIGN.md section 3 sync tokens on REST: every list takes ?sync_token=T and returns only what changed after
// T, deletions and lost access as tombstones, with the token to use next.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';

type Item = { id: string; deleted?: true; title?: string };
const summary = (items: Item[]) => items.map((i) => (i.deleted ? `-${i.id}` : i.id));

describe('REST sync tokens', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
  });
  after(async () => {
    await h.close();
  });

  it('events changed after T come back, deletions as tombstones, and the new token', async () => {
    const cal = (await alice.post('/calendars', { title: 'Sync' })).body.id;
    const start = { date_time: '2026-05-04T14:00:00', timezone: 'UTC' };
    const keep = (await alice.post('/events', { calendar_id: cal, title: 'keep', start })).body.id;
    const edit = (await alice.post('/events', { calendar_id: cal, title: 'edit', start })).body.id;
    const drop = (await alice.post('/events', { calendar_id: cal, title: 'drop', start })).body.id;
    const full = await alice.get(`/events?calendar_ids=${cal}`);
    const t = full.body.sync_token;
    assert.deepEqual(summary(full.body.items).sort(), [keep, edit, drop].sort());

    await alice.patch(`/events/${edit}`, { title: 'edited' });
    await alice.delete(`/events/${drop}`);
    const added = (await alice.post('/events', { calendar_id: cal, title: 'added', start })).body.id;

    const delta = await alice.get(`/events?calendar_ids=${cal}&sync_token=${t}`);
    assert.equal(delta.status, 200);
    assert.deepEqual(summary(delta.body.items), [edit, `-${drop}`, added]);
    assert.deepEqual(delta.body.items[1], { id: drop, deleted: true });
    assert.equal(delta.body.items[0].title, 'edited');
    assert.ok(delta.body.sync_token > t);

    const nothing = await alice.get(`/events?calendar_ids=${cal}&sync_token=${delta.body.sync_token}`);
    assert.deepEqual(nothing.body.items, []);
    assert.equal(nothing.body.sync_token, delta.body.sync_token);
  });

  it('calendars and subscriptions sync the same way', async () => {
    const t = (await bob.get('/calendars')).body.sync_token;
    const cal = (await alice.post('/calendars', { title: 'For bob' })).body.id;
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'e', start: { date: '2026-05-04' } })).body.id;
    const other = (await alice.post('/calendars', { title: 'Not for bob' })).body.id;
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'read' });
    const cals = await bob.get(`/calendars?sync_token=${t}`);
    assert.deepEqual(summary(cals.body.items), [cal]);
    assert.ok(!summary(cals.body.items).includes(other));
    const subs = await bob.get(`/event_subscriptions?sync_token=${t}`);
    assert.deepEqual(subs.body.items.map((s: { event_id: string }) => s.event_id), [ev]);
    const t2 = subs.body.sync_token;
    await alice.delete(`/calendars/${cal}`);
    assert.deepEqual(summary((await bob.get(`/calendars?sync_token=${t2}`)).body.items), [`-${cal}`]);
    assert.deepEqual(summary((await bob.get(`/events?sync_token=${t2}`)).body.items), [`-${ev}`]);
    const subTombstones = (await bob.get(`/event_subscriptions?sync_token=${t2}`)).body.items;
    assert.equal(subTombstones.length, 1);
    assert.equal(subTombstones[0].deleted, true);
  });

  it('losing a share is a tombstone for the sharee, while the owner sees an update', async () => {
    const cal = (await alice.post('/calendars', { title: 'Revoked' })).body.id;
    const ev = (await alice.post('/events', { calendar_id: cal, title: 'e', start: { date: '2026-05-04' } })).body.id;
    await alice.put(`/calendars/${cal}/shares/bob`, { permission: 'write' });
    const tBob = (await bob.get('/events')).body.sync_token;
    await alice.delete(`/calendars/${cal}/shares/bob`);
    assert.deepEqual(summary((await bob.get(`/events?sync_token=${tBob}`)).body.items), [`-${ev}`]);
    assert.deepEqual(summary((await bob.get(`/calendars?sync_token=${tBob}`)).body.items), [`-${cal}`]);
    const ownerView = (await alice.get(`/calendars?sync_token=${tBob}`)).body.items;
    assert.deepEqual([ownerView.length, ownerView[0].shares], [1, []]);
  });

  it('a token newer than the server\'s is 400 on sync_token', async () => {
    const res = await alice.get('/events?sync_token=99999999');
    assert.deepEqual([res.status, res.body.field], [400, 'sync_token']);
  });

  it('paging through a sync answer with limit and offset returns every change once', async () => {
    const cal = (await alice.post('/calendars', { title: 'Paged' })).body.id;
    const t = (await alice.get('/events')).body.sync_token;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await alice.post('/events', { calendar_id: cal, title: `e${i}`, start: { date: '2026-05-04' } })).body.id);
    }
    const seen: string[] = [];
    let next: number | undefined;
    for (let offset = 0; ; offset += 2) {
      const page = await alice.get(`/events?sync_token=${t}&limit=2&offset=${offset}`);
      seen.push(...summary(page.body.items));
      next = page.body.sync_token;
      if (!page.body.has_more) break;
    }
    assert.deepEqual(seen, made);
    assert.equal((await alice.get(`/events?sync_token=${next}`)).body.items.length, 0);
  });
});
