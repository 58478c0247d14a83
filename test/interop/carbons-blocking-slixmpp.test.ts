// Interop: Debian's python3-slixmpp with its own XEP-0280 (Message Carbons, sections 4, 7, 8) and
// XEP-0191 (Blocking Command, sections 3.2-3.4) plugins: two resources of alice get each other's
// received and sent copies; alice blocks bob, whose message is refused, reads the list, unblocks him.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { DEBIAN_PYTHON, ensureDebianPackages, pythonModulePresent } from '../support/debian-packages.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../test/interop/slixmpp/carbons_blocking.py', import.meta.url));

describe('interop: slixmpp XEP-0280 and XEP-0191 plugins', () => {
  let server: TestServer;
  let r: Record<string, unknown>;
  before(async () => {
    ensureDebianPackages(['python3-slixmpp'], pythonModulePresent('slixmpp.plugins.xep_0280, slixmpp.plugins.xep_0191'));
    server = await startTestServer((c) => (c.requireTls = true));
    await server.addUser('alice');
    await server.addUser('bob');
    const { stdout } = await run(DEBIAN_PYTHON, [script, String(server.ports.c2s)], { timeout: 90_000 });
    r = JSON.parse(stdout.trim().split('\n').pop()!);
  });
  after(() => server.stop());

  it('both resources enable carbons with the plugin (XEP-0280 4)', () => {
    assert.deepEqual(r.enabled, ['result', 'result']);
  });

  it('a chat message to alice/one reaches alice/two as a received carbon with the original inside (XEP-0280 7)', () => {
    assert.equal(r.one_got, 'hello one');
    assert.deepEqual(r.carbon_received, ['bob@localhost/slix', 'alice@localhost/one', 'hello one']);
  });

  it('a chat message alice/one sends reaches alice/two as a sent carbon with the original inside (XEP-0280 8)', () => {
    assert.deepEqual(r.bob_got, ['alice@localhost/one', 'bob@localhost/slix', 'hi bob']);
    assert.deepEqual(r.carbon_sent, ['alice@localhost/one', 'bob@localhost/slix', 'hi bob']);
  });

  it('a block is acknowledged and pushed to the resource that read the list (XEP-0191 3.2, 3.3)', () => {
    assert.deepEqual(r.list_before, []);
    assert.equal(r.block, 'result');
    assert.deepEqual(r.block_push, ['bob@localhost']);
  });

  it('a blocked contact gets service-unavailable, and the user not-acceptable with <blocked/> (XEP-0191 3.3)', () => {
    assert.deepEqual(r.bob_error, ['service-unavailable', 'cancel']);
    assert.deepEqual(r.alice_error, ['not-acceptable', 'cancel']);
    assert.equal(r.alice_error_blocked, true);
  });

  it('the block list read back holds the blocked contact (XEP-0191 3.2)', () => {
    assert.deepEqual(r.list_blocked, ['bob@localhost']);
  });

  it('after an unblock the list is empty and the next message gets through, the refused one never (XEP-0191 3.4)', () => {
    assert.equal(r.unblock, 'result');
    assert.deepEqual(r.unblock_push, ['bob@localhost']);
    assert.deepEqual(r.list_after, []);
    assert.equal(r.one_got_after, 'after unblock');
  });
});
