// The embedded database shared by several processes (serve --workers N on one SQLite file, WAL mode):
// a transaction that reads and then writes must not fail because another process committed between
// its read and its write.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/storage/sqlite/database.js';

describe('SQLite shared by two processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-sqlite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a read-then-write transaction holds the write lock from its start, so a commit elsewhere cannot void it', () => {
    const file = join(dir, 'shared.db');
    const mine = new SqliteDatabase(file);
    const theirs = new SqliteDatabase(file);
    theirs.db.pragma('busy_timeout = 0');
    mine.db.exec('CREATE TABLE queue (id INTEGER PRIMARY KEY, body TEXT)');
    mine.db.prepare('INSERT INTO queue (body) VALUES (?)').run('one');

    let theirsRefused = false;
    const taken = mine.transaction(() => {
      const rows = mine.db.prepare('SELECT body FROM queue').all() as Array<{ body: string }>;
      // The other process tries to write between our read and our write: it has to wait its turn.
      try {
        theirs.db.prepare('INSERT INTO queue (body) VALUES (?)').run('two');
      } catch (err) {
        theirsRefused = (err as { code?: string }).code === 'SQLITE_BUSY';
      }
      mine.db.prepare('DELETE FROM queue').run();
      return rows.map((r) => r.body);
    });
    assert.deepEqual(taken, ['one']);
    assert.ok(theirsRefused, 'the other writer waited (busy) instead of slipping in');
    theirs.db.prepare('INSERT INTO queue (body) VALUES (?)').run('two');
    assert.equal((mine.db.prepare('SELECT count(*) AS n FROM queue').get() as { n: number }).n, 1);
    mine.close();
    theirs.close();
  });
});
