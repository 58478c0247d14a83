// XEP-0124 / XEP-0206 under `almanac serve --workers N`: the workers share one HTTP port, so the
// requests of one BOSH session land on different workers (node:cluster hands connections round-robin)
// and each must still be served by the worker holding the session. The workers run from the same build
// as this test file.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRedis } from '../support/redis.js';
import { BoshTestSession, payloadOf } from '../support/bosh-http-client.js';
import { TestClient } from '../support/test-client.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
// A new connection per request, as browsers behind proxies often do: each may reach another worker.
const fresh = { agent: new Agent({ keepAlive: false }) };

function serveWorkers(args: string[]): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALMANAC_LOG_LEVEL: 'warn' } });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, ports: Object.fromEntries(line.split(' ').slice(1).map((p) => [p.split('=')[0]!, Number(p.split('=')[1])])) });
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ready: ${out}`)));
  });
}

describe('BOSH under serve --workers', () => {
  const redis = useRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'almanac-workers-bosh-'));
  let server: ChildProcess | undefined;
  after(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every request of one session is served by the worker holding it, wherever it lands', async () => {
    for (const u of ['alice', 'bob']) {
      assert.equal(spawnSync(process.execPath, [MAIN, 'user', 'add', `${u}@localhost`, 'secret', '--data-dir', dataDir]).status, 0);
    }
    const started = await serveWorkers([
      '--workers', '2', '--redis-url', redis.url(), '--data-dir', dataDir, '--no-require-tls',
      '--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0',
    ]);
    server = started.child;
    const session = await BoshTestSession.create(`http://127.0.0.1:${started.ports.http}/http-bind`, { wait: 2, hold: 1 }, fresh);
    const auth = Buffer.from('\0alice\0secret').toString('base64');
    const outcome = await session.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`, {}, fresh);
    assert.ok(outcome.body?.getChild('success'), outcome.text);
    const features = await session.send('', { 'xmlns:xmpp': 'urn:xmpp:xbosh', 'xmpp:restart': 'true', to: 'localhost' }, fresh);
    assert.match(features.text, /xmpp-bind/);
    const bound = await session.send(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>w</resource></bind></iq>`, {}, fresh);
    assert.equal(bound.body?.getChild('iq')?.getChild('bind')?.getChildText('jid'), 'alice@localhost/w');

    const bob = await TestClient.connect(started.ports.c2s!);
    try {
      await bob.login('bob', 'secret', 'tcp');
      await bob.online();
      // Until bob's worker has heard of the BOSH session, a message for it goes offline instead.
      let found = false;
      for (let i = 0; i < 20 && !found; i++) {
        bob.send(`<message to='alice@localhost/w' type='chat' id='w${i}'><body>to BOSH</body></message>`);
        const answer = await session.send('', {}, fresh);
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.body?.attrs.type, undefined, answer.text);
        found = payloadOf(answer).some((el) => el.name === 'message' && el.getChildText('body') === 'to BOSH');
      }
      assert.ok(found, 'a message reached the BOSH session through requests spread over the workers');
    } finally {
      bob.destroy();
    }
  });
});
