// JSON Schemas of the REST API v2 (draft-07, which fastify's ajv speaks and OpenAPI 3.1 accepts). The same
// objects validate requests, serialise responses and make up /api/v2/openapi.json, so the document cannot
// drift from the server. Response shapes mirror calendar/model/views.ts exactly.

type Schema = Record<string, unknown>;

const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const dateTime = { type: 'string', description: 'ISO 8601 UTC, e.g. 2026-03-02T08:00:00Z' };
const level = { type: 'string', enum: ['owner', 'write', 'read'] };
const permission = { type: 'string', enum: ['read', 'write'] };
const rsvp = { type: 'string', enum: ['attending', 'not_attending', 'not_replied'] };
const color = { type: ['string', 'null'], description: '#rrggbb' };

function object(properties: Schema, required: string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const EventTime = {
  type: 'object',
  description: 'Either {date_time: "YYYY-MM-DDTHH:MM:SS", timezone: "Europe/Paris"} or all-day {date: "YYYY-MM-DD"}',
  properties: { date_time: str, timezone: str, date: str },
  additionalProperties: false,
};

export const Override = {
  type: 'object',
  description: 'Fields an overridden instance changes; keyed by recurrence id (the original local start)',
  properties: { title: str, description: str, location: str, color, start: EventTime, end: EventTime },
  additionalProperties: false,
};

export const Tombstone = object({ id: str, deleted: { type: 'boolean', enum: [true] } });

export const ErrorBody = {
  type: 'object',
  properties: { error: str, message: str, field: str, current_etag: str, oldest_sync_token: int },
  required: ['error', 'message'],
  additionalProperties: false,
};

export const Calendar = object({
  id: str,
  owner: str,
  title: str,
  color,
  timezone: str,
  description: str,
  permission: level,
  shares: { type: 'array', items: object({ user: str, permission }) },
  created: dateTime,
  modified: dateTime,
  sync_token: int,
  etag: str,
});

export const Share = object({ calendar_id: str, user: str, permission, created: dateTime, modified: dateTime });

const eventFields = {
  id: str,
  calendar_id: str,
  uid: str,
  title: str,
  description: str,
  location: str,
  color,
  start: EventTime,
  end: EventTime,
};

export const Event = object({
  ...eventFields,
  rrule: nullableStr,
  rdates: { type: 'array', items: str },
  exdates: { type: 'array', items: str },
  overrides: { type: 'object', additionalProperties: Override },
  permission: level,
  subscription_id: str,
  rsvp_status: rsvp,
  created: dateTime,
  modified: dateTime,
  sequence: int,
  sync_token: int,
  etag: str,
});

export const Instance = object({
  ...eventFields,
  recurrence_id: nullableStr,
  start_utc: dateTime,
  end_utc: dateTime,
  permission: level,
  rsvp_status: rsvp,
  sequence: int,
  etag: str,
});

export const Subscription = object({
  id: str,
  event_id: str,
  calendar_id: str,
  user: str,
  permission,
  source: { type: 'string', enum: ['owner', 'share', 'invitation'] },
  invited: bool,
  rsvp_status: rsvp,
  created: dateTime,
  modified: dateTime,
  sync_token: int,
  etag: str,
});

export const User = object({ username: str });

export const IssuedToken = object({ token: str, id: str, username: str, expires_at: { type: ['string', 'null'] } });

export const ImportResult = object({
  created: { type: 'array', items: str },
  updated: { type: 'array', items: str },
  skipped: { type: 'array', items: object({ uid: nullableStr, field: str, reason: str }) },
  sync_token: int,
});

/** A page of a list: with `sync_token` in the query, deletions appear as tombstones. */
export function listOf(item: Schema, withTombstones = true): Schema {
  return object({
    items: { type: 'array', items: withTombstones ? { anyOf: [item, Tombstone] } : item },
    sync_token: { ...int, description: 'Pass as ?sync_token= to get only later changes' },
    has_more: bool,
  });
}

// --- requests ---

export const TokenRequest = object(
  { username: str, password: str, label: { type: 'string', maxLength: 100 }, ttl_seconds: { type: 'integer', minimum: 60 } },
  ['username', 'password'],
);

export const CalendarCreate = object(
  { title: { type: 'string', maxLength: 200 }, color, timezone: str, description: { type: 'string', maxLength: 10000 } },
  ['title'],
);
export const CalendarPatch = object({ ...(CalendarCreate.properties as Schema) }, []);

export const SharePut = object({ permission });

const eventWritable = {
  uid: str,
  title: { type: 'string', maxLength: 500 },
  description: { type: 'string', maxLength: 10000 },
  location: { type: 'string', maxLength: 1000 },
  color,
  start: EventTime,
  end: { ...EventTime, type: ['object', 'null'], description: 'Defaults to one hour (or one day) after start' },
  rrule: nullableStr,
  rdates: { type: 'array', items: str, maxItems: 1000 },
  exdates: { type: 'array', items: str, maxItems: 1000 },
  overrides: { type: 'object', additionalProperties: Override, maxProperties: 1000 },
};

export const EventCreate = object({ calendar_id: str, ...eventWritable }, ['calendar_id', 'title', 'start']);
export const EventPatch = object(
  { calendar_id: str, ...eventWritable, sequence: { type: 'integer', description: 'Rejected with 409 unless it is the current sequence' } },
  [],
);

export const SubscriptionCreate = object({ event_id: str, user: str, permission: { ...permission, default: 'read' } }, ['event_id', 'user']);
export const SubscriptionPatch = object({ rsvp_status: rsvp, permission }, []);

// --- query strings, params, headers ---

const idList = { type: 'array', items: str, description: 'Comma-separated or repeated' };
const paging = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
};
const syncToken = {
  sync_token: {
    type: 'integer',
    minimum: 0,
    description: 'Only what changed after this token; 410 sync_token_expired once the change log no longer reaches back to it (list without it)',
  },
};
const range = {
  start: { type: 'string', description: 'ISO 8601 date or date-time with offset; range start (inclusive)' },
  end: { type: 'string', description: 'ISO 8601 date or date-time with offset; range end (exclusive)' },
};

export const CalendarListQuery = object({ ...paging, ...syncToken }, []);
export const EventListQuery = object(
  { calendar_ids: idList, ...range, expand: { type: 'boolean', default: false, description: 'Return instances (needs start and end)' }, ...paging, ...syncToken },
  [],
);
export const InstanceQuery = object({ ...range, ...paging }, ['start', 'end']);
export const SubscriptionListQuery = object({ event_ids: idList, calendar_ids: idList, ...paging, ...syncToken }, []);

export const IdParams = object({ id: str });
export const ShareParams = object({ id: str, user: str });

export const IfMatchHeaders = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'An etag from a previous answer; 412 when it is stale' } },
};

/** Named schemas of the OpenAPI components section. */
export const COMPONENTS: Record<string, Schema> = {
  Calendar,
  Share,
  Event,
  Instance,
  Subscription,
  EventTime,
  Override,
  Tombstone,
  Error: ErrorBody,
  User,
  IssuedToken,
  ImportResult,
  TokenRequest,
  CalendarCreate,
  CalendarPatch,
  SharePut,
  EventCreate,
  EventPatch,
  SubscriptionCreate,
  SubscriptionPatch,
};
