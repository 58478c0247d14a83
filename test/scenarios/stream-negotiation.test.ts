// RFC 6120 sections 4-5: stream headers, features, STARTTLS, direct TLS, stream errors, close.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const STREAM_NS = 'http://etherx.jabber.org/streams';

function streamErrorCondition(el: { name: string; getChildElements(): { name: string }[] }): string | undefined {
  return el.name === 'stream:error' ? el.getChildElements()[0]?.name : undefined;
}

describe('stream negotiation (RFC 6120 sections 4-5)', () => {
  let server: TestServer;
  let tlsServer: TestServer;
  before(async () => {
    server = await startTestServer();
    tlsServer = await startTestServer((c) => (c.requireTls = true));
  });
  after(async () => {
    await server.stop();
    await tlsServer.stop();
  });

  it('the server answers a stream header with its own header and features (4.3)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    const header = await alice.openStream();
    assert.equal(header.attrs.from, 'localhost');
    assert.equal(header.attrs.version, '1.0');
    assert.ok(header.attrs.id && header.attrs.id.length >= 16, 'stream id is long and random');
    const features = await alice.receiveNamed('stream:features');
    assert.ok(features.getChild('starttls', 'urn:ietf:params:xml:ns:xmpp-tls'));
    const mechanisms = features.getChild('mechanisms', 'urn:ietf:params:xml:ns:xmpp-sasl');
    assert.ok(mechanisms?.getChildren('mechanism').some((m) => m.text() === 'SCRAM-SHA-256'));
    alice.destroy();
  });

  it('when TLS is required, only STARTTLS is offered, marked required (5.3.1)', async () => {
    const alice = await TestClient.connect(tlsServer.ports.c2s!);
    await alice.openStream();
    const features = await alice.receiveNamed('stream:features');
    assert.ok(features.getChild('starttls')?.getChild('required'));
    assert.equal(features.getChild('mechanisms'), undefined);
    alice.destroy();
  });

  it('after STARTTLS the stream restarts encrypted and offers SASL with PLAIN (5.4.3.3)', async () => {
    const alice = await TestClient.connect(tlsServer.ports.c2s!);
    await alice.openStream();
    await alice.receiveNamed('stream:features');
    await alice.startTls();
    await alice.openStream();
    const features = await alice.receiveNamed('stream:features');
    assert.equal(features.getChild('starttls'), undefined);
    const names = features.getChild('mechanisms')!.getChildren('mechanism').map((m) => m.text());
    assert.ok(names.includes('PLAIN'));
    assert.ok(names.includes('SCRAM-SHA-256-PLUS'), 'TLS 1.3 gives tls-exporter channel binding');
    // XEP-0440: the binding type is advertised so clients can choose before they try.
    const cb = features.getChild('sasl-channel-binding', 'urn:xmpp:sasl-cb:0');
    assert.deepEqual(cb?.getChildren('channel-binding').map((c) => c.attrs.type), ['tls-exporter']);
    alice.destroy();
  });

  it('direct TLS (XEP-0368) offers SASL straight away', async () => {
    const alice = await TestClient.connect(tlsServer.ports.tls!, { directTls: true });
    await alice.openStream();
    const features = await alice.receiveNamed('stream:features');
    assert.equal(features.getChild('starttls'), undefined);
    assert.ok(features.getChild('mechanisms'));
    alice.destroy();
  });

  it('a header for an unknown host gets host-unknown (4.9.3.6)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.openStream('example.org');
    const err = await alice.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'host-unknown');
    await alice.closed;
  });

  it('a header with the wrong stream namespace gets invalid-namespace (4.9.3.10)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    alice.send(`<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong' to='localhost' version='1.0'>`);
    const err = await alice.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'invalid-namespace');
    await alice.closed;
  });

  it('a header with the wrong content namespace gets invalid-namespace (4.8.2)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    alice.send(`<stream:stream xmlns='jabber:server' xmlns:stream='${STREAM_NS}' to='localhost' version='1.0'>`);
    const err = await alice.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'invalid-namespace');
    await alice.closed;
  });

  it('a stream prefix other than "stream" gets bad-namespace-prefix (4.9.3.2)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    alice.send(`<foo:stream xmlns='jabber:client' xmlns:foo='${STREAM_NS}' to='localhost' version='1.0'>`);
    const err = await alice.receive((el) => el.name.endsWith(':error') || el.name === 'error');
    assert.equal(err.getChildElements()[0]?.name, 'bad-namespace-prefix');
    await alice.closed;
  });

  it('a header without version 1.0 gets unsupported-version (4.9.3.25)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    alice.send(`<stream:stream xmlns='jabber:client' xmlns:stream='${STREAM_NS}' to='localhost' version='2.0'>`);
    const err = await alice.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'unsupported-version');
    await alice.closed;
  });

  it('a stanza before authentication gets not-authorized (4.9.3.12)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.openStream();
    await alice.receiveNamed('stream:features');
    alice.send(`<message to='bob@localhost'><body>hi</body></message>`);
    const err = await alice.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'not-authorized');
    await alice.closed;
  });

  it('closing the stream is answered with the closing tag and the connection ends (4.4)', async () => {
    await server.addUser('closer');
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('closer', 'secret');
    alice.send('</stream:stream>');
    await alice.closed;
    assert.match(alice.raw, /<\/stream:stream>$/);
  });

  it('whitespace between stanzas is a keepalive and is ignored (4.6.1)', async () => {
    await server.addUser('pinger');
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('pinger', 'secret');
    alice.send('   \n  ');
    const pong = await alice.iq(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'p1');
    assert.equal(pong.attrs.type, 'result');
    alice.close();
  });

  it('a stream that never authenticates is closed with connection-timeout', async () => {
    const quick = await startTestServer((c) => (c.limits.authTimeoutSeconds = 1));
    try {
      const alice = await TestClient.connect(quick.ports.c2s!);
      await alice.openStream();
      const err = await alice.receiveNamed('stream:error', () => true, 5000);
      assert.equal(streamErrorCondition(err), 'connection-timeout');
      await alice.closed;
    } finally {
      await quick.stop();
    }
  });
});
