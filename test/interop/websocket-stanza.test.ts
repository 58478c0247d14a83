// Interop, RFC 7395: StanzaJS over WebSocket logs in, exchanges messages with a TCP client through
// almanac and disconnects cleanly.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, type Agent } from 'stanza';
import { startHttpTestServer, type HttpTestServer } from '../support/http-test-server.js';
import { TestClient } from '../support/test-client.js';
import { waitFor } from '../support/stanza-events.js';

describe('interop: StanzaJS over WebSocket (RFC 7395)', () => {
  let server: HttpTestServer;
  let dave: Agent | undefined;
  let bob: TestClient;
  before(async () => {
    server = await startHttpTestServer();
    for (const u of ['bob', 'dave']) await server.addUser(u);
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
    await bob.online();
  });
  after(async () => {
    dave?.disconnect();
    bob?.destroy();
    await server.stop();
  });

  it('StanzaJS logs in over WebSocket and its session starts', async () => {
    dave = createClient({
      jid: 'dave@localhost',
      password: 'secret',
      resource: 'stanza',
      transports: { websocket: server.wsUrl, bosh: false },
    });
    const started = waitFor(dave, 'session:started');
    dave.connect();
    await started;
    assert.equal(dave.jid, 'dave@localhost/stanza');
    assert.equal(server.host.sessions.get('dave@localhost/stanza')?.transport, 'websocket');
  });

  it('StanzaJS sends a message to a TCP client', async () => {
    dave!.sendMessage({ to: 'bob@localhost/tcp', type: 'chat', body: 'hello from stanza' });
    const msg = await bob.receiveNamed('message');
    assert.equal(msg.attrs.from, 'dave@localhost/stanza');
    assert.equal(msg.getChildText('body'), 'hello from stanza');
  });

  it('StanzaJS receives a message from a TCP client', async () => {
    const arrived = waitFor<{ from: string; body?: string }>(dave!, 'message', (m) => m.body === 'hello stanza');
    bob.send(`<message to='dave@localhost/stanza' type='chat'><body>hello stanza</body></message>`);
    const msg = await arrived;
    assert.equal(msg.from, 'bob@localhost/tcp');
  });

  it('StanzaJS disconnect() ends the session on the server', async () => {
    const ended = waitFor(dave!, 'disconnected');
    dave!.disconnect();
    await ended;
    dave = undefined;
    const deadline = Date.now() + 5000;
    while (server.host.sessions.get('dave@localhost/stanza') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(server.host.sessions.get('dave@localhost/stanza'), undefined);
  });
});
