// XEP-0124 section 19 (a session created over HTTPS stays HTTPS: a request over an unencrypted connection is
// closed without harming the session; the stream counts as encrypted, so SASL PLAIN is allowed under
// require_tls) and section 17.2 'see-other-uri' (send plain-HTTP clients to the https: endpoint).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { BoshTestSession, bodyXml, creationAttrs, httpRequest, randomRid } from '../../support/bosh-http-client.js';
import { registerLocalBosh } from '../../../src/transports/bosh/local-endpoint.js';
import type { HttpServerOptions } from '../../../src/transports/http-server.js';

describe('BOSH over HTTPS: secure sessions', () => {
  let server: TestServer;
  let httpUrl: string;
  let httpsUrl: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.requireTls = true;
      c.limits.boshSessionsPerAddress = 1000;
    });
    await server.addUser('tess');
    httpUrl = `http://127.0.0.1:${server.ports.http}/http-bind`;
    httpsUrl = `https://127.0.0.1:${server.ports.https}/http-bind`;
  });
  after(() => server.stop());

  it('a session created over HTTPS is an encrypted stream: PLAIN is offered under require_tls and the session is secure', async () => {
    const session = await BoshTestSession.create(httpsUrl);
    assert.match(session.creation.text, /<mechanism>PLAIN<\/mechanism>/);
    const jid = await session.login('tess', 'secret', 'tls');
    assert.equal(server.host.sessions.get(jid)?.secure, true);
    await session.send('', { type: 'terminate' });
  });

  it('over plain HTTP with require_tls, PLAIN is neither offered nor accepted', async () => {
    const session = await BoshTestSession.create(httpUrl);
    assert.doesNotMatch(session.creation.text, /<mechanism>PLAIN<\/mechanism>/);
    const auth = Buffer.from('\0tess\0secret').toString('base64');
    const answer = await session.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`);
    assert.match(answer.text, /<failure[^>]*><encryption-required/);
  });

  it('a request of an HTTPS session sent over plain HTTP is closed unanswered, and the session carries on', async () => {
    const session = await BoshTestSession.create(httpsUrl, { wait: 1 });
    const rid = session.rid + 1;
    await assert.rejects(httpRequest(httpUrl, bodyXml({ rid, sid: session.sid, pause: 5 })));
    const answer = await httpRequest(httpsUrl, bodyXml({ rid, sid: session.sid, pause: 5 }));
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.attrs.type, undefined, answer.text);
  });
});

describe("BOSH over HTTP: 'see-other-uri'", () => {
  let server: HttpTestServer;
  const target = 'https://bosh.example/http-bind';
  before(async () => {
    let options: HttpServerOptions | undefined;
    server = await startHttpTestServer({
      http: (o) => (options = o),
      plugins: [
        (app) => {
          registerLocalBosh(app, {
            streamContext: options!.streamContext,
            corsOrigin: () => '*',
            maxStanzaBytes: options!.limits.maxStanzaBytes,
            maxDepth: options!.limits.maxDepth,
            sessions: {},
            seeOtherUri: target,
          });
        },
      ],
    });
  });
  after(() => server.stop());

  it('a plain-HTTP request is answered with see-other-uri and the https: URI; HTTPS requests are served', async () => {
    const plain = await httpRequest(`${server.httpUrl}/http-bind`, bodyXml(creationAttrs(randomRid())));
    assert.equal(plain.status, 200);
    assert.equal(plain.body?.attrs.type, 'terminate');
    assert.equal(plain.body?.attrs.condition, 'see-other-uri');
    assert.equal(plain.body?.getChildText('uri'), target);
    const secure = await httpRequest(`${server.httpsUrl}/http-bind`, bodyXml(creationAttrs(randomRid())));
    assert.ok(secure.body?.attrs.sid, secure.text);
  });
});
