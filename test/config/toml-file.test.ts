// DESIGN.md section 6: the TOML configuration file, with nested tables for groups; unknown keys and
// syntax errors stop start-up with a message naming them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { makeTempDir, writeFile } from './temp-dir.js';

const dir = makeTempDir('toml');

function load(name: string, text: string) {
  const file = writeFile(dir, name, text);
  return loadConfig({ argv: ['--config', file], env: {}, cwd: dir });
}

function errorOf(name: string, text: string): ConfigError {
  try {
    load(name, text);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail('expected the file to be refused');
}

describe('TOML configuration file', () => {
  it('groups are read from nested tables', () => {
    const config = load('tables.toml', [
      'domain = "Example.COM"',
      'admins = ["boss@example.com"]',
      '[limits]',
      'max_stanza_bytes = 131072',
      '[bosh]',
      'max_inactivity = 90',
      'cors_origins = ["https://app.example.com/"]',
      '[pubsub]',
      'node_creators = "admins"',
      '[connection_manager]',
      'upstream = "xmpp.example.com:5222"',
      'route_allow = ["[::1]:5222", "10.0.0.2:5222"]',
      '[component]',
      'secret = "s3cret"',
    ].join('\n'));
    assert.equal(config.domain, 'example.com');
    assert.deepEqual(config.admins, ['boss@example.com']);
    assert.equal(config.limits.maxStanzaBytes, 131072);
    assert.equal(config.bosh.maxInactivity, 90);
    assert.deepEqual(config.bosh.corsOrigins, ['https://app.example.com']);
    assert.equal(config.pubsub.nodeCreators, 'admins');
    assert.equal(config.connectionManager.upstream, 'xmpp.example.com:5222');
    assert.deepEqual(config.connectionManager.routeAllow, ['[::1]:5222', '10.0.0.2:5222']);
    assert.equal(config.component.secret, 's3cret');
  });

  it('dotted keys are the same as tables', () => {
    const config = load('dotted.toml', 'limits.max_xml_depth = 32\nsm.resume_timeout = 0\n');
    assert.equal(config.limits.maxXmlDepth, 32);
    assert.equal(config.sm.resumeTimeout, 0);
  });

  it('an unknown top-level key is an error naming it', () => {
    const err = errorOf('unknown-top.toml', 'domian = "example.com"\n');
    assert.equal(err.key, 'domian');
    assert.match(err.message, /^domian: unknown key \(did you mean domain\?\)/);
  });

  it('an unknown key inside a table is an error naming it with its group', () => {
    const err = errorOf('unknown-inner.toml', '[limits]\nmax_stanza = 1\n');
    assert.equal(err.key, 'limits.max_stanza');
    assert.match(err.message, /did you mean limits\.max_stanza_bytes\?/);
  });

  it('an unknown table is an error naming it', () => {
    assert.equal(errorOf('unknown-table.toml', '[limitz]\nmax_stanza_bytes = 1\n').key, 'limitz');
  });

  it('a table nested deeper than one group is an error', () => {
    assert.equal(errorOf('deep.toml', '[limits.extra]\nx = 1\n').key, 'limits.extra');
  });

  it('a group given as a plain value is an error naming the group', () => {
    const err = errorOf('group-value.toml', 'limits = 5\n');
    assert.equal(err.key, 'limits');
    assert.match(err.message, /must be a table/);
  });

  it('a syntax error names the file, line and column', () => {
    const err = errorOf('syntax.toml', 'domain = "example.com"\nc2s_port = \n');
    assert.equal(err.key, 'config');
    assert.match(err.message, /syntax\.toml line 2, column \d+: /);
  });

  it('a missing file is an error naming it', () => {
    const err = (() => {
      try {
        loadConfig({ argv: ['--config', 'absent.toml'], env: {}, cwd: dir });
      } catch (e) {
        return e as ConfigError;
      }
      assert.fail('expected an error');
    })();
    assert.equal(err.key, 'config');
    assert.equal(err.message, `config: cannot read ${join(dir, 'absent.toml')}: ENOENT`);
  });

  it('a port of 0 in the file is accepted', () => {
    assert.equal(load('zero.toml', 'c2s_port = 0\n').c2sPort, 0);
  });

  it('a date where a number belongs is reported by key', () => {
    assert.equal(errorOf('date.toml', '[sm]\nresume_timeout = 2024-01-01\n').key, 'sm.resume_timeout');
  });
});
