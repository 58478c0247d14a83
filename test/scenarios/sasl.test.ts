// RFC 6120 section 6 over the wire: SCRAM-SHA-256/-1 and their -PLUS variants, PLAIN only when
// encrypted, OAUTHBEARER with a REST token, every failure condition, and throttling per address.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';
import { ScramClient } from '../stream/sasl/scram-client.js';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

async function negotiate(server: TestServer, opts: { tls?: boolean } = {}): Promise<TestClient> {
  const c = await TestClient.connect(server.ports.c2s!);
  await c.openStream();
  await c.receiveNamed('stream:features');
  if (opts.tls) {
    await c.startTls();
    await c.openStream();
    await c.receiveNamed('stream:features');
  }
  return c;
}

async function scram(c: TestClient, mechanism: string, client: ScramClient): Promise<{ outcome: string; client: ScramClient; data?: string }> {
  c.send(`<auth xmlns='${SASL}' mechanism='${mechanism}'>${b64(client.first())}</auth>`);
  const first = await c.receive((el) => el.name === 'challenge' || el.name === 'failure');
  if (first.name === 'failure') return { outcome: first.getChildElements()[0]!.name, client };
  c.send(`<response xmlns='${SASL}'>${b64(client.final(Buffer.from(first.text(), 'base64')))}</response>`);
  const last = await c.receive((el) => el.name === 'success' || el.name === 'failure');
  return { outcome: last.name === 'success' ? 'success' : last.getChildElements()[0]!.name, client, data: last.text() };
}

describe('SASL authentication (RFC 6120 section 6)', () => {
  let server: TestServer;
  let strict: TestServer;
  before(async () => {
    server = await startTestServer();
    strict = await startTestServer((c) => (c.requireTls = true));
    for (const s of [server, strict]) await s.addUser('juliet', 'r0m3o');
  });
  after(async () => {
    await server.stop();
    await strict.stop();
  });

  for (const [mechanism, hash] of [['SCRAM-SHA-256', 'sha-256'], ['SCRAM-SHA-1', 'sha-1']] as const) {
    it(`${mechanism} succeeds and the server proves it knows the key (6.4.6)`, async () => {
      const c = await negotiate(server);
      const r = await scram(c, mechanism, new ScramClient({ hash, username: 'juliet', password: 'r0m3o' }));
      assert.equal(r.outcome, 'success');
      assert.ok(r.client.verifies(Buffer.from(r.data!, 'base64')), 'server signature verifies');
      c.destroy();
    });
  }

  it('a wrong SCRAM proof is not-authorized (6.5.10)', async () => {
    const c = await negotiate(server);
    const r = await scram(c, 'SCRAM-SHA-256', new ScramClient({ hash: 'sha-256', username: 'juliet', password: 'wrong' }));
    assert.equal(r.outcome, 'not-authorized');
    c.destroy();
  });

  it('SCRAM-SHA-256-PLUS with tls-exporter succeeds over STARTTLS on TLS 1.3 (RFC 9266)', async () => {
    const c = await negotiate(strict, { tls: true });
    const socket = (c as unknown as { socket: import('node:tls').TLSSocket }).socket;
    const cbData = socket.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0));
    const r = await scram(c, 'SCRAM-SHA-256-PLUS', new ScramClient({ hash: 'sha-256', username: 'juliet', password: 'r0m3o', gs2Header: 'p=tls-exporter,,', cbData }));
    assert.equal(r.outcome, 'success');
    c.destroy();
  });

  it('-PLUS with the binding data of another connection is not-authorized (RFC 5802 section 6)', async () => {
    const c = await negotiate(strict, { tls: true });
    const r = await scram(c, 'SCRAM-SHA-256-PLUS', new ScramClient({ hash: 'sha-256', username: 'juliet', password: 'r0m3o', gs2Header: 'p=tls-exporter,,', cbData: Buffer.alloc(32, 7) }));
    assert.equal(r.outcome, 'not-authorized');
    c.destroy();
  });

  it('PLAIN on a clear stream of a TLS-requiring server is encryption-required (6.5.4)', async () => {
    const c = await negotiate(strict);
    c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${b64('\0juliet\0r0m3o')}</auth>`);
    const f = await c.receiveNamed('failure');
    assert.ok(f.getChild('encryption-required'));
    c.destroy();
  });

  it('PLAIN after STARTTLS succeeds', async () => {
    const c = await negotiate(strict, { tls: true });
    c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${b64('\0juliet\0r0m3o')}</auth>`);
    assert.ok(await c.receiveNamed('success'));
    c.destroy();
  });

  it('an unknown mechanism is invalid-mechanism (6.5.5)', async () => {
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='X-UNKNOWN'/>`);
    assert.ok((await c.receiveNamed('failure')).getChild('invalid-mechanism'));
    c.destroy();
  });

  it('DIGEST-MD5 is mechanism-too-weak (6.5.9)', async () => {
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='DIGEST-MD5'/>`);
    assert.ok((await c.receiveNamed('failure')).getChild('mechanism-too-weak'));
    c.destroy();
  });

  it('bad base64 is incorrect-encoding (6.5.2)', async () => {
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>!!notbase64!!</auth>`);
    assert.ok((await c.receiveNamed('failure')).getChild('incorrect-encoding'));
    c.destroy();
  });

  it('a malformed SCRAM message is malformed-request (6.5.6)', async () => {
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-256'>${b64('n,,garbage')}</auth>`);
    assert.ok((await c.receiveNamed('failure')).getChild('malformed-request'));
    c.destroy();
  });

  it('<abort/> ends the exchange with aborted (6.4.4)', async () => {
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='SCRAM-SHA-256'>${b64(new ScramClient({ hash: 'sha-256', username: 'juliet', password: 'x' }).first())}</auth>`);
    await c.receiveNamed('challenge');
    c.send(`<abort xmlns='${SASL}'/>`);
    assert.ok((await c.receiveNamed('failure')).getChild('aborted'));
    c.destroy();
  });

  it('OAUTHBEARER with a REST token logs in (RFC 7628)', async () => {
    const { token } = await server.host.stores.tokens.issue('juliet');
    const c = await negotiate(server);
    c.send(`<auth xmlns='${SASL}' mechanism='OAUTHBEARER'>${b64(`n,a=juliet@localhost,\x01auth=Bearer ${token}\x01\x01`)}</auth>`);
    assert.ok(await c.receiveNamed('success'));
    c.destroy();
  });

  it('after repeated failures from one address, attempts get temporary-auth-failure', async () => {
    const throttled = await startTestServer((c) => (c.limits.saslFailuresPerMinute = 2));
    try {
      await throttled.addUser('juliet', 'r0m3o');
      const c = await negotiate(throttled);
      for (let i = 0; i < 2; i++) {
        c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${b64('\0juliet\0bad')}</auth>`);
        assert.ok((await c.receiveNamed('failure')).getChild('not-authorized'));
      }
      c.send(`<auth xmlns='${SASL}' mechanism='PLAIN'>${b64('\0juliet\0r0m3o')}</auth>`);
      assert.ok((await c.receiveNamed('failure')).getChild('temporary-auth-failure'));
      c.destroy();
    } finally {
      await throttled.stop();
    }
  });
});
