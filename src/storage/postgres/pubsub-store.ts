// PubsubStore on PostgreSQL (XEP-0060 section 12.1 data model, XEP-0313 archive order). One row per node,
// item, subscription and affiliation, so a publish inserts one item row (plus the deletes of evicted
// ones) and a subscribe writes one row (DESIGN.md section 7). A publish takes a per-node advisory lock
// before drawing its archive sequence: PostgreSQL sequences are handed out at call time, not commit
// time, and without the lock a reader paging a node's history by seq could pass over an item that
// commits later with a smaller seq. putItem resolves after COMMIT, so its answer means durable.

import type { PostgresDatabase, Sql } from './database.js';
import { PUBSUB_MIGRATIONS } from './pubsub-store-schema.js';
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
import {
  ITEM_COLUMNS,
  nodeFromRow,
  nodeRowValues,
  subscriptionFromRow,
  subscriptionRowValues,
  type NodeRow,
  type SubscriptionRow,
} from '../pubsub-records.js';

const NODE_COLUMNS = 'service, node, config, created, creator';
const SUBSCRIPTION_COLUMNS = 'service, node, jid, subid, state, options';
const AFFILIATION_COLUMNS = 'service, node, jid, affiliation';

/**
 * Serialises writers of one node's item list across every process sharing the database. The two-key
 * form keeps these locks apart from the single-key ones of other stores.
 */
