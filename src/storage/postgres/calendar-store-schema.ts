// Tables of the PostgreSQL calendar store (DESIGN.md section 3), the same shape as the SQLite store's
// (storage/sqlite/calendar-store-schema.ts) so the two behave alike. Append-only steps
// (PostgresDatabase.migrate): never edit a released step, add one. The sync sequence is a single row:
// every write's first statement updates it, which holds the row lock until commit, so writers in every
// process take turns and a token becomes visible only after every smaller one (a PostgreSQL SEQUENCE
// would hand out numbers at call time and let a later token commit first). The change log is one row
// per committed change of a resource plus one audience row per user it affected; deletions remain
// there as tombstones. created_token orders lists by creation (timestamps have one-second resolution).

export const CALENDAR_MIGRATIONS: string[] = [
  `
  CREATE TABLE calendar_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
  );
  INSERT INTO calendar_sequence (id, value) VALUES (1, 0);

  CREATE TABLE calendars (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    color TEXT,
    timezone TEXT NOT NULL,
    description TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    sync_token BIGINT NOT NULL,
    created_token BIGINT NOT NULL
  );
  CREATE INDEX calendars_by_owner ON calendars (owner);

  CREATE TABLE calendar_shares (
    calendar_id TEXT NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    permission TEXT NOT NULL CHECK (permission IN ('read', 'write')),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    PRIMARY KEY (calendar_id, username)
  );
  CREATE INDEX calendar_shares_by_user ON calendar_shares (username);

  CREATE TABLE calendar_events (
    id TEXT PRIMARY KEY,
    calendar_id TEXT NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    location TEXT NOT NULL,
    color TEXT,
    start_json TEXT NOT NULL,
    end_json TEXT NOT NULL,
    rrule TEXT,
    rdates_json TEXT NOT NULL,
    exdates_json TEXT NOT NULL,
    overrides_json TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    sync_token BIGINT NOT NULL,
    first_start_ms BIGINT NOT NULL,
    last_end_ms BIGINT,
    created_token BIGINT NOT NULL,
    UNIQUE (calendar_id, uid)
  );
  CREATE INDEX calendar_events_by_start ON calendar_events (first_start_ms);

  CREATE TABLE calendar_event_subscriptions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
    calendar_id TEXT NOT NULL,
    username TEXT NOT NULL,
    is_owner BOOLEAN NOT NULL,
    share_permission TEXT CHECK (share_permission IN ('read', 'write')),
    invite_permission TEXT CHECK (invite_permission IN ('read', 'write')),
    rsvp TEXT NOT NULL CHECK (rsvp IN ('attending', 'not_attending', 'not_replied')),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    sync_token BIGINT NOT NULL,
    created_token BIGINT NOT NULL,
    UNIQUE (event_id, username)
  );
  CREATE INDEX calendar_event_subscriptions_by_user ON calendar_event_subscriptions (username, event_id);

  CREATE TABLE calendar_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sync_token BIGINT NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    calendar_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    modified TEXT NOT NULL
  );
  CREATE INDEX calendar_changes_by_token ON calendar_changes (sync_token);

  CREATE TABLE calendar_change_audience (
    change_id BIGINT NOT NULL REFERENCES calendar_changes (id),
    username TEXT NOT NULL,
    PRIMARY KEY (username, change_id)
  );
  `,
  // Change log pruning (calendar.change_log_days): the newest token whose entries were deleted, below
  // which a sync token is refused as expired, and the audience rows found by their change to delete them.
  `
  ALTER TABLE calendar_sequence ADD COLUMN pruned_through BIGINT NOT NULL DEFAULT 0;
  CREATE INDEX calendar_change_audience_by_change ON calendar_change_audience (change_id);
  `,
];
