// XEP-0124 section 5: an answer may be compressed with an encoding the request's Accept-Encoding lists; section
// 7.2: 'accept' advertises the encodings the connection manager can decompress, after which requests may
// carry Content-Encoding. Small answers are left as they are (compression would not pay for itself).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';

describe('BOSH over HTTP: compression', () => {
  let server: TestServer;
  let url: string;
  let session: BoshTestSession;
  let jid: string;
  before(async () => {
    server = await startTestServer((c) => (c.limits.boshSessionsPerAddress = 1000));
    await server.addUser('zoe');
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    session = await BoshTestSession.create(url);
    jid = await session.login('zoe');
  });
  after(() => server.stop());

  /** A message to ourselves comes back in the answer to the request that sent it: a large answer. */
  function echoLarge(acceptEncoding: string | undefined) {
    const text = 'calendar '.repeat(500);
    return session.send(`<message to='${jid}' type='chat'><body>${text}</body></message>`, {}, {
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });
  }

  it('a large answer is gzip-compressed when the request accepts gzip', async () => {
    const res = await echoLarge('gzip, deflate');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.ok(res.raw.length < res.text.length / 4, `${res.raw.length} compressed bytes for ${res.text.length}`);
    assert.match(res.text, /calendar calendar/);
    assert.equal(Number(res.headers['content-length']), res.raw.length);
  });

  it('deflate is used when it is the only accepted encoding', async () => {
    const res = await echoLarge('deflate');
    assert.equal(res.headers['content-encoding'], 'deflate');
    assert.match(res.text, /calendar calendar/);
  });

  it('no compression without Accept-Encoding, or when gzip and deflate are refused with q=0', async () => {
    assert.equal((await echoLarge(undefined)).headers['content-encoding'], undefined);
    assert.equal((await echoLarge('gzip;q=0, deflate;q=0, br')).headers['content-encoding'], undefined);
  });

  it('a small answer is not compressed even when gzip is accepted', async () => {
    const res = await session.send('', { pause: 10 }, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers['content-encoding'], undefined);
  });

  it("the creation response advertises accept='gzip', and a gzip-compressed request body is understood", async () => {
    assert.equal(session.creation.body?.attrs.accept, 'gzip');
    const res = await httpRequest(url, gzipSync(bodyXml(creationAttrs(randomRid()))), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.ok(res.body?.attrs.sid, res.text);
  });

  it('a deflate-compressed request body is understood as well', async () => {
    const res = await httpRequest(url, deflateSync(bodyXml(creationAttrs(randomRid()))), { headers: { 'content-encoding': 'deflate' } });
    assert.ok(res.body?.attrs.sid, res.text);
  });

  it('an unknown or corrupt Content-Encoding answers HTTP 400', async () => {
    assert.equal((await httpRequest(url, bodyXml(creationAttrs(randomRid())), { headers: { 'content-encoding': 'br' } })).status, 400);
    assert.equal((await httpRequest(url, Buffer.from('not gzip at all'), { headers: { 'content-encoding': 'gzip' } })).status, 400);
  });
});
