// Property-based fuzzing of the REST input validation: whatever JSON (or not-JSON) arrives — wrong
// types, deep nesting, huge strings, unknown fields — every answer is a 2xx or a 4xx with a JSON
// error body, never a 5xx, and the API keeps serving. FUZZ_RUNS=<n> runs longer on demand.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('2026-12-01', '2026-12-01T10:00:00', 'Europe/Paris', 'FREQ=WEEKLY', '#ff0000', 'x'.repeat(5000)),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('title', 'calendar_id', 'start', 'end', 'date', 'date_time', 'timezone', 'rrule', 'permission', 'color', 'x'), tie('any'), { maxKeys: 5 }),
  ),
})).any;

const deep = fc.nat(2000).map((n) => '['.repeat(n) + ']'.repeat(n));

describe('fuzzing the REST input validation', () => {
  let server: TestServer;
  let api: string;
  let token: string;
  let calendarId: string;
  before(async () => {
    server = await startTestServer();
    await server.addUser('fuzz');
    api = `http://127.0.0.1:${server.ports.http}/api/v2`;
    const r = await fetch(`${api}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fuzz', password: 'secret' }) });
    token = ((await r.json()) as { token: string }).token;
    const c = await fetch(`${api}/calendars`, { method: 'POST', headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Fuzz' }) });
    calendarId = ((await c.json()) as { id: string }).id;
  });
  after(() => server.stop());

  const target = fc.constantFrom(
    ['POST', '/calendars'],
    ['POST', '/events'],
    ['PATCH', '/events/00000000-0000-0000-0000-000000000000'],
    ['PATCH', '/calendars/CAL'],
    ['PUT', '/calendars/CAL/shares/someone'],
    ['POST', '/event_subscriptions'],
    ['GET', '/events?start=SOMETHING&limit=SOMETHING'],
  );

  it('every answer is 2xx or a 4xx with a JSON error body, and the API keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(target, fc.oneof(value.map((v) => JSON.stringify(v) ?? 'null'), deep, fc.string({ maxLength: 50 })), async ([method, rawPath], body) => {
        const path = rawPath.replace('CAL', calendarId).replace(/SOMETHING/g, encodeURIComponent(body.slice(0, 20)));
        const res = await fetch(`${api}${path}`, {
          method,
          headers: { authorization: `Token ${token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          body: method === 'GET' ? undefined : body,
        });
        const text = await res.text();
        assert.ok(res.status < 500, `${method} ${path} ${body.slice(0, 80)} -> ${res.status} ${text}`);
        if (res.status >= 400) assert.ok(typeof JSON.parse(text).error === 'string', text);
        const alive = await fetch(`${api}/users/me`, { headers: { authorization: `Token ${token}` } });
        assert.equal(alive.status, 200);
      }),
      { numRuns: RUNS },
    );
  });
});
