// better-sqlite3 compiles a statement on every prepare(); a store that runs the same SQL text again and
// again keeps each compiled statement and reuses it.

import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDb } from './database.js';

/** A function giving the statement for an SQL text, prepared on first use and kept. */
export function preparedOnce(db: SqliteDb): (source: string) => BetterSqlite3.Statement {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return (source) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = db.prepare(source);
      statements.set(source, statement);
    }
    return statement;
  };
}
