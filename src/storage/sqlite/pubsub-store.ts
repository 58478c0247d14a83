// SQLite PubsubStore (XEP-0060 section 12.1 data model, XEP-0313 archive order) on SqliteDatabase.
// One row per node, item, subscription and affiliation, so a publish inserts one item row (plus the
// deletes of evicted ones) and a subscribe writes one row. Items carry an AUTOINCREMENT archive sequence,
// never reused, that orders a node's history for item retrieval, RSM paging and MAM.

import type { SqliteDatabase } from './database.js';
import type {
  ItemQuery,
  ItemRange,
  NewPubsubItem,
  PubsubAffiliationRecord,
  PubsubItemRecord,
  PubsubNodeRecord,
  PubsubStore,
  PubsubSubscriptionRecord,
  PutItemResult,
  StoredAffiliation,
} from '../pubsub-store.js';
import type BetterSqlite3 from 'better-sqlite3';
import {
  ITEM_COLUMNS,
  nodeFromRow,
  nodeRowValues,
  subscriptionFromRow,
  subscriptionRowValues,
  type NodeRow,
  type SubscriptionRow,
} from '../pubsub-records.js';

const MIGRATIONS = [
  `CREATE TABLE pubsub_nodes (
     service TEXT NOT NULL, node TEXT NOT NULL, config TEXT NOT NULL,
     created INTEGER NOT NULL, creator TEXT NOT NULL,
     PRIMARY KEY (service, node)
   ) WITHOUT ROWID;
   CREATE TABLE pubsub_items (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     service TEXT NOT NULL, node TEXT NOT NULL, id TEXT NOT NULL,
     payload TEXT NOT NULL, publisher TEXT NOT NULL, published INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX pubsub_items_by_id ON pubsub_items (service, node, id);
   CREATE INDEX pubsub_items_by_seq ON pubsub_items (service, node, seq);
   CREATE INDEX pubsub_items_by_time ON pubsub_items (service, node, published);
   CREATE TABLE pubsub_subscriptions (
     service TEXT NOT NULL, node TEXT NOT NULL, jid TEXT NOT NULL, subid TEXT NOT NULL,
     bare TEXT NOT NULL, state TEXT NOT NULL, options TEXT NOT NULL,
     PRIMARY KEY (service, node, jid, subid)
   ) WITHOUT ROWID;
   CREATE INDEX pubsub_subscriptions_by_subscriber ON pubsub_subscriptions (service, bare);
   CREATE TABLE pubsub_affiliations (
     service TEXT NOT NULL, node TEXT NOT NULL, jid TEXT NOT NULL, affiliation TEXT NOT NULL,
     PRIMARY KEY (service, node, jid)
   ) WITHOUT ROWID;
   CREATE INDEX pubsub_affiliations_by_entity ON pubsub_affiliations (service, jid);`,
];

interface PendingPut {
  item: NewPubsubItem;
  keepNewest: number | undefined;
  resolve(result: PutItemResult): void;
  reject(error: unknown): void;
}

export class SqlitePubsubStore implements PubsubStore {
  private readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private pendingPuts: PendingPut[] = [];

  constructor(private readonly database: SqliteDatabase) {
    database.migrate('pubsub', MIGRATIONS);
    this.db = database.db;
  }

  /** Prepared statements are cached by their text, so dynamic queries are prepared once per shape. */
  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async createNode(record: PubsubNodeRecord, owner: string): Promise<boolean> {
    return this.database.transaction(() => {
      const inserted = this.stmt(
        'INSERT INTO pubsub_nodes (service, node, config, created, creator) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(...nodeRowValues(record));
      if (inserted.changes === 0) return false;
      this.stmt(
        'INSERT OR REPLACE INTO pubsub_affiliations (service, node, jid, affiliation) VALUES (?, ?, ?, ?)',
      ).run(record.service, record.node, owner, 'owner');
      return true;
    });
  }

  async getNode(service: string, node: string): Promise<PubsubNodeRecord | undefined> {
    const row = this.stmt('SELECT * FROM pubsub_nodes WHERE service = ? AND node = ?').get(service, node) as
      | NodeRow
      | undefined;
    return row ? nodeFromRow(row) : undefined;
  }

  async listNodes(service: string): Promise<PubsubNodeRecord[]> {
    const rows = this.stmt('SELECT * FROM pubsub_nodes WHERE service = ? ORDER BY node').all(service) as NodeRow[];
    return rows.map(nodeFromRow);
  }

  async countNodes(service: string): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM pubsub_nodes WHERE service = ?').get(service) as { n: number }).n;
  }

