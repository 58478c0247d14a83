// XEP-0124 sections 8 (holding requests, answering with data or after 'wait'), 14.2 (payloads forwarded in
// rid order, the rid window) and 14.3 (a repeated rid gets the identical cached answer; a pending one is
// answered with a recoverable error; one no longer cached is item-not-found), over real HTTP, with a TCP
// client on the other side of the router.

import { after, before, beforeEach, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { TestClient } from '../../support/test-client.js';
import { BoshTestSession, payloadOf } from '../../support/bosh-http-client.js';

describe('BOSH over HTTP: holding, rid order and the response cache', () => {
  let server: TestServer;
  let url: string;
  let bob: TestClient;
  let alice: BoshTestSession;
  let aliceJid: string;
  before(async () => {
    server = await startTestServer((c) => (c.limits.boshSessionsPerAddress = 1000));
    for (const u of ['alice', 'bob']) await server.addUser(u);
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
    bob = await TestClient.connect(server.ports.c2s!);
    await bob.login('bob', 'secret', 'tcp');
  });
  after(async () => {
    bob.destroy();
    await server.stop();
  });
  beforeEach(async () => {
    alice = await BoshTestSession.create(url, { wait: 1 });
    aliceJid = await alice.login('alice', 'secret', `r${alice.rid}`);
  });
  afterEach(async () => {
    await alice.send('', { type: 'terminate' });
  });

  const chat = (to: string, text: string) => `<message to='${to}' type='chat'><body>${text}</body></message>`;

  it('an empty request is held until wait runs out, then answered with an empty <body/>', async () => {
    const answer = await alice.send();
    assert.equal(answer.status, 200);
    assert.equal(payloadOf(answer).length, 0);
    assert.equal(answer.body?.attrs.type, undefined);
  });

  it("a held request is answered as soon as a stanza arrives, and the stanza carries xmlns='jabber:client'", async () => {
    const poll = alice.send();
    await new Promise((r) => setTimeout(r, 100));
    bob.send(chat(aliceJid, 'ping over tcp'));
    const answer = await poll;
    const [message] = payloadOf(answer);
    assert.equal(message?.name, 'message');
    assert.equal(message?.attrs.xmlns, 'jabber:client');
    assert.match(answer.text, /<message [^>]*xmlns='jabber:client'/);
    assert.equal(message?.getChildText('body'), 'ping over tcp');
  });

  it('a new request makes the server answer the one it holds (hold=1)', async () => {
    const held = alice.send();
    await new Promise((r) => setTimeout(r, 100));
    const second = alice.send(`<presence/>`);
    const first = await held;
    assert.equal(first.status, 200);
    assert.equal(first.body?.attrs.type, undefined);
    await second;
  });

  it('payloads of requests that arrive out of order are forwarded in rid order', async () => {
    const base = alice.rid;
    const later = alice.sendRid(base + 2, chat('bob@localhost/tcp', 'second'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await bob.nothing((el) => el.name === 'message', 200), undefined, 'rid+2 waits for rid+1');
    const earlier = alice.sendRid(base + 1, chat('bob@localhost/tcp', 'first'));
    const one = await bob.receiveNamed('message');
    const two = await bob.receiveNamed('message');
    assert.equal(one.getChildText('body'), 'first');
    assert.equal(two.getChildText('body'), 'second');
    alice.rid = base + 2;
    await Promise.all([earlier, later]);
  });

  it('several stanzas in one <body/> are forwarded in document order', async () => {
    await alice.send(['one', 'two', 'three'].map((t) => chat('bob@localhost/tcp', t)).join(''));
    for (const t of ['one', 'two', 'three']) assert.equal((await bob.receiveNamed('message')).getChildText('body'), t);
  });

  it('a rid beyond the window (last + requests) ends the session with item-not-found', async () => {
    const answer = await alice.sendRid(alice.rid + 3);
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'item-not-found');
  });

  it('a repeated rid gets the identical cached response, and its payload is not forwarded twice', async () => {
    const body = chat(aliceJid, 'to myself');
    const first = await alice.send(body);
    assert.match(first.text, /to myself/);
    const again = await alice.sendRid(alice.rid, body);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    const next = await alice.send('', { pause: 5 });
    assert.doesNotMatch(next.text, /to myself/);
  });

  it('a repeated rid whose answer left the cache gets item-not-found', async () => {
    const ping = (id: string) => `<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`;
    const old = alice.rid + 1;
    // Each ping is answered at once; the cache keeps the last 'requests' (2) answers.
    for (let i = 0; i < 4; i++) assert.match((await alice.send(ping(`p${i}`))).text, new RegExp(`id='p${i}'`));
    const answer = await alice.sendRid(old, ping('p0'));
    assert.equal(answer.body?.attrs.condition, 'item-not-found');
  });

  it('a request resent while the first copy is still held: the older copy gets a recoverable type=error', async () => {
    const rid = alice.rid + 1;
    const original = alice.sendRid(rid);
    await new Promise((r) => setTimeout(r, 100));
    const resent = alice.sendRid(rid);
    const older = await original;
    assert.equal(older.body?.attrs.type, 'error');
    alice.rid = rid;
    bob.send(chat(aliceJid, 'for the resend'));
    assert.match((await resent).text, /for the resend/);
  });

  it('a held request whose client hangs up is settled: its resend gets the cached empty answer and nothing is lost', async () => {
    const rid = alice.rid + 1;
    let request: http.ClientRequest | undefined;
    const aborted = alice.sendRid(rid, '', {}, { onRequest: (r) => (request = r) }).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    request!.destroy();
    assert.ok((await aborted) instanceof Error);
    await new Promise((r) => setTimeout(r, 50));
    const resent = await alice.sendRid(rid);
    assert.equal(resent.body?.attrs.type, undefined);
    assert.equal(payloadOf(resent).length, 0);
    alice.rid = rid;
    bob.send(chat(aliceJid, 'after the hang-up'));
    assert.match((await alice.send()).text, /after the hang-up/);
  });
});
