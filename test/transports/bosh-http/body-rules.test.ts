// XEP-0124 section 4: each request holds exactly one <body xmlns='http://jabber.org/protocol/httpbind'/> whose
// content is complete elements only: no character data directly inside it, no comments, processing
// instructions, DTDs or entities beyond the predefined ones. A violation is 'bad-request' (section 17.2),
// which ends the session the request names; a legacy client (no 'ver') gets HTTP 400 instead (section 17.1).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession, HTTPBIND, bodyXml, creationAttrs, httpRequest, randomRid, type HttpAnswer } from '../../support/bosh-http-client.js';

describe('BOSH over HTTP: the <body/> wrapper rules', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.limits.maxStanzaBytes = 10_000;
    });
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  /** Sends `document` (built from the session's sid and next rid) and checks that it ended the session. */
  async function assertBadRequestEndsSession(build: (attrs: string) => string): Promise<HttpAnswer> {
    const session = await BoshTestSession.create(url);
    const attrs = `rid='${++session.rid}' sid='${session.sid}'`;
    const res = await httpRequest(url, build(attrs));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body?.attrs.type, 'terminate');
    assert.equal(res.body?.attrs.condition, 'bad-request');
    const later = await session.send();
    assert.equal(later.body?.attrs.condition, 'item-not-found', 'the session is gone');
    return res;
  }

  it('a root element other than <body/> is bad-request and ends the session it names', async () => {
    await assertBadRequestEndsSession((a) => `<envelope xmlns='${HTTPBIND}' ${a}/>`);
  });

  it('a <body/> outside the httpbind namespace is bad-request and ends the session', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='jabber:client' ${a}/>`);
  });

  it('character data directly inside <body/> is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='${HTTPBIND}' ${a}>hello<presence xmlns='jabber:client'/></body>`);
  });

  it('a comment inside <body/> is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='${HTTPBIND}' ${a}><!-- note --></body>`);
  });

  it('a processing instruction inside <body/> is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='${HTTPBIND}' ${a}><?pi data?></body>`);
  });

  it('a DTD before <body/> is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<!DOCTYPE body [<!ENTITY x 'y'>]><body xmlns='${HTTPBIND}' ${a}/>`);
  });

  it('an entity reference other than the five predefined ones is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='${HTTPBIND}' ${a}><message xmlns='jabber:client'><body>&nbsp;</body></message></body>`);
  });

  it('a partial element is bad-request', async () => {
    await assertBadRequestEndsSession((a) => `<body xmlns='${HTTPBIND}' ${a}><message xmlns='jabber:client'><body>hi</body></body>`);
  });

  it('the five predefined entities and character references are accepted', async () => {
    const session = await BoshTestSession.create(url);
    const res = await session.send(`<presence xmlns='jabber:client'><status>&lt;&gt;&amp;&apos;&quot;&#65;</status></presence>`);
    assert.notEqual(res.body?.attrs.condition, 'bad-request', res.text);
  });

  it('whitespace between payloads is formatting, not character data', async () => {
    const res = await httpRequest(url, bodyXml(creationAttrs(randomRid()), '\n  \n'));
    assert.equal(res.status, 200);
    assert.ok(res.body?.attrs.sid, res.text);
  });

  it('a legacy client (no ver) gets HTTP 400 for bad-request', async () => {
    const res = await httpRequest(url, `<body xmlns='${HTTPBIND}' rid='${randomRid()}' to='localhost'>text</body>`);
    assert.equal(res.status, 400);
    assert.equal(res.body?.attrs.condition, 'bad-request');
  });

  it('a request that is not XML at all answers HTTP 400', async () => {
    const res = await httpRequest(url, 'rid=1&sid=2');
    assert.equal(res.status, 400);
  });

  it('a body larger than the stanza size limit is refused without being parsed', async () => {
    const res = await httpRequest(url, bodyXml(creationAttrs(randomRid()), `<message xmlns='jabber:client'><body>${'x'.repeat(40_000)}</body></message>`));
    assert.equal(res.status, 413);
  });
});
