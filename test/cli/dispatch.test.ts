// DESIGN.md section 6: the `almanac` command line picks a command; --help and --version answer at once;
// anything it cannot act on exits 2 with a message.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/run.js';
import { CONFIG_KEYS } from '../../src/config/schema.js';
import { flagName } from '../../src/config/names.js';
import { fakeContext } from './fake-context.js';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('almanac command dispatch', () => {
  it('no command prints the usage on stderr and exits 2', async () => {
    const context = fakeContext();
    assert.equal(await runCli([], context), 2);
    assert.match(context.err.join('\n'), /^usage:/);
    assert.deepEqual(context.out, []);
  });

  it('--help prints the usage naming every command and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const context = fakeContext();
      assert.equal(await runCli([flag], context), 0);
      const text = context.out.join('\n');
      for (const command of ['serve', 'user add', 'user passwd', 'user remove', 'user list', 'token create', 'connection-manager']) {
        assert.ok(text.includes(`almanac ${command}`), `${flag}: ${command}`);
      }
    }
  });

  it('--version prints the package version', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['--version'], context), 0);
    assert.deepEqual(context.out, [`almanac ${version}`]);
  });

  it('serve --help lists every serve flag with its environment variable, and starts nothing', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['serve', '--help'], context), 0);
    const text = context.out.join('\n');
    for (const spec of CONFIG_KEYS) {
      if (spec.key.startsWith('connection_manager.')) continue;
      assert.ok(text.includes(spec.type === 'boolean' ? `--[no-]${flagName(spec)}` : `--${flagName(spec)} `), spec.key);
    }
    assert.ok(text.includes('ALMANAC_C2S_PORT'));
    assert.equal(context.configs.length, 0);
  });

  it('help COMMAND is the same as COMMAND --help', async () => {
    const a = fakeContext();
    const b = fakeContext();
    await runCli(['help', 'user'], a);
    await runCli(['user', '--help'], b);
    assert.deepEqual(a.out, b.out);
  });

  it('connection-manager --help shows --upstream', async () => {
    const context = fakeContext();
    await runCli(['connection-manager', '--help'], context);
    assert.match(context.out.join('\n'), /--upstream HOST:PORT/);
  });

  it('an unknown command exits 2 naming it', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['frobnicate'], context), 2);
    assert.equal(context.err[0], 'error: unknown command "frobnicate"');
  });

  it('flags before the command exit 2 with a hint', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['--domain', 'x', 'serve'], context), 2);
    assert.match(context.err[0]!, /a command comes before flags/);
  });

  it('an unknown flag exits 2 naming it', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['serve', '--frobnicate'], context), 2);
    assert.equal(context.err[0], 'config error: --frobnicate: unknown flag');
  });

  it('--help after -- is an argument, not a request for help', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'add', 'alice', '--', '--help'], context), 0);
    assert.equal(context.accounts.passwords.get('alice'), '--help');
  });
});