function lockNode(sql: Sql, service: string, node: string): Promise<number> {
  return sql.run('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [service, node]);
}

/** WHERE clause for one node and an optional range; placeholders continue from the params given. */
function rangeWhere(range: ItemRange, params: unknown[]): string {
  let sql = 'service = $1 AND node = $2';
  const bound = (condition: string, value: number | undefined) => {
    if (value === undefined) return;
    params.push(value);
    sql += ` AND ${condition} $${params.length}`;
  };
  bound('seq >', range.afterSeq);
  bound('seq <', range.beforeSeq);
  bound('published >=', range.publishedFrom);
  bound('published <=', range.publishedTo);
  return sql;
}

/** Finds the oldest kept item by walking the seq index from the newest end, then deletes below it. */
async function trim(sql: Sql, service: string, node: string, keepNewest: number): Promise<string[]> {
  let boundary = Number.MAX_SAFE_INTEGER;
  if (keepNewest > 0) {
    const row = await sql.one<{ seq: number }>(
      'SELECT seq FROM pubsub_items WHERE service = $1 AND node = $2 ORDER BY seq DESC LIMIT 1 OFFSET $3',
      [service, node, keepNewest - 1],
    );
    if (!row) return [];
    boundary = row.seq;
  }
  const deleted = await sql.rows<{ id: string; seq: number }>(
    'DELETE FROM pubsub_items WHERE service = $1 AND node = $2 AND seq < $3 RETURNING id, seq',
    [service, node, boundary],
  );
  return deleted.sort((a, b) => a.seq - b.seq).map((r) => r.id);
}

export class PostgresPubsubStore implements PubsubStore {
  private constructor(private readonly database: PostgresDatabase) {}

  static async open(database: PostgresDatabase): Promise<PostgresPubsubStore> {
    await database.migrate('pubsub', PUBSUB_MIGRATIONS);
    return new PostgresPubsubStore(database);
  }

  async createNode(record: PubsubNodeRecord, owner: string): Promise<boolean> {
    return this.database.transaction(async (sql) => {
      const inserted = await sql.run(
        'INSERT INTO pubsub_nodes (service, node, config, created, creator) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        nodeRowValues(record),
      );
      if (inserted === 0) return false;
      await this.upsertAffiliation(sql, record.service, record.node, owner, 'owner');
      return true;
    });
  }

  async getNode(service: string, node: string): Promise<PubsubNodeRecord | undefined> {
    const row = await this.database.one<NodeRow>(`SELECT ${NODE_COLUMNS} FROM pubsub_nodes WHERE service = $1 AND node = $2`, [
      service,
      node,
    ]);
    return row ? nodeFromRow(row) : undefined;
  }

  async listNodes(service: string): Promise<PubsubNodeRecord[]> {
    const rows = await this.database.rows<NodeRow>(
      `SELECT ${NODE_COLUMNS} FROM pubsub_nodes WHERE service = $1 ORDER BY node COLLATE "C"`,
      [service],
    );
    return rows.map(nodeFromRow);
  }

  async countNodes(service: string): Promise<number> {
    return (await this.database.one<{ n: number }>('SELECT COUNT(*) AS n FROM pubsub_nodes WHERE service = $1', [service]))!.n;
  }

  async updateNodeConfig(service: string, node: string, config: Record<string, unknown>): Promise<void> {
    await this.database.run('UPDATE pubsub_nodes SET config = $1 WHERE service = $2 AND node = $3', [JSON.stringify(config), service, node]);
  }

  async deleteNode(service: string, node: string): Promise<boolean> {
    return this.database.transaction(async (sql) => {
      await lockNode(sql, service, node);
      for (const table of ['pubsub_items', 'pubsub_subscriptions', 'pubsub_affiliations']) {
        await sql.run(`DELETE FROM ${table} WHERE service = $1 AND node = $2`, [service, node]);
      }
      return (await sql.run('DELETE FROM pubsub_nodes WHERE service = $1 AND node = $2', [service, node])) > 0;
    });
  }

  async putItem(item: NewPubsubItem, keepNewest?: number): Promise<PutItemResult> {
    return this.database.transaction(async (sql) => {
      await lockNode(sql, item.service, item.node);
      const replaced =
        (await sql.run('DELETE FROM pubsub_items WHERE service = $1 AND node = $2 AND id = $3', [item.service, item.node, item.id])) > 0;
      const { seq } = (await sql.one<{ seq: number }>(
        `INSERT INTO pubsub_items (service, node, id, payload, publisher, published) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING seq`,
        [item.service, item.node, item.id, item.payload, item.publisher, item.published],
      ))!;
      const evicted = keepNewest === undefined ? [] : await trim(sql, item.service, item.node, keepNewest);
      return { seq, replaced, evicted };
    });
  }

  async getItems(service: string, node: string, ids: string[]): Promise<PubsubItemRecord[]> {
    return this.database.rows<PubsubItemRecord>(
      `SELECT ${ITEM_COLUMNS} FROM pubsub_items WHERE service = $1 AND node = $2 AND id = ANY($3::text[])`,
      [service, node, [...new Set(ids)]],
    );
  }

  async queryItems(service: string, node: string, query: ItemQuery): Promise<PubsubItemRecord[]> {
    const params: unknown[] = [service, node];
    let sql = `SELECT ${ITEM_COLUMNS} FROM pubsub_items WHERE ${rangeWhere(query, params)}`;
    sql += query.order === 'newest-first' ? ' ORDER BY seq DESC' : ' ORDER BY seq ASC';
    params.push(query.limit ?? null, query.offset ?? 0);
    sql += ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return this.database.rows<PubsubItemRecord>(sql, params);
  }

  async countItems(service: string, node: string, range: ItemRange = {}): Promise<number> {
    const params: unknown[] = [service, node];
    const sql = `SELECT COUNT(*) AS n FROM pubsub_items WHERE ${rangeWhere(range, params)}`;
    return (await this.database.one<{ n: number }>(sql, params))!.n;
  }

  async deleteItems(service: string, node: string, ids: string[]): Promise<string[]> {
    const wanted = [...new Set(ids)];
    const deleted = await this.database.rows<{ id: string }>(
      'DELETE FROM pubsub_items WHERE service = $1 AND node = $2 AND id = ANY($3::text[]) RETURNING id',
      [service, node, wanted],
    );
    const found = new Set(deleted.map((r) => r.id));
    // In the order asked for, like the SQLite store.
    return wanted.filter((id) => found.has(id));
  }

  async deleteItemsPublishedBefore(service: string, node: string, cutoff: number): Promise<string[]> {
    const deleted = await this.database.rows<{ id: string; seq: number }>(
      'DELETE FROM pubsub_items WHERE service = $1 AND node = $2 AND published < $3 RETURNING id, seq',
      [service, node, cutoff],
    );
    return deleted.sort((a, b) => a.seq - b.seq).map((r) => r.id);
  }

  async trimItems(service: string, node: string, keepNewest: number): Promise<string[]> {
    return this.database.transaction(async (sql) => {
      await lockNode(sql, service, node);
      return trim(sql, service, node, keepNewest);
    });
  }

  async purgeItems(service: string, node: string): Promise<number> {
    return this.database.run('DELETE FROM pubsub_items WHERE service = $1 AND node = $2', [service, node]);
  }

  async listSubscriptions(service: string, node: string): Promise<PubsubSubscriptionRecord[]> {
    const rows = await this.database.rows<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM pubsub_subscriptions WHERE service = $1 AND node = $2`,
      [service, node],
    );
    return rows.map(subscriptionFromRow);
  }

  async subscriptionsOf(service: string, bare: string): Promise<PubsubSubscriptionRecord[]> {
    const rows = await this.database.rows<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM pubsub_subscriptions WHERE service = $1 AND bare = $2`,
      [service, bare],
    );
    return rows.map(subscriptionFromRow);
  }

  async putSubscription(r: PubsubSubscriptionRecord): Promise<void> {
    await this.database.run(
      `INSERT INTO pubsub_subscriptions (service, node, jid, subid, bare, state, options) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (service, node, jid, subid) DO UPDATE SET state = excluded.state, options = excluded.options`,
      subscriptionRowValues(r),
    );
  }

  async deleteSubscription(service: string, node: string, jid: string, subid: string): Promise<boolean> {
    const removed = await this.database.run(
      'DELETE FROM pubsub_subscriptions WHERE service = $1 AND node = $2 AND jid = $3 AND subid = $4',
      [service, node, jid, subid],
    );
    return removed > 0;
  }

  async listAffiliations(service: string, node: string): Promise<PubsubAffiliationRecord[]> {
    return this.database.rows<PubsubAffiliationRecord>(
      `SELECT ${AFFILIATION_COLUMNS} FROM pubsub_affiliations WHERE service = $1 AND node = $2`,
      [service, node],
    );
  }

  async affiliationsOf(service: string, bare: string): Promise<PubsubAffiliationRecord[]> {
    return this.database.rows<PubsubAffiliationRecord>(
      `SELECT ${AFFILIATION_COLUMNS} FROM pubsub_affiliations WHERE service = $1 AND jid = $2`,
      [service, bare],
    );
  }

  async setAffiliation(service: string, node: string, jid: string, affiliation: StoredAffiliation | 'none'): Promise<void> {
    if (affiliation === 'none') {
      await this.database.run('DELETE FROM pubsub_affiliations WHERE service = $1 AND node = $2 AND jid = $3', [service, node, jid]);
    } else {
      await this.upsertAffiliation(this.database, service, node, jid, affiliation);
    }
  }

  private async upsertAffiliation(sql: Sql, service: string, node: string, jid: string, affiliation: StoredAffiliation): Promise<void> {
    await sql.run(
      `INSERT INTO pubsub_affiliations (service, node, jid, affiliation) VALUES ($1, $2, $3, $4)
       ON CONFLICT (service, node, jid) DO UPDATE SET affiliation = excluded.affiliation`,
      [service, node, jid, affiliation],
    );
  }
}
