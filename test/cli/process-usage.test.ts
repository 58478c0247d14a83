// DESIGN.md section 6 at the process boundary: `almanac` run as a child process answers --help and
// --version, and refuses bad command lines and bad configuration with exit code 2 and a message naming
// the problem, before anything is started.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTempDir, writeFile } from '../config/temp-dir.js';
import { runAlmanac } from './cli-process.js';

const dir = makeTempDir('cli-usage');

describe('almanac as a process', () => {
  it('--help prints the usage on stdout and exits 0', () => {
    const result = runAlmanac(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^usage:/);
    assert.match(result.stdout, /almanac serve/);
  });

  it('serve --help lists the flags and exits 0', () => {
    const result = runAlmanac(['serve', '--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /--c2s-port N/);
    assert.match(result.stdout, /--\[no-\]require-tls/);
  });

  it('--version prints the version and exits 0', () => {
    const result = runAlmanac(['--version']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^almanac \d+\.\d+\.\d+/);
  });

  it('no command exits 2 with the usage on stderr', () => {
    const result = runAlmanac([]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^usage:/);
  });

  it('an unknown command exits 2', () => {
    const result = runAlmanac(['launch']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: unknown command "launch"/);
  });

  it('an unknown flag exits 2 naming the flag', () => {
    const result = runAlmanac(['serve', '--c2s-prot', '5222']);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'config error: --c2s-prot: unknown flag (did you mean --c2s-port?)\n');
  });

  it('a bad value from the environment exits 2 naming the key', () => {
    const result = runAlmanac(['serve'], { env: { ALMANAC_C2S_PORT: 'abc' } });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'config error: c2s_port: must be an integer 0..65535, got "abc" (from ALMANAC_C2S_PORT)\n');
  });

  it('an unknown key in the TOML file exits 2 naming the key', () => {
    const file = writeFile(dir, 'bad.toml', '[limits]\nmax_stanza_byte = 1\n');
    const result = runAlmanac(['serve', '--config', file]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^config error: limits\.max_stanza_byte: unknown key \(did you mean limits\.max_stanza_bytes\?\)/);
  });

  it('a bad value in the TOML file exits 2 naming the key and the file', () => {
    const file = writeFile(dir, 'range.toml', '[bosh]\nmax_hold = 99\n');
    const result = runAlmanac(['serve', '--config', file]);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `config error: bosh.max_hold: must be an integer 1..16, got 99 (from ${file})\n`);
  });

  it('user with a missing argument exits 2', () => {
    const result = runAlmanac(['user', 'add', 'alice', '--data-dir', dir]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: missing argument: almanac user add JID PASSWORD/);
  });

  it('a JID of another domain exits 2', () => {
    const result = runAlmanac(['token', 'create', 'alice@elsewhere.org', '--data-dir', dir]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not on this server's domain localhost/);
  });

  it('connection-manager without an upstream exits 2 naming the key', () => {
    const result = runAlmanac(['connection-manager', '--http-port', '0']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^config error: connection_manager\.upstream: required/);
  });
});