  async updateNodeConfig(service: string, node: string, config: Record<string, unknown>): Promise<void> {
    this.stmt('UPDATE pubsub_nodes SET config = ? WHERE service = ? AND node = ?').run(
      JSON.stringify(config),
      service,
      node,
    );
  }

  async deleteNode(service: string, node: string): Promise<boolean> {
    return this.database.transaction(() => {
      for (const table of ['pubsub_items', 'pubsub_subscriptions', 'pubsub_affiliations']) {
        this.stmt(`DELETE FROM ${table} WHERE service = ? AND node = ?`).run(service, node);
      }
      return this.stmt('DELETE FROM pubsub_nodes WHERE service = ? AND node = ?').run(service, node).changes > 0;
    });
  }

  /**
   * Puts issued in the same turn of the event loop (the feed publishes one item per user of a change
   * at once) share one commit, in queue order, so a node's items keep theirs; each resolves only after
   * that commit. Should one of them fail, the shared transaction is rolled back and every put is
   * retried in a transaction of its own, so one bad put does not take the others with it.
   */
  async putItem(item: NewPubsubItem, keepNewest?: number): Promise<PutItemResult> {
    return new Promise<PutItemResult>((resolve, reject) => {
      if (this.pendingPuts.length === 0) setImmediate(() => this.commitPendingPuts());
      this.pendingPuts.push({ item, keepNewest, resolve, reject });
    });
  }

  private commitPendingPuts(): void {
    const batch = this.pendingPuts;
    this.pendingPuts = [];
    let results: PutItemResult[] | undefined;
    try {
      results = this.database.transaction(() => batch.map((put) => this.putOne(put.item, put.keepNewest)));
    } catch {
      results = undefined;
    }
    batch.forEach((put, i) => {
      if (results) return put.resolve(results[i]!);
      try {
        put.resolve(this.database.transaction(() => this.putOne(put.item, put.keepNewest)));
      } catch (error) {
        put.reject(error);
      }
    });
  }

