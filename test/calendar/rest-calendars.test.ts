// REST v2 calendars and shares: CRUD, paging, validation naming the field, 403 without permission, 404 for
// unknown ids, 412 for a stale If-Match.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness } from './support/api-harness.js';

describe('REST calendars', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
    await h.user('carol');
  });
  after(async () => {
    await h.close();
  });

  it('create, read, update and delete a calendar', async () => {
    const created = await alice.post('/calendars', { title: 'Work', color: '#AABBCC', timezone: 'europe/paris', description: 'd' });
    assert.equal(created.status, 201);
    const id = created.body.id;
    assert.equal(created.headers.get('location'), `/api/v2/calendars/${id}`);
    assert.equal(created.headers.get('etag'), created.body.etag);
    assert.deepEqual(
      { ...created.body, id: 'x', created: 't', modified: 't', sync_token: 0, etag: 'e' },
      { id: 'x', owner: 'alice', title: 'Work', color: '#aabbcc', timezone: 'Europe/Paris', description: 'd', permission: 'owner', shares: [], created: 't', modified: 't', sync_token: 0, etag: 'e' },
    );
    const read = await alice.get(`/calendars/${id}`);
    assert.deepEqual(read.body, created.body);
    const patched = await alice.patch(`/calendars/${id}`, { title: 'Work 2', color: null });
    assert.equal(patched.status, 200);
    assert.deepEqual([patched.body.title, patched.body.color, patched.body.timezone], ['Work 2', null, 'Europe/Paris']);
    assert.ok(patched.body.sync_token > created.body.sync_token);
    assert.equal((await alice.delete(`/calendars/${id}`)).status, 204);
    assert.equal((await alice.get(`/calendars/${id}`)).status, 404);
  });

  it('lists pages with limit and offset', async () => {
    const carol = await h.user('carol2');
    for (const title of ['a', 'b', 'c']) await carol.post('/calendars', { title });
    const first = await carol.get('/calendars?limit=2');
    assert.deepEqual([first.body.items.map((c: { title: string }) => c.title), first.body.has_more], [['a', 'b'], true]);
    const second = await carol.get('/calendars?limit=2&offset=2');
    assert.deepEqual([second.body.items.map((c: { title: string }) => c.title), second.body.has_more], [['c'], false]);
    assert.equal(typeof first.body.sync_token, 'number');
  });

  it('validation errors are 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x', color: 'red' }, 'color'],
      [{ title: 'x', timezone: 'Mars/Base' }, 'timezone'],
      [{ title: { text: 'x' } }, 'title'],
    ];
    for (const [body, field] of cases) {
      const res = await alice.post('/calendars', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual([res.body.error, res.body.field], ['validation', field], JSON.stringify(res.body));
      assert.equal(typeof res.body.message, 'string');
    }
    const paging = await alice.get('/calendars?limit=0');
    assert.deepEqual([paging.status, paging.body.field], [400, 'limit']);
    const token = await alice.get('/calendars?sync_token=abc');
    assert.deepEqual([token.status, token.body.field], [400, 'sync_token']);
  });

  it('another user\'s calendar is 403 to read or change; an unknown id is 404', async () => {
    const id = (await alice.post('/calendars', { title: 'Private' })).body.id;
    assert.equal((await bob.get(`/calendars/${id}`)).status, 403);
    assert.equal((await bob.patch(`/calendars/${id}`, { title: 'mine' })).status, 403);
    assert.equal((await bob.delete(`/calendars/${id}`)).status, 403);
    // Without permission, whether the named account exists is not revealed.
    assert.equal((await bob.put(`/calendars/${id}/shares/nobody`, { permission: 'read' })).status, 403);
    const res = await bob.get('/calendars/does-not-exist');
    assert.deepEqual([res.status, res.body.error], [404, 'not_found']);
    assert.equal((await bob.get('/calendars')).body.items.some((c: { id: string }) => c.id === id), false);
  });

  it('a stale If-Match is 412 and the write is not applied; the current etag succeeds', async () => {
    const created = await alice.post('/calendars', { title: 'v1' });
    const id = created.body.id;
    const v2 = await alice.patch(`/calendars/${id}`, { title: 'v2' }, { 'if-match': created.body.etag });
    assert.equal(v2.status, 200);
    const stale = await alice.patch(`/calendars/${id}`, { title: 'lost' }, { 'if-match': created.body.etag });
    assert.deepEqual([stale.status, stale.body.error, stale.body.current_etag], [412, 'precondition_failed', v2.body.etag]);
    assert.equal((await alice.get(`/calendars/${id}`)).body.title, 'v2');
    assert.equal((await alice.delete(`/calendars/${id}`, { 'if-match': created.body.etag })).status, 412);
    assert.equal((await alice.delete(`/calendars/${id}`, { 'if-match': v2.body.etag })).status, 204);
  });

  it('sharing read-only lets the sharee read but not write; the owner manages shares', async () => {
    const id = (await alice.post('/calendars', { title: 'Team' })).body.id;
    const shared = await alice.put(`/calendars/${id}/shares/bob`, { permission: 'read' });
    assert.equal(shared.status, 201);
    assert.deepEqual([shared.body.user, shared.body.permission], ['bob', 'read']);
    const seen = await bob.get(`/calendars/${id}`);
    assert.deepEqual([seen.status, seen.body.permission, seen.body.shares], [200, 'read', [{ user: 'bob', permission: 'read' }]]);
    assert.equal((await bob.patch(`/calendars/${id}`, { title: 'x' })).status, 403);
    assert.equal((await bob.put(`/calendars/${id}/shares/carol`, { permission: 'read' })).status, 403);
    assert.equal((await bob.get(`/calendars/${id}/shares`)).body.items.length, 1);
    const upgraded = await alice.put(`/calendars/${id}/shares/bob`, { permission: 'write' });
    assert.deepEqual([upgraded.status, upgraded.body.permission], [200, 'write']);
    assert.equal((await alice.delete(`/calendars/${id}/shares/bob`)).status, 204);
    assert.equal((await bob.get(`/calendars/${id}`)).status, 403);
    assert.equal((await alice.delete(`/calendars/${id}/shares/bob`)).status, 404);
  });

  it('a share names an existing user with a valid permission', async () => {
    const id = (await alice.post('/calendars', { title: 'S' })).body.id;
    const unknown = await alice.put(`/calendars/${id}/shares/nobody`, { permission: 'read' });
    assert.deepEqual([unknown.status, unknown.body.field], [400, 'user']);
    const badPermission = await alice.put(`/calendars/${id}/shares/bob`, { permission: 'admin' });
    assert.deepEqual([badPermission.status, badPermission.body.field], [400, 'permission']);
    const self = await alice.put(`/calendars/${id}/shares/alice`, { permission: 'read' });
    assert.deepEqual([self.status, self.body.field], [400, 'user']);
    assert.equal((await alice.put('/calendars/nope/shares/bob', { permission: 'read' })).status, 404);
  });
});
