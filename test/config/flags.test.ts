// DESIGN.md section 6: the flags of `almanac serve` and friends; unknown or malformed flags are errors
// that name the flag.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/errors.js';
import { loadCommandConfig, loadConfig } from '../../src/config/load.js';

function errorOf(argv: string[]): ConfigError {
  try {
    loadConfig({ argv, env: {}, cwd: '/' });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail(`expected ${argv.join(' ')} to be refused`);
}

describe('command-line flags', () => {
  it('an unknown flag is an error naming it', () => {
    const err = errorOf(['--frobnicate', '3']);
    assert.equal(err.key, '--frobnicate');
    assert.match(err.message, /^--frobnicate: unknown flag/);
  });

  it('an unknown flag close to a known one suggests it', () => {
    assert.match(errorOf(['--c2s-prot', '1']).message, /did you mean --c2s-port\?/);
  });

  it('an unknown short flag is an error naming it', () => {
    assert.equal(errorOf(['-x']).key, '-x');
  });

  it('a flag that needs a value and has none is an error', () => {
    assert.equal(errorOf(['--domain']).message, '--domain: needs a value');
  });

  it('a flag is never taken as the value of the flag before it', () => {
    assert.equal(errorOf(['--domain', '--demo']).key, '--domain');
  });

  it('a boolean flag given a value is an error', () => {
    assert.match(errorOf(['--demo=yes']).message, /^--demo: takes no value/);
  });

  it('--no- works only for booleans', () => {
    assert.equal(errorOf(['--no-domain']).key, '--no-domain');
  });

  it('a positional argument is refused by loadConfig', () => {
    const err = errorOf(['serve-me']);
    assert.equal(err.message, 'serve-me: unexpected argument');
  });

  it('loadCommandConfig returns positionals interleaved with flags', () => {
    const { positionals, config } = loadCommandConfig({
      argv: ['add', '--domain', 'example.com', 'alice', 'secret', '--', '--literal'],
      env: {},
      cwd: '/',
    });
    assert.deepEqual(positionals, ['add', 'alice', 'secret', '--literal']);
    assert.equal(config.domain, 'example.com');
  });

  it('a negative number is a value, reported by the key it is wrong for', () => {
    const err = errorOf(['--c2s-port', '-1']);
    assert.equal(err.key, 'c2s_port');
  });
});
