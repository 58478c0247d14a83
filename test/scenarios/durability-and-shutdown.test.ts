// RFC 6120 4.9.3.19 system-shutdown on SIGTERM; DESIGN.md section 8: what the server acknowledged
// survives kill -9 (rosters, offline messages, accounts); a port in use stops start-up clearly.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../support/test-client.js';
import { almanac, startServerProcess } from '../support/server-process.js';

describe('durability and shutdown of the server process', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'almanac-durable-'));
    for (const u of ['alice', 'bob']) assert.equal(almanac(['user', 'add', `${u}@localhost`, 'secret', '--data-dir', dataDir]).status, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an acknowledged roster change and a stored offline message survive kill -9', async () => {
    const first = await startServerProcess(dataDir);
    const alice = await TestClient.connect(first.ports.c2s!);
    await alice.login('alice', 'secret', 'a');
    const ack = await alice.iq(`<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='Bob'/></query></iq>`, 'r1');
    assert.equal(ack.attrs.type, 'result');
    alice.send(`<message to='bob@localhost' type='chat' id='m1'><body>while you were out</body></message>`);
    // the store is synchronous: once alice's next IQ is answered, the message before it is stored
    await alice.iq(`<iq type='get' to='localhost' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>`, 'sync');
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');

    const second = await startServerProcess(dataDir);
    try {
      const alice2 = await TestClient.connect(second.ports.c2s!);
      await alice2.login('alice', 'secret', 'a');
      const roster = await alice2.iq(`<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>`, 'r2');
      assert.deepEqual(roster.getChild('query')!.getChildren('item').map((i) => i.attrs.name), ['Bob']);
      const bob = await TestClient.connect(second.ports.c2s!);
      await bob.login('bob', 'secret', 'b');
      bob.send('<presence/>');
      const msg = await bob.receiveNamed('message');
      assert.equal(msg.getChildText('body'), 'while you were out');
      alice2.destroy();
      bob.destroy();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('SIGTERM sends system-shutdown to every stream and exits 0', async () => {
    const server = await startServerProcess(dataDir);
    const alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'a');
    server.child.kill('SIGTERM');
    const err = await alice.receiveNamed('stream:error');
    assert.equal(err.getChildElements()[0]?.name, 'system-shutdown');
    assert.equal(await server.exited, 0);
  });

  it('a port in use stops start-up with a message naming it and a non-zero exit', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = almanac(['serve', '--data-dir', dataDir, '--c2s-port', String(port), '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, new RegExp(`${port}`));
      assert.match(r.stderr, /in use/i);
    } finally {
      blocker.close();
    }
  });
});
