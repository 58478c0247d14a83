// XEP-0156 section 3 (HTTP lookup method): the host-meta XRD and JRD documents list the BOSH and
// WebSocket endpoints for the Host and scheme the client used, readable cross-origin per the
// configured origins.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from '../../../src/xml/parse-document.js';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { WsTestClient } from '../websocket/ws-test-client.js';
import { request } from './http-get.js';

const XRD = 'http://docs.oasis-open.org/ns/xri/xrd-1.0';
const BOSH = 'urn:xmpp:alt-connections:xbosh';
const WEBSOCKET = 'urn:xmpp:alt-connections:websocket';

function xrdLinks(body: string): Record<string, string> {
  const root = parseDocument(body);
  assert.equal(root.name, 'XRD');
  assert.equal(root.attrs.xmlns, XRD);
  const links: Record<string, string> = {};
  for (const link of root.getChildren('Link')) links[link.attrs.rel!] = link.attrs.href!;
  return links;
}

function jrdLinks(body: string): Record<string, string> {
  const doc = JSON.parse(body) as { links: Array<{ rel: string; href: string }> };
  return Object.fromEntries(doc.links.map((l) => [l.rel, l.href]));
}

describe('XEP-0156 host-meta', () => {
  let server: HttpTestServer;
  let restricted: HttpTestServer;
  const clients: WsTestClient[] = [];
  before(async () => {
    server = await startHttpTestServer();
    restricted = await startHttpTestServer({ http: (o) => (o.corsOrigins = ['https://app.example']) });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
    await restricted.stop();
  });

  it('/.well-known/host-meta is an XRD document listing BOSH and WebSocket for the Host used (http, ws)', async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/xrd\+xml/);
    const host = new URL(server.httpUrl).host;
    assert.deepEqual(xrdLinks(res.body), {
      [BOSH]: `http://${host}/http-bind`,
      [WEBSOCKET]: `ws://${host}/xmpp-websocket`,
    });
  });

  it('/.well-known/host-meta.json is the same list as JRD', async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta.json`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const host = new URL(server.httpUrl).host;
    assert.deepEqual(jrdLinks(res.body), {
      [BOSH]: `http://${host}/http-bind`,
      [WEBSOCKET]: `ws://${host}/xmpp-websocket`,
    });
  });

  it('over HTTPS the links are https: and wss:', async () => {
    const host = new URL(server.httpsUrl).host;
    const xrd = xrdLinks((await request(`${server.httpsUrl}/.well-known/host-meta`)).body);
    assert.equal(xrd[BOSH], `https://${host}/http-bind`);
    assert.equal(xrd[WEBSOCKET], `wss://${host}/xmpp-websocket`);
    const jrd = jrdLinks((await request(`${server.httpsUrl}/.well-known/host-meta.json`)).body);
    assert.equal(jrd[WEBSOCKET], `wss://${host}/xmpp-websocket`);
  });

  it('the links are built from the Host header, so they work behind any name and port', async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta.json`, { headers: { Host: 'chat.example.com:8443' } });
    assert.equal(jrdLinks(res.body)[BOSH], 'http://chat.example.com:8443/http-bind');
  });

  it('a Host header that is not a host name is refused with 400 instead of being echoed', async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta`, { headers: { Host: `x'/><evil/>` } });
    assert.equal(res.status, 400);
    assert.match(res.body, /Invalid Host header/);
    assert.ok(!res.body.includes('<evil'));
  });

  it('the advertised WebSocket link is a working RFC 7395 endpoint', async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta.json`);
    const c = await WsTestClient.connect(jrdLinks(res.body)[WEBSOCKET]!);
    clients.push(c);
    const open = await c.open();
    assert.equal(open.el!.name, 'open');
  });

  it("with '*' configured any origin may read the documents (Access-Control-Allow-Origin: *)", async () => {
    const res = await request(`${server.httpUrl}/.well-known/host-meta`, { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  it('with a list of origins a listed origin is echoed back with Vary: Origin', async () => {
    const res = await request(`${restricted.httpUrl}/.well-known/host-meta.json`, { headers: { Origin: 'https://app.example' } });
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(res.headers.vary), /Origin/);
  });

  it('with a list of origins an unlisted origin gets no Access-Control-Allow-Origin', async () => {
    const res = await request(`${restricted.httpUrl}/.well-known/host-meta`, { headers: { Origin: 'https://evil.example' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('a CORS preflight is answered with 204 and the allowed method', async () => {
    const res = await request(`${restricted.httpUrl}/.well-known/host-meta.json`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(res.headers['access-control-allow-methods']), /GET/);
  });
});
