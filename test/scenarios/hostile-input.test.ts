// Hostile input not covered by the restricted-XML cases: STARTTLS command injection (RFC 6120
// 5.3.3: nothing sent before the TLS handshake may be acted on after it), huge names and attribute
// values, invalid JIDs (RFC 7622 PRECIS rules, over-long parts), and a resource that PRECIS forbids.
// Each gets its defined answer and the server keeps serving.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('hostile input', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((c) => {
      c.requireTls = true;
      c.limits.maxStanzaBytes = 16_384;
    });
    await server.addUser('alice');
  });
  after(() => server.stop());

  it('plaintext pipelined after <starttls/> is never processed (STARTTLS injection)', async () => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.openStream();
    await c.receiveNamed('stream:features');
    // one write: the STARTTLS request and an injected stream restart with a PLAIN auth attempt
    c.send(
      `<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>` +
        `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0secret').toString('base64')}</auth>`,
    );
    await c.receiveNamed('proceed');
    const raw = (c as unknown as { socket: import('node:net').Socket }).socket;
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    let answer = '';
    secure.setEncoding('utf8');
    secure.on('data', (d) => (answer += d));
    secure.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`);
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch(answer, /<success/, 'the injected <auth/> was not acted on');
    assert.match(answer, /<mechanisms/, 'a fresh, unauthenticated stream after TLS');
    secure.destroy();
  });

  /** STARTTLS, PLAIN and the restart: a stream ready for resource binding. */
  async function readyToBind(): Promise<TestClient> {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.openStream();
    await c.receiveNamed('stream:features');
    await c.startTls();
    await c.openStream();
    await c.receiveNamed('stream:features');
    c.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0secret').toString('base64')}</auth>`);
    await c.receiveNamed('success');
    await c.openStream();
    await c.receiveNamed('stream:features');
    return c;
  }

  const bind = (c: TestClient, resource: string) =>
    c.iq(`<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`, 'b');

  async function loggedIn(resource: string): Promise<TestClient> {
    const c = await readyToBind();
    assert.equal((await bind(c, resource)).attrs.type, 'result');
    return c;
  }

  it('a resource with a control character is refused with bad-request (RFC 7622 3.4)', async () => {
    const c = await readyToBind();
    // U+0085 is legal XML but a control character, which the OpaqueString profile disallows
    const res = await bind(c, 'bad&#x85;res');
    assert.equal(res.attrs.type, 'error');
    assert.ok(res.getChild('error')?.getChild('bad-request'));
    c.destroy();
  });

  const badAddresses: Array<[string, string]> = [
    ['an over-long localpart (more than 1023 bytes)', `${'a'.repeat(1100)}@localhost`],
    ['a localpart with a forbidden character', `al"ice@localhost`],
    ['an empty localpart', '@localhost'],
    ['a domain label longer than 63 characters', `bob@${'d'.repeat(70)}.example`],
    ['a resource over 1023 bytes', `bob@localhost/${'r'.repeat(1100)}`],
  ];
  for (const [rule, to] of badAddresses) {
    it(`${rule} in 'to' is answered with jid-malformed`, async () => {
      const c = await loggedIn(`r${Math.random().toString(36).slice(2, 7)}`);
      c.send(`<message to='${to}' id='bad'><body>x</body></message>`);
      const err = await c.receive((el) => el.name === 'message' && el.attrs.id === 'bad');
      assert.ok(err.getChild('error')?.getChild('jid-malformed'), err.toString());
      c.destroy();
    });
  }

  it('a huge attribute value is cut off with policy-violation before it is buffered', async () => {
    const c = await loggedIn('huge');
    c.send(`<message to='bob@localhost' id='${'x'.repeat(200_000)}'/>`);
    const err = await c.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'policy-violation');
  });

  it('a huge element name is cut off with policy-violation', async () => {
    const c = await loggedIn('name');
    c.send(`<${'n'.repeat(5000)}/>`);
    const err = await c.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'policy-violation');
  });

  it('after all that, a well-behaved client is still served', async () => {
    const c = await loggedIn('fine');
    const res = await c.iq(`<iq type='get' id='p' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'p');
    assert.equal(res.attrs.type, 'result');
    c.destroy();
  });
});
