// `almanac serve --workers N` (the scale-out issue: "a documented way to run one process per core
// behind the same ports"): N worker processes share the listening ports through node:cluster, form
// one cluster over Redis, and answer as one server; the primary prints a single ready line.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRedis } from '../support/redis.js';
import { almanac, startServerProcess } from '../support/server-process.js';
import { TestClient } from '../support/test-client.js';

describe('serve --workers', () => {
  const redis = useRedis();

  it('two workers behind the same ports serve as one server, and SIGTERM stops them all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'almanac-workers-'));
    try {
      for (const u of ['alice', 'bob']) assert.equal(almanac(['user', 'add', `${u}@localhost`, 'secret', '--data-dir', dataDir]).status, 0);
      const server = await startServerProcess(dataDir, ['--workers', '2', '--redis-url', redis.url()]);
      const out = server.output();
      assert.equal(out.split('\n').filter((l) => l.startsWith('ready ')).length, 1, 'one ready line');
      const children = execFileSync('ps', ['--ppid', String(server.child.pid), '-o', 'pid=']).toString().trim().split('\n');
      assert.equal(children.length, 2, 'two worker processes');

      // several connections land on both workers (round robin); a message crosses between them
      const clients: TestClient[] = [];
      for (let i = 0; i < 4; i++) {
        const c = await TestClient.connect(server.ports.c2s!);
        await c.login(i % 2 === 0 ? 'alice' : 'bob', 'secret', `r${i}`);
        clients.push(c);
      }
      for (const c of clients) await c.online();
      for (const from of clients.filter((c) => c.jid.startsWith('alice'))) {
        for (const to of clients.filter((c) => c.jid.startsWith('bob'))) {
          from.send(`<message to='${to.jid}' id='${from.jid}-${to.jid}'><body>hi</body></message>`);
          const got = await to.receive((el) => el.name === 'message' && el.attrs.id === `${from.jid}-${to.jid}`);
          assert.equal(got.attrs.from, from.jid);
        }
      }
      for (const c of clients) c.destroy();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('more than one worker without redis_url is a configuration error naming the key', () => {
    const r = almanac(['serve', '--workers', '2', '--data-dir', tmpdir()]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /redis_url/);
  });
});
