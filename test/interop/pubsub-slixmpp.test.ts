// Interop: Debian's python3-slixmpp with its XEP-0060 plugin drives pubsub.localhost through a node's
// whole life: discover, create with a form, configure, subscribe, publish, receive, retrieve (items and
// disco item ids), retract with notify, delete.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { DEBIAN_PYTHON, ensureDebianPackages, pythonModulePresent } from '../support/debian-packages.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../test/interop/slixmpp/pubsub_node_lifecycle.py', import.meta.url));

describe('interop: slixmpp XEP-0060 plugin', () => {
  let server: TestServer;
  before(async () => {
    ensureDebianPackages(['python3-slixmpp'], pythonModulePresent('slixmpp'));
    server = await startTestServer((c) => (c.requireTls = true));
    await server.addUser('alice');
    await server.addUser('bob');
  });
  after(() => server.stop());

  it('creates, configures, subscribes, publishes, receives, retrieves, retracts and deletes', async () => {
    const { stdout } = await run(DEBIAN_PYTHON, [script, String(server.ports.c2s)], { timeout: 90_000 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.deepEqual(r.identities, [['pubsub', 'service']]);
    assert.equal(r.has_publish_feature, true);
    assert.equal(r.created, 'interop');
    assert.equal(r.title, 'Interop node');
    assert.equal(r.max_items, '10');
    assert.equal(r.renamed, 'Renamed');
    assert.equal(r.subscription, 'subscribed');
    assert.equal(r.published_id, 'item-1');
    assert.deepEqual(r.received, ['item-1', 'Hello from slixmpp', 'pubsub.localhost']);
    assert.deepEqual(r.items, ['item-1']);
    assert.deepEqual(r.item_ids, ['item-1']);
    assert.equal(r.retracted, 'item-1');
    assert.equal(r.deleted, 'interop');
  });
});
