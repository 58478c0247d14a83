// Errors as JSON bodies everywhere (DESIGN.md section 8: "an HTTP 4xx with a JSON error body"): the
// calendar domain errors, fastify's schema validation (400 naming the field), authentication (401), body
// parsing (400/413/415), an expired sync token (410) and unknown routes (404) all answer
// `{error, message, field?}`.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  SyncTokenExpiredError,
  ValidationError,
} from '../model/errors.js';
import { storageFault } from '../../storage/storage-fault.js';

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  current_etag?: string;
  /** 410 sync_token_expired: the oldest sync token still answered. */
  oldest_sync_token?: number;
}

/** 401: no token, or one that is unknown, expired or revoked. */
export class UnauthorizedError extends Error {}

/** 415: a body in a media type the route does not take. */
export class UnsupportedMediaTypeError extends Error {}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function join(path: string, name: unknown): string {
  return path === '' ? String(name) : `${path}.${String(name)}`;
}

/** The dotted name of the field an ajv error is about (`start.date_time`, `limit`, `title`). */
export function fieldOf(error: AjvError, context: string | undefined): string {
  let field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') field = join(field, error.params.missingProperty);
  else if (error.keyword === 'additionalProperties') field = join(field, error.params.additionalProperty);
  return field === '' ? (context ?? 'body') : field;
}

function describe(err: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (err instanceof ValidationError) return { status: 400, body: { error: 'validation', field: err.field, message: err.message } };
  if (err instanceof UnauthorizedError) return { status: 401, body: { error: 'unauthorized', message: err.message } };
  if (err instanceof UnsupportedMediaTypeError) return { status: 415, body: { error: 'unsupported_media_type', message: err.message } };
  if (err instanceof ForbiddenError) return { status: 403, body: { error: 'forbidden', message: err.message } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: 'not_found', message: err.message } };
  if (err instanceof ConflictError) {
    return { status: 409, body: { error: 'conflict', message: err.message, ...(err.field ? { field: err.field } : {}) } };
  }
  if (err instanceof SyncTokenExpiredError) {
    // RFC 9110 15.5.11: the changes since the token are gone for good; the client lists without it.
    return { status: 410, body: { error: 'sync_token_expired', field: err.field, message: err.message, oldest_sync_token: err.oldest } };
  }
  if (err instanceof PreconditionFailedError) {
    return { status: 412, body: { error: 'precondition_failed', message: err.message, current_etag: err.currentEtag } };
  }
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const first = fe.validation[0]!;
    const field = fieldOf(first, fe.validationContext);
    const message =
      first.keyword === 'required' ? 'is required' : first.keyword === 'additionalProperties' ? 'is not allowed' : (first.message ?? 'is invalid');
    return { status: 400, body: { error: 'validation', field, message } };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'validation', field: 'body', message: fe.message } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'payload_too_large', message: fe.message } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: fe.message } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message } };
  }
  const storage = storageUnavailable(err);
  if (storage) return storage;
  return { status: 500, body: { error: 'internal', message: 'internal server error' } };
}

/**
 * Storage that is temporarily unable to take a write (RFC 9110 15.6.4, 503): a locked SQLite file,
 * a full disk, a PostgreSQL server that is down or refusing (classified in storage/storage-fault.ts,
 * shared with XMPP). The write did not happen; the client may retry. Nothing about the database
 * (paths, URLs) goes into the answer.
 */
function storageUnavailable(err: unknown): { status: number; body: ErrorBody; retryAfter: number } | undefined {
  switch (storageFault(err)) {
    case 'busy':
      return { status: 503, retryAfter: 1, body: { error: 'storage_busy', message: 'the database is busy; nothing was changed, retry' } };
    case 'full':
      return { status: 503, retryAfter: 60, body: { error: 'storage_full', message: 'the server is out of disk space; nothing was changed' } };
    case 'unavailable':
      return { status: 503, retryAfter: 5, body: { error: 'storage_unavailable', message: 'the database cannot be reached; nothing was changed, retry' } };
    case undefined:
      return undefined;
  }
}

export function installErrorHandling(scope: FastifyInstance): void {
  scope.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const described = describe(err);
    const { status, body } = described;
    // A storage fault is expected while the database is away (and PostgreSQL's outage is logged once by
    // the pool): one short warning per request, not an error with a stack trace.
    if (status === 503) request.log.warn({ error: body.error }, 'calendar API request refused: storage fault');
    else if (status >= 500) request.log.error({ err }, 'calendar API request failed');
    if (described.retryAfter !== undefined) reply.header('retry-after', String(described.retryAfter));
    if (status === 401) reply.header('www-authenticate', 'Token');
    reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  scope.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
