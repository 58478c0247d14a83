// The OpenAPI document at /api/v2/openapi.json matches what the server does: every route it lists is
// served, every served route is listed, and real answers conform to the schemas it gives.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, type Client, type Harness, type Reply } from './support/api-harness.js';
import { checkSchema } from './support/schema-check.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>; security: unknown[]; parameters?: Array<{ name: string; in: string }> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('REST OpenAPI document', () => {
  let h: Harness;
  let alice: Client;
  let bob: Client;
  let doc: Doc;
  before(async () => {
    h = await startApi();
    alice = await h.user('alice');
    bob = await h.user('bob');
    doc = (await h.anonymous.get('/openapi.json')).body as Doc;
  });
  after(async () => {
    await h.close();
  });

  /** Holds a real answer against the document's schema for that operation and status. */
  function conforms(method: string, path: string, res: Reply): void {
    const op = doc.paths[`/api/v2${path}`]?.[method];
    assert.ok(op, `${method} ${path} is documented`);
    const response = op.responses[String(res.status)];
    assert.ok(response, `${method} ${path} documents status ${res.status}`);
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      assert.equal(res.text, '', `${method} ${path} ${res.status} has no documented body`);
      return;
    }
    assert.deepEqual(checkSchema(res.body, schema, doc.components.schemas), [], `${method} ${path} ${res.status}`);
  }

  it('is an OpenAPI 3.1 document served without a token', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(Object.keys(doc.components.schemas).includes('Event'));
  });

  it('lists exactly the routes the server registers, and each is answered', async () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([a-z_]+)\}/g, ':$1')}`))
      .sort();
    const registered = h.routes.filter((r) => !r.startsWith('HEAD ')).sort();
    assert.deepEqual(registered, documented);
    for (const entry of documented) {
      const [method, path] = entry.split(' ');
      const res = await alice.request(method!, path!.replace('/api/v2', '').replace(/:[a-z_]+/g, 'x'), method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.doesNotMatch(String(res.body?.message), /no route/, entry);
    }
  });

  it('marks every operation but token issue and the document itself as needing the token', () => {
    const open: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) if (op.security.length === 0) open.push(`${m} ${path}`);
    assert.deepEqual(open.sort(), ['get /api/v2/openapi.json', 'post /api/v2/auth/token']);
  });

  it('real answers of every resource conform to the documented schemas', async () => {
    conforms('get', '/users/me', await alice.get('/users/me'));
    const cal = await alice.post('/calendars', { title: 'Doc', color: '#000000' });
    conforms('post', '/calendars', cal);
    conforms('get', '/calendars/{id}', await alice.get(`/calendars/${cal.body.id}`));
    conforms('put', '/calendars/{id}/shares/{user}', await alice.put(`/calendars/${cal.body.id}/shares/bob`, { permission: 'read' }));
    conforms('get', '/calendars/{id}/shares', await alice.get(`/calendars/${cal.body.id}/shares`));
    const ev = await alice.post('/events', {
      calendar_id: cal.body.id,
      title: 'E',
      start: { date_time: '2026-01-05T10:00:00', timezone: 'Europe/Paris' },
      rrule: 'FREQ=WEEKLY;COUNT=3',
      overrides: { '2026-01-12T10:00:00': { title: 'O', color: null } },
    });
    conforms('post', '/events', ev);
    conforms('get', '/events/{id}', await bob.get(`/events/${ev.body.id}`));
    conforms('patch', '/events/{id}', await alice.patch(`/events/${ev.body.id}`, { location: 'here' }));
    conforms('get', '/events', await alice.get('/events'));
    conforms('get', '/events', await alice.get('/events?expand=true&start=2026-01-01&end=2026-02-01'));
    conforms('get', '/events/{id}/instances', await alice.get(`/events/${ev.body.id}/instances?start=2026-01-01&end=2026-02-01`));
    const sub = await alice.post('/event_subscriptions', { event_id: ev.body.id, user: 'bob' });
    conforms('post', '/event_subscriptions', sub);
    conforms('patch', '/event_subscriptions/{id}', await bob.patch(`/event_subscriptions/${sub.body.id}`, { rsvp_status: 'attending' }));
    conforms('get', '/event_subscriptions', await bob.get('/event_subscriptions'));
    conforms('post', '/calendars/{id}/ical', await alice.post(`/calendars/${cal.body.id}/ical`, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n', { 'content-type': 'text/calendar' }));
    conforms('delete', '/event_subscriptions/{id}', await alice.delete(`/event_subscriptions/${sub.body.id}`));
    const other = await alice.post('/events', { calendar_id: cal.body.id, title: 'gone', start: { date: '2026-01-05' } });
    conforms('delete', '/events/{id}', await alice.delete(`/events/${other.body.id}`));
    conforms('get', '/events', await alice.get('/events?sync_token=0'));
    conforms('get', '/calendars', await bob.get('/calendars?sync_token=0'));
    conforms('get', '/event_subscriptions', await bob.get('/event_subscriptions?sync_token=0'));
  });

  it('error answers conform to the documented error schema', async () => {
    const cal = await alice.post('/calendars', { title: 'Errors' });
    conforms('post', '/calendars', await alice.post('/calendars', {}));
    conforms('get', '/calendars/{id}', await bob.get(`/calendars/${cal.body.id}`));
    conforms('get', '/calendars/{id}', await bob.get('/calendars/nope'));
    conforms('patch', '/calendars/{id}', await alice.patch(`/calendars/${cal.body.id}`, { title: 'x' }, { 'if-match': '"0"' }));
    conforms('get', '/events', await h.anonymous.get('/events'));
    conforms('post', '/auth/token', await h.anonymous.post('/auth/token', { username: 'alice', password: 'wrong' }));
  });
});
