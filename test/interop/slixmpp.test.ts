// Interop: Debian's python3-slixmpp (STARTTLS, SCRAM) logs in, manages the roster, subscribes to
// presence and exchanges messages through almanac.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { DEBIAN_PYTHON, ensureDebianPackages, pythonModulePresent } from '../support/debian-packages.js';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(`../../../test/interop/slixmpp/${name}`, import.meta.url));

describe('interop: slixmpp (Debian python3-slixmpp)', () => {
  let server: TestServer;
  before(async () => {
    ensureDebianPackages(['python3-slixmpp'], pythonModulePresent('slixmpp'));
    server = await startTestServer((c) => (c.requireTls = true));
    await server.addUser('alice');
    await server.addUser('bob');
  });
  after(() => server.stop());

  it('logs in over STARTTLS, manages the roster, subscribes to presence and exchanges messages', async () => {
    const { stdout } = await run(DEBIAN_PYTHON, [script('roster_presence_messages.py'), String(server.ports.c2s)], { timeout: 90_000 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.deepEqual(r.bound, ['alice@localhost/slix', 'bob@localhost/slix']);
    assert.deepEqual(r.roster, ['bob@localhost']);
    assert.deepEqual(r.groups, ['Friends']);
    assert.equal(r.subscribed_by, 'bob@localhost');
    assert.equal(r.saw_bob, 'bob@localhost/slix');
    assert.equal(r.subscription, 'to');
    assert.equal(r.reply, 'pong: ping');
    const session = server.host.sessions.get('alice@localhost/slix');
    assert.ok(session === undefined || session.secure);
  });
});
