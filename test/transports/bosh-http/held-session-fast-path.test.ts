// XEP-0124 sections 5 and 11 on the held-session fast path (src/transports/bosh/held-session-fast-path.ts):
// requests naming a session held here are answered before fastify, with the same HTTP framing (a
// Content-Length, the session's Content-Type, no caching, CORS); every other request on the BOSH path runs
// fastify's hooks with its body intact (cluster forwarding relies on those hooks).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { BoshTestSession, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';
import { registerLocalBosh } from '../../../src/transports/bosh/local-endpoint.js';
import type { HttpServerOptions } from '../../../src/transports/http-server.js';

describe('BOSH over HTTP: requests of held sessions skip fastify', () => {
  let server: HttpTestServer;
  let url: string;
  const hooked: string[] = [];
  before(async () => {
    let options: HttpServerOptions | undefined;
    server = await startHttpTestServer({
      http: (o) => (options = o),
      plugins: [
        (app) => {
          // Sees every request fastify routes in this scope (the BOSH routes are registered below it).
          app.addHook('preHandler', (request, _reply, done) => {
            hooked.push(String((request.body as Buffer | undefined)?.toString('utf8') ?? ''));
            done();
          });
          registerLocalBosh(app, {
            streamContext: options!.streamContext,
            corsOrigin: (origin) => (origin === 'https://refused.example' ? undefined : '*'),
            maxStanzaBytes: options!.limits.maxStanzaBytes,
            maxDepth: options!.limits.maxDepth,
            sessions: {},
          });
        },
      ],
    });
    url = `${server.httpUrl}/http-bind`;
  });
  after(() => server.stop());

  it('a creation request runs the fastify hooks with its body; the next requests of that session do not', async () => {
    hooked.length = 0;
    const session = await BoshTestSession.create(url, { wait: 1 });
    assert.equal(hooked.length, 1);
    assert.match(hooked[0]!, /^<body /);
    const answer = await session.send('', { pause: 5 });
    assert.equal(answer.status, 200);
    assert.equal(hooked.length, 1, 'a held-session request went through fastify');
  });

  it('an answer written before fastify has a Content-Length, the session Content-Type, no-store and CORS', async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    const answer = await session.send('', { pause: 5 }, { headers: { origin: 'https://app.example' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-length'], String(answer.raw.length));
    assert.equal(answer.headers['transfer-encoding'], undefined);
    assert.equal(answer.headers['content-type'], 'text/xml; charset=utf-8');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers['access-control-allow-origin'], '*');
  });

  it('a request naming an unknown sid reaches fastify with its body and is answered item-not-found', async () => {
    hooked.length = 0;
    const answer = await httpRequest(url, bodyXml({ rid: randomRid(), sid: 'no-such-session' }));
    assert.equal(hooked.length, 1);
    assert.match(hooked[0]!, /sid='no-such-session'/);
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'item-not-found');
  });

  it("a refused Origin is refused by the route even for a held session's request", async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    const answer = await session.send('', {}, { headers: { origin: 'https://refused.example' } });
    assert.equal(answer.status, 403);
  });

  it('a sid that appears only in the payload does not make a creation request a held-session request', async () => {
    const held = await BoshTestSession.create(url, { wait: 1 });
    hooked.length = 0;
    const payload = `<message to='x@localhost' sid='${held.sid}'><body>hi</body></message>`;
    const answer = await httpRequest(url, bodyXml(creationAttrs(randomRid()), payload));
    assert.equal(hooked.length, 1);
    assert.ok(answer.body?.attrs.sid !== undefined && answer.body.attrs.sid !== held.sid, answer.text);
  });
});
