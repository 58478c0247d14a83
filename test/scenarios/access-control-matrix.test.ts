// The access-control matrix (the reliability issue, item 4): no user reads, subscribes to, publishes to
// or configures a node, or reads or changes a calendar, that they have no right to — over XMPP
// (XEP-0060 4.1 affiliations and 4.5 access models) and REST (DESIGN.md section 3 permissions).
// Each row is one actor and one action on one resource, with the answer the rules give.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NODE_CONFIG, PUBSUB, submitForm, startScenario, type PubsubClient, type Scenario } from '../modules/pubsub/scenario-kit.js';

type Actor = 'owner' | 'member' | 'contact' | 'stranger' | 'outcast';
const MODELS = ['open', 'presence', 'roster', 'whitelist', 'authorize'] as const;
type Model = (typeof MODELS)[number];

/** Who may read items of (and subscribe to) a node of each access model (XEP-0060 4.5, table 4.1). */
const MAY_READ: Record<Model, Actor[]> = {
  open: ['owner', 'member', 'contact', 'stranger'],
  presence: ['owner', 'member', 'contact'],
  roster: ['owner', 'member', 'contact'],
  whitelist: ['owner', 'member'],
  authorize: ['owner', 'member'],
};

describe('access-control matrix over XMPP (XEP-0060 4.1, 4.5)', () => {
  let s: Scenario;
  const as = {} as Record<Actor, PubsubClient>;
  before(async () => {
    s = await startScenario(['owner', 'member', 'contact', 'stranger', 'outcast']);
    for (const a of ['owner', 'member', 'contact', 'stranger', 'outcast'] as Actor[]) as[a] = await s.connect(a);
    // contact is subscribed to the owner's presence and in the owner's roster group "friends"
    as.contact.send(`<presence to='owner@localhost' type='subscribe'/>`);
    await as.owner.client.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
    as.owner.send(`<presence to='contact@localhost' type='subscribed'/>`);
    await as.contact.client.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribed');
    await as.owner.ok(as.owner.iq('set', undefined, `<query xmlns='jabber:iq:roster'><item jid='contact@localhost'><group>friends</group></item></query>`));
    for (const model of MODELS) {
      const fields: Record<string, string> = { 'pubsub#access_model': model };
      if (model === 'roster') fields['pubsub#roster_groups_allowed'] = 'friends';
      await as.owner.ok(as.owner.pubsub('set', `<create node='${model}'/><configure>${submitForm(NODE_CONFIG, fields)}</configure>`));
      await as.owner.ok(as.owner.pubsub('set', `<publish node='${model}'><item id='1'><entry xmlns='urn:example'>x</entry></item></publish>`));
      await as.owner.ok(
        as.owner.owner(
          'set',
          `<affiliations node='${model}'><affiliation jid='member@localhost' affiliation='member'/><affiliation jid='outcast@localhost' affiliation='outcast'/></affiliations>`,
        ),
      );
    }
  });
  after(() => s.stop());

  for (const model of MODELS) {
    for (const actor of ['owner', 'member', 'contact', 'stranger', 'outcast'] as Actor[]) {
      const allowed = MAY_READ[model].includes(actor);
      it(`${model} node: ${actor} ${allowed ? 'may' : 'may not'} read items`, async () => {
        const res = await as[actor].pubsub('get', `<items node='${model}'/>`);
        assert.equal(res.attrs.type, allowed ? 'result' : 'error', res.toString());
      });
      it(`${model} node: ${actor} ${allowed ? 'may' : 'may not'} subscribe`, async () => {
        const res = await as[actor].pubsub('set', `<subscribe node='${model}' jid='${as[actor].jid}'/>`);
        const state = res.getChild('pubsub', PUBSUB)?.getChild('subscription')?.attrs.subscription;
        // the authorize model lets anyone ask; only an approval (or an affiliation) grants it
        const granted = res.attrs.type === 'result' && state !== 'pending';
        assert.equal(granted, allowed, res.toString());
      });
      const owner = actor === 'owner';
      it(`${model} node: ${actor} ${owner ? 'may' : 'may not'} publish`, async () => {
        const res = await as[actor].pubsub('set', `<publish node='${model}'><item id='by-${actor}'><entry xmlns='urn:example'>y</entry></item></publish>`);
        assert.equal(res.attrs.type, owner ? 'result' : 'error', res.toString());
      });
      it(`${model} node: ${actor} ${owner ? 'may' : 'may not'} configure`, async () => {
        const res = await as[actor].owner('get', `<configure node='${model}'/>`);
        assert.equal(res.attrs.type, owner ? 'result' : 'error', res.toString());
      });
    }
  }
});

