// The OpenAPI 3.1 document served at /api/v2/openapi.json, assembled from the route table: every path,
// parameter, body and response schema is the object fastify validates and serialises with. Schemas that
// are named in schemas.ts COMPONENTS become $refs.

import { COMPONENTS } from './schemas.js';
import type { RouteSpec, RouteTable } from './route-table.js';

type Schema = Record<string, unknown>;

function converter(): (schema: unknown, self?: string) => unknown {
  const names = new Map<unknown, string>(Object.entries(COMPONENTS).map(([name, s]) => [s, name]));
  const convert = (schema: unknown, self?: string): unknown => {
    if (Array.isArray(schema)) return schema.map((s) => convert(s));
    if (schema === null || typeof schema !== 'object') return schema;
    const name = names.get(schema);
    if (name !== undefined && name !== self) return { $ref: `#/components/schemas/${name}` };
    const out: Schema = {};
    for (const [k, v] of Object.entries(schema)) out[k] = convert(v);
    return out;
  };
  return convert;
}

function parameters(spec: RouteSpec, convert: (s: unknown) => unknown): Schema[] {
  const out: Schema[] = [];
  const add = (where: 'path' | 'query' | 'header', source: Schema | undefined): void => {
    if (!source) return;
    const required = new Set((source.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((source.properties as Record<string, Schema>) ?? {})) {
      const p: Schema = { name, in: where, required: where === 'path' || required.has(name), schema: convert(schema) };
      if (typeof schema.description === 'string') p.description = schema.description;
      if (where === 'query' && schema.type === 'array') {
        p.style = 'form';
        p.explode = false;
      }
      out.push(p);
    }
  };
  add('path', spec.params);
  add('query', spec.querystring);
  add('header', spec.headers);
  return out;
}

function operation(spec: RouteSpec, convert: (s: unknown) => unknown): Schema {
  const op: Schema = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    security: spec.public ? [] : [{ token: [] }],
  };
  const params = parameters(spec, convert);
  if (params.length > 0) op.parameters = params;
  if (spec.body) {
    const type = spec.bodyContentType ?? 'application/json';
    op.requestBody = { required: true, content: { [type]: { schema: spec.bodyContentType ? { type: 'string' } : convert(spec.body) } } };
  }
  const responses: Schema = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const response: Schema = { description: r.description };
    if (r.contentType) response.content = { [r.contentType]: { schema: { type: 'string' } } };
    else if (r.schema) response.content = { 'application/json': { schema: convert(r.schema) } };
    const headers: Schema = {};
    if (r.etag) headers.ETag = { description: 'Entity tag for If-Match', schema: { type: 'string' } };
    if (r.location) headers.Location = { description: 'URL of the created resource', schema: { type: 'string' } };
    if (Object.keys(headers).length > 0) response.headers = headers;
    responses[status] = response;
  }
  op.responses = responses;
  return op;
}

export function openApiDocument(table: RouteTable, version: string): Schema {
  const convert = converter();
  const paths: Record<string, Schema> = {};
  for (const spec of table.specs) {
    const path = table.prefix + spec.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path]![spec.method.toString().toLowerCase()] = operation(spec, convert);
  }
  const schemas: Schema = {};
  for (const [name, schema] of Object.entries(COMPONENTS)) schemas[name] = convert(schema, name);
  return {
    openapi: '3.1.0',
    info: {
      title: 'almanac calendar API',
      version,
      description:
        'Calendars, events and event subscriptions. Every list accepts ?sync_token=T and returns only what ' +
        'changed after T, deletions as tombstones {id, deleted: true}; a T older than the change log kept ' +
        '(calendar.change_log_days) is 410 sync_token_expired: list without it. The same changes are pushed over XMPP ' +
        'on the pubsub node feed/<username>.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The value "Token <token>" from POST /api/v2/auth/token' },
      },
    },
  };
}
