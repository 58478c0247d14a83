// XEP-0124 in a cluster without a sticky load balancer: a BOSH request may arrive at any process. The
// process that creates a session records "sid -> its HTTP address" in Redis; a request whose sid is not
// held here is proxied as is (same body, same Content-Type, the holder's status and answer) to the
// holder, which applies every XEP-0124 rule (rid window, holding, keys) itself. A forwarded request is
// marked so it is never forwarded twice. Workers of `serve --workers N` share one HTTP port, which
// cannot name one of them: each worker also listens on a loopback port of its own (node:cluster's
// `exclusive`) that takes only forwarded requests, and records that address as the holder's.

import cluster from 'node:cluster';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { BoshSessionManager } from '../transports/bosh/session-manager.js';
import { decodeRequestBody } from '../transports/bosh/http-body.js';
import { log } from '../core/log.js';
import type { ClusterBus } from './cluster-bus.js';

const FORWARDED = 'x-almanac-forwarded';
/** A safety net: the entry is removed when the session ends, or by this expiry if its process died. */
const SID_TTL_MS = 24 * 3600 * 1000;
/** Above any body limit a holder applies; a larger request is refused here rather than decompressed. */
const MAX_DECODED_BYTES = 4 * 1024 * 1024;
/** The sid is in the <body/> start tag, within its first bytes. */
const SID_SCAN_BYTES = 2048;

export interface BoshForwardingOptions {
  path?: string;
  /** This process's HTTP base URL as other processes reach it (known once the server listens). */
  selfUrl(): string | undefined;
}

export function forwardBoshRequests(app: FastifyInstance, bus: ClusterBus, manager: BoshSessionManager, options: BoshForwardingOptions): void {
  const path = options.path ?? '/http-bind';
  const key = (sid: string) => `${bus.prefix}bosh:${sid}`;
  let workerUrl: string | undefined;
  if (cluster.isWorker) {
    const privateServer = listenForForwarded(app, path, (url) => (workerUrl = url));
    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => privateServer.close(() => resolve()));
    });
  }
  const selfUrl = () => (cluster.isWorker ? workerUrl : options.selfUrl());
  manager.onSessionEnded((sid) => {
    if (bus.up) void bus.commands.del(key(sid)).catch(() => undefined);
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== path) return;
    if (request.headers[FORWARDED] !== undefined) return;
    const body = request.body as Buffer | undefined;
    if (!Buffer.isBuffer(body)) return;
    // A compressed request (XEP-0124 7.2 'accept') is read to find its sid and forwarded as it came.
    const encoding = request.headers['content-encoding'];
    const plain = encoding === undefined ? body : decodeRequestBody(body, encoding, MAX_DECODED_BYTES);
    if (plain === undefined) return;
    const sid = /\bsid=['"]([^'"]+)['"]/.exec(plain.subarray(0, SID_SCAN_BYTES).toString('latin1'))?.[1];
    if (sid === undefined || manager.get(sid) || !bus.up) return;
    const holder = await bus.commands.get(key(sid)).catch(() => null);
    if (!holder || holder === selfUrl()) return;
    try {
      const answer = await fetch(`${holder}${path}`, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: {
          'content-type': String(request.headers['content-type'] ?? 'text/xml; charset=utf-8'),
          ...(request.headers.origin ? { origin: request.headers.origin } : {}),
          ...(encoding !== undefined ? { 'content-encoding': encoding } : {}),
          [FORWARDED]: '1',
        },
      });
      reply.code(answer.status);
      for (const name of ['content-type', 'access-control-allow-origin', 'vary', 'cache-control']) {
        const value = answer.headers.get(name);
        if (value !== null) reply.header(name, value);
      }
      return reply.send(Buffer.from(await answer.arrayBuffer()));
    } catch (err) {
      log.warn({ err: (err as Error).message, sid, holder }, 'cluster: BOSH request could not be forwarded to its holder');
      return undefined;
    }
  });

  // A creation request (no sid) answered here: remember that this process holds the new session.
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== path || request.headers[FORWARDED] !== undefined) return payload;
    const body = request.body as Buffer | undefined;
    if (!Buffer.isBuffer(body) || request.headers['content-encoding'] !== undefined || /\bsid=['"]/.test(body.subarray(0, SID_SCAN_BYTES).toString('latin1'))) {
      return payload;
    }
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    const sid = text === undefined ? undefined : /\bsid=['"]([^'"]+)['"]/.exec(text)?.[1];
    const self = selfUrl();
    if (sid !== undefined && self !== undefined && bus.up) {
      await bus.commands.set(key(sid), self, 'PX', SID_TTL_MS).catch(() => undefined);
    }
    return payload;
  });
}

/** A worker's own loopback listener: forwarded BOSH requests only, run through the app as if they had come in. */
function listenForForwarded(app: FastifyInstance, path: string, ready: (url: string) => void): Server {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.headers[FORWARDED] === undefined || req.url?.split('?')[0] !== path) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      app
        .inject({ method: 'POST', url: req.url!, headers: passHeaders(req.headers), payload: Buffer.concat(chunks) })
        .then((answer) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && name !== 'transfer-encoding' && name !== 'connection') headers[name] = String(value);
          }
          res.writeHead(answer.statusCode, headers).end(answer.rawPayload);
        })
        .catch((err: Error) => {
          log.warn({ err: err.message }, 'cluster: forwarded BOSH request failed in this worker');
          res.writeHead(500).end();
        });
    });
  });
  // exclusive: a port of this worker alone, not one shared through the node:cluster primary.
  server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
    ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  server.on('error', (err) => log.error({ err: err.message }, 'cluster: the worker\'s BOSH forwarding listener failed'));
  return server;
}

function passHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'content-encoding', 'origin', FORWARDED]) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** How other processes reach this one over HTTP: ALMANAC_CLUSTER_HTTP_URL, or the listen address and port. */
export function advertisedHttpUrl(listen: string, port: number, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ALMANAC_CLUSTER_HTTP_URL) return env.ALMANAC_CLUSTER_HTTP_URL.replace(/\/$/, '');
  const host = listen === '0.0.0.0' || listen === '::' || listen === '' ? '127.0.0.1' : listen.includes(':') ? `[${listen}]` : listen;
  return `http://${host}:${port}`;
}
