// RFC 6121 sections 3 and 4: subscription requests and approvals, pre-approval, cancellation,
// unsubscribe, presence broadcast, probes on login, unavailable on disconnect, directed presence.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

const ROSTER = 'jabber:iq:roster';

describe('presence subscriptions and broadcast (RFC 6121 sections 3-4)', () => {
  let server: TestServer;
  const open: TestClient[] = [];
  const login = async (user: string, resource = 'r') => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login(user, 'secret', resource);
    await c.iq(`<iq type='get' id='roster'><query xmlns='${ROSTER}'/></iq>`, 'roster');
    await c.online();
    open.push(c);
    return c;
  };
  const pushFor = (c: TestClient, jid: string) =>
    c.receive((el) => el.name === 'iq' && el.attrs.type === 'set' && el.getChild('query')?.getChild('item')?.attrs.jid === jid);

  before(async () => {
    server = await startTestServer();
    for (const u of ['juliet', 'romeo', 'nurse', 'tybalt', 'paris']) await server.addUser(u);
  });
  after(async () => {
    for (const c of open) c.destroy();
    await server.stop();
  });

  it('romeo subscribes to juliet, juliet approves, both rosters and presences follow (3.1)', async () => {
    const juliet = await login('juliet');
    const romeo = await login('romeo');
    romeo.send(`<presence to='juliet@localhost' type='subscribe'/>`);
    // romeo's roster gets the item with ask='subscribe' (3.1.2)
    const ask = await pushFor(romeo, 'juliet@localhost');
    assert.equal(ask.getChild('query')!.getChild('item')!.attrs.ask, 'subscribe');
    // juliet receives the request from romeo's bare JID (3.1.3)
    const request = await juliet.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
    assert.equal(request.attrs.from, 'romeo@localhost');
    juliet.send(`<presence to='romeo@localhost' type='subscribed'/>`);
    // juliet's roster: subscription from (3.1.5)
    const jp = await pushFor(juliet, 'romeo@localhost');
    assert.equal(jp.getChild('query')!.getChild('item')!.attrs.subscription, 'from');
    // romeo's roster: subscription to, ask cleared (3.1.6)
    const rp = await pushFor(romeo, 'juliet@localhost');
    const item = rp.getChild('query')!.getChild('item')!;
    assert.equal(item.attrs.subscription, 'to');
    assert.equal(item.attrs.ask, undefined);
    // romeo receives subscribed and then juliet's current presence
    const subscribed = await romeo.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribed');
    assert.equal(subscribed.attrs.from, 'juliet@localhost');
    const presence = await romeo.receive((el) => el.name === 'presence' && el.attrs.from === 'juliet@localhost/r' && !el.attrs.type);
    assert.ok(presence);
  });

  it('a presence update from juliet reaches romeo, who is subscribed (4.4.2)', async () => {
    const [juliet, romeo] = open;
    juliet!.send(`<presence><show>away</show></presence>`);
    const p = await romeo!.receive((el) => el.name === 'presence' && el.getChildText('show') === 'away');
    assert.equal(p.attrs.from, 'juliet@localhost/r');
  });

  it('juliet does not receive romeo\'s presence: she has no subscription to him (4.4.2)', async () => {
    const [juliet, romeo] = open;
    romeo!.send(`<presence><status>here</status></presence>`);
    assert.equal(await juliet!.nothing((el) => el.name === 'presence' && el.getChildText('status') === 'here'), undefined);
  });

  it('a contact who logs in later gets the presence of the contacts he is subscribed to (probes, 4.3)', async () => {
    const romeo2 = await TestClient.connect(server.ports.c2s!);
    await romeo2.login('romeo', 'secret', 'second');
    romeo2.send('<presence/>');
    const p = await romeo2.receive((el) => el.name === 'presence' && el.attrs.from === 'juliet@localhost/r');
    assert.equal(p.getChildText('show'), 'away');
    open.push(romeo2);
  });

  it('when juliet disconnects, romeo receives unavailable presence (4.5.1)', async () => {
    const nurse = await login('nurse');
    const paris = await login('paris');
    paris.send(`<presence to='nurse@localhost' type='subscribe'/>`);
    await nurse.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
    nurse.send(`<presence to='paris@localhost' type='subscribed'/>`);
    await paris.receive((el) => el.name === 'presence' && el.attrs.from === 'nurse@localhost/r' && !el.attrs.type);
    nurse.destroy();
    const gone = await paris.receive((el) => el.name === 'presence' && el.attrs.type === 'unavailable');
    assert.equal(gone.attrs.from, 'nurse@localhost/r');
  });

  it('a request to an offline account is delivered when it next comes online (3.1.3)', async () => {
    const tybalt = await login('tybalt');
    tybalt.send(`<presence to='juliet@localhost' type='subscribe'/>`);
    await pushFor(tybalt, 'juliet@localhost');
    const juliet = await login('juliet', 'later');
    const req = await juliet.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === 'tybalt@localhost');
    assert.ok(req);
  });

  it('juliet denies tybalt: he receives unsubscribed and his ask is cleared (3.2)', async () => {
    const tybalt = open.find((c) => c.jid === 'tybalt@localhost/r')!;
    const juliet = open.find((c) => c.jid === 'juliet@localhost/later')!;
    juliet.send(`<presence to='tybalt@localhost' type='unsubscribed'/>`);
    const denied = await tybalt.receive((el) => el.name === 'presence' && el.attrs.type === 'unsubscribed');
    assert.equal(denied.attrs.from, 'juliet@localhost');
    const push = await pushFor(tybalt, 'juliet@localhost');
    assert.equal(push.getChild('query')!.getChild('item')!.attrs.ask, undefined);
  });

  it('a pre-approved subscription is approved by the server at once (3.4)', async () => {
    const paris = open.find((c) => c.jid === 'paris@localhost/r')!;
    const tybalt = open.find((c) => c.jid === 'tybalt@localhost/r')!;
    paris.send(`<presence to='tybalt@localhost' type='subscribed'/>`);
    const pre = await pushFor(paris, 'tybalt@localhost');
    assert.equal(pre.getChild('query')!.getChild('item')!.attrs.approved, 'true');
    tybalt.send(`<presence to='paris@localhost' type='subscribe'/>`);
    const ok = await tybalt.receive((el) => el.name === 'presence' && el.attrs.type === 'subscribed' && el.attrs.from === 'paris@localhost');
    assert.ok(ok);
    const item = (await pushFor(paris, 'tybalt@localhost')).getChild('query')!.getChild('item')!;
    assert.equal(item.attrs.subscription, 'from');
  });

  it('romeo unsubscribes: juliet\'s item drops to none and romeo sees her go unavailable (3.3)', async () => {
    const romeo = open.find((c) => c.jid === 'romeo@localhost/r')!;
    const juliet = open.find((c) => c.jid === 'juliet@localhost/r')!;
    romeo.send(`<presence to='juliet@localhost' type='unsubscribe'/>`);
    const rp = await pushFor(romeo, 'juliet@localhost');
    assert.equal(rp.getChild('query')!.getChild('item')!.attrs.subscription, 'none');
    const jp = await pushFor(juliet, 'romeo@localhost');
    assert.equal(jp.getChild('query')!.getChild('item')!.attrs.subscription, 'none');
    const unavailable = await romeo.receive((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === 'juliet@localhost/r');
    assert.ok(unavailable);
  });

  it('directed presence reaches a non-contact, and unavailable follows on disconnect (4.6)', async () => {
    const paris = open.find((c) => c.jid === 'paris@localhost/r')!;
    const romeo = await TestClient.connect(server.ports.c2s!);
    await romeo.login('romeo', 'secret', 'directed');
    await romeo.online();
    romeo.send(`<presence to='paris@localhost/r'><status>psst</status></presence>`);
    const p = await paris.receive((el) => el.name === 'presence' && el.getChildText('status') === 'psst');
    assert.equal(p.attrs.from, 'romeo@localhost/directed');
    romeo.destroy();
    const gone = await paris.receive((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === 'romeo@localhost/directed');
    assert.ok(gone);
  });
});
