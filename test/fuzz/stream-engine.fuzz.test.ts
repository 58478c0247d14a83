// Property-based fuzzing of the whole stream path (restricted-XML parser, stream engine, SASL
// framing, router) over real sockets: whatever bytes a client sends — valid openings mutated,
// split at random points, interleaved with junk — the server answers within a bounded time (a
// stream error or ordinary traffic), never crashes, and a bystander client keeps being served.
// FUZZ_RUNS=<n> runs longer on demand; CI runs a bounded number.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const HEADER = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>`;
const FRAGMENTS = [
  HEADER,
  `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0fuzz\0secret').toString('base64')}</auth>`,
  `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>biwsbj1mdXp6LHI9YWJj</auth>`,
  `<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9YWJj</response>`,
  `<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`,
  `<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`,
  `<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>`,
  `<presence/>`,
  `<presence type='subscribe' to='bystander@localhost'/>`,
  `<message to='bystander@localhost'><body>hi</body></message>`,
  `<iq type='get' id='x'><query xmlns='jabber:iq:roster'/></iq>`,
  `<enable xmlns='urn:xmpp:sm:3' resume='true'/>`,
  `<r xmlns='urn:xmpp:sm:3'/>`,
  `<a xmlns='urn:xmpp:sm:3' h='4294967295'/>`,
  `</stream:stream>`,
  `<!DOCTYPE x>`,
  `<!-- c -->`,
  `&amp;&lt;&#0;&#xD800;`,
  `<a b='1' b='2'/>`,
  `<x:y xmlns:x='urn:x'><z/></x:y>`,
  '\u0000\uFFFE',
  ' \n\t',
];

const input = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...FRAGMENTS).chain((f) => fc.nat(f.length).map((cut) => f.slice(0, cut))),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

function exchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.setEncoding('utf8');
    socket.on('data', (d) => (received += d));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      // split the payload into random-ish chunks, as a network would
      const cut = payload.length > 2 ? Math.floor(payload.length / 2) : payload.length;
      socket.write(payload.slice(0, cut));
      setTimeout(() => socket.write(payload.slice(cut)), 2);
      setTimeout(done, 60);
    });
  });
}

describe('fuzzing the stream path over real sockets', () => {
  let server: TestServer;
  let bystander: TestClient;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.maxUnauthenticatedPerAddress = 1000;
      c.limits.maxConnectionsPerAddress = 1000;
      c.limits.saslFailuresPerMinute = 1_000_000;
    });
    await server.addUser('fuzz');
    await server.addUser('bystander');
    bystander = await TestClient.connect(server.ports.c2s!);
    await bystander.login('bystander', 'secret', 'b');
  });
  after(async () => {
    bystander.destroy();
    await server.stop();
  });

  it('any input gets an answer, the server survives, and others keep being served', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(input, async (payload) => {
        const answer = await exchange(server.ports.c2s!, payload);
        // whatever was sent, what came back is XMPP (a header, features, errors...) or nothing yet
        if (answer.length > 0) assert.match(answer, /^<\?xml|^<stream:stream|^</);
        const id = `alive${n++}`;
        const res = await bystander.iq(`<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, id);
        assert.equal(res.attrs.type, 'result');
      }),
      { numRuns: RUNS },
    );
  });
});
