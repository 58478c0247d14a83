// Serving the web app (src/transports/web-app.ts): the page at /, its modules, the compiled SDK and
// Strophe's browser build, each with its content type, ETag revalidation, and nothing outside them.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebApp } from '../../src/transports/web-app.js';

describe('web app static files', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    await registerWebApp(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('/ is the page, as UTF-8 HTML with a policy that allows only its own scripts', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(res.body, /<script type="module" src="\/app\/app.js">/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'(;|$)/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });

  it("the page's modules and styles are served with their content types", async () => {
    assert.equal((await get('/app/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await get('/app/style.css')).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await get('/app/favicon.svg')).headers['content-type'], 'image/svg+xml');
  });

  it('the compiled SDK is served from /sdk/, imports and all', async () => {
    const index = await get('/sdk/index.js');
    assert.equal(index.statusCode, 200);
    assert.equal(index.headers['content-type'], 'text/javascript; charset=utf-8');
    for (const [, path] of index.body.matchAll(/from '\.\/([a-z-]+\.js)'/g)) {
      assert.equal((await get(`/sdk/${path}`)).statusCode, 200, path);
    }
    assert.equal((await get('/sdk/strophe-link.js')).statusCode, 200);
  });

  it("Strophe.js's browser ESM build is served from /vendor/, and nothing else from that folder", async () => {
    const res = await get('/vendor/strophe.esm.js');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(res.body, /export \{[^}]*\bStrophe\b/);
    assert.equal((await get('/vendor/strophe.cjs')).statusCode, 404);
    assert.equal((await get('/vendor/shared-connection-worker.js')).statusCode, 404);
  });

  it('a repeated request with the ETag gets 304 and no body', async () => {
    const first = await get('/app/app.js');
    assert.match(String(first.headers.etag), /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const again = await get('/app/app.js', { 'if-none-match': String(first.headers.etag) });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  it('HEAD answers like GET without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/app/style.css' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
  });

  /** The status of a request whose path goes on the wire exactly as written (no URL normalisation). */
  function rawStatus(path: string): Promise<number> {
    const { port } = app.server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
  }

  for (const url of [
    '/app/..%2f..%2fpackage.json',
    '/app/%2e%2e',
    '/app/%2e%2e%2fpackage.json',
    '/sdk/../../package.json',
    '/app/.hidden',
    '/sdk/..%2Fsrc%2Fserver.js',
    '/sdk/client.ts',
    '/app/missing.js',
    '/app/README',
    '/sdk/%00.js',
  ]) {
    it(`${url} is not found`, async () => {
      assert.equal(await rawStatus(url), 404);
    });
  }
});
