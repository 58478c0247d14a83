// RFC 7395 sections 3.2 (text messages only), 3.3 (one complete element per message, framing
// namespace on the headers), 3.4 (the header checks) and 3.5 (stream errors: <stream:error> then
// <close/>), each rule shown over a real WebSocket.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpTestServer, type HttpTestServer } from '../../support/http-test-server.js';
import { FRAMING, WsTestClient, streamErrorCondition, type Frame } from './ws-test-client.js';

const EXACT_CLOSE = '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing" />';
const MAX_STANZA = 4000;
const MAX_DEPTH = 8;

describe('WebSocket message framing (RFC 7395 sections 3.2 to 3.5)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  const connect = async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    return c;
  };
  /** Opens a stream and reads the features, leaving the client ready to misbehave. */
  const opened = async () => {
    const c = await connect();
    await c.open();
    await c.receiveNamed('stream:features');
    return c;
  };
  /** The stream error's condition, checking that the exact <close/> follows it (3.5). */
  const streamError = async (c: WsTestClient): Promise<string | undefined> => {
    const err: Frame = await c.receiveFrame((f) => f.el?.name === 'stream:error');
    await c.receiveFrame((f) => f.raw === EXACT_CLOSE);
    assert.equal(c.frames.indexOf(EXACT_CLOSE), c.frames.indexOf(err.raw) + 1, 'the close follows the error');
    return streamErrorCondition(err.el!);
  };

  before(async () => {
    server = await startHttpTestServer({
      http: (o) => {
        o.limits.maxStanzaBytes = MAX_STANZA;
        o.limits.maxDepth = MAX_DEPTH;
        o.websocket.closeTimeoutMs = 200;
      },
    });
    await server.addUser('alice');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('a binary message closes the WebSocket with code 1003 (3.2)', async () => {
    const c = await opened();
    c.ws.send(Buffer.from('<presence/>'), { binary: true });
    const { code } = await c.closed;
    assert.equal(code, 1003);
  });

  it('a text message that is not valid UTF-8 closes the WebSocket with code 1007 (3.2)', async () => {
    const c = await opened();
    c.ws.send(Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x2f, 0x3e]), { binary: false });
    const { code } = await c.closed;
    assert.equal(code, 1007);
  });

  it('two elements in one message are not-well-formed (3.3.1: exactly one element per message)', async () => {
    const c = await opened();
    c.send(`<presence xmlns='jabber:client'/><presence xmlns='jabber:client'/>`);
    assert.equal(await streamError(c), 'not-well-formed');
  });

  it('a partial element in one message is not-well-formed (3.3.1: elements are not split across messages)', async () => {
    const c = await opened();
    c.send(`<message xmlns='jabber:client' to='alice@localhost'><body>half`);
    assert.equal(await streamError(c), 'not-well-formed');
  });

  it('a comment in a message is restricted-xml (RFC 6120 11.1 applies to every message)', async () => {
    const c = await opened();
    c.send(`<presence xmlns='jabber:client'><!-- hi --></presence>`);
    assert.equal(await streamError(c), 'restricted-xml');
  });

  it('an element nested deeper than the depth limit is a policy-violation', async () => {
    const c = await opened();
    let nested = '';
    for (let i = 0; i < MAX_DEPTH + 2; i++) nested = `<x>${nested}</x>`;
    c.send(`<message xmlns='jabber:client'>${nested}</message>`);
    assert.equal(await streamError(c), 'policy-violation');
  });

  it('a message larger than the stanza limit closes the WebSocket with code 1009', async () => {
    const c = await opened();
    c.send(`<message xmlns='jabber:client'><body>${'a'.repeat(MAX_STANZA + 100)}</body></message>`);
    const { code } = await c.closed;
    assert.equal(code, 1009);
  });

  it('a whitespace-only message is ignored like a keepalive and the stream goes on', async () => {
    const c = await connect();
    c.send('  \n');
    const reply = await c.open();
    assert.equal(reply.el!.attrs.xmlns, FRAMING);
    await c.receiveNamed('stream:features');
  });

  it('an <open/> that is not in the framing namespace gets an <open/> then invalid-namespace (3.3.2)', async () => {
    const c = await connect();
    c.send(`<open xmlns='jabber:client' to='localhost' version='1.0'/>`);
    const header = await c.receiveFrame();
    assert.equal(header.el!.name, 'open');
    assert.equal(header.el!.attrs.xmlns, FRAMING);
    assert.equal(await streamError(c), 'invalid-namespace');
  });

  it('an old-style <stream:stream/> header gets invalid-namespace (the headers are <open/> and <close/>)', async () => {
    const c = await connect();
    c.send(`<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' to='localhost' version='1.0'/>`);
    assert.equal(await streamError(c), 'invalid-namespace');
  });

  it('an <open/> to a domain this server does not serve gets host-unknown', async () => {
    const c = await connect();
    c.send(`<open xmlns='${FRAMING}' to='elsewhere.example' version='1.0'/>`);
    assert.equal(await streamError(c), 'host-unknown');
  });

  it('an <open/> without version 1.0 gets unsupported-version', async () => {
    const c = await connect();
    c.send(`<open xmlns='${FRAMING}' to='localhost'/>`);
    assert.equal(await streamError(c), 'unsupported-version');
  });

  it('a stanza before any <open/> gets a header and then not-well-formed', async () => {
    const c = await connect();
    c.send(`<presence xmlns='jabber:client'/>`);
    const header = await c.receiveFrame();
    assert.equal(header.el!.name, 'open');
    assert.equal(await streamError(c), 'not-well-formed');
  });

  it('a second <open/> while the stream is open (no SASL success before it) is not-well-formed', async () => {
    const c = await opened();
    c.send(`<open xmlns='${FRAMING}' to='localhost' version='1.0'/>`);
    assert.equal(await streamError(c), 'not-well-formed');
  });

  it('after a stream error nothing else is processed: later messages get no answer', async () => {
    const c = await opened();
    c.send(`<a><b></a>`);
    assert.equal(await streamError(c), 'not-well-formed');
    c.send(`<iq xmlns='jabber:client' type='get' id='late' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    const { code } = await c.closed;
    assert.equal(code, 1000);
    assert.deepEqual(c.pending(), []);
  });

  it('the stream error is one message with xmlns:stream declared, the close another (3.5)', async () => {
    const c = await opened();
    c.send('<<');
    const err = await c.receiveFrame((f) => f.el?.name === 'stream:error');
    assert.equal(err.el!.attrs['xmlns:stream'], 'http://etherx.jabber.org/streams');
    assert.equal(err.el!.getChildElements()[0]!.attrs.xmlns, 'urn:ietf:params:xml:ns:xmpp-streams');
    await c.receiveFrame((f) => f.raw === EXACT_CLOSE);
    assert.equal(c.frames.at(-1), EXACT_CLOSE);
    assert.equal(c.frames.at(-2), err.raw);
  });
});

describe('WebSocket input rate limits (DESIGN.md section 8)', () => {
  let server: HttpTestServer;
  const clients: WsTestClient[] = [];
  before(async () => {
    server = await startHttpTestServer({
      http: (o) => {
        o.limits.stanzasPerSecond = 5;
        o.limits.bytesPerSecond = 20_000;
      },
    });
    await server.addUser('alice');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it('more stanzas per second than allowed is a policy-violation', async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    await c.login('alice', 'secret', 'fast');
    for (let i = 0; i < 40; i++) c.send(`<presence xmlns='jabber:client' to='localhost' type='probe'/>`);
    const err = await c.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'policy-violation');
  });

  it('more bytes per second than allowed is a policy-violation, ignored whitespace messages included', async () => {
    const c = await WsTestClient.connect(server.wsUrl);
    clients.push(c);
    await c.open();
    await c.receiveNamed('stream:features');
    for (let i = 0; i < 10; i++) c.send(' '.repeat(9000));
    const err = await c.receiveNamed('stream:error');
    assert.equal(streamErrorCondition(err), 'policy-violation');
  });
});
