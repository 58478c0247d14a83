// Tables of the PostgreSQL pubsub store (XEP-0060 section 12.1 data model, XEP-0313 archive order), the
// same shape as the SQLite store's. Append-only steps (PostgresDatabase.migrate): never edit a released
// step, add one. Node configs and subscription options are JSON text, opaque to the store.

export const PUBSUB_MIGRATIONS = [
  `CREATE TABLE pubsub_nodes (
     service TEXT NOT NULL, node TEXT NOT NULL, config TEXT NOT NULL,
     created BIGINT NOT NULL, creator TEXT NOT NULL,
     PRIMARY KEY (service, node)
   );
   CREATE TABLE pubsub_items (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     service TEXT NOT NULL, node TEXT NOT NULL, id TEXT NOT NULL,
     payload TEXT NOT NULL, publisher TEXT NOT NULL, published BIGINT NOT NULL
   );
   CREATE UNIQUE INDEX pubsub_items_by_id ON pubsub_items (service, node, id);
   CREATE INDEX pubsub_items_by_seq ON pubsub_items (service, node, seq);
   CREATE INDEX pubsub_items_by_time ON pubsub_items (service, node, published);
   CREATE TABLE pubsub_subscriptions (
     service TEXT NOT NULL, node TEXT NOT NULL, jid TEXT NOT NULL, subid TEXT NOT NULL,
     bare TEXT NOT NULL, state TEXT NOT NULL, options TEXT NOT NULL,
     PRIMARY KEY (service, node, jid, subid)
   );
   CREATE INDEX pubsub_subscriptions_by_subscriber ON pubsub_subscriptions (service, bare);
   CREATE TABLE pubsub_affiliations (
     service TEXT NOT NULL, node TEXT NOT NULL, jid TEXT NOT NULL, affiliation TEXT NOT NULL,
     PRIMARY KEY (service, node, jid)
   );
   CREATE INDEX pubsub_affiliations_by_entity ON pubsub_affiliations (service, jid);`,
];