describe('access-control matrix over REST (DESIGN.md section 3)', () => {
  let s: Scenario;
  let api: string;
  const tokens = {} as Record<string, string>;
  let calendarId = '';
  let eventId = '';
  const call = async (user: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Token ${tokens[user]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.text() };
  };
  before(async () => {
    s = await startScenario(['owner', 'writer', 'reader', 'stranger', 'newcomer']);
    api = `http://127.0.0.1:${s.server.ports.http}/api/v2`;
    for (const u of ['owner', 'writer', 'reader', 'stranger']) {
      const r = await fetch(`${api}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'secret' }) });
      tokens[u] = ((await r.json()) as { token: string }).token;
    }
    calendarId = JSON.parse((await call('owner', 'POST', '/calendars', { title: 'Private' })).body).id;
    await call('owner', 'PUT', `/calendars/${calendarId}/shares/writer`, { permission: 'write' });
    await call('owner', 'PUT', `/calendars/${calendarId}/shares/reader`, { permission: 'read' });
    eventId = JSON.parse(
      (await call('owner', 'POST', '/events', { calendar_id: calendarId, title: 'Secret', start: { date: '2026-12-01' }, end: { date: '2026-12-02' } })).body,
    ).id;
  });
  after(() => s.stop());

  const ok = (status: number) => status >= 200 && status < 300;
  const rows: Array<[string, string, (u: string) => Promise<{ status: number; body: string }>, string[]]> = [
    ['read the calendar', 'GET', (u) => call(u, 'GET', `/calendars/${calendarId}`), ['owner', 'writer', 'reader']],
    ['read the event', 'GET', (u) => call(u, 'GET', `/events/${eventId}`), ['owner', 'writer', 'reader']],
    ['create an event in it', 'POST', (u) => call(u, 'POST', '/events', { calendar_id: calendarId, title: `by ${u}`, start: { date: '2026-12-03' }, end: { date: '2026-12-04' } }), ['owner', 'writer']],
    ['change the event', 'PATCH', (u) => call(u, 'PATCH', `/events/${eventId}`, { title: `changed by ${u}` }), ['owner', 'writer']],
    ['share the calendar', 'PUT', (u) => call(u, 'PUT', `/calendars/${calendarId}/shares/newcomer`, { permission: 'read' }), ['owner']],
    ['export it as iCalendar', 'GET', (u) => call(u, 'GET', `/calendars/${calendarId}/ical`), ['owner', 'writer', 'reader']],
  ];
  for (const [action, , run, allowed] of rows) {
    for (const user of ['writer', 'reader', 'stranger', 'owner']) {
      const may = allowed.includes(user);
      it(`${user} ${may ? 'may' : 'may not'} ${action}`, async () => {
        const { status, body } = await run(user);
        assert.equal(ok(status), may, `${status} ${body}`);
        if (!may) {
          assert.ok(status === 403 || status === 404, `refused with 403 or 404, got ${status}`);
          assert.ok(JSON.parse(body).error, 'a JSON error body');
        }
      });
    }
  }

  it('nobody lists another user\'s calendars', async () => {
    const { body } = await call('stranger', 'GET', '/calendars');
    assert.ok(!JSON.parse(body).items.some((c: { id: string }) => c.id === calendarId));
  });
});
