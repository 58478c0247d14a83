// DESIGN.md section 6: `almanac serve` and `almanac connection-manager` print one `ready` line naming
// their ports, stop on SIGINT/SIGTERM and exit 0; start-up failures exit 1, bad configuration exits 2.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run.js';
import { readyLine } from '../../src/cli/service-command.js';
import { MissingModuleError } from '../../src/cli/runtime-modules.js';
import { fakeContext } from './fake-context.js';

describe('almanac serve', () => {
  it('prints the ready line with the bound ports, then stops on a signal and exits 0', async () => {
    const context = fakeContext({ ports: { https: 43005, c2s: 43001, http: 43003, tls: 43002, component: 43004 } });
    const exit = runCli(['serve', '--c2s-port', '0'], context);
    assert.equal(await context.firstLine, 'ready c2s=43001 tls=43002 http=43003 https=43005 component=43004');
    assert.equal(context.stopped, 0);
    context.signal('SIGTERM');
    assert.equal(await exit, 0);
    assert.equal(context.stopped, 1);
    assert.deepEqual(context.err, ['stopping (SIGTERM)']);
  });

  it('passes the loaded configuration to startServer', async () => {
    const context = fakeContext({ env: { ALMANAC_DOMAIN: 'example.com' } });
    context.signal('SIGINT');
    assert.equal(await runCli(['serve', '--c2s-port', '0', '--no-require-tls', '--data-dir', 'state'], context), 0);
    const [config] = context.configs;
    assert.equal(config?.c2sPort, 0);
    assert.equal(config?.requireTls, false);
    assert.equal(config?.domain, 'example.com');
    assert.equal(config?.dataDir, '/srv/almanac/state');
  });

  it('a signal that arrives during start-up still stops the server once it is up', async () => {
    const context = fakeContext();
    context.signal('SIGINT');
    assert.equal(await runCli(['serve'], context), 0);
    assert.deepEqual(context.out, ['ready c2s=5222']);
    assert.equal(context.stopped, 1);
  });

  it('a bad configuration exits 2 with the key named, and the server is never started', async () => {
    const context = fakeContext({ env: { ALMANAC_C2S_PORT: 'abc' } });
    assert.equal(await runCli(['serve'], context), 2);
    assert.deepEqual(context.err, ['config error: c2s_port: must be an integer 0..65535, got "abc" (from ALMANAC_C2S_PORT)']);
    assert.equal(context.configs.length, 0);
  });

  it('a positional argument is a usage error', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['serve', 'now'], context), 2);
    assert.match(context.err[0]!, /^config error: now: unexpected argument/);
  });

  it('a server that fails to start exits 1 with the reason', async () => {
    const context = fakeContext({
      modules: { startServer: () => Promise.reject(new Error('listen EADDRINUSE: address already in use 127.0.0.1:5222')) },
    });
    assert.equal(await runCli(['serve'], context), 1);
    assert.match(context.err[0]!, /^error: .*EADDRINUSE/);
    assert.deepEqual(context.out, []);
  });

  it('a build without the server exits 1 saying so', async () => {
    const context = fakeContext({ modules: { startServer: () => Promise.reject(new MissingModuleError('server (src/server.ts)')) } });
    assert.equal(await runCli(['serve'], context), 1);
    assert.deepEqual(context.err, ['error: this build has no server (src/server.ts)']);
  });

  it('a server that fails to stop exits 1', async () => {
    const context = fakeContext({
      modules: { startServer: async () => ({ ports: { c2s: 1 }, stop: () => Promise.reject(new Error('database is locked')) }) },
    });
    context.signal('SIGTERM');
    assert.equal(await runCli(['serve'], context), 1);
    assert.match(context.err.at(-1)!, /database is locked/);
  });
});

describe('the ready line', () => {
  it('lists the ports in the order of DESIGN.md section 1, omitting closed ones, others last', () => {
    assert.equal(readyLine({ metrics: 9, http: 3, c2s: 1 }), 'ready c2s=1 http=3 metrics=9');
  });
});

describe('almanac connection-manager', () => {
  it('requires an upstream, named by its key, with exit code 2', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['connection-manager'], context), 2);
    assert.match(context.err[0]!, /^config error: connection_manager\.upstream: required by connection-manager/);
  });

  it('starts with --upstream, prints its ready line and stops on a signal', async () => {
    const context = fakeContext({ ports: { http: 43010 } });
    const exit = runCli(['connection-manager', '--upstream', 'xmpp.example.com:5222', '--http-port', '0'], context);
    assert.equal(await context.firstLine, 'ready http=43010');
    context.signal('SIGTERM');
    assert.equal(await exit, 0);
    assert.equal(context.configs[0]?.connectionManager.upstream, 'xmpp.example.com:5222');
    assert.equal(context.configs[0]?.httpPort, 0);
  });
});
