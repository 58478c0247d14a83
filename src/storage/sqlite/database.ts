// The embedded database: one SQLite file in WAL mode (DESIGN.md section 5).
// With journal_mode=WAL and synchronous=NORMAL a committed transaction survives a crash of the process
// (kill -9); only a power loss can drop the last commits. Each store migrates its own tables, so adding a
// store never edits a central list.

import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDb = BetterSqlite3.Database;

export class SqliteDatabase {
  readonly db: SqliteDb;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new BetterSqlite3(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      component TEXT PRIMARY KEY,
      version INTEGER NOT NULL
    )`);
  }

  /**
   * Applies the steps of `component` that have not run yet, each in its own transaction.
   * Steps are append-only: never edit a released step, add a new one.
   */
  migrate(component: string, steps: string[]): void {
    const current = this.db.prepare('SELECT version FROM schema_version WHERE component = ?');
    const record = this.db.prepare(
      'INSERT INTO schema_version (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version',
    );
    // Each step runs in an IMMEDIATE transaction that re-reads the version, so several processes
    // starting on one database file (serve --workers) apply each step exactly once.
    for (;;) {
      const applied = this.db
        .transaction(() => {
          const version = (current.get(component) as { version: number } | undefined)?.version ?? 0;
          if (version >= steps.length) return false;
          this.db.exec(steps[version]!);
          record.run(component, version + 1);
          return true;
        })
        .immediate();
      if (!applied) return;
    }
  }

  /**
   * Runs `fn` in a write transaction that takes the write lock at BEGIN (IMMEDIATE). A deferred one that
   * reads first fails at once with SQLITE_BUSY when another process (serve --workers on one file)
   * committed in between, whatever busy_timeout says: WAL mode cannot upgrade its stale read snapshot.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
