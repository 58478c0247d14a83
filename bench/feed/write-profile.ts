// DESIGN.md section 3 measured in one process, for `node --cpu-prof`: N users share one calendar (no
// XMPP subscribers, so the cost is the write path: REST, calendar store, feed items in the pubsub store),
// then W REST writes one at a time. Prints setup time and per-write milliseconds.
//
//   node --cpu-prof dist/bench/feed/write-profile.js [--users 1000] [--writes 20]
//   node dist/bench/feed/write-profile.js --users 1000 --writes 20 --profile-writes writes.cpuprofile
// (the second form profiles the writes only, not the setup).

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { startTestServer } from '../../test/support/test-server.js';

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function profileWrites(users: number, writes: number, profileFile?: string): Promise<Record<string, unknown>> {
  const server = await startTestServer();
  try {
    const t0 = performance.now();
    for (let i = 0; i < users; i++) await server.addUser(`feed${i}`);
    const api = `http://127.0.0.1:${server.ports.http}/api/v2`;
    const tokenRes = await fetch(`${api}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'feed0', password: 'secret' }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      const r = await fetch(`${api}${path}`, { method, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const t1 = performance.now();
    const cal = await call('POST', '/calendars', { title: 'Shared' });
    const shareMs: number[] = [];
    for (let i = 1; i < users; i++) {
      const s = performance.now();
      await call('PUT', `/calendars/${cal.id}/shares/feed${i}`, { permission: 'read' });
      shareMs.push(performance.now() - s);
    }
    const t2 = performance.now();
    const session = profileFile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const writeMs: number[] = [];
    for (let n = 0; n < writes; n++) {
      const s = performance.now();
      await call('POST', '/events', { calendar_id: cal.id, title: `w${n}`, start: { date: '2026-12-01' }, end: { date: '2026-12-02' } });
      writeMs.push(performance.now() - s);
    }
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileFile!, JSON.stringify(profile));
      session.disconnect();
    }
    writeMs.sort((a, b) => a - b);
    return {
      users,
      accountsSeconds: +((t1 - t0) / 1000).toFixed(1),
      sharesSeconds: +((t2 - t1) / 1000).toFixed(1),
      firstShareMs: +(shareMs[0] ?? 0).toFixed(1),
      lastShareMs: +(shareMs.at(-1) ?? 0).toFixed(1),
      writeMsP50: +(writeMs[Math.floor(writeMs.length / 2)] ?? 0).toFixed(1),
      writeMsMax: +(writeMs.at(-1) ?? 0).toFixed(1),
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--profile-writes');
  const profileFile = i >= 0 ? args[i + 1] : undefined;
  console.log(JSON.stringify(await profileWrites(Math.min(flag(args, 'users', 1000), 10_000), Math.min(flag(args, 'writes', 20), 1000), profileFile), null, 2));
}
