// DESIGN.md sections 7-8 through the real CLI: once a pubsub request is answered, its effect is durable.
// Publish (IQ result received), configure, subscribe and affiliate, then kill -9 and restart: the node,
// its configuration, items, subscriptions and affiliations are all there, PEP nodes included.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../support/test-client.js';
import { almanac, startServerProcess } from '../support/server-process.js';
import { entry, formValues, NODE_CONFIG, PubsubClient, submitForm } from '../modules/pubsub/scenario-kit.js';

async function login(port: number, user: string): Promise<PubsubClient> {
  const c = await TestClient.connect(port);
  await c.login(user, 'secret', 'r');
  await c.online();
  return new PubsubClient(c);
}

describe('pubsub durability across kill -9', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'almanac-pubsub-durable-'));
    for (const u of ['hamlet', 'horatio']) assert.equal(almanac(['user', 'add', `${u}@localhost`, 'secret', '--data-dir', dataDir]).status, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('node, configuration, items, subscriptions and affiliations acknowledged before kill -9 survive a restart', async () => {
    const first = await startServerProcess(dataDir);
    let subid: string;
    try {
      const hamlet = await login(first.ports.c2s!, 'hamlet');
      const horatio = await login(first.ports.c2s!, 'horatio');
      await hamlet.ok(hamlet.pubsub('set', `<create node='chronicle'/><configure>${submitForm(NODE_CONFIG, { 'pubsub#title': 'Chronicle', 'pubsub#max_items': '7', 'pubsub#access_model': 'whitelist' })}</configure>`));
      await hamlet.ok(hamlet.owner('set', `<affiliations node='chronicle'><affiliation jid='horatio@localhost' affiliation='member'/></affiliations>`));
      const sub = await horatio.ok(horatio.pubsub('set', `<subscribe node='chronicle' jid='horatio@localhost'/>`));
      subid = sub.getChild('pubsub')!.getChild('subscription')!.attrs.subid!;
      for (const id of ['one', 'two']) await hamlet.ok(hamlet.pubsub('set', `<publish node='chronicle'><item id='${id}'>${entry(id)}</item></publish>`));
      await hamlet.ok(hamlet.pubsub('set', `<publish node='urn:example:mood'><item id='current'>${entry('melancholy')}</item></publish>`, null));
      // the last IQ result is the proof: nothing else is awaited before the kill
    } finally {
      first.child.kill('SIGKILL');
      assert.equal(await first.exited, 'SIGKILL');
    }

    const second = await startServerProcess(dataDir);
    try {
      const hamlet = await login(second.ports.c2s!, 'hamlet');
      const config = formValues((await hamlet.ok(hamlet.owner('get', `<configure node='chronicle'/>`))).getChild('pubsub')!.getChild('configure')!.getChild('x'));
      assert.deepEqual([config['pubsub#title'], config['pubsub#max_items'], config['pubsub#access_model']], [['Chronicle'], ['7'], ['whitelist']]);
      const items = await hamlet.ok(hamlet.pubsub('get', `<items node='chronicle'/>`));
      assert.deepEqual(items.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id), ['two', 'one']);
      const affs = await hamlet.ok(hamlet.owner('get', `<affiliations node='chronicle'/>`));
      assert.deepEqual(
        affs.getChild('pubsub')!.getChild('affiliations')!.getChildren('affiliation').map((a) => [a.attrs.jid, a.attrs.affiliation]).sort(),
        [['hamlet@localhost', 'owner'], ['horatio@localhost', 'member']],
      );
      const subs = await hamlet.ok(hamlet.owner('get', `<subscriptions node='chronicle'/>`));
      assert.deepEqual(
        subs.getChild('pubsub')!.getChild('subscriptions')!.getChildren('subscription').map((x) => [x.attrs.jid, x.attrs.subid, x.attrs.subscription]),
        [['horatio@localhost', subid!, 'subscribed']],
      );
      const mood = await hamlet.ok(hamlet.pubsub('get', `<items node='urn:example:mood'/>`, null));
      assert.deepEqual(mood.getChild('pubsub')!.getChild('items')!.getChildren('item').map((i) => i.attrs.id), ['current']);
      // and the subscription still delivers after the restart
      const horatio = await login(second.ports.c2s!, 'horatio');
      await horatio.event('chronicle');
      await hamlet.ok(hamlet.pubsub('set', `<publish node='chronicle'><item id='three'>${entry('three')}</item></publish>`));
      assert.equal((await horatio.event('chronicle')).getChild('event')!.getChild('items')!.getChild('item')!.attrs.id, 'three');
      hamlet.destroy();
      horatio.destroy();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
