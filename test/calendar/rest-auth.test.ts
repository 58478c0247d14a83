// REST v2 authentication (DESIGN.md section 3): a password buys a token, `Authorization: Token <t>` on every
// call, revocation of the presented token, and 401 JSON bodies for everything else.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startApi, type Harness } from './support/api-harness.js';

describe('REST auth', () => {
  let h: Harness;
  before(async () => {
    h = await startApi();
  });
  after(async () => {
    await h.close();
  });

  it('a correct password gets a token that names its user', async () => {
    const alice = await h.user('alice');
    const me = await alice.get('/users/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { username: 'alice' });
  });

  it('the username is case-mapped like a JID localpart', async () => {
    await h.user('carol');
    const res = await h.anonymous.post('/auth/token', { username: 'Carol', password: 'secret-carol', ttl_seconds: 3600 });
    assert.equal(res.status, 201);
    assert.equal(res.body.username, 'carol');
    assert.equal(typeof res.body.expires_at, 'string');
  });

  it('a wrong password or unknown user is 401 with a JSON body', async () => {
    await h.user('bob');
    for (const body of [{ username: 'bob', password: 'nope' }, { username: 'nobody', password: 'x' }, { username: 'a@b', password: 'x' }]) {
      const res = await h.anonymous.post('/auth/token', body);
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'unauthorized');
    }
  });

  it('a token request without a password is 400 naming the field', async () => {
    const res = await h.anonymous.post('/auth/token', { username: 'bob' });
    assert.equal(res.status, 400);
    assert.deepEqual([res.body.error, res.body.field], ['validation', 'password']);
  });

  it('every call without a valid token is 401 and says which scheme to use', async () => {
    for (const path of ['/users/me', '/calendars', '/events', '/event_subscriptions']) {
      const res = await h.anonymous.get(path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error, 'unauthorized');
      assert.equal(res.headers.get('www-authenticate'), 'Token');
    }
    const bad = await new Client(h.base, 'not-a-token').get('/users/me');
    assert.equal(bad.status, 401);
  });

  it('Bearer is accepted as a synonym of Token', async () => {
    const dave = await h.user('dave');
    const res = await fetch(`${h.base}/users/me`, { headers: { authorization: `Bearer ${dave.token}` } });
    assert.equal(res.status, 200);
  });

  it('DELETE /auth/token revokes the token it presents, and only that one', async () => {
    const erin = await h.user('erin');
    const second = await h.anonymous.post('/auth/token', { username: 'erin', password: 'secret-erin' });
    const revoked = await erin.delete('/auth/token');
    assert.equal(revoked.status, 204);
    assert.equal((await erin.get('/users/me')).status, 401);
    assert.equal((await new Client(h.base, second.body.token).get('/users/me')).status, 200);
  });

  it('an unknown route under /api/v2 is a 404 JSON body', async () => {
    const alice = await h.user('frank');
    const res = await alice.get('/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
  });

  it('a body that is not JSON is 400 on the body', async () => {
    const res = await fetch(`${h.base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; field: string };
    assert.deepEqual([body.error, body.field], ['validation', 'body']);
  });
});
