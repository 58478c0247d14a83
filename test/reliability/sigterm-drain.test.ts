// RFC 6120 4.9.3.19 (system-shutdown) and DESIGN.md section 8: SIGTERM drains. IQs the server has
// read are answered before the stream error, REST requests on open connections are answered before
// the listener's connections are dropped, nothing half-done is left, and the exit code is 0.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createNodeIq, dataDirWith, eventBody, itemIds, online, publishIq, RestCaller, serve, stop } from './fault-fixture.js';

const IQS = 500;
const WRITES = 8;

describe('SIGTERM drains', () => {
  let dataDir: string;
  before(() => (dataDir = dataDirWith(['alice'])));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('pipelined IQs and in-flight REST writes are answered, then system-shutdown, exit 0', async () => {
    const server = await serve(dataDir);
    const alice = await online(server, 'alice', 'pub');
    const rest = new RestCaller(server, 'alice');
    let cal: { id: string };
    try {
      assert.equal((await alice.iq(createNodeIq('c', 'drain'), 'c')).attrs.type, 'result');
      cal = await rest.ok('POST', '/calendars', { title: 'Drain' });
      // open one keep-alive connection per concurrent write, so the writes travel on accepted connections
      await Promise.all(Array.from({ length: WRITES }, () => rest.ok('GET', '/calendars')));
    } catch (err) {
      await stop(server);
      throw err;
    }

    const publishes: string[] = [];
    for (let i = 0; i < IQS; i++) publishes.push(publishIq(`p${i}`, 'drain', `item${i}`));
    alice.send(publishes.join(''));
    const writes = Array.from({ length: WRITES }, (_, i) =>
      rest.call('POST', '/events', eventBody(cal.id, `drain-${i}`)).then(
        (r) => ({ title: `drain-${i}`, status: r.status, body: r.body }),
        () => ({ title: `drain-${i}`, status: 0, body: undefined }),
      ),
    );
    await alice.receive((el) => el.name === 'iq' && el.attrs.id === 'p0');
    await Promise.race(writes);
    server.child.kill('SIGTERM');

    const shutdown = await alice.receiveNamed('stream:error', () => true, 15_000);
    assert.equal(shutdown.getChildElements()[0]?.name, 'system-shutdown');
    const replies = alice.pending().filter((el) => el.name === 'iq' && el.attrs.type === 'result' && /^p\d+$/.test(el.attrs.id ?? ''));
    assert.equal(replies.length + 1, IQS, 'every publish read before SIGTERM is answered before system-shutdown');
    assert.equal(await server.exited, 0);
    const answers = await Promise.all(writes);
    for (const a of answers) {
      if (a.status !== 0) {
        assert.equal(a.status, 201, JSON.stringify(a.body));
      }
    }
    assert.ok(answers.filter((a) => a.status === 201).length >= 1);

    const again = await serve(dataDir);
    try {
      const stored = new Map((await new RestCaller(again, 'alice').allEvents()).map((e) => [e.title as string, e]));
      for (const a of answers) {
        // no ambiguity: an answered write is stored; a write whose connection was cut was never applied
        if (a.status === 201) assert.equal(stored.get(a.title)?.id, a.body.id);
        else assert.equal(stored.get(a.title), undefined, `${a.title} was cut off but applied`);
      }
      const alice2 = await online(again, 'alice', 'pub');
      assert.equal((await itemIds(alice2, 'drain')).size, IQS);
      alice2.destroy();
    } finally {
      alice.destroy();
      await stop(again);
    }
  });
});
