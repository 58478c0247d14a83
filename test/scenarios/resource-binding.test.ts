// RFC 6120 section 7: resource binding, server-generated resources and conflicts; legacy sessions.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('resource binding (RFC 6120 section 7)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.addUser('alice');
  });
  after(() => server.stop());

  it('a client-chosen resource is bound as asked (7.6)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    assert.equal(await alice.login('alice', 'secret', 'laptop'), 'alice@localhost/laptop');
    alice.close();
  });

  it('an empty bind gets a server-generated resource (7.6)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    const jid = await alice.login('alice', 'secret');
    assert.match(jid, /^alice@localhost\/[0-9a-f]{12}$/);
    alice.close();
  });

  it('the username is case-mapped: ALICE logs in as alice (RFC 7622 3.3)', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    assert.equal(await alice.login('ALICE', 'secret', 'caps'), 'alice@localhost/caps');
    alice.close();
  });

  it('a second session on the same resource wins; the first gets a conflict stream error (7.7.2.2)', async () => {
    const first = await TestClient.connect(server.ports.c2s!);
    await first.login('alice', 'secret', 'phone');
    const second = await TestClient.connect(server.ports.c2s!);
    assert.equal(await second.login('alice', 'secret', 'phone'), 'alice@localhost/phone');
    const err = await first.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'conflict');
    await first.closed;
    const pong = await second.iq(`<iq type='get' id='p' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'p');
    assert.equal(pong.attrs.type, 'result');
    second.close();
  });

  it('legacy session establishment (RFC 3921) is accepted with an empty result', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'legacy');
    const res = await alice.iq(`<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`, 's1');
    assert.equal(res.attrs.type, 'result');
    alice.close();
  });

  it('a second bind on a bound stream is not allowed', async () => {
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'once');
    const res = await alice.iq(`<iq type='set' id='b2'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>`, 'b2');
    assert.equal(res.attrs.type, 'error');
    assert.ok(res.getChild('error')?.getChild('not-allowed'));
    alice.close();
  });
});
