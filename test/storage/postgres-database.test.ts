// PostgresDatabase (storage/postgres/database.ts): migrations that several processes may run at once,
// transactions that commit or roll back whole, retry of serialization failures, the URL's pool size, and
// the start-up error when the database cannot be reached.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePostgresUrl, PostgresDatabase } from '../../src/storage/postgres/database.js';
import { openPostgresStorage } from '../../src/storage/postgres/open.js';
import { scramHasher } from '../../src/stream/password-credentials.js';
import { usePostgres } from '../support/postgres.js';

const pg = usePostgres();

const STEPS = ['CREATE TABLE applied (step INTEGER NOT NULL)', 'INSERT INTO applied VALUES (2)', 'INSERT INTO applied VALUES (3)'];

describe('PostgreSQL migrations', () => {
  it('each step runs once and the version is recorded per component', async () => {
    const db = await pg.freshDatabase();
    await db.migrate('demo', STEPS.slice(0, 2));
    await db.migrate('demo', STEPS.slice(0, 2));
    await db.migrate('demo', STEPS);
    assert.deepEqual(await db.rows('SELECT step FROM applied ORDER BY step'), [{ step: 2 }, { step: 3 }]);
    assert.deepEqual(await db.rows('SELECT component, version FROM schema_version'), [{ component: 'demo', version: 3 }]);
  });

  it('processes starting together apply every step exactly once', async () => {
    const first = await pg.freshDatabase();
    const others = await Promise.all([1, 2, 3].map(() => pg.freshDatabase({ schema: first.schema })));
    await Promise.all([first, ...others].map((db) => db.migrate('demo', STEPS)));
    assert.deepEqual(await first.rows('SELECT step FROM applied ORDER BY step'), [{ step: 2 }, { step: 3 }]);
  });

  it('a failing step is rolled back and leaves the earlier steps and version in place', async () => {
    const db = await pg.freshDatabase();
    await assert.rejects(db.migrate('demo', [STEPS[0]!, 'INSERT INTO applied VALUES (2); INSERT INTO missing VALUES (1)']), /missing/);
    assert.deepEqual(await db.rows('SELECT step FROM applied'), []);
    assert.deepEqual(await db.rows('SELECT version FROM schema_version WHERE component = $1', ['demo']), [{ version: 1 }]);
  });
});

describe('PostgreSQL transactions', () => {
  it('a body that throws leaves nothing behind', async () => {
    const db = await pg.freshDatabase();
    await db.migrate('demo', [STEPS[0]!]);
    await assert.rejects(
      db.transaction(async (sql) => {
        await sql.run('INSERT INTO applied VALUES (1)');
        throw new Error('no');
      }),
      /no/,
    );
    assert.deepEqual(await db.rows('SELECT step FROM applied'), []);
  });

  it('a serialization failure runs the body again until it commits', async () => {
    const db = await pg.freshDatabase({ poolSize: 4 });
    await db.migrate('demo', ['CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)']);
    let attempts = 0;
    // Read-then-write under SERIALIZABLE: concurrent bodies conflict, and each retry sees the others' commits.
    const bump = () =>
      db.transaction(
        async (sql) => {
          attempts++;
          const { n } = (await sql.one<{ n: number }>('SELECT n FROM counter'))!;
          await sql.run('UPDATE counter SET n = $1', [n + 1]);
        },
        { isolation: 'serializable' },
      );
    await Promise.all([bump(), bump(), bump()]);
    assert.deepEqual(await db.rows('SELECT n FROM counter'), [{ n: 3 }]);
    assert.ok(attempts >= 3);
  });

  it('bigint columns come back as numbers', async () => {
    const db = await pg.freshDatabase();
    assert.deepEqual(await db.rows('SELECT COUNT(*) AS n, 9007199254740991::bigint AS max'), [{ n: 1, max: Number.MAX_SAFE_INTEGER }]);
  });

  it('an unreachable server fails connect with the driver error', async () => {
    const url = pg.url().replace(/:(\d+)\//, ':1/');
    await assert.rejects(PostgresDatabase.connect({ url }), /ECONNREFUSED/);
  });
});

describe('postgres_url', () => {
  it('pool_size in the query sets the pool size and is not passed to the server', () => {
    assert.deepEqual(parsePostgresUrl('postgres://u:p@db.example:5433/almanac?pool_size=25&sslmode=require'), {
      connectionString: 'postgres://u:p@db.example:5433/almanac?sslmode=require',
      poolSize: 25,
    });
    assert.deepEqual(parsePostgresUrl('postgresql://db/almanac'), { connectionString: 'postgresql://db/almanac' });
    assert.throws(() => parsePostgresUrl('postgres://db/almanac?pool_size=0'), /pool_size/);
  });
});

describe('opening PostgreSQL storage', () => {
  it('an unreachable database stops start-up naming postgres_url but not the password', async () => {
    const url = pg.url().replace('postgres@', 'postgres:hunter2@').replace(/:(\d+)\//, ':1/');
    await assert.rejects(openPostgresStorage(url, scramHasher), (err: Error) =>
      err.message.startsWith('postgres_url: cannot open the database') && !err.message.includes('hunter2'),
    );
  });
});
