// The connection loop of the SDK (web/sdk/realtime-connection.ts) with a scripted XMPP link and REST
// answers: transport fallback, subscribing only when not subscribed, reconnecting after a drop or a
// silent heartbeat node, and stopping for good on a revoked token.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AlmanacClient } from '../../web/sdk/client.js';
import { XmppRequestError, type LinkConnectOptions, type LinkHandlers, type SubscriptionState, type XmppLink } from '../../web/sdk/xmpp-link.js';
import type { ConnectionState, RealtimeInfo } from '../../web/sdk/types.js';

interface Script {
  /** Transports whose connect() fails. */
  failing: Set<string>;
  /** The subscription states the server reports for the feed node. */
  subscribed: SubscriptionState[];
  subscribeAnswer: SubscriptionState;
  realtime: Partial<RealtimeInfo>;
  /** 401 for every REST call once set. */
  revoked: boolean;
  /** How many subscribe requests still find no node (it is being created as the account logs in). */
  nodeMissing: number;
}

class ScriptedLink implements XmppLink {
  handlers: LinkHandlers | undefined;
  readonly calls: string[] = [];
  constructor(private readonly script: Script, private readonly log: ScriptedLink[]) {
    log.push(this);
  }
  async connect(options: LinkConnectOptions, handlers: LinkHandlers): Promise<void> {
    this.calls.push(`connect ${options.transport} ${options.url} ${options.jid}`);
    if (this.script.failing.has(options.transport)) throw new Error(`${options.transport} refused`);
    this.handlers = handlers;
  }
  async subscriptions(service: string, node: string): Promise<SubscriptionState[]> {
    this.calls.push(`subscriptions ${service} ${node}`);
    return node.startsWith('feed/') ? this.script.subscribed : [];
  }
  async subscribe(service: string, node: string): Promise<SubscriptionState> {
    this.calls.push(`subscribe ${service} ${node}`);
    if (this.script.nodeMissing > 0) {
      this.script.nodeMissing--;
      throw new XmppRequestError('item-not-found');
    }
    return this.script.subscribeAnswer;
  }
  async disconnect(): Promise<void> {
    this.calls.push('disconnect');
  }
}

function scripted(overrides: Partial<Script> = {}) {
  const script: Script = {
    failing: new Set(),
    subscribed: ['subscribed'],
    subscribeAnswer: 'subscribed',
    realtime: { domain: 'example.com', websocket_url: '/xmpp-websocket', bosh_url: '/http-bind', pubsub_service: 'pubsub.example.com', node: 'feed/alice' },
    revoked: false,
    nodeMissing: 0,
    ...overrides,
  };
  const links: ScriptedLink[] = [];
  const fetchStub: typeof fetch = async (input) => {
    const url = new URL(String(input));
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (script.revoked) return json(401, { error: 'unauthorized', message: 'the token is unknown, expired or revoked' });
    if (url.pathname === '/api/v2/users/me') return json(200, { username: 'alice' });
    if (url.pathname === '/api/v2/realtime') return json(200, script.realtime);
    return json(200, { items: [], sync_token: 7, has_more: false });
  };
  const client = new AlmanacClient({
    baseUrl: 'http://cal.example.com',
    token: 't0ken',
    fetch: fetchStub,
    link: () => new ScriptedLink(script, links),
    reconnect: { minMs: 5, maxMs: 20 },
  });
  const states: ConnectionState[] = [];
  client.on('state', (s) => states.push(s));
  return { client, script, links, states };
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const poll = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error('condition never held')) : setTimeout(poll, 2));
    poll();
  });
}

