// XEP-0198 section 5 across a cluster: alice's connection to one process breaks, she reconnects to
// another and resumes there. The stanzas she never acknowledged are resent, those sent while she was away
// arrive, her presence never went offline for her contacts, and the session lives on the new process.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useCluster, eventually } from './cluster-kit.js';
import { TestClient } from '../support/test-client.js';
import type { RunningServer } from '../../src/server.js';

const SM = 'urn:xmpp:sm:3';

/** A stream authenticated as `user` on `server`, not yet bound: ready to send <resume/>. */
async function authenticated(server: RunningServer, user: string): Promise<TestClient> {
  const c = await TestClient.connect(server.ports.c2s!);
  await c.authenticate(user, 'secret');
  return c;
}

describe('stream management resumption on another process (XEP-0198 5)', () => {
  const cluster = useCluster(3, ['alice', 'bob', 'carol']);

  it('alice resumes on another process: unacknowledged and waiting stanzas arrive, presence was never lost', async () => {
    const [s0, , s2] = cluster.servers;
    const bob = await cluster.login(1, 'bob');
    const alice = await cluster.login(0, 'alice', 'phone');
    await cluster.befriend(alice, bob);
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    assert.ok(id);

    bob.send(`<message to='${alice.jid}' type='chat' id='seen'><body>before</body></message>`);
    await alice.receiveNamed('message', (el) => el.attrs.id === 'seen');
    // alice never acknowledges it: the network drops first.
    alice.destroy();
    await alice.closed;
    bob.send(`<message to='${alice.jid}' type='chat' id='away'><body>while away</body></message>`);
    await eventually(() => s0!.host.sessions.getLocal(alice.jid) !== undefined, 'the detached session on its process');

    const again = await authenticated(s2!, 'alice');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    const resumed = await again.receiveNamed('resumed');
    assert.equal(resumed.attrs.previd, id);
    const resent = await again.receiveNamed('message', (el) => el.attrs.id === 'seen');
    assert.equal(resent.getChildText('body'), 'before', 'the unacknowledged message is sent again');
    await again.receiveNamed('message', (el) => el.attrs.id === 'away');

    assert.equal(s0!.host.sessions.getLocal(alice.jid), undefined, 'the old process let go of the session');
    assert.ok(s2!.host.sessions.getLocal(alice.jid)?.available, 'the new process holds it, still available');
    // Every process learns where the session is now.
    const streamId = s2!.host.sessions.getLocal(alice.jid)!.streamId;
    await eventually(() => cluster.servers.every((s) => s.host.sessions.get(alice.jid)?.streamId === streamId), 'the resumed session in every view');

    bob.send(`<message to='${alice.jid}' type='chat' id='after'><body>after</body></message>`);
    await again.receiveNamed('message', (el) => el.attrs.id === 'after');
    assert.equal(
      await bob.nothing((el) => el.name === 'presence' && el.attrs.type === 'unavailable'),
      undefined,
      'bob never saw alice go offline',
    );

    // The session ends for good later, on its new process: now bob hears of it, once.
    again.send('</stream:stream>');
    const gone = await bob.receive((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === alice.jid);
    assert.ok(gone);
    assert.equal(await bob.nothing((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === alice.jid), undefined);
    await eventually(() => cluster.servers.every((s) => s.host.sessions.get(alice.jid) === undefined), 'the session gone everywhere');
    bob.destroy();
  });

  it('a resume while the old connection still looks alive moves the session and closes the old stream', async () => {
    const [, s1, s2] = cluster.servers;
    const carol = await cluster.login(1, 'carol', 'laptop');
    carol.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await carol.receiveNamed('enabled')).attrs;
    carol.send(`<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await carol.receiveNamed('iq', (el) => el.attrs.id === 'p1');

    const again = await authenticated(s2!, 'carol');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='1'/>`);
    const resumed = await again.receiveNamed('resumed');
    // The ping, the one stanza handled since <enable/> (section 4 counts from there), on the old process.
    assert.equal(resumed.attrs.h, '1', 'the count of handled stanzas travels with the session');
    await carol.closed;
    const pong = await again.iq(`<iq type='get' id='p2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`, 'p2');
    assert.equal(pong.attrs.type, 'result');
    assert.equal(s1!.host.sessions.getLocal(carol.jid), undefined);
    again.destroy();
  });

  it('the session keeps what it asked of modules: carbons stay enabled after resuming on another process (XEP-0280)', async () => {
    const [s0, s1, s2] = cluster.servers;
    const phone = await cluster.login(0, 'carol', 'phone');
    const desk = await cluster.login(1, 'carol', 'desk');
    const bob = await cluster.login(1, 'bob', 'carbons');
    const enabled = await phone.iq(`<iq type='set' id='cc'><enable xmlns='urn:xmpp:carbons:2'/></iq>`, 'cc');
    assert.equal(enabled.attrs.type, 'result');
    phone.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await phone.receiveNamed('enabled')).attrs;
    phone.destroy();
    await phone.closed;
    await eventually(() => s0!.host.sessions.getLocal(phone.jid) !== undefined, 'the detached session');

    const again = await authenticated(s2!, 'carol');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    await again.receiveNamed('resumed');
    await eventually(() => s1!.host.sessions.get(phone.jid)?.streamId === s2!.host.sessions.getLocal(phone.jid)?.streamId, 'the resumed session seen by the desk\'s process');

    bob.send(`<message to='${desk.jid}' type='chat' id='cc1'><body>to the desk</body></message>`);
    await desk.receiveNamed('message', (el) => el.attrs.id === 'cc1');
    const copy = await again.receiveNamed('message', (el) => el.getChild('received', 'urn:xmpp:carbons:2') !== undefined);
    assert.equal(copy.attrs.to, phone.jid);
    again.destroy();
    desk.destroy();
    bob.destroy();
  });

  it('an id no process holds is answered item-not-found, and the client can bind afresh', async () => {
    const [s0, s1] = cluster.servers;
    const bob = await cluster.login(0, 'bob', 'desk');
    bob.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await bob.receiveNamed('enabled')).attrs;
    bob.send('</stream:stream>'); // a clean close ends the session: nothing to resume
    await bob.closed;
    await eventually(() => s0!.host.sessions.getLocal(bob.jid) === undefined, 'the session to end');

    const again = await authenticated(s1!, 'bob');
    again.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    const failed = await again.receiveNamed('failed');
    assert.ok(failed.getChild('item-not-found', 'urn:ietf:params:xml:ns:xmpp-stanzas'));
    const bound = await again.iq(`<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>desk</resource></bind></iq>`, 'b');
    assert.equal(bound.attrs.type, 'result');
    again.destroy();
  });

  it('another user cannot resume a session by its id', async () => {
    const [, s1, s2] = cluster.servers;
    const alice = await cluster.login(1, 'alice', 'tablet');
    alice.send(`<enable xmlns='${SM}' resume='true'/>`);
    const { id } = (await alice.receiveNamed('enabled')).attrs;
    const mallory = await authenticated(s2!, 'carol');
    mallory.send(`<resume xmlns='${SM}' previd='${id}' h='0'/>`);
    const failed = await mallory.receiveNamed('failed');
    assert.ok(failed.getChild('item-not-found', 'urn:ietf:params:xml:ns:xmpp-stanzas'));
    assert.ok(s1!.host.sessions.getLocal(alice.jid), 'alice keeps her session where it was');
    mallory.destroy();
    alice.destroy();
  });
});
