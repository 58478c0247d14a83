// Tables of the SQLite calendar store (DESIGN.md section 3). Append-only steps (SqliteDatabase.migrate):
// never edit a released step, add one. The sync sequence is a single row so that every write serialises
// on it and tokens are handed out in commit order. The change log is one row per committed change of a
// resource plus one audience row per user it affected; deletions remain there as tombstones.

export const CALENDAR_MIGRATIONS: string[] = [
  `
  CREATE TABLE calendar_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
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
    sync_token INTEGER NOT NULL
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
    sync_token INTEGER NOT NULL,
    first_start_ms INTEGER NOT NULL,
    last_end_ms INTEGER,
    UNIQUE (calendar_id, uid)
  );
  CREATE INDEX calendar_events_by_start ON calendar_events (first_start_ms);

  CREATE TABLE calendar_event_subscriptions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
    calendar_id TEXT NOT NULL,
    username TEXT NOT NULL,
    is_owner INTEGER NOT NULL,
    share_permission TEXT CHECK (share_permission IN ('read', 'write')),
    invite_permission TEXT CHECK (invite_permission IN ('read', 'write')),
    rsvp TEXT NOT NULL CHECK (rsvp IN ('attending', 'not_attending', 'not_replied')),
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    sync_token INTEGER NOT NULL,
    UNIQUE (event_id, username)
  );
  CREATE INDEX calendar_event_subscriptions_by_user ON calendar_event_subscriptions (username, event_id);

  CREATE TABLE calendar_changes (
    id INTEGER PRIMARY KEY,
    sync_token INTEGER NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    calendar_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    modified TEXT NOT NULL
  );
  CREATE INDEX calendar_changes_by_token ON calendar_changes (sync_token);

  CREATE TABLE calendar_change_audience (
    change_id INTEGER NOT NULL REFERENCES calendar_changes (id),
    username TEXT NOT NULL,
    PRIMARY KEY (username, change_id)
  ) WITHOUT ROWID;
  `,
  // Creation order for lists: timestamps have one-second resolution and ids are random, so the sync
  // token of the creating write is what orders rows created in the same second.
  `
  ALTER TABLE calendars ADD COLUMN created_token INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE calendar_events ADD COLUMN created_token INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE calendar_event_subscriptions ADD COLUMN created_token INTEGER NOT NULL DEFAULT 0;
  UPDATE calendars SET created_token = sync_token;
  UPDATE calendar_events SET created_token = sync_token;
  UPDATE calendar_event_subscriptions SET created_token = sync_token;
  `,
  // Change log pruning (calendar.change_log_days): the newest token whose entries were deleted, below
  // which a sync token is refused as expired, and the audience rows found by their change to delete them.
  `
  ALTER TABLE calendar_sequence ADD COLUMN pruned_through INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX calendar_change_audience_by_change ON calendar_change_audience (change_id);
  `,
];
