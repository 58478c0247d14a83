// DESIGN.md section 8: storage faults give clear errors, not a crash or corruption. A database locked
// by another process (SQLite SQLITE_BUSY after the busy timeout) and a full disk (SQLITE_FULL, on a
// tiny tmpfs) make REST writes fail with a 5xx JSON body and publishes fail with an XEP-0060 error;
// the server keeps serving, and once the fault is gone everything acknowledged before is intact and
// the file passes PRAGMA integrity_check.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createNodeIq, dataDirWith, eventBody, itemIds, online, publishIq, RestCaller, serve, stop } from './fault-fixture.js';

function integrity(dataDir: string): string {
  const db = new Database(join(dataDir, 'almanac.db'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** A tmpfs of `size` at a fresh directory, or undefined where mounting is not allowed (not root). */
function tinyDisk(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-tinydisk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return undefined;
}

/** 503 (RFC 9110 15.6.4: nothing changed, retry) with a JSON body naming what is wrong with storage. */
function assertCleanFailure(answer: { status: number; body: any }, error: 'storage_busy' | 'storage_full'): void {
  assert.equal(answer.status, 503, `503, got ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body?.error, error, `a JSON error body, got ${JSON.stringify(answer.body)}`);
}

describe('storage faults', () => {
  const cleanups: Array<() => void> = [];
  after(() => {
    for (const c of cleanups.reverse()) c();
  });

  it('a database locked by another process: 503 storage_busy and an IQ error, then everything is intact once released', async () => {
    const dataDir = dataDirWith(['alice']);
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await serve(dataDir);
    try {
      const alice = await online(server, 'alice', 'a');
      const rest = new RestCaller(server, 'alice');
      const cal = await rest.ok('POST', '/calendars', { title: 'Locked' });
      const before = await rest.ok('POST', '/events', eventBody(cal.id, 'before the lock'));
      assert.equal((await alice.iq(createNodeIq('c', 'locked'), 'c')).attrs.type, 'result');
      assert.equal((await alice.iq(publishIq('p0', 'locked', 'kept'), 'p0')).attrs.type, 'result');

      const holder = new Database(join(dataDir, 'almanac.db'));
      holder.exec('BEGIN EXCLUSIVE');
      try {
        assertCleanFailure(await rest.call('POST', '/events', eventBody(cal.id, 'while locked')), 'storage_busy');
        // the server waits out its busy timeout (5 s) before giving up
        alice.send(publishIq('p1', 'locked', 'refused'));
        const refused = await alice.receive((el) => el.name === 'iq' && el.attrs.id === 'p1', 20_000);
        assert.equal(refused.attrs.type, 'error');
        const condition = refused.getChild('error')!.getChildElements()[0]!.name;
        assert.ok(['internal-server-error', 'resource-constraint'].includes(condition), condition);
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }

      const after = await rest.ok('POST', '/events', eventBody(cal.id, 'after the lock'));
      assert.ok(after.sync_token > before.sync_token);
      const titles = (await rest.allEvents()).map((e) => e.title).sort();
      assert.deepEqual(titles, ['after the lock', 'before the lock']);
      assert.deepEqual([...(await itemIds(alice, 'locked'))], ['kept']);
      alice.destroy();
    } finally {
      await stop(server);
    }
    assert.equal(server.child.exitCode, 0);
    assert.equal(integrity(dataDir), 'ok');
  });

  const disk = tinyDisk('8m');
  // Mounting needs root; elsewhere the locked-database case above is the storage fault that runs.
  if (disk) {
    cleanups.push(() => {
      execFileSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    });
    it('a full disk: 503 storage_full and an IQ error, the server keeps serving, nothing acknowledged is lost', async () => {
      const dataDir = dataDirWith(['alice'], disk);
      const server = await serve(dataDir);
      const filler = join(disk, 'filler');
      try {
        const alice = await online(server, 'alice', 'a');
        const rest = new RestCaller(server, 'alice');
        const cal = await rest.ok('POST', '/calendars', { title: 'Full' });
        const acked: string[] = [];
        for (let i = 0; i < 5; i++) acked.push((await rest.ok('POST', '/events', eventBody(cal.id, `kept ${i}`))).id);
        assert.equal((await alice.iq(createNodeIq('c', 'full'), 'c')).attrs.type, 'result');

        // fill the file system to the last block
        spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { encoding: 'utf8' });
        const big = 'x'.repeat(4000);
        let failure: { status: number; body: any } | undefined;
        for (let i = 0; i < 400 && !failure; i++) {
          const r = await rest.call('POST', '/events', { ...(eventBody(cal.id, `filling ${i}`) as object), description: big });
          if (r.status >= 200 && r.status < 300) acked.push(r.body.id);
          else failure = r;
        }
        assert.ok(failure, 'a write failed once the disk was full');
        assertCleanFailure(failure!, 'storage_full');
        const refused = await alice.iq(publishIq('p1', 'full', 'x'.repeat(10)), 'p1');
        if (refused.attrs.type === 'error') {
          const condition = refused.getChild('error')!.getChildElements()[0]!.name;
          assert.ok(['internal-server-error', 'resource-constraint'].includes(condition), condition);
        }
        const ping = await alice.iq(`<iq type='get' to='localhost' id='ping'><ping xmlns='urn:xmpp:ping'/></iq>`, 'ping');
        assert.equal(ping.attrs.type, 'result', 'the server still answers');

        rmSync(filler);
        await rest.ok('POST', '/events', eventBody(cal.id, 'after the disk was freed'));
        const stored = new Set((await rest.allEvents()).map((e) => e.id as string));
        assert.deepEqual(acked.filter((id) => !stored.has(id)), [], 'every acknowledged write is intact');
        alice.destroy();
      } finally {
        rmSync(filler, { force: true });
        await stop(server);
      }
      assert.equal(integrity(dataDir), 'ok');
    });
  } else {
    writeFileSync(join(tmpdir(), 'almanac-no-tmpfs'), 'mount -t tmpfs was refused: the full-disk case did not run\n');
  }
});
