// DESIGN.md section 6: bad configuration stops start-up with a message that names the key and what is
// wrong. Every key of the schema is tried with a bad value through each source.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { envName, flagName } from '../../src/config/names.js';
import { CONFIG_KEYS, type KeySpec, type TextFormat } from '../../src/config/schema.js';
import { makeTempDir, writeFile } from './temp-dir.js';

const dir = makeTempDir('validation');

const BAD_TEXT: Record<TextFormat, string> = {
  domain: 'not a domain',
  address: 'bad host!',
  'postgres-url': 'mysql://user:hunter2@db/almanac',
  'redis-url': 'http://cache:6379',
  text: '',
  origin: 'ftp://files.example.com',
  'bare-jid': 'no-domain',
  'host-port': 'missing-port',
};

/** Bad values as command-line text, several per key where the type has several ways to be wrong. */
function badTexts(spec: KeySpec): string[] {
  switch (spec.type) {
    case 'integer':
      return ['abc', '1.5', String(spec.min - 1), String(spec.max + 1)];
    case 'boolean':
      return ['maybe'];
    case 'enum':
      return ['nonsense'];
    case 'text':
      return [BAD_TEXT[spec.format]];
    case 'path':
      return [''];
    case 'list':
      return [`${BAD_TEXT[spec.format]},`];
  }
}

