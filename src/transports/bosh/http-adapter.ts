// XEP-0124 over HTTP: section 5 (POST only for BOSH traffic, any request Content-Type, compression per
// Accept-Encoding, no chunked coding), section 4 (one <body/> per request), section 7.2 ('accept'), 17.1
// (legacy HTTP codes come from the engine), 17.2 'see-other-uri', and section 19 (a request's security is
// that of its connection). The /http-bind routes of the shared fastify server: they parse each POSTed
// <body/>, hand it to a BoshSessionManager and write back what it answers. What stands behind a session is
// the backend's business: a local stream engine (local-stream.ts) or an upstream XMPP server
// (src/transports/connection-manager/).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TLSSocket } from 'node:tls';
import { DEFAULT_BOSH_CONTENT_TYPE, type BoshCondition } from '../../protocol/xep0124.js';
import { escapeText } from '../../xml/escape.js';
import type { BoshManagerOptions } from './config.js';
import { ACCEPTED_REQUEST_ENCODINGS, decodeRequestBody, readBoshBody, type BodyLimits } from './http-body.js';
import { DEFAULT_COMPRESS_ABOVE, chooseResponseEncoding, corsHeaders, encodeBoshResponse } from './http-response.js';
import { BoshSessionManager } from './session-manager.js';
import type { BoshSession } from './session.js';
import type { BoshRequest, BoshResponse, BoshStreamSink } from './types.js';

export const BOSH_PATH = '/http-bind';

/** What stands behind the sessions of one endpoint. */
export interface BoshBackend {
  /** Whether 'to' names a domain served here; false answers 'host-unknown'. */
  isHostServed(domain: string): boolean;
  /** A condition that refuses a creation request before its session exists (e.g. a 'route' not allowed). */
  refuseCreation?(attrs: Readonly<Record<string, string>>): BoshCondition | undefined;
  /** The stream behind a new session. */
  createSink(session: BoshSession): BoshStreamSink;
}

/** Session limits (see config.ts); createSink, isHostServed and 'accept' come from the backend and adapter. */
export type BoshSessionLimits = Omit<BoshManagerOptions, 'createSink' | 'isHostServed' | 'refuseCreation' | 'accept'>;

export interface BoshHttpOptions {
  backend: BoshBackend;
  sessions?: BoshSessionLimits;
  /** The Access-Control-Allow-Origin value for a request Origin; undefined refuses that origin. */
  corsOrigin(origin: string | undefined): string | undefined;
  body: BodyLimits;
  /** Section 17.2 'see-other-uri': plain-HTTP requests are sent to this (https:) URI instead of being served. */
  seeOtherUri?: string;
  /** Responses larger than this many bytes are compressed when the client accepts it. Default 1024. */
  compressAbove?: number;
  path?: string;
}

export interface BoshHttpEndpoint {
  readonly manager: BoshSessionManager;
  /**
   * 'system-shutdown' to every session (section 17.2); new sessions are refused. Resolves once the answers
   * are written (or after a short grace period), so that closing the server does not cut them off.
   */
  shutdown(): Promise<void>;
}

const ALLOWED_METHODS = 'POST, OPTIONS, GET';
/** Request headers a page may set: Strophe sends Content-Type, StanzaJS may add Content-Encoding. */
const ALLOWED_HEADERS = 'Content-Type, Content-Encoding, Accept-Encoding';
const PREFLIGHT_MAX_AGE = '86400';
/** How long a shutdown waits for its system-shutdown answers to be written. */
const SHUTDOWN_GRACE_MS = 500;

