// One table of the API's routes: each entry registers a fastify route with its JSON schemas and is kept
// for the OpenAPI document (rest/openapi.ts), which is therefore generated from exactly what runs.

import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { ErrorBody } from './schemas.js';

type Schema = Record<string, unknown>;

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omitted for an empty body. */
  schema?: Schema;
  /** A non-JSON body (e.g. text/calendar); not serialised by fastify. */
  contentType?: string;
  /** The answer carries an ETag header. */
  etag?: boolean;
  /** The answer carries a Location header. */
  location?: boolean;
}

export interface RouteSpec {
  method: HTTPMethods;
  /** Relative to the API prefix, fastify style (`/events/:id`). */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  /** No token needed. */
  public?: boolean;
  body?: Schema;
  /** Content type of the body when it is not JSON. */
  bodyContentType?: string;
  bodyLimit?: number;
  querystring?: Schema;
  params?: Schema;
  headers?: Schema;
  responses: Record<number, ResponseSpec>;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** The errors every authenticated route may answer, added to each spec's own responses. */
const COMMON_ERRORS: Record<number, ResponseSpec> = {
  400: { description: 'Validation error naming the field', schema: ErrorBody },
  401: { description: 'Missing, unknown, expired or revoked token', schema: ErrorBody },
};

export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(readonly prefix: string) {}

  add(app: FastifyInstance, spec: RouteSpec): void {
    const responses = { ...(spec.public ? { 400: COMMON_ERRORS[400]! } : COMMON_ERRORS), ...spec.responses };
    const full = { ...spec, responses };
    this.specs.push(full);
    const response: Record<number, Schema> = {};
    for (const [status, r] of Object.entries(responses)) if (r.schema && !r.contentType) response[Number(status)] = r.schema;
    const schema: Record<string, unknown> = { response };
    if (spec.body && !spec.bodyContentType) schema.body = spec.body;
    if (spec.querystring) schema.querystring = spec.querystring;
    if (spec.params) schema.params = spec.params;
    if (spec.headers) schema.headers = spec.headers;
    app.route({
      method: spec.method,
      url: spec.url,
      schema,
      config: { public: spec.public === true },
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: spec.handler,
    });
  }
}

const ERROR_MEANINGS: Record<number, string> = {
  403: 'Your permission does not allow this',
  404: 'No such resource',
  409: 'Conflicts with the current state (stale sequence, duplicate uid, existing subscription)',
  410: 'sync_token_expired: the sync token is older than the change log kept (oldest_sync_token); list without sync_token to resync',
  412: 'If-Match names a stale etag; current_etag holds the current one',
  413: 'Body too large',
  415: 'Unsupported content type',
};

/** Error responses with their usual meaning, for a route's `responses`. */
export function errorResponses(...statuses: number[]): Record<number, ResponseSpec> {
  const out: Record<number, ResponseSpec> = {};
  for (const s of statuses) out[s] = { description: ERROR_MEANINGS[s] ?? 'Error', schema: ErrorBody };
  return out;
}
