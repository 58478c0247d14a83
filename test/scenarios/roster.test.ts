// RFC 6121 section 2: roster get, set, remove, pushes to interested resources, and versioning.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const ROSTER = 'jabber:iq:roster';

describe('roster management (RFC 6121 section 2)', () => {
  let server: TestServer;
  let phone: TestClient;
  let laptop: TestClient;
  before(async () => {
    server = await startTestServer();
    await server.addUser('alice');
    phone = await TestClient.connect(server.ports.c2s!);
    await phone.login('alice', 'secret', 'phone');
    laptop = await TestClient.connect(server.ports.c2s!);
    await laptop.login('alice', 'secret', 'laptop');
  });
  after(async () => {
    phone.destroy();
    laptop.destroy();
    await server.stop();
  });

  it('an empty roster is returned with a version (2.2, 2.6)', async () => {
    for (const c of [phone, laptop]) {
      const res = await c.iq(`<iq type='get' id='r0'><query xmlns='${ROSTER}'/></iq>`, 'r0');
      assert.equal(res.attrs.type, 'result');
      assert.equal(res.getChild('query')!.attrs.ver, '0');
    }
  });

  it('alice adds bob; every interested resource receives the push (2.3.2, 2.1.6)', async () => {
    const res = await phone.iq(
      `<iq type='set' id='s1'><query xmlns='${ROSTER}'><item jid='bob@localhost' name='Bob'><group>Friends</group></item></query></iq>`,
      's1',
    );
    assert.equal(res.attrs.type, 'result');
    for (const c of [phone, laptop]) {
      const push = await c.receive((el) => el.name === 'iq' && el.attrs.type === 'set');
      const item = push.getChild('query', ROSTER)!.getChild('item')!;
      assert.equal(item.attrs.jid, 'bob@localhost');
      assert.equal(item.attrs.subscription, 'none');
      assert.equal(item.getChildText('group'), 'Friends');
      assert.equal(push.getChild('query')!.attrs.ver, '1');
    }
  });

  it('a roster get with the current version returns an empty result (2.6.3)', async () => {
    const res = await phone.iq(`<iq type='get' id='r1'><query xmlns='${ROSTER}' ver='1'/></iq>`, 'r1');
    assert.equal(res.attrs.type, 'result');
    assert.equal(res.getChild('query'), undefined);
  });

  it('a roster get with an old version returns the whole roster (2.6.3)', async () => {
    const res = await phone.iq(`<iq type='get' id='r2'><query xmlns='${ROSTER}' ver='0'/></iq>`, 'r2');
    const items = res.getChild('query')!.getChildren('item');
    assert.deepEqual(items.map((i) => i.attrs.name), ['Bob']);
  });

  it('a set with two items is a bad request (2.3.3)', async () => {
    const res = await phone.iq(
      `<iq type='set' id='s2'><query xmlns='${ROSTER}'><item jid='x@localhost'/><item jid='y@localhost'/></query></iq>`,
      's2',
    );
    assert.ok(res.getChild('error')?.getChild('bad-request'));
  });

  it('an empty group name is not acceptable (2.3.3)', async () => {
    const res = await phone.iq(
      `<iq type='set' id='s3'><query xmlns='${ROSTER}'><item jid='x@localhost'><group></group></item></query></iq>`,
      's3',
    );
    assert.ok(res.getChild('error')?.getChild('not-acceptable'));
  });

  it('reading another user\'s roster is forbidden (2.1.5)', async () => {
    await server.addUser('mallory');
    const mallory = await TestClient.connect(server.ports.c2s!);
    await mallory.login('mallory', 'secret', 'm');
    const res = await mallory.iq(`<iq type='get' to='alice@localhost' id='x'><query xmlns='${ROSTER}'/></iq>`, 'x');
    assert.ok(res.getChild('error')?.getChild('forbidden'));
    mallory.destroy();
  });

  it('removing an item pushes subscription="remove" (2.5)', async () => {
    const res = await laptop.iq(
      `<iq type='set' id='s4'><query xmlns='${ROSTER}'><item jid='bob@localhost' subscription='remove'/></query></iq>`,
      's4',
    );
    assert.equal(res.attrs.type, 'result');
    const push = await phone.receive((el) => el.name === 'iq' && el.attrs.type === 'set');
    assert.equal(push.getChild('query')!.getChild('item')!.attrs.subscription, 'remove');
  });

  it('removing an item that is not there is item-not-found (2.5.3)', async () => {
    const res = await laptop.iq(
      `<iq type='set' id='s5'><query xmlns='${ROSTER}'><item jid='ghost@localhost' subscription='remove'/></query></iq>`,
      's5',
    );
    assert.ok(res.getChild('error')?.getChild('item-not-found'));
  });
});