/** Registers the routes on `app` (before it listens) in their own scope, so that the body parser stays theirs. */
export function registerBoshHttp(app: FastifyInstance, options: BoshHttpOptions): BoshHttpEndpoint {
  const manager = new BoshSessionManager({
    ...options.sessions,
    createSink: (session) => options.backend.createSink(session),
    isHostServed: (domain) => options.backend.isHostServed(domain),
    refuseCreation: options.backend.refuseCreation ? (attrs) => options.backend.refuseCreation!(attrs) : undefined,
    accept: ACCEPTED_REQUEST_ENCODINGS,
  });
  const path = options.path ?? BOSH_PATH;
  const compressAbove = options.compressAbove ?? DEFAULT_COMPRESS_ABOVE;
  // A compressed request may be smaller than its <body/>, never larger by more than the gzip framing.
  const wireLimit = options.body.maxBodyBytes + 1024;
  /** Responses not finished yet, for a shutdown that lets its answers reach the clients. */
  const unfinished = new Set<FastifyReply['raw']>();

  void app.register(async (scope) => {
    // Section 5: the request Content-Type says nothing (clients send text/plain or form encoding to avoid a
    // preflight); every POST body is read as bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: wireLimit }, (_req, body, done) => done(null, body));
    // Callback style, not async: an async hook costs a promise and a microtask turn on every request.
    scope.addHook('onRequest', (request, _reply, done) => {
      if (request.method === 'POST') request.raw.headers['content-type'] = 'application/octet-stream';
      done();
    });
    scope.setErrorHandler(async (error: { statusCode?: number }, request, reply) => {
      const status = error.statusCode === 413 ? 413 : 400;
      reply.code(status).headers(corsHeaders(options.corsOrigin(request.headers.origin)));
      reply.header('content-type', 'text/plain; charset=utf-8');
      return status === 413 ? 'Request body too large\n' : 'Bad request\n';
    });
    scope.addHook('onClose', async () => shutdown());

    scope.post(path, (request, reply) => handlePost(request, reply));
    scope.options(path, async (request, reply) => {
      const origin = request.headers.origin;
      const allow = options.corsOrigin(origin);
      if (origin !== undefined && allow === undefined) return refuseOrigin(reply);
      reply.code(200).headers({
        allow: ALLOWED_METHODS,
        ...corsHeaders(allow),
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': PREFLIGHT_MAX_AGE,
        vary: 'Origin',
        'content-length': '0',
      });
      return reply.send();
    });
    // Section 5 requires POST for BOSH traffic; a browser pointed at the URL gets a short explanation.
    scope.get(path, async (_request, reply) => {
      reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
      return INFO_PAGE;
    });
    scope.route({
      method: ['PUT', 'DELETE', 'PATCH'],
      url: path,
      handler: async (_request, reply) => {
        reply.code(405).header('allow', ALLOWED_METHODS).header('content-type', 'text/plain; charset=utf-8');
        return 'BOSH requests are POSTed (XEP-0124 section 5)\n';
      },
    });
  });

  // Not async: a held request is answered later through reply.send(), or never if the client hangs up first.
  function handlePost(request: FastifyRequest, reply: FastifyReply): void {
    const origin = request.headers.origin;
    const allow = options.corsOrigin(origin);
    if (origin !== undefined && allow === undefined) return void refuseOrigin(reply);
    const encoding = chooseResponseEncoding(request.headers['accept-encoding']);
    let settled = false;
    const settle = () => !settled && (settled = true);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const decoded = decodeRequestBody(raw, header(request, 'content-encoding'), options.body.maxBodyBytes);
    const read = decoded === undefined ? ({ kind: 'unreadable', reason: 'undecodable Content-Encoding' } as const) : readBoshBody(decoded, options.body);
    const boshRequest: BoshRequest = {
      attrs: read.kind === 'unreadable' ? {} : read.attrs,
      payload: read.kind === 'body' ? read.payload : [],
      secure: request.raw.socket instanceof TLSSocket && request.raw.socket.encrypted === true,
      clientAddress: request.ip ?? request.raw.socket.remoteAddress ?? 'unknown',
      respond: (response) => {
        if (!settle()) return;
        const out = encodeBoshResponse(response, allow, encoding, compressAbove);
        reply.code(out.status).headers(out.headers).send(out.body);
      },
      drop: () => {
        if (!settle()) return;
        // Section 19: closed without an answer, and without harming the session it claimed to belong to.
        reply.hijack();
        request.raw.socket.destroy();
      },
    };
    // The client hung up before its answer: the engine must not hold (or write into) this request.
    unfinished.add(reply.raw);
    reply.raw.once('close', () => {
      unfinished.delete(reply.raw);
      if (settle()) boshRequest.onAborted?.();
    });
    dispatch(read.kind, boshRequest);
  }

  function dispatch(kind: 'body' | 'malformed' | 'unreadable', request: BoshRequest): void {
    if (kind === 'unreadable' || Object.keys(request.attrs).length === 0) {
      // Nothing names a session or a version: the plain HTTP answer (the engine's rule for attribute-less bodies).
      return request.respond({ status: 400, contentType: DEFAULT_BOSH_CONTENT_TYPE, attrs: { type: 'terminate', condition: 'bad-request' }, payload: [] });
    }
    if (options.seeOtherUri !== undefined && !request.secure) return request.respond(seeOtherUri(options.seeOtherUri));
    if (kind === 'malformed') return manager.rejectMalformed(request);
    manager.handle(request);
  }

  async function shutdown(): Promise<void> {
    manager.shutdown();
    const closing = [...unfinished].map((res) => new Promise<void>((resolve) => (res.closed ? resolve() : res.once('close', () => resolve()))));
    if (closing.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.all(closing), grace]);
    clearTimeout(timer);
  }

  return { manager, shutdown };
}

/** Section 17.2: "the connection manager does not operate at this URI"; the client may POST to <uri/>. */
function seeOtherUri(uri: string): BoshResponse {
  return {
    status: 200,
    contentType: DEFAULT_BOSH_CONTENT_TYPE,
    attrs: { type: 'terminate', condition: 'see-other-uri' },
    payload: [`<uri>${escapeText(uri)}</uri>`],
  };
}

function refuseOrigin(reply: FastifyReply): FastifyReply {
  return reply.code(403).header('content-type', 'text/plain; charset=utf-8').header('vary', 'Origin').send('Origin not allowed\n');
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const INFO_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>BOSH endpoint</title></head>
<body><h1>BOSH endpoint</h1>
<p>This URL serves XMPP over BOSH (XEP-0124, XEP-0206). Point an XMPP client library such as Strophe.js or
StanzaJS at it; its requests are HTTP POSTs of &lt;body xmlns='http://jabber.org/protocol/httpbind'/&gt;.</p>
</body></html>
`;
