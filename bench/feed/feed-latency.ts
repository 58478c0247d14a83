// DESIGN.md section 3 measured: 1,000 users share one calendar and each is subscribed over XMPP
// (XEP-0060 6.1) to its own feed node feed/<user>, so one REST write (docs/REST.md POST /events)
// becomes 2,000 feed items (the event and each user's own event_subscription). Reports the setup time,
// the time from the REST request (and from its response) to each user's event item, p50/p99, then REST
// writes per second with the feed on. Loopback only, bounded.
//
//   node dist/bench/feed/feed-latency.js [--users 1000] [--writes 50] [--seconds 10] [--concurrency 8]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loginMany } from '../load/login-pool.js';
import { startSoakServer } from '../soak/soak-server.js';

const PUBSUB = 'http://jabber.org/protocol/pubsub';
const ITEMS_PER_WRITE_AND_USER = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runFeedBench(users: number, writes: number, seconds: number, concurrency: number): Promise<Record<string, unknown>> {
  const stateDir = mkdtempSync(join(tmpdir(), 'almanac-feed-'));
  const server = await startSoakServer(join(stateDir, 'data'), users, 'feed', 'secret');
  const api = `http://127.0.0.1:${server.httpPort}/api/v2`;
  try {
    const tokenRes = await fetch(`${api}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'feed0', password: 'secret' }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      const r = await fetch(`${api}${path}`, { method, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const setupStart = performance.now();
    const cal = await call('POST', '/calendars', { title: 'Shared' });
    for (let i = 1; i < users; i++) await call('PUT', `/calendars/${cal.id}/shares/feed${i}`, { permission: 'read' });

    // arrivals[eventId] = arrival times (ms, performance.now) of its feed items
    const arrivals = new Map<string, number[]>();
    const sharesSeconds = (performance.now() - setupStart) / 1000;
    process.stderr.write(`[feed] ${users - 1} shares in ${sharesSeconds.toFixed(1)} s\n`);
    const pool = await loginMany(server.target, { indexes: Array.from({ length: users }, (_, i) => i), resource: 'feed', concurrency: 50 });
    if (pool.failures.length > 0) throw new Error(`logins failed: ${pool.failures.slice(0, 3).join('; ')}`);
    await Promise.all(pool.clients.map(async (c) => {
      const replies = new Map<string, (xml: string) => void>();
      c.useStanzas((xml) => {
        if (xml.startsWith('<iq')) {
          const id = /\sid=['"]([^'"]+)['"]/.exec(xml)?.[1];
          if (id) replies.get(id)?.(xml);
          return;
        }
        const m = /<change\s[^>]*?\sid=['"]([^'"]+)['"]/.exec(xml);
        if (xml.startsWith('<message') && m) {
          const list = arrivals.get(m[1]!) ?? [];
          list.push(performance.now());
          arrivals.set(m[1]!, list);
        }
      });
      // the feed node is created at login: a subscribe that overtakes it is retried
      for (let attempt = 0; ; attempt++) {
        const reply = await new Promise<string>((resolve) => {
          replies.set(`s${attempt}`, resolve);
          c.send(`<iq type='set' to='pubsub.localhost' id='s${attempt}'><pubsub xmlns='${PUBSUB}'><subscribe node='feed/${c.bareJid.split('@')[0]}' jid='${c.jid}'/></pubsub></iq>`);
        });
        if (/type=['"]result['"]/.test(reply)) break;
        if (attempt > 20) throw new Error(`subscribe failed: ${reply}`);
        await sleep(200);
      }
    }));
    const setupSeconds = (performance.now() - setupStart) / 1000;
    process.stderr.write(`[feed] ${users} subscribers on their own feed nodes after ${setupSeconds.toFixed(1)} s\n`);

    const body = (n: number) => ({ calendar_id: cal.id, title: `w${n}`, start: { date: '2026-12-01' }, end: { date: '2026-12-02' } });
    const fromRequest: number[] = [];
    const fromResponse: number[] = [];
    let incomplete = 0;
    for (let n = 0; n < writes; n++) {
      const t0 = performance.now();
      const ev = await call('POST', '/events', body(n));
      const t1 = performance.now();
      const until = t1 + 10_000;
      while ((arrivals.get(ev.id)?.length ?? 0) < users && performance.now() < until) await sleep(1);
      const got = arrivals.get(ev.id) ?? [];
      if (got.length < users) incomplete++;
      for (const t of got) {
        fromRequest.push(t - t0);
        fromResponse.push(t - t1);
      }
    }
    fromRequest.sort((a, b) => a - b);
    fromResponse.sort((a, b) => a - b);

    // throughput: `concurrency` writers for `seconds`, every write fanning out to all subscribers
    const before = [...arrivals.values()].reduce((s, l) => s + l.length, 0);
    let done = 0;
    const end = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
      for (let n = 0; performance.now() < end; n++) {
        await call('POST', '/events', body(100_000 * (w + 1) + n));
        done++;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    // Each new event is two changes for every user: the event, and the user's own event_subscription
    // row the write created (docs/REST.md), so two feed items per write and user.
    const expectedItems = done * users * ITEMS_PER_WRITE_AND_USER;
    for (let i = 0; i < 60 && [...arrivals.values()].reduce((s, l) => s + l.length, 0) - before < expectedItems; i++) await sleep(500);
    const itemsDelivered = [...arrivals.values()].reduce((s, l) => s + l.length, 0) - before;
    const drained = (performance.now() - t0) / 1000;
    for (const c of pool.clients) c.socket?.destroy();
    return {
      users,
      setupSeconds: { shares: +sharesSeconds.toFixed(1), total: +setupSeconds.toFixed(1) },
      latencyWrites: writes,
      itemsMeasured: fromRequest.length,
      incompleteWrites: incomplete,
      msFromRequest: { p50: +percentile(fromRequest, 50).toFixed(1), p99: +percentile(fromRequest, 99).toFixed(1), max: +fromRequest.at(-1)!.toFixed(1) },
      msFromResponse: { p50: +percentile(fromResponse, 50).toFixed(1), p99: +percentile(fromResponse, 99).toFixed(1), max: +fromResponse.at(-1)!.toFixed(1) },
      throughput: {
        concurrency,
        seconds: +elapsed.toFixed(1),
        writes: done,
        writesPerSecond: +(done / elapsed).toFixed(1),
        feedItemsExpected: expectedItems,
        feedItemsDelivered: itemsDelivered,
        secondsUntilAllDelivered: +drained.toFixed(1),
      },
      serverPeakRssMiB: server.peakRssMiB(),
    };
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const result = await runFeedBench(Math.min(flag(args, 'users', 1000), 10_000), Math.min(flag(args, 'writes', 50), 1000), Math.min(flag(args, 'seconds', 10), 120), flag(args, 'concurrency', 8));
  console.log(JSON.stringify(result, null, 2));
}
