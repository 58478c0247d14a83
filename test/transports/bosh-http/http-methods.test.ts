// XEP-0124 section 5 at the HTTP level: POST carries BOSH, OPTIONS answers CORS preflights from the configured
// origins, GET gets an information page, other methods 405, an empty POST 400; the request Content-Type is
// ignored and every answer is text/xml (or the session's 'content') with a Content-Length.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';

const APP = 'https://app.example';

describe('BOSH over HTTP: methods, CORS and content types', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.bosh.corsOrigins = [APP];
      c.limits.boshSessionsPerAddress = 1000;
    });
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  it('an OPTIONS preflight from a listed origin gets 200 with Allow-Origin, -Methods, -Headers and Max-Age', async () => {
    const res = await httpRequest(url, undefined, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], APP);
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    assert.match(String(res.headers['access-control-allow-headers']), /Content-Type/i);
    assert.ok(Number(res.headers['access-control-max-age']) > 0);
  });

  it('an OPTIONS preflight from an origin not on the list is refused with 403 and no Allow-Origin', async () => {
    const res = await httpRequest(url, undefined, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('a POST from a listed origin carries Access-Control-Allow-Origin for it', async () => {
    const res = await httpRequest(url, bodyXml(creationAttrs(randomRid())), { headers: { origin: APP } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], APP);
    assert.ok(res.body?.attrs.sid);
  });

  it('a POST from an origin not on the list is refused with 403 and creates no session', async () => {
    const res = await httpRequest(url, bodyXml(creationAttrs(randomRid())), { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(res.body?.attrs.sid, undefined);
    assert.doesNotMatch(res.text, /sid=/);
  });

  it('GET answers 200 with a short HTML page naming the protocol', async () => {
    const res = await httpRequest(url, undefined, { method: 'GET' });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.text, /BOSH/);
  });

  it('PUT and DELETE answer 405 Method Not Allowed with an Allow header', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const res = await httpRequest(url, method === 'PUT' ? '<body/>' : undefined, { method });
      assert.equal(res.status, 405, method);
      assert.match(String(res.headers.allow), /POST/);
    }
  });

  it('an empty POST answers 400 Bad Request', async () => {
    const res = await httpRequest(url, undefined, { method: 'POST' });
    assert.equal(res.status, 400);
    const blank = await httpRequest(url, '  \r\n');
    assert.equal(blank.status, 400);
  });

  it('the request Content-Type is ignored: text/plain and form encoding work like text/xml', async () => {
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/json']) {
      const res = await httpRequest(url, bodyXml(creationAttrs(randomRid())), { headers: { 'content-type': type } });
      assert.equal(res.status, 200, type);
      assert.ok(res.body?.attrs.sid, type);
    }
  });

  it('answers are text/xml; charset=utf-8 with a Content-Length, never chunked', async () => {
    const res = await httpRequest(url, bodyXml(creationAttrs(randomRid())));
    assert.equal(res.headers['content-type'], 'text/xml; charset=utf-8');
    assert.equal(Number(res.headers['content-length']), res.raw.length);
    assert.equal(res.headers['transfer-encoding'], undefined);
  });

  it("the creation request's 'content' becomes the Content-Type of every answer of the session", async () => {
    const session = await BoshTestSession.create(url, { content: 'text/html; charset=utf-8' });
    assert.equal(session.creation.headers['content-type'], 'text/html; charset=utf-8');
    const next = await session.send('', { pause: 5 });
    assert.equal(next.headers['content-type'], 'text/html; charset=utf-8');
  });
});

describe('BOSH over HTTP: the wildcard origin list', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((c) => (c.bosh.corsOrigins = ['*']));
  });
  after(() => server.stop());

  it("with cors_origins '*' any page may read the answers (Access-Control-Allow-Origin: *)", async () => {
    const res = await httpRequest(`http://127.0.0.1:${server.ports.http}/http-bind`, bodyXml(creationAttrs(randomRid())), {
      headers: { origin: 'https://anywhere.example' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });
});
