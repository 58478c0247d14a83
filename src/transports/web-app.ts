// The web app at `/` (DESIGN.md section 1, port 5280): static files served by the shared fastify
// server with node:fs, each with its content type, an ETag validator (RFC 9110 section 8.8.3, so a
// reload costs a 304, section 15.4.5) and `nosniff`; the page itself with a Content-Security-Policy
// that allows only its own scripts and styles. Three folders are exposed, flat, by name only:
//   /            web/app/index.html
//   /app/NAME    web/app/        (the page's modules, styles, icon)
//   /sdk/NAME    the compiled client SDK (<outDir>/web/sdk/)
//   /vendor/NAME Strophe.js's browser ESM build (node_modules/strophe.js/dist/)

import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebAppOptions {
  /** Folder of index.html and the page's own files; default: web/app of this checkout. */
  appDir?: string;
  /** Folder of the compiled SDK; default: web/sdk next to this compiled file's src/. */
  sdkDir?: string;
  /** Folder of Strophe.js's dist/ build; default: resolved from node_modules. */
  vendorDir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** One path segment: no separators, no leading dot, so nothing outside the folder can be named. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // The XMPP endpoints may live on another host (GET /api/v2/realtime says where).
  "connect-src 'self' ws: wss: http: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** <outDir>/src/transports/web-app.js -> the checkout root is three folders up. */
const here = dirname(fileURLToPath(import.meta.url));

export function defaultWebAppDirs(): Required<WebAppOptions> {
  const strophe = dirname(createRequire(import.meta.url).resolve('strophe.js/package.json'));
  return {
    appDir: join(here, '..', '..', '..', 'web', 'app'),
    sdkDir: join(here, '..', '..', 'web', 'sdk'),
    vendorDir: join(strophe, 'dist'),
  };
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, dir: string, name: string, allowed: (ext: string) => boolean): Promise<unknown> {
  const ext = extname(name);
  if (!FILE_NAME.test(name) || !allowed(ext) || CONTENT_TYPES[ext] === undefined) return notFound(reply);
  const path = join(dir, name);
  let info;
  try {
    info = await stat(path);
  } catch {
    return notFound(reply);
  }
  if (!info.isFile()) return notFound(reply);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
  if (ext === '.html') {
    reply.header('content-security-policy', PAGE_POLICY).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
  }
  const match = request.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();
  return reply.type(CONTENT_TYPES[ext]!).send(await readFile(path));
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('not found');
}

/** Registers the web app's routes (GET and HEAD) on the shared HTTP server. */
export async function registerWebApp(app: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const dirs = { ...defaultWebAppDirs(), ...options };
  const page = (request: FastifyRequest, reply: FastifyReply) => sendFile(request, reply, dirs.appDir, 'index.html', () => true);
  app.get('/', page);
  app.get('/index.html', page);
  app.get<{ Params: { name: string } }>('/app/:name', (request, reply) => sendFile(request, reply, dirs.appDir, request.params.name, () => true));
  app.get<{ Params: { name: string } }>('/sdk/:name', (request, reply) =>
    sendFile(request, reply, dirs.sdkDir, request.params.name, (ext) => ext === '.js' || ext === '.map'),
  );
  app.get<{ Params: { name: string } }>('/vendor/:name', (request, reply) =>
    sendFile(request, reply, dirs.vendorDir, request.params.name, () => /^strophe\.esm\.js(\.map)?$/.test(request.params.name)),
  );
}
