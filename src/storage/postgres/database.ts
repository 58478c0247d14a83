// The scale-out database: PostgreSQL through a `pg` connection pool (DESIGN.md section 5). Several
// almanac processes share one database, so everything here is safe to run concurrently from many
// processes: migrations take an advisory lock, and transactions retry the failures PostgreSQL asks
// callers to retry (serialization failure, deadlock). Every statement with values is parameterised and
// runs as a named prepared statement, prepared once per connection.
//
// A server that goes away (restart, crash, network) never ends the process: pg emits the error of an
// idle connection on the pool, which drops that connection; a query on a dead connection fails and its
// connection is dropped too; new connections are made on demand, so the pool recovers by itself once
// the server answers again. The outage and the recovery are logged once each (Reachability below).

import { createHash } from 'node:crypto';
import pg from 'pg';
import { log } from '../../core/log.js';
import { faultReason, storageFault } from '../storage-fault.js';

/** Statements a store runs, on the pool or inside one transaction. */
export interface Sql {
  rows<R>(text: string, params?: unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  one<R>(text: string, params?: unknown[]): Promise<R | undefined>;
  /** Runs a statement and resolves with how many rows it touched. */
  run(text: string, params?: unknown[]): Promise<number>;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: Isolation;
  readOnly?: boolean;
}

export interface PostgresOptions {
  /** postgres://user:password@host:port/database; `pool_size=N` in the query sets the pool size. */
  url: string;
  /** Connections per process (default 10, or the URL's pool_size). */
  poolSize?: number;
  /** Schema to create and use instead of public (tests give each case its own). */
  schema?: string;
  /** Errors of idle pooled connections (e.g. the server restarted); the pool drops such a connection. */
  onIdleError?: (err: Error) => void;
}

/** SQLSTATEs after which PostgreSQL documents that the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
/** One key for every almanac migration in a database: two processes starting together take turns. */
const MIGRATION_LOCK = 0x616c6d61; // 'alma'

const INT8_OID = 20;

/** int8 columns (counts, sequences, millisecond times) as numbers: every value we store is below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Whether the server answers, as seen from the results of this process's queries, so that an outage is
 * one log line and its end another, however many queries fail meanwhile. Each query notes the period it
 * started in: one that started before a change of state cannot flip it back (a slow query that
 * succeeds after the server went away does not announce a recovery, and one that fails late does not
 * announce an outage that already ended).
 */
class Reachability {
  private down = false;
  /** Bumped at every change of state. */
  private period = 0;

  begin(): number {
    return this.period;
  }

  succeeded(period: number): void {
    if (!this.down || period !== this.period) return;
    this.down = false;
    this.period++;
    log.error('storage: PostgreSQL reachable again');
  }

  failed(err: unknown, period = this.period): void {
    if (this.down || period !== this.period || storageFault(err) !== 'unavailable') return;
    this.down = true;
    this.period++;
    log.error({ reason: faultReason(err) }, `storage: PostgreSQL unreachable (${faultReason(err)}); requests that need storage are refused until it answers`);
  }

  /** Watches one operation. */
  watch<T>(work: () => Promise<T>): Promise<T> {
    const period = this.begin();
    return work().then(
      (value) => {
        this.succeeded(period);
        return value;
      },
      (err: unknown) => {
        this.failed(err, period);
        throw err;
      },
    );
  }
}

function statementName(text: string): string {
  return 'a' + createHash('sha1').update(text).digest('hex').slice(0, 20);
}

class Statements implements Sql {
  constructor(private readonly target: pg.Pool | pg.PoolClient) {}

  async rows<R>(text: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.target.query({ name: statementName(text), text, values: params });
    return result.rows as R[];
  }

  async one<R>(text: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(text, params))[0];
  }

  async run(text: string, params: unknown[] = []): Promise<number> {
    const result = await this.target.query({ name: statementName(text), text, values: params });
    return result.rowCount ?? 0;
  }
}

/** A quoted identifier; the schema name comes from configuration or tests, never from a client. */
function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`postgres: invalid schema name "${name}"`);
  return `"${name}"`;
}

export function parsePostgresUrl(url: string): { connectionString: string; poolSize?: number } {
  const parsed = new URL(url);
  const size = parsed.searchParams.get('pool_size');
  parsed.searchParams.delete('pool_size');
  if (size === null) return { connectionString: parsed.toString() };
  const poolSize = Number(size);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`postgres_url: pool_size must be a positive integer, not "${size}"`);
  return { connectionString: parsed.toString(), poolSize };
}

export class PostgresDatabase implements Sql {
  readonly pool: pg.Pool;
  private readonly statements: Statements;
  private readonly reachability = new Reachability();
  private closed = false;

  private constructor(pool: pg.Pool, readonly schema: string | undefined) {
    this.pool = pool;
    this.statements = new Statements(pool);
  }

  /** Connects (failing clearly when the server is unreachable) and prepares the migration table. */
  static async connect(options: PostgresOptions): Promise<PostgresDatabase> {
    const { connectionString, poolSize } = parsePostgresUrl(options.url);
    const schema = options.schema && identifier(options.schema);
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? poolSize ?? 10,
      types,
      options: schema ? `-c search_path=${schema}` : undefined,
    });
    const database = new PostgresDatabase(pool, options.schema);
    // Without a listener, Node would throw this event and end the process. pg has already removed the
    // connection from the pool when it emits it.
    pool.on('error', (err) => {
      database.reachability.failed(err);
      options.onIdleError?.(err);
    });
    try {
      // Under the lock: IF NOT EXISTS alone still races when two processes start together.
      await database.withMigrationLock(async (client) => {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
      });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return database;
  }

  rows<R>(text: string, params?: unknown[]): Promise<R[]> {
    return this.reachability.watch(() => this.statements.rows<R>(text, params));
  }

  one<R>(text: string, params?: unknown[]): Promise<R | undefined> {
    return this.reachability.watch(() => this.statements.one<R>(text, params));
  }

  run(text: string, params?: unknown[]): Promise<number> {
    return this.reachability.watch(() => this.statements.run(text, params));
  }

  /**
   * Runs `body` in one transaction on one connection and commits. A serialization failure or deadlock
   * runs the whole body again (it must not have effects outside the database); any other error rolls
   * back and rejects.
   */
  transaction<T>(body: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.reachability.watch(() => this.runTransaction(body, options));
  }

  private async runTransaction<T>(body: (sql: Sql) => Promise<T>, options: TransactionOptions): Promise<T> {
    const begin = `BEGIN ISOLATION LEVEL ${(options.isolation ?? 'read committed').toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const value = await body(new Statements(client));
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        const code = (err as { code?: string }).code;
        if (!(code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS)) throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  private async withMigrationLock<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const value = await body(client);
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Applies the steps of `component` that have not run yet, each in its own transaction under the
   * migration lock, so processes starting at the same time apply each step exactly once. Steps are
   * append-only: never edit a released step, add a new one.
   */
  async migrate(component: string, steps: string[]): Promise<void> {
    for (;;) {
      const done = await this.withMigrationLock(async (client) => {
        const found = await client.query<{ version: number }>('SELECT version FROM schema_version WHERE component = $1', [component]);
        const version = found.rows[0]?.version ?? 0;
        if (version >= steps.length) return true;
        await client.query(steps[version]!);
        await client.query(
          `INSERT INTO schema_version (component, version) VALUES ($1, $2)
           ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
          [component, version + 1],
        );
        return false;
      });
      if (done) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