  private putOne(item: NewPubsubItem, keepNewest: number | undefined): PutItemResult {
    const replaced =
      this.stmt('DELETE FROM pubsub_items WHERE service = ? AND node = ? AND id = ?').run(
        item.service,
        item.node,
        item.id,
      ).changes > 0;
    const info = this.stmt(
      'INSERT INTO pubsub_items (service, node, id, payload, publisher, published) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(item.service, item.node, item.id, item.payload, item.publisher, item.published);
    const evicted = keepNewest === undefined ? [] : this.trim(item.service, item.node, keepNewest);
    return { seq: Number(info.lastInsertRowid), replaced, evicted };
  }

  /** Finds the oldest kept item by walking the seq index from the newest end, then deletes below it. */
  private trim(service: string, node: string, keepNewest: number): string[] {
    let boundary = Number.MAX_SAFE_INTEGER;
    if (keepNewest > 0) {
      const row = this.stmt(
        'SELECT seq FROM pubsub_items WHERE service = ? AND node = ? ORDER BY seq DESC LIMIT 1 OFFSET ?',
      ).get(service, node, keepNewest - 1) as { seq: number } | undefined;
      if (!row) return [];
      boundary = row.seq;
    }
    const ids = (
      this.stmt('SELECT id FROM pubsub_items WHERE service = ? AND node = ? AND seq < ? ORDER BY seq').all(
        service,
        node,
        boundary,
      ) as { id: string }[]
    ).map((r) => r.id);
    if (ids.length > 0) {
      this.stmt('DELETE FROM pubsub_items WHERE service = ? AND node = ? AND seq < ?').run(service, node, boundary);
    }
    return ids;
  }

  async getItems(service: string, node: string, ids: string[]): Promise<PubsubItemRecord[]> {
    const stmt = this.stmt(`SELECT ${ITEM_COLUMNS} FROM pubsub_items WHERE service = ? AND node = ? AND id = ?`);
    const found: PubsubItemRecord[] = [];
    for (const id of new Set(ids)) {
      const row = stmt.get(service, node, id) as PubsubItemRecord | undefined;
      if (row) found.push(row);
    }
    return found;
  }

  private where(range: ItemRange, params: unknown[]): string {
    let sql = 'service = ? AND node = ?';
    if (range.afterSeq !== undefined) {
      sql += ' AND seq > ?';
      params.push(range.afterSeq);
    }
    if (range.beforeSeq !== undefined) {
      sql += ' AND seq < ?';
      params.push(range.beforeSeq);
    }
    if (range.publishedFrom !== undefined) {
      sql += ' AND published >= ?';
      params.push(range.publishedFrom);
    }
    if (range.publishedTo !== undefined) {
      sql += ' AND published <= ?';
      params.push(range.publishedTo);
    }
    return sql;
  }

  async queryItems(service: string, node: string, query: ItemQuery): Promise<PubsubItemRecord[]> {
    const params: unknown[] = [service, node];
    let sql = `SELECT ${ITEM_COLUMNS} FROM pubsub_items WHERE ${this.where(query, params)}`;
    sql += query.order === 'newest-first' ? ' ORDER BY seq DESC' : ' ORDER BY seq ASC';
    sql += ' LIMIT ? OFFSET ?';
    params.push(query.limit ?? -1, query.offset ?? 0);
    return this.stmt(sql).all(...params) as PubsubItemRecord[];
  }

  async countItems(service: string, node: string, range: ItemRange = {}): Promise<number> {
    const params: unknown[] = [service, node];
    const sql = `SELECT COUNT(*) AS n FROM pubsub_items WHERE ${this.where(range, params)}`;
    return (this.stmt(sql).get(...params) as { n: number }).n;
  }

  async deleteItems(service: string, node: string, ids: string[]): Promise<string[]> {
    return this.database.transaction(() => {
      const stmt = this.stmt('DELETE FROM pubsub_items WHERE service = ? AND node = ? AND id = ?');
      return [...new Set(ids)].filter((id) => stmt.run(service, node, id).changes > 0);
    });
  }

  async deleteItemsPublishedBefore(service: string, node: string, cutoff: number): Promise<string[]> {
    return this.database.transaction(() => {
      const ids = (
        this.stmt(
          'SELECT id FROM pubsub_items WHERE service = ? AND node = ? AND published < ? ORDER BY seq',
        ).all(service, node, cutoff) as { id: string }[]
      ).map((r) => r.id);
      this.stmt('DELETE FROM pubsub_items WHERE service = ? AND node = ? AND published < ?').run(service, node, cutoff);
      return ids;
    });
  }

  async trimItems(service: string, node: string, keepNewest: number): Promise<string[]> {
    return this.database.transaction(() => this.trim(service, node, keepNewest));
  }

  async purgeItems(service: string, node: string): Promise<number> {
    return this.stmt('DELETE FROM pubsub_items WHERE service = ? AND node = ?').run(service, node).changes;
  }

  async listSubscriptions(service: string, node: string): Promise<PubsubSubscriptionRecord[]> {
    const rows = this.stmt('SELECT * FROM pubsub_subscriptions WHERE service = ? AND node = ?').all(
      service,
      node,
    ) as SubscriptionRow[];
    return rows.map(subscriptionFromRow);
  }

  async subscriptionsOf(service: string, bare: string): Promise<PubsubSubscriptionRecord[]> {
    const rows = this.stmt('SELECT * FROM pubsub_subscriptions WHERE service = ? AND bare = ?').all(
      service,
      bare,
    ) as SubscriptionRow[];
    return rows.map(subscriptionFromRow);
  }

  async putSubscription(r: PubsubSubscriptionRecord): Promise<void> {
    this.stmt(
      `INSERT INTO pubsub_subscriptions (service, node, jid, subid, bare, state, options) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, node, jid, subid) DO UPDATE SET state = excluded.state, options = excluded.options`,
    ).run(...subscriptionRowValues(r));
  }

  async deleteSubscription(service: string, node: string, jid: string, subid: string): Promise<boolean> {
    return (
      this.stmt('DELETE FROM pubsub_subscriptions WHERE service = ? AND node = ? AND jid = ? AND subid = ?').run(
        service,
        node,
        jid,
        subid,
      ).changes > 0
    );
  }

  async listAffiliations(service: string, node: string): Promise<PubsubAffiliationRecord[]> {
    return this.stmt('SELECT * FROM pubsub_affiliations WHERE service = ? AND node = ?').all(
      service,
      node,
    ) as PubsubAffiliationRecord[];
  }

  async affiliationsOf(service: string, bare: string): Promise<PubsubAffiliationRecord[]> {
    return this.stmt('SELECT * FROM pubsub_affiliations WHERE service = ? AND jid = ?').all(
      service,
      bare,
    ) as PubsubAffiliationRecord[];
  }

  async setAffiliation(
    service: string,
    node: string,
    jid: string,
    affiliation: StoredAffiliation | 'none',
  ): Promise<void> {
    if (affiliation === 'none') {
      this.stmt('DELETE FROM pubsub_affiliations WHERE service = ? AND node = ? AND jid = ?').run(service, node, jid);
    } else {
      this.stmt(
        'INSERT OR REPLACE INTO pubsub_affiliations (service, node, jid, affiliation) VALUES (?, ?, ?, ?)',
      ).run(service, node, jid, affiliation);
    }
  }
}
