// The client SDK in Node against a real server (REST, XMPP over WebSocket and BOSH, the pubsub feed):
// token sign-in shared by REST and SASL OAUTHBEARER, the feed subscription, typed change events, BOSH
// when WebSocket fails, and a complete copy after dropped connections (DESIGN.md section 3).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlmanacClient, XmppLinkFactory } from '../../web/sdk/index.js';
import { stanzaLink } from '../../web/sdk/stanza-link.js';
import type { Change, ConnectionState } from '../../web/sdk/types.js';
import { pubsubOf } from '../../src/modules/pubsub/index.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';

/** Resolves once `check` holds, re-checking after every event of the client (10 s guard). */
function until(client: AlmanacClient, check: () => boolean, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const done = (err?: Error) => {
      clearTimeout(timer);
      for (const off of offs) off();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}`)), 10_000);
    const test = () => {
      if (check()) done();
    };
    offs.push(client.on('change', test), client.on('state', test), client.on('synced', test));
  });
}

function record(client: AlmanacClient): { changes: Change[]; states: ConnectionState[] } {
  const log = { changes: [] as Change[], states: [] as ConnectionState[] };
  client.on('change', (c) => log.changes.push(c));
  client.on('state', (s) => log.states.push(s));
  return log;
}

const at = (date: string, time: string) => ({ date_time: `${date}T${time}:00`, timezone: 'Europe/Paris' });

describe('AlmanacClient against a live server', () => {
  let live: LiveServer;
  before(async () => {
    live = await startLiveServer();
  });
  after(() => live.stop());

  it('signs in with a password, connects over WebSocket and goes live with its copy synced', async () => {
    const alice = await live.client('alice');
    const log = record(alice);
    const calendar = await alice.rest.createCalendar({ title: 'Work' });
    await alice.connect();
    assert.deepEqual(
      log.states.map((s) => `${s.status}/${s.transport}`),
      ['connecting/websocket', 'resyncing/websocket', 'live/websocket'],
    );
    assert.deepEqual(alice.calendars().map((c) => c.id), [calendar.id]);
    assert.equal(live.server.host.sessions.resourcesOf('alice@localhost')[0]?.transport, 'websocket');
  });

  it("another user's edit of a shared event arrives as a typed change, without a resync", async () => {
    const alice = await live.client('carol');
    const bob = await live.client('dave');
    await Promise.all([alice.connect(), bob.connect()]);
    const calendar = await alice.createCalendar({ title: 'Team' });
    const event = await alice.createEvent({ calendar_id: calendar.id, title: 'Stand-up', start: at('2026-11-25', '09:30') });
    await alice.share(calendar.id, 'dave', 'write');
    await until(bob, () => bob.sync.cache.events.has(event.id), 'the shared event to reach dave');

    const log = record(alice);
    const synced: unknown[] = [];
    alice.on('synced', (e) => synced.push(e));
    await bob.updateEvent(event.id, { title: 'Stand-up (moved)' });
    await until(alice, () => alice.sync.cache.events.get(event.id)?.title === 'Stand-up (moved)', 'the edit to reach carol');
    const change = log.changes.find((c) => c.resource === 'event' && c.id === event.id)!;
    assert.equal(change.source, 'feed');
    assert.equal(change.action, 'updated');
    assert.match(change.actor ?? '', /^dave(@localhost)?$/);
    assert.equal(change.resource, 'event');
    assert.equal(change.resource === 'event' && change.data?.title, 'Stand-up (moved)');
    assert.equal(change.resource === 'event' && change.data?.permission, 'owner');
    assert.deepEqual(synced, []);
  });

  it('after a reconnect it resyncs what it missed, deletions included', async () => {
    const owner = await live.client('erin');
    const reader = await live.client('frank');
    await reader.connect();
    const calendar = await owner.createCalendar({ title: 'Plans' });
    const kept = await owner.createEvent({ calendar_id: calendar.id, title: 'Kept', start: at('2026-11-26', '10:00') });
    const doomed = await owner.createEvent({ calendar_id: calendar.id, title: 'Doomed', start: at('2026-11-26', '11:00') });
    await owner.share(calendar.id, 'frank', 'read');
    await until(reader, () => reader.sync.cache.events.size === 2, 'both events to reach frank');
    const tokens = reader.sync.syncTokens;

    await reader.disconnect();
    await owner.deleteEvent(doomed.id);
    await owner.updateEvent(kept.id, { title: 'Kept, renamed' });
    const added = await owner.createEvent({ calendar_id: calendar.id, title: 'Added', start: at('2026-11-27', '09:00') });
    const log = record(reader);
    await reader.connect();

    assert.deepEqual(
      log.changes.flatMap((c) => (c.resource === 'event' ? [`${c.source}:${c.action}:${c.data?.title ?? c.id}`] : [])).sort(),
      ['resync:created:Added', 'resync:deleted:' + doomed.id, 'resync:updated:Kept, renamed'].sort(),
    );
    assert.ok(reader.sync.syncTokens.event! > tokens.event!);
    assert.deepEqual([...reader.sync.cache.events.keys()].sort(), [kept.id, added.id].sort());
  });

  it('a connection the server drops is reconnected and resynced on its own', async () => {
    const owner = await live.client('gina');
    const watcher = await live.client('hank');
    await watcher.connect();
    const calendar = await owner.createCalendar({ title: 'Shared' });
    await owner.share(calendar.id, 'hank', 'read');
    await until(watcher, () => watcher.sync.cache.calendars.has(calendar.id), 'the share to reach hank');
    const log = record(watcher);
    let written: Promise<unknown> | undefined;
    watcher.on('state', (s) => {
      // Written while the client is offline, so only the resync can bring it.
      if (s.status === 'offline' && !written) written = owner.createEvent({ calendar_id: calendar.id, title: 'While away', start: at('2026-11-28', '08:00') });
    });
    live.server.host.sessions.resourcesOf('hank@localhost')[0]!.close('system-shutdown');
    await until(watcher, () => log.states.at(-1)?.status === 'live' && log.states.some((s) => s.status === 'offline'), 'hank to come back');
    await written;
    await until(watcher, () => watcher.events().some((e) => e.title === 'While away'), 'the event written while away');
    assert.deepEqual(log.states.map((s) => s.status).slice(0, 2), ['offline', 'connecting']);
  });

  it('a feed item lost on the way is noticed by the next one (prev-sync-token) and resynced', async () => {
    const owner = await live.client('nina');
    // StanzaJS over the real server, with one notification thrown away before the SDK sees it.
    let dropped = 0;
    const lossy: XmppLinkFactory = () => {
      const inner = stanzaLink();
      return {
        connect: (options, handlers) =>
          inner.connect(options, {
            ...handlers,
            item: (item) => {
              if (item.change?.json?.includes('"title":"Lost"') && dropped++ === 0) return;
              handlers.item(item);
            },
          }),
        subscriptions: (service, node) => inner.subscriptions(service, node),
        subscribe: (service, node) => inner.subscribe(service, node),
        disconnect: () => inner.disconnect(),
      };
    };
    const reader = await live.client('olga', { link: lossy });
    await reader.connect();
    const calendar = await owner.createCalendar({ title: 'Lossy' });
    await owner.share(calendar.id, 'olga', 'read');
    await until(reader, () => reader.sync.cache.calendars.has(calendar.id), 'the share to reach olga');
    const reasons: string[] = [];
    reader.on('synced', (e) => reasons.push(e.reason));
    const lost = await owner.createEvent({ calendar_id: calendar.id, title: 'Lost', start: at('2026-11-25', '08:00') });
    const found = await owner.createEvent({ calendar_id: calendar.id, title: 'Found', start: at('2026-11-25', '09:00') });
    await until(reader, () => reasons.length > 0, 'the gap resync');
    await until(reader, () => reader.sync.cache.events.has(lost.id) && reader.sync.cache.events.has(found.id), 'both events at olga');
    assert.equal(dropped, 1);
    assert.deepEqual(reasons, ['gap']);
  });

  it('falls back to BOSH when WebSocket cannot connect', async (t) => {
    // StanzaJS prints the refused WebSocket to the console; the states below are what matters.
    t.mock.method(console, 'error', () => undefined);
    const client = await live.client('ivan', { realtime: { websocket_url: 'ws://127.0.0.1:1/xmpp-websocket' } });
    const log = record(client);
    await client.connect();
    assert.deepEqual(
      log.states.map((s) => `${s.status}/${s.transport}`),
      ['connecting/websocket', 'connecting/bosh', 'resyncing/bosh', 'live/bosh'],
    );
    assert.equal(live.server.host.sessions.resourcesOf('ivan@localhost')[0]?.transport, 'bosh');
  });

  it('over BOSH, live changes arrive the same way', async () => {
    const owner = await live.client('judy');
    const client = await live.client('kurt', { transports: ['bosh'] });
    await client.connect();
    const calendar = await owner.createCalendar({ title: 'Over BOSH' });
    await owner.share(calendar.id, 'kurt', 'read');
    const event = await owner.createEvent({ calendar_id: calendar.id, title: 'Polled', start: at('2026-11-25', '15:00') });
    await until(client, () => client.sync.cache.events.get(event.id)?.title === 'Polled', 'the event over BOSH');
    assert.equal(client.state.transport, 'bosh');
  });

  it('subscribes its bare JID to the feed node once, however often it connects', async () => {
    const client = await live.client('lena');
    await client.connect();
    await client.disconnect();
    await client.connect();
    const subs = await pubsubOf(live.server.host)!.engine.getNodeSubscriptions('localhost', 'feed/lena');
    assert.equal(subs.ok, true);
    assert.deepEqual(subs.ok && subs.value.map((s) => `${s.jid}:${s.state}`), ['lena@localhost:subscribed']);
    assert.equal(client.state.status, 'live');
  });

  it('a revoked token ends in the signed-out state instead of retrying forever', async () => {
    const client = await live.client('mona');
    await client.connect();
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    await live.server.host.stores.tokens.revoke(client.token!);
    live.server.host.sessions.resourcesOf('mona@localhost')[0]!.close('system-shutdown');
    await until(client, () => client.state.error?.startsWith('signed out') === true, 'the signed-out state');
    assert.equal(client.state.status, 'offline');
    assert.equal(client.state.retryInMs, undefined);
  });
});
