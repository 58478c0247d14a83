// XEP-0124 section 9 (request and response acknowledgements: 'ack', 'report', 'time', cache trimming) and
// section 15 (key sequencing: each 'key' hashes to the previous 'newkey' or 'key'; a wrong or missing key is
// item-not-found, a replayed rid gets its cached answer, a new rid with a stale key does not), over HTTP.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession } from '../../support/bosh-http-client.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** K(1)..K(n) of section 15.1: K(1) = hex(SHA-1(seed)), K(i) = hex(SHA-1(K(i-1))). */
function keyChain(seed: string, n: number): string[] {
  const keys = [sha1(seed)];
  while (keys.length < n) keys.push(sha1(keys[keys.length - 1]!));
  return keys; // keys[i] is K(i+1)
}

describe('BOSH over HTTP: acknowledgements', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.polling = 0;
    });
    await server.addUser('pia');
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  const ping = (id: string) => `<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`;

  it('a held request answered because a newer one arrived acknowledges that newer rid', async () => {
    const session = await BoshTestSession.create(url, { ack: 1, wait: 5 });
    await session.login('pia', 'secret', `r${session.rid}`);
    const heldRid = session.rid + 1;
    const held = session.send('', { ack: session.rid });
    await new Promise((r) => setTimeout(r, 100));
    const newer = session.send('', { pause: 5, ack: heldRid - 1 });
    const answer = await held;
    assert.equal(answer.body?.attrs.ack, String(heldRid + 1));
    await newer;
  });

  it("an 'ack' below the last answered rid gets 'report' (the missing rid) and 'time' at once", async () => {
    const session = await BoshTestSession.create(url, { ack: 1, wait: 5 });
    await session.login('pia', 'secret', `r${session.rid}`);
    const lost = session.rid + 1;
    await session.send(ping('a'), { ack: session.rid });
    // The client says it never got the answer to `lost`.
    const answer = await session.send(ping('b'), { ack: lost - 1 });
    assert.equal(answer.body?.attrs.report, String(lost));
    assert.match(answer.body?.attrs.time ?? '', /^[0-9]+$/);
    // It may then resend `lost` and get its answer from the cache.
    assert.match((await session.sendRid(lost, ping('a'), { ack: lost - 1 })).text, /id='a'/);
  });

  it('answers the client acknowledged leave the cache: resending one is item-not-found', async () => {
    const session = await BoshTestSession.create(url, { ack: 1, wait: 5 });
    await session.login('pia', 'secret', `r${session.rid}`);
    const first = session.rid + 1;
    await session.send(ping('c'), { ack: session.rid });
    await session.send(ping('d'), { ack: first });
    const resent = await session.sendRid(first, ping('c'), { ack: first });
    assert.equal(resent.body?.attrs.condition, 'item-not-found');
  });
});

describe('BOSH over HTTP: key sequencing', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.polling = 0;
    });
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  it('requests whose key hashes to the previous one are served, through a rekey to a new chain', async () => {
    const k = keyChain('first seed', 3);
    const session = await BoshTestSession.create(url, { newkey: k[2]!, wait: 1 });
    assert.equal((await session.send('', { key: k[1]!, pause: 10 })).body?.attrs.type, undefined);
    const next = keyChain('second seed', 4);
    // At K(1) the client starts a new chain with newkey (section 15.4).
    assert.equal((await session.send('', { key: k[0]!, newkey: next[3]!, pause: 10 })).body?.attrs.type, undefined);
    assert.equal((await session.send('', { key: next[2]!, pause: 10 })).body?.attrs.type, undefined);
  });

  it('a wrong key ends the session with item-not-found', async () => {
    const k = keyChain('seed', 3);
    const session = await BoshTestSession.create(url, { newkey: k[2]!, wait: 1 });
    const answer = await session.send('', { key: sha1('guess'), pause: 10 });
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'item-not-found');
    assert.equal((await session.send('', { key: k[1]!, pause: 10 })).body?.attrs.condition, 'item-not-found');
  });

  it('a missing key once keying started ends the session with item-not-found', async () => {
    const k = keyChain('seed', 3);
    const session = await BoshTestSession.create(url, { newkey: k[2]!, wait: 1 });
    assert.equal((await session.send('', { pause: 10 })).body?.attrs.condition, 'item-not-found');
  });

  it('a replayed rid with its own (now stale) key gets the cached answer; a new rid with a stale key is item-not-found', async () => {
    const k = keyChain('seed', 4);
    const session = await BoshTestSession.create(url, { newkey: k[3]!, wait: 1 });
    const first = await session.send('', { key: k[2]! }); // held for 'wait', then cached
    const replay = await session.sendRid(session.rid, '', { key: k[2]! });
    assert.equal(replay.text, first.text);
    const attack = await session.send('', { key: k[2]!, pause: 10 });
    assert.equal(attack.body?.attrs.condition, 'item-not-found');
  });

  it('a key in a session that does not use keys is item-not-found', async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    assert.equal((await session.send('', { key: sha1('x'), pause: 10 })).body?.attrs.condition, 'item-not-found');
  });
});