function expectKeyError(load: () => unknown, key: string, source?: string): ConfigError {
  let caught: unknown;
  try {
    load();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${key}, got ${String(caught)}`);
  assert.equal(caught.key, key);
  assert.ok(caught.message.startsWith(`${key}: `), caught.message);
  if (source !== undefined) assert.equal(caught.source, source);
  return caught;
}

describe('bad values name their key', () => {
  it('the message has the documented shape', () => {
    const err = expectKeyError(() => loadConfig({ argv: ['--c2s-port', 'abc'], env: {}, cwd: dir }), 'c2s_port');
    assert.equal(err.message, 'c2s_port: must be an integer 0..65535, got "abc" (from --c2s-port)');
  });

  for (const spec of CONFIG_KEYS) {
    // Booleans given as flags take no value, so their bad values arrive only through the environment.
    if (spec.type !== 'boolean') {
      it(`a bad --${flagName(spec)} is reported as ${spec.key}`, () => {
        for (const bad of badTexts(spec)) {
          expectKeyError(() => loadConfig({ argv: [`--${flagName(spec)}=${bad}`], env: {}, cwd: dir }), spec.key, `--${flagName(spec)}`);
        }
      });
    }
    const envBad = badTexts(spec).filter((bad) => bad !== '');
    if (envBad.length > 0) {
      it(`a bad ${envName(spec)} is reported as ${spec.key}`, () => {
        for (const bad of envBad) {
          expectKeyError(() => loadConfig({ env: { [envName(spec)]: bad }, cwd: dir }), spec.key, envName(spec));
        }
      });
    }
    it(`a value of the wrong TOML type is reported as ${spec.key}`, () => {
      const [group, name] = spec.key.includes('.') ? spec.key.split('.') : [undefined, spec.key];
      const wrong = spec.type === 'integer' ? '"12"' : spec.type === 'list' ? '"single"' : spec.type === 'boolean' ? '"true"' : '42';
      const file = writeFile(dir, `wrong-${spec.key}.toml`, `${group ? `[${group}]\n` : ''}${name} = ${wrong}\n`);
      expectKeyError(() => loadConfig({ argv: ['--config', file], env: {}, cwd: dir }), spec.key, file);
    });
  }

  it('a value overridden by a higher source is still validated', () => {
    expectKeyError(() => loadConfig({ argv: ['--c2s-port', '1'], env: { ALMANAC_C2S_PORT: 'abc' }, cwd: dir }), 'c2s_port', 'ALMANAC_C2S_PORT');
  });

  it('a secret value is never echoed in the message', () => {
    const err = expectKeyError(() => loadConfig({ argv: ['--postgres-url', 'mysql://user:hunter2@db/x'], env: {}, cwd: dir }), 'postgres_url');
    assert.doesNotMatch(err.message, /hunter2/);
  });

  it('a list item that is wrong is named by its position', () => {
    const err = expectKeyError(() => loadConfig({ argv: ['--admins', 'a@example.com,oops'], env: {}, cwd: dir }), 'admins');
    assert.match(err.message, /item 2 must be a bare JID/);
  });
});

describe('rules across keys name the key to fix', () => {
  const cases: [string, string[], string][] = [
    ['postgres storage without a URL', ['--storage', 'postgres'], 'postgres_url'],
    ['a certificate without a key', ['--tls-cert-file', 'cert.pem'], 'tls.key_file'],
    ['a key without a certificate', ['--tls-key-file', 'key.pem'], 'tls.cert_file'],
    ['two listeners on one port', ['--https-port', '5280'], 'https_port'],
    ['polling as long as the inactivity limit', ['--bosh-polling', '60'], 'bosh.polling'],
    ['an outbound queue smaller than a stanza', ['--limits-outbound-queue-bytes', '100000', '--limits-max-stanza-bytes', '200000'], 'limits.outbound_queue_bytes'],
    ['a pubsub payload larger than a stanza', ['--pubsub-max-payload-bytes', '300000'], 'pubsub.max_payload_bytes'],
    ['more unauthenticated than total connections', ['--limits-max-unauthenticated-per-address', '200'], 'limits.max_unauthenticated_per_address'],
  ];
  for (const [what, argv, key] of cases) {
    it(`${what} is reported as ${key}`, () => {
      expectKeyError(() => loadConfig({ argv, env: {}, cwd: dir }), key);
    });
  }

  it('an unreadable certificate file is reported with its key', () => {
    const key = writeFile(dir, 'key.pem', 'not really a key');
    const err = expectKeyError(() => loadConfig({ argv: ['--tls-cert-file', 'missing.pem', '--tls-key-file', key], env: {}, cwd: dir }), 'tls.cert_file');
    assert.match(err.message, /ENOENT/);
  });

  it('readable certificate and key files are accepted as absolute paths', () => {
    const cert = writeFile(dir, 'cert.pem', 'cert');
    const key = writeFile(dir, 'key.pem', 'key');
    const config = loadConfig({ argv: ['--tls-cert-file', 'cert.pem', '--tls-key-file', 'key.pem'], env: {}, cwd: dir });
    assert.deepEqual(config.tls, { certFile: cert, keyFile: key });
  });

  it('postgres storage with a URL is accepted', () => {
    const config = loadConfig({ argv: ['--storage', 'postgres', '--postgres-url', 'postgres://almanac@localhost/almanac'], env: {}, cwd: dir });
    assert.equal(config.storage, 'postgres');
    assert.equal(config.postgresUrl, 'postgres://almanac@localhost/almanac');
  });
});

describe('addresses are normalised as the server compares them (RFC 7622)', () => {
  it('the domain is lower-cased and an A-label becomes its U-label', () => {
    assert.equal(loadConfig({ argv: ['--domain', 'Example.COM'], env: {}, cwd: dir }).domain, 'example.com');
    assert.equal(loadConfig({ argv: ['--domain', 'xn--mnchen-3ya.de'], env: {}, cwd: dir }).domain, 'münchen.de');
  });

  it('admin JIDs are normalised, and a full JID or a bare domain is refused', () => {
    assert.deepEqual(loadConfig({ argv: ['--admins', 'Boss@Example.COM'], env: {}, cwd: dir }).admins, ['boss@example.com']);
    expectKeyError(() => loadConfig({ argv: ['--admins', 'boss@example.com/laptop'], env: {}, cwd: dir }), 'admins');
    expectKeyError(() => loadConfig({ argv: ['--admins', 'example.com'], env: {}, cwd: dir }), 'admins');
  });

  it('IPv6 listen addresses and bracketed IPv6 upstreams are accepted', () => {
    const config = loadConfig({ argv: ['--listen', '::', '--upstream', '[::1]:5222'], env: {}, cwd: dir });
    assert.equal(config.listen, '::');
    assert.equal(config.connectionManager.upstream, '[::1]:5222');
  });
});
