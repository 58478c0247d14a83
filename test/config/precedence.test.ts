// DESIGN.md section 6: flags > ALMANAC_* environment > TOML file > defaults, and the defaults themselves.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { defaultConfig, loadConfig } from '../../src/config/load.js';
import { makeTempDir, writeFile } from './temp-dir.js';

const dir = makeTempDir('precedence');
const file = writeFile(dir, 'almanac.toml', 'c2s_port = 1111\nhttp_port = 2222\ndomain = "file.example"\n[limits]\nmax_xml_depth = 40\n');

describe('configuration precedence', () => {
  it('defaults apply when nothing is given', () => {
    const config = defaultConfig(dir);
    assert.equal(config.domain, 'localhost');
    assert.equal(config.dataDir, join(dir, 'data'));
    assert.equal(config.listen, '127.0.0.1');
    assert.deepEqual(
      [config.c2sPort, config.tlsPort, config.httpPort, config.httpsPort, config.componentPort],
      [5222, 5223, 5280, 5281, 5275],
    );
    assert.equal(config.storage, 'sqlite');
    assert.equal(config.requireTls, true);
    assert.equal(config.demo, false);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.limits.maxStanzaBytes, 262144);
    assert.deepEqual(config.bosh.corsOrigins, ['*']);
    assert.equal(config.pubsub.nodeCreators, 'local');
    assert.equal(config.component.secret, undefined);
    assert.equal(config.tls.certFile, undefined);
  });

  it('the file overrides defaults', () => {
    const config = loadConfig({ argv: ['--config', file], env: {}, cwd: dir });
    assert.equal(config.c2sPort, 1111);
    assert.equal(config.domain, 'file.example');
    assert.equal(config.limits.maxXmlDepth, 40);
    assert.equal(config.tlsPort, 5223);
  });

  it('the environment overrides the file', () => {
    const config = loadConfig({
      argv: ['--config', file],
      env: { ALMANAC_C2S_PORT: '3333', ALMANAC_LIMITS_MAX_XML_DEPTH: '50' },
      cwd: dir,
    });
    assert.equal(config.c2sPort, 3333);
    assert.equal(config.limits.maxXmlDepth, 50);
    assert.equal(config.httpPort, 2222);
  });

  it('flags override the environment and the file', () => {
    const config = loadConfig({
      argv: ['--config', file, '--c2s-port', '4444', '--limits-max-xml-depth=60'],
      env: { ALMANAC_C2S_PORT: '3333', ALMANAC_LIMITS_MAX_XML_DEPTH: '50' },
      cwd: dir,
    });
    assert.equal(config.c2sPort, 4444);
    assert.equal(config.limits.maxXmlDepth, 60);
    assert.equal(config.httpPort, 2222);
    assert.equal(config.domain, 'file.example');
  });

  it('ALMANAC_CONFIG names the file when --config is absent', () => {
    const config = loadConfig({ env: { ALMANAC_CONFIG: 'almanac.toml' }, cwd: dir });
    assert.equal(config.c2sPort, 1111);
  });

  it('--config wins over ALMANAC_CONFIG', () => {
    const other = writeFile(dir, 'other.toml', 'c2s_port = 7777\n');
    const config = loadConfig({ argv: ['--config', other], env: { ALMANAC_CONFIG: file }, cwd: dir });
    assert.equal(config.c2sPort, 7777);
  });

  it('an empty environment variable counts as unset', () => {
    const config = loadConfig({ argv: ['--config', file], env: { ALMANAC_C2S_PORT: '', ALMANAC_DOMAIN: '  ' }, cwd: dir });
    assert.equal(config.c2sPort, 1111);
    assert.equal(config.domain, 'file.example');
  });

  it('ALMANAC_ variables that name no key are ignored', () => {
    const config = loadConfig({ env: { ALMANAC_TEST_POSTGRES: 'whatever' }, cwd: dir });
    assert.equal(config.c2sPort, 5222);
  });

  it('the last occurrence of a repeated flag wins', () => {
    const config = loadConfig({ argv: ['--c2s-port', '1', '--c2s-port', '2'], env: {}, cwd: dir });
    assert.equal(config.c2sPort, 2);
  });

  it('--no-require-tls turns off a boolean that defaults to true, and a flag beats the environment', () => {
    assert.equal(loadConfig({ argv: ['--no-require-tls'], env: {}, cwd: dir }).requireTls, false);
    assert.equal(loadConfig({ argv: ['--require-tls'], env: { ALMANAC_REQUIRE_TLS: 'false' }, cwd: dir }).requireTls, true);
    assert.equal(loadConfig({ argv: [], env: { ALMANAC_REQUIRE_TLS: 'no' }, cwd: dir }).requireTls, false);
  });

  it('--upstream is accepted for connection_manager.upstream', () => {
    const config = loadConfig({ argv: ['--upstream', 'xmpp.example.com:5222'], env: {}, cwd: dir });
    assert.equal(config.connectionManager.upstream, 'xmpp.example.com:5222');
  });

  it('relative paths from flags and environment resolve against cwd, from the file against its directory', () => {
    const sub = makeTempDir('precedence-sub');
    const nested = writeFile(sub, 'nested.toml', 'data_dir = "state"\n');
    assert.equal(loadConfig({ argv: ['--config', nested], env: {}, cwd: dir }).dataDir, join(sub, 'state'));
    assert.equal(loadConfig({ argv: ['--data-dir', 'flagged'], env: {}, cwd: dir }).dataDir, join(dir, 'flagged'));
    assert.equal(loadConfig({ env: { ALMANAC_DATA_DIR: 'env-dir' }, cwd: dir }).dataDir, join(dir, 'env-dir'));
  });

  it('a port of 0 is accepted for every listener', () => {
    const config = loadConfig({
      argv: ['--c2s-port', '0', '--tls-port', '0', '--http-port', '0', '--https-port', '0', '--component-port', '0'],
      env: {},
      cwd: dir,
    });
    assert.deepEqual([config.c2sPort, config.tlsPort, config.httpPort, config.httpsPort, config.componentPort], [0, 0, 0, 0, 0]);
  });

  it('lists are comma-separated in flags and the environment', () => {
    const config = loadConfig({
      argv: ['--admins', 'a@example.com, B@Example.com'],
      env: { ALMANAC_BOSH_CORS_ORIGINS: 'https://app.example.com,http://localhost:3000' },
      cwd: dir,
    });
    assert.deepEqual(config.admins, ['a@example.com', 'b@example.com']);
    assert.deepEqual(config.bosh.corsOrigins, ['https://app.example.com', 'http://localhost:3000']);
  });
});
