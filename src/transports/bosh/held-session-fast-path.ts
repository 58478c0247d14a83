// XEP-0124 section 11 steady state: nearly every request names a session this process holds, and its whole
// handling (sections 4, 5, 7-17) is the BOSH engine's. Such requests are taken before fastify (an
// interceptor of src/transports/http-server.ts): fastify's routing, hook runs, content-type parsing and
// reply pipeline cost about 5 of the 67 us of server CPU per bosh-pingpong message (CPU profile, 2026-11-25;
// docs/PERFORMANCE.md). Everything else on the BOSH path
// (session creation, a sid held elsewhere or nowhere, compressed or chunked or oversized bodies, refused
// origins) goes through the fastify route and its hooks as before, with the body this interceptor read.
// So hooks that matter for such requests (cluster forwarding, src/cluster/bosh-forwarding.ts) still run;
// a hook added on the root for every request does not see held-session requests.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { interceptRequests } from '../http-server.js';

export interface HeldSessionFastPath {
  path: string;
  /** The largest Content-Length taken here; larger requests get fastify's 413. */
  wireLimit: number;
  /** Whether `sid` is a session of this process. */
  holds(sid: string): boolean;
  /** Whether the request's Origin may read the answer (a refusal is fastify's route's to write). */
  allowsOrigin(origin: string | undefined): boolean;
  /** Handles the request with its complete (uncompressed) body. */
  serve(req: IncomingMessage, res: ServerResponse, body: Buffer): void;
}

/** The sid is an attribute of <body/>'s start tag, which ends at the first '>' (later ones are payload). */
const START_TAG_SCAN = 2048;
const SID_ATTRIBUTE = /\ssid\s*=\s*["']([^"']+)["']/;

/** Installs the interceptor; false when `scope` does not belong to a server made by createHttpServer. */
export function installHeldSessionFastPath(scope: FastifyInstance, fast: HeldSessionFastPath): boolean {
  const replay = new WeakMap<IncomingMessage, Buffer>();
  // A request passed on to fastify after its body was read here: fastify reads that body from this stream.
  scope.addHook('preParsing', (request, _reply, payload, done) => {
    const body = replay.get(request.raw);
    if (body === undefined) return done(null, payload);
    replay.delete(request.raw);
    done(null, Readable.from([body]));
  });
  return interceptRequests(scope.server, (req, res, next) => {
    if (req.method !== 'POST' || !onPath(req.url, fast.path)) return false;
    const headers = req.headers;
    if (!(Number(headers['content-length']) <= fast.wireLimit) || headers['transfer-encoding'] !== undefined) return false;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return false;
    if (headers.origin !== undefined && !fast.allowsOrigin(headers.origin)) return false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const sid = sidOf(body);
      if (sid !== undefined && fast.holds(sid)) return fast.serve(req, res, body);
      replay.set(req, body);
      next();
    });
    return true;
  });
}

function onPath(url: string | undefined, path: string): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  return url.length === path.length || url.charCodeAt(path.length) === 0x3f; /* ? */
}

function sidOf(body: Buffer): string | undefined {
  const head = body.toString('latin1', 0, Math.min(body.length, START_TAG_SCAN));
  const end = head.indexOf('>');
  return SID_ATTRIBUTE.exec(end === -1 ? head : head.slice(0, end))?.[1];
}
