// DESIGN.md section 8 with docs/REST.md (sync tokens): a REST write answered 2xx is committed, so a
// kill -9 while concurrent POST /api/v2/events are in flight loses none of the answered ones, and the
// sync tokens handed out stay unique and keep increasing across the restart.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { crash, dataDirWith, eventBody, RestCaller, serve, stop } from './fault-fixture.js';

const WORKERS = 8;
const KILL_AFTER_WRITES = 150;

describe('kill -9 during REST writes', () => {
  let dataDir: string;
  before(() => (dataDir = dataDirWith(['alice'])));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('every event answered 2xx is there after the restart, with unique, increasing sync tokens', async () => {
    const first = await serve(dataDir);
    const rest = new RestCaller(first, 'alice');
    let cal: { id: string };
    try {
      cal = await rest.ok('POST', '/calendars', { title: 'Burst' });
    } catch (err) {
      await crash(first);
      throw err;
    }

    const answered: Array<{ id: string; sync_token: number; title: string }> = [];
    let sent = 0;
    let killed: Promise<void> | undefined;
    const worker = async (w: number): Promise<void> => {
      // bounded, so a server refusing every write ends the test instead of spinning
      for (let n = 0; !killed && n < 10 * KILL_AFTER_WRITES; n++) {
        const title = `w${w}-${n}`;
        sent++;
        try {
          const r = await rest.call('POST', '/events', eventBody(cal.id, title));
          if (r.status >= 200 && r.status < 300) answered.push({ id: r.body.id, sync_token: r.body.sync_token, title });
        } catch {
          return; // the connection died with the server: this write was never acknowledged
        }
        if (answered.length >= KILL_AFTER_WRITES && !killed) killed = crash(first);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    await (killed ?? crash(first));
    assert.ok(answered.length >= KILL_AFTER_WRITES);

    const tokens = answered.map((a) => a.sync_token);
    assert.equal(new Set(tokens).size, tokens.length, 'no sync token was handed out twice');

    const second = await serve(dataDir);
    try {
      const rest2 = new RestCaller(second, 'alice');
      const stored = new Map((await rest2.allEvents()).map((e) => [e.id as string, e]));
      const lost = answered.filter((a) => stored.get(a.id)?.title !== a.title);
      assert.deepEqual(lost, [], `${lost.length} of ${answered.length} answered writes lost (${sent} sent)`);
      for (const a of answered) assert.equal(stored.get(a.id).sync_token, a.sync_token);

      const next = await rest2.ok('POST', '/events', eventBody(cal.id, 'after restart'));
      assert.ok(next.sync_token > Math.max(...tokens), `a write after the restart gets a newer token (${next.sync_token})`);
      // a client that synced at the last answered token sees exactly the newer write
      const delta = await rest2.ok('GET', `/events?sync_token=${Math.max(...tokens)}&limit=1000`);
      const newer = delta.items.map((i: { id: string }) => i.id).filter((id: string) => answered.some((a) => a.id === id));
      assert.deepEqual(newer, [], 'nothing answered before the crash reappears as newer');
      assert.ok(delta.items.some((i: { id: string }) => i.id === next.id));
    } finally {
      await stop(second);
    }
  });
});
