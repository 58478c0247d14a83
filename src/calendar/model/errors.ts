// The defined answers of the calendar domain (DESIGN.md section 8: every bad input has one). The REST layer
// maps each class to its HTTP status; stores throw them from inside their transactions so that a failed
// check rolls the whole write back.

export class CalendarError extends Error {}

/** 400: the request names a field whose value breaks a rule. */
export class ValidationError extends CalendarError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** 404: no such resource (or it was deleted). */
export class NotFoundError extends CalendarError {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`);
  }
}

/** 403: the resource exists but the actor's permission does not allow the operation. */
export class ForbiddenError extends CalendarError {}

/** 412: an If-Match etag no longer names the current version. */
export class PreconditionFailedError extends CalendarError {
  constructor(readonly currentEtag: string) {
    super('the resource changed since the given etag');
  }
}

/** 409: the write conflicts with the current state (stale sequence, duplicate uid, existing subscription). */
export class ConflictError extends CalendarError {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * 410: a sync token older than the change log still kept (calendar.change_log_days pruned what came
 * after it), so the changes since it can no longer be listed exactly. The client lists without a token
 * and starts over (the answer of RFC 6578 section 3.8's DAV:valid-sync-token, Google Calendar's
 * fullSyncRequired).
 */
export class SyncTokenExpiredError extends CalendarError {
  readonly field = 'sync_token';
  constructor(readonly oldest: number) {
    super(`is older than the oldest change kept (${oldest}); list without sync_token to resync`);
  }
}
