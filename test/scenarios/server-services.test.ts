// XEP-0030 (server and account discovery), XEP-0115 (server caps in stream features), XEP-0199
// (ping both ways), XEP-0092 (version), XEP-0202 (time).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { TestClient } from '../support/test-client.js';

describe('server services', () => {
  let server: TestServer;
  let alice: TestClient;
  before(async () => {
    server = await startTestServer();
    await server.addUser('alice');
    await server.addUser('bob');
    alice = await TestClient.connect(server.ports.c2s!);
    await alice.login('alice', 'secret', 'a');
  });
  after(async () => {
    alice.destroy();
    await server.stop();
  });

  it('disco#info of the server names it and lists what it supports (XEP-0030 3.1)', async () => {
    const res = await alice.iq(`<iq type='get' to='localhost' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, 'd1');
    const q = res.getChild('query')!;
    assert.equal(q.getChild('identity')!.attrs.category, 'server');
    const features = q.getChildren('feature').map((f) => f.attrs.var);
    for (const f of ['urn:xmpp:ping', 'jabber:iq:version', 'urn:xmpp:time', 'msgoffline']) assert.ok(features.includes(f), f);
  });

  it('the caps in the stream features verify against disco#info (XEP-0115 5.1, 6.3)', async () => {
    const c = await TestClient.connect(server.ports.c2s!);
    await c.login('bob', 'secret', 'caps');
    const features = c.pending().find((el) => el.name === 'stream:features');
    const raw = c.raw;
    const ver = /<c xmlns='http:\/\/jabber.org\/protocol\/caps' hash='sha-1' node='([^']+)' ver='([^']+)'/.exec(raw);
    assert.ok(ver, `caps in features: ${features}`);
    const res = await c.iq(`<iq type='get' to='localhost' id='c1'><query xmlns='http://jabber.org/protocol/disco#info' node='${ver![1]}#${ver![2]}'/></iq>`, 'c1');
    assert.equal(res.attrs.type, 'result');
    const { capsVerification } = await import('../../src/modules/disco/entity-caps.js');
    const q = res.getChild('query')!;
    const computed = capsVerification(
      q.getChildren('identity').map((i) => ({ category: i.attrs.category!, type: i.attrs.type!, name: i.attrs.name })),
      q.getChildren('feature').map((f) => f.attrs.var!),
    );
    assert.equal(computed, ver![2]);
    c.destroy();
  });

  it('disco#info of an account is answered by the server for the account itself (XEP-0030, RFC 6121)', async () => {
    const res = await alice.iq(`<iq type='get' to='alice@localhost' id='d2'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, 'd2');
    assert.equal(res.getChild('query')!.getChild('identity')!.attrs.category, 'account');
  });

  it('disco#info of an account is refused to strangers without a presence subscription', async () => {
    const res = await alice.iq(`<iq type='get' to='bob@localhost' id='d3'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, 'd3');
    assert.ok(res.getChild('error')?.getChild('service-unavailable'));
  });

  it('the server answers ping (XEP-0199 4.2)', async () => {
    const res = await alice.iq(`<iq type='get' to='localhost' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>`, 'p1');
    assert.equal(res.attrs.type, 'result');
  });

  it('software version (XEP-0092) and entity time (XEP-0202) are answered', async () => {
    const v = await alice.iq(`<iq type='get' to='localhost' id='v1'><query xmlns='jabber:iq:version'/></iq>`, 'v1');
    assert.equal(v.getChild('query')!.getChildText('name'), 'almanac');
    const t = await alice.iq(`<iq type='get' to='localhost' id='t1'><time xmlns='urn:xmpp:time'/></iq>`, 't1');
    assert.match(t.getChild('time')!.getChildText('utc')!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('the server pings an idle client, and disconnects one that does not answer (XEP-0199 4.1)', async () => {
    const pinging = await startTestServer();
    try {
      // short intervals for this server only
      const { pingModule } = await import('../../src/modules/ping/index.js');
      pingModule(pinging.host, { idleMs: 300, timeoutMs: 600 });
      await pinging.addUser('carol');
      const carol = await TestClient.connect(pinging.ports.c2s!);
      await carol.login('carol', 'secret', 'c');
      const ping = await carol.receive((el) => el.name === 'iq' && el.attrs.type === 'get' && !!el.getChild('ping'), 3000);
      assert.equal(ping.attrs.from, 'localhost');
      carol.send(`<iq type='result' id='${ping.attrs.id}' to='localhost'/>`);
      // answered: still connected after the timeout
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(carol.isClosed, false);
      // now stay silent: the next ping goes unanswered and the stream is closed
      const err = await carol.receiveNamed('stream:error', () => true, 5000);
      assert.equal(err.getChildElements()[0]?.name, 'connection-timeout');
    } finally {
      await pinging.stop();
    }
  });
});

describe('operations: /metrics', () => {
  it('serves Prometheus metrics with the bound sessions by transport', async () => {
    const server = await startTestServer();
    try {
      await server.addUser('metered');
      const c = await TestClient.connect(server.ports.c2s!);
      await c.login('metered', 'secret', 'm');
      const res = await fetch(`http://127.0.0.1:${server.ports.http}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /almanac_sessions\{transport="tcp"\} 1/);
      assert.match(text, /almanac_process_cpu_user_seconds_total/);
      c.destroy();
    } finally {
      await server.stop();
    }
  });
});