describe('RealtimeConnection', () => {
  it('connects over WebSocket at the discovered URL, made absolute with ws:, as the bare JID', async () => {
    const { client, links, states } = scripted();
    await client.connect();
    assert.equal(links[0]!.calls[0], 'connect websocket ws://cal.example.com/xmpp-websocket alice@example.com');
    assert.deepEqual(states.map((s) => `${s.status}/${s.transport}`), ['connecting/websocket', 'resyncing/websocket', 'live/websocket']);
    assert.deepEqual(client.sync.syncTokens, { calendar: 7, event: 7, event_subscription: 7 });
    await client.disconnect();
    assert.deepEqual(states.at(-1), { status: 'offline' });
  });

  it('falls back to BOSH when WebSocket fails, within the same attempt', async () => {
    const { client, links, states } = scripted({ failing: new Set(['websocket']) });
    await client.connect();
    assert.deepEqual(links.map((l) => l.calls[0]), ['connect websocket ws://cal.example.com/xmpp-websocket alice@example.com', 'connect bosh http://cal.example.com/http-bind alice@example.com']);
    assert.deepEqual(states.map((s) => `${s.status}/${s.transport}`), ['connecting/websocket', 'connecting/bosh', 'resyncing/bosh', 'live/bosh']);
    await client.disconnect();
  });

  it('does not subscribe again when the bare JID already is subscribed', async () => {
    const { client, links } = scripted();
    await client.connect();
    assert.deepEqual(links[0]!.calls.filter((c) => c.startsWith('sub')), ['subscriptions pubsub.example.com feed/alice']);
    await client.disconnect();
  });

  it('subscribes when not subscribed, and a pending subscription is an error that is retried', async () => {
    const { client, links, script, states } = scripted({ subscribed: [], subscribeAnswer: 'pending' });
    const live = client.connect();
    await until(() => states.some((s) => s.status === 'offline' && s.retryInMs !== undefined));
    assert.match(states.find((s) => s.status === 'offline')!.error!, /feed\/alice is pending/);
    script.subscribeAnswer = 'subscribed';
    await live;
    assert.deepEqual(links.at(-1)!.calls.filter((c) => c.startsWith('sub')), ['subscriptions pubsub.example.com feed/alice', 'subscribe pubsub.example.com feed/alice']);
    await client.disconnect();
  });

  it('a subscribe that finds no feed node yet (created as the account logs in) is tried again in the same session', async () => {
    const { client, links } = scripted({ subscribed: [], nodeMissing: 2 });
    await client.connect();
    assert.equal(links.length, 1);
    assert.equal(links[0]!.calls.filter((c) => c.startsWith('subscribe ')).length, 3);
    await client.disconnect();
  });

  it('a dropped session is followed at once by a new one that resyncs before it is live', async () => {
    const { client, links, states } = scripted();
    const synced: string[] = [];
    client.on('synced', (e) => synced.push(e.reason));
    await client.connect();
    links[0]!.handlers!.dropped('connection reset');
    await until(() => links.length === 2 && client.state.status === 'live');
    assert.deepEqual(
      states.slice(3).map((s) => `${s.status}${s.error ? ` (${s.error})` : ''}`),
      ['offline (connection reset)', 'connecting', 'resyncing', 'live'],
    );
    assert.deepEqual(synced, ['connect', 'connect']);
    await client.disconnect();
  });

  it('with every transport failing it stays offline and retries with a growing delay', async () => {
    const { client, states } = scripted({ failing: new Set(['websocket', 'bosh']) });
    void client.connect();
    await until(() => states.filter((s) => s.status === 'offline').length >= 3);
    const delays = states.filter((s) => s.status === 'offline').map((s) => s.retryInMs!);
    // 5, 10, 20 ms (capped) with +-25% jitter: the first three ranges do not overlap.
    assert.ok(delays[0]! < delays[1]! && delays[1]! < delays[2]! && delays.every((d) => d <= 25), delays.join());
    assert.match(states.find((s) => s.status === 'offline')!.error!, /websocket refused; bosh refused/);
    await client.disconnect();
  });

  it('a silent heartbeat node ends the session, and a new one starts', async () => {
    // 0.0004 minutes: the watchdog fires after 2.5 intervals, 60 ms.
    const { client, links } = scripted({
      realtime: { domain: 'example.com', websocket_url: 'ws://x/ws', pubsub_service: 'pubsub.example.com', node: 'feed/alice', heartbeat_node: 'heartbeat', heartbeat_minutes: 0.0004 },
    });
    await client.connect();
    assert.ok(links[0]!.calls.includes('subscribe pubsub.example.com heartbeat'));
    await until(() => links.length >= 2);
    assert.ok(links[0]!.calls.includes('disconnect'));
    await client.disconnect();
  });

  it('a revoked token stops the loop in the signed-out state', async () => {
    const { client, script, links, states } = scripted();
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    await client.connect();
    script.revoked = true;
    links[0]!.handlers!.dropped('stream closed');
    await until(() => client.state.error?.startsWith('signed out') === true);
    assert.equal(client.state.retryInMs, undefined);
    assert.equal(links.length, 1);
    assert.equal(errors.length, 1);
    assert.equal(states.at(-1)!.status, 'offline');
    await client.disconnect();
  });
});
