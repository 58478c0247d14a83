// DESIGN.md section 1: one fastify instance serves every HTTP route on both the HTTP and the HTTPS
// listener (RFC 7590: TLS with the server's certificate), with the WebSocket endpoint on both, and
// a shutdown that ends WebSocket streams with system-shutdown (RFC 6120 4.9.3.22).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { allowedOrigin, startHttpServer } from '../../../src/transports/http-server.js';
import { startTestServer } from '../../support/test-server.js';
import { startHttpTestServer, streamContextFor, tlsFor, type HttpTestServer } from '../../support/http-test-server.js';
import { WsTestClient, streamErrorCondition } from '../websocket/ws-test-client.js';
import { request } from './http-get.js';

describe('the shared HTTP server', () => {
  let server: HttpTestServer;
  before(async () => {
    server = await startHttpTestServer({
      plugins: [
        (app) => {
          app.get('/probe', async (req) => ({ protocol: req.protocol }));
        },
      ],
    });
  });
  after(async () => {
    await server.stop();
  });

  it('a route registered before listen() answers on the HTTP listener', async () => {
    const res = await request(`${server.httpUrl}/probe`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { protocol: 'http' });
  });

  it('the same route answers on the HTTPS listener, where the request knows it is https', async () => {
    const res = await request(`${server.httpsUrl}/probe`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { protocol: 'https' });
  });

  it('port 0 binds two distinct free ports', () => {
    assert.ok(server.web.ports.http > 0);
    assert.ok(server.web.ports.https! > 0);
    assert.notEqual(server.web.ports.http, server.web.ports.https);
  });

  it('an unknown path is a 404 on both listeners', async () => {
    assert.equal((await request(`${server.httpUrl}/nothing-here`)).status, 404);
    assert.equal((await request(`${server.httpsUrl}/nothing-here`)).status, 404);
  });
});

describe('startHttpServer', () => {
  it('registers the given plugins, listens, and on close ends WebSocket streams with system-shutdown', async () => {
    const base = await startTestServer();
    try {
      const web = await startHttpServer({
        host: '127.0.0.1',
        httpPort: 0,
        httpsPort: 0,
        tls: tlsFor(base),
        streamContext: streamContextFor(base),
        limits: { maxStanzaBytes: 65536, maxDepth: 32 },
        websocket: { pingIntervalSeconds: 30 },
        domain: 'localhost',
        corsOrigins: ['*'],
        plugins: [(app) => void app.get('/hello', async () => 'hi')],
      });
      assert.equal((await request(`http://127.0.0.1:${web.ports.http}/hello`)).body, 'hi');
      const c = await WsTestClient.connect(`wss://127.0.0.1:${web.ports.https}/xmpp-websocket`);
      await c.open();
      await c.receiveNamed('stream:features');

      await web.close();
      const err = await c.receiveNamed('stream:error');
      assert.equal(streamErrorCondition(err), 'system-shutdown');
      await c.closed;
      await assert.rejects(connectTcp(web.ports.http));
      await assert.rejects(connectTcp(web.ports.https!));
    } finally {
      await base.stop();
    }
  });

  it('without TLS credentials only the HTTP listener exists', async () => {
    const base = await startTestServer();
    try {
      const web = await startHttpServer({
        host: '127.0.0.1',
        httpPort: 0,
        httpsPort: 0,
        streamContext: streamContextFor(base),
        limits: { maxStanzaBytes: 65536, maxDepth: 32 },
        websocket: { pingIntervalSeconds: 0 },
        domain: 'localhost',
        corsOrigins: ['*'],
      });
      assert.equal(web.https, undefined);
      assert.equal(web.ports.https, undefined);
      assert.equal((await request(`http://127.0.0.1:${web.ports.http}/.well-known/host-meta`)).status, 200);
      await web.close();
    } finally {
      await base.stop();
    }
  });
});

describe('the HTTP server started by startServer (composition root)', () => {
  it('serves WebSocket and host-meta on the configured HTTP and HTTPS ports', async () => {
    const base = await startTestServer();
    try {
      await base.addUser('erin');
      assert.equal((await request(`https://127.0.0.1:${base.ports.https}/.well-known/host-meta.json`)).status, 200);
      const c = await WsTestClient.connect(`ws://127.0.0.1:${base.ports.http}/xmpp-websocket`);
      try {
        assert.equal(await c.login('erin', 'secret', 'root'), 'erin@localhost/root');
      } finally {
        c.destroy();
      }
    } finally {
      await base.stop();
    }
  });
});

describe('allowedOrigin (the CORS rule every route shares)', () => {
  it("'*' allows any origin, and requests without Origin", () => {
    assert.equal(allowedOrigin(['*'], 'https://a.example'), '*');
    assert.equal(allowedOrigin(['*'], undefined), '*');
  });

  it('a listed origin is echoed; an unlisted or missing one gets nothing', () => {
    const list = ['https://a.example', 'http://localhost:3000'];
    assert.equal(allowedOrigin(list, 'http://localhost:3000'), 'http://localhost:3000');
    assert.equal(allowedOrigin(list, 'https://b.example'), undefined);
    assert.equal(allowedOrigin(list, undefined), undefined);
    assert.equal(allowedOrigin([], 'https://a.example'), undefined);
  });
});

function connectTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('error', reject);
  });
}
