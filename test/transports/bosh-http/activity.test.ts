// XEP-0124 section 10 (inactivity: the session ends silently, later requests get item-not-found; pause answers
// every held request at once and stretches inactivity until the next request), section 11 (overactivity) and
// section 12 (polling sessions), over real HTTP with short server settings.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BoshTestSession, payloadOf } from '../../support/bosh-http-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BOSH over HTTP: inactivity and pause', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.maxInactivity = 1;
      c.bosh.polling = 0;
      c.bosh.maxPause = 3;
    });
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  it('with no request held for longer than inactivity the session ends silently; later requests get item-not-found', async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    assert.equal(session.creation.body?.attrs.inactivity, '1');
    await sleep(1600);
    const late = await session.send();
    assert.equal(late.body?.attrs.type, 'terminate');
    assert.equal(late.body?.attrs.condition, 'item-not-found');
  });

  it('a held request keeps the session alive past the inactivity period', async () => {
    const session = await BoshTestSession.create(url, { wait: 2 });
    const held = await session.send(); // held for 2 s, longer than inactivity
    assert.equal(held.body?.attrs.type, undefined);
    const next = await session.send('', { pause: 1 });
    assert.equal(next.body?.attrs.type, undefined);
  });

  it('pause answers every held request at once, without payloads', async () => {
    const session = await BoshTestSession.create(url, { wait: 60 });
    const held = session.send();
    await sleep(100);
    const pause = await session.send('', { pause: 2 });
    const first = await held; // would otherwise wait 60 s
    assert.equal(first.body?.attrs.type, undefined);
    assert.equal(pause.body?.attrs.type, undefined);
    assert.equal(payloadOf(pause).length, 0);
  });

  it('a pause stretches inactivity until the next request, which restores it', async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    await session.send('', { pause: 3 });
    await sleep(1600); // beyond the normal inactivity, within the pause
    const back = await session.send('', { pause: 1 });
    assert.equal(back.body?.attrs.type, undefined, back.text);
    await sleep(1600); // the pause of 1 s is over
    const gone = await session.send();
    assert.equal(gone.body?.attrs.condition, 'item-not-found');
  });

  it('a pause longer than maxpause ends the session with policy-violation', async () => {
    const session = await BoshTestSession.create(url, { wait: 1 });
    assert.equal(session.creation.body?.attrs.maxpause, '3');
    const answer = await session.send('', { pause: 4 });
    assert.equal(answer.body?.attrs.type, 'terminate');
    assert.equal(answer.body?.attrs.condition, 'policy-violation');
  });
});

describe('BOSH over HTTP: overactivity and polling', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startTestServer((c) => {
      c.limits.boshSessionsPerAddress = 1000;
      c.bosh.polling = 1;
      c.bosh.maxInactivity = 30;
    });
    await server.addUser('olga');
    url = `http://127.0.0.1:${server.ports.http}/http-bind`;
  });
  after(() => server.stop());

  // Requests with a payload that draws no answer (a headline to an account with no available resource is
  // dropped), so that only the count of unanswered requests matters, not the polling rule.
  const headline = `<message xmlns='jabber:client' to='olga@localhost' type='headline'><body>x</body></message>`;
  async function loggedIn(): Promise<BoshTestSession> {
    const session = await BoshTestSession.create(url, { wait: 5 });
    await session.login('olga', 'secret', `r${session.rid}`);
    return session;
  }

  it('more than requests unanswered requests is policy-violation', async () => {
    const session = await loggedIn();
    const base = session.rid;
    const first = session.sendRid(base + 1, headline);
    await sleep(100);
    const third = session.sendRid(base + 3, headline); // waits for base + 2
    await sleep(100);
    const second = await session.sendRid(base + 2, headline); // the third unanswered one
    assert.equal(second.body?.attrs.condition, 'policy-violation');
    await Promise.all([first, third]);
  });

  it('the one extra request may be a terminate, as the last of the run', async () => {
    const session = await loggedIn();
    const base = session.rid;
    const first = session.sendRid(base + 1, headline);
    await sleep(100);
    const terminate = session.sendRid(base + 3, '', { type: 'terminate' }); // waits for base + 2
    await sleep(100);
    const second = await session.sendRid(base + 2, headline);
    assert.equal(second.body?.attrs.condition, undefined);
    // Section 13: the oldest waiting connection carries the acknowledgement, the others get empty bodies.
    assert.equal((await first).body?.attrs.type, 'terminate');
    assert.equal((await first).body?.attrs.condition, undefined);
    assert.equal((await terminate).body?.attrs.condition, undefined);
  });

  it('requests-many empty requests within the polling interval is policy-violation', async () => {
    const session = await BoshTestSession.create(url, { wait: 5 });
    const held = session.send();
    await sleep(50);
    const second = await session.send();
    assert.equal(second.body?.attrs.condition, 'policy-violation');
    assert.equal((await held).body?.attrs.condition, 'policy-violation');
  });

  it('a polling session (hold=0) may not poll again within the polling interval after an empty answer', async () => {
    const session = await BoshTestSession.create(url, { hold: 0 });
    // The stream features may still come with the first poll; a poll answered with nothing sets the rule off.
    let answer = await session.send();
    if (payloadOf(answer).length > 0) answer = await session.send();
    assert.equal(payloadOf(answer).length, 0);
    assert.equal(answer.body?.attrs.type, undefined);
    const tooSoon = await session.send();
    assert.equal(tooSoon.body?.attrs.condition, 'policy-violation');
  });

  it('a polling session that waits the polling interval between polls is fine', async () => {
    const session = await BoshTestSession.create(url, { hold: 0 });
    await session.send();
    await sleep(1100);
    const second = await session.send();
    assert.equal(second.body?.attrs.type, undefined);
  });
});
