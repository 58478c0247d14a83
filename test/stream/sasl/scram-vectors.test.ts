// RFC 5802 section 5 (SCRAM-SHA-1) and RFC 7677 section 3 (SCRAM-SHA-256) test vectors, replayed
// byte for byte against the server mechanism; and the key derivation of RFC 5802 section 3.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveScramCredentials, ScramMechanism, type ScramHash } from '../../../src/stream/sasl/index.js';
import { MemoryCredentials } from './memory-credentials.js';

interface Vector {
  hash: ScramHash;
  salt: string;
  serverNonce: string;
  clientFirst: string;
  serverFirst: string;
  clientFinal: string;
  serverFinal: string;
}

const vectors: Record<string, Vector> = {
  'RFC 5802 section 5 (SCRAM-SHA-1)': {
    hash: 'sha-1',
    salt: 'QSXCR+Q6sek8bf92',
    serverNonce: '3rfcNHYJY1ZVvWVs7j',
    clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
    serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    clientFinal: 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  },
  'RFC 7677 section 3 (SCRAM-SHA-256)': {
    hash: 'sha-256',
    salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
    serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
    serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
  },
};

async function serverFor(v: Vector, password = 'pencil'): Promise<ScramMechanism> {
  const creds = new MemoryCredentials().setKeys(
    'user',
    v.hash,
    await deriveScramCredentials(password, v.hash, 4096, Buffer.from(v.salt, 'base64')),
  );
  return new ScramMechanism({
    hash: v.hash,
    plus: false,
    ctx: { secure: true, domain: 'example.com' },
    creds,
    serverNonce: () => v.serverNonce,
  });
}

describe('SCRAM test vectors', () => {
  for (const [name, v] of Object.entries(vectors)) {
    it(`${name}: the server-first-message matches the RFC`, async () => {
      const server = await serverFor(v);
      const first = await server.start(Buffer.from(v.clientFirst));
      assert.equal(first.kind, 'challenge');
      assert.equal(first.kind === 'challenge' && first.data.toString(), v.serverFirst);
    });

    it(`${name}: the RFC client proof is accepted and the server signature matches the RFC`, async () => {
      const server = await serverFor(v);
      await server.start(Buffer.from(v.clientFirst));
      const final = await server.step(Buffer.from(v.clientFinal));
      assert.deepEqual(final, { kind: 'success', data: Buffer.from(v.serverFinal), username: 'user' });
    });

    it(`${name}: the same proof fails when the stored keys come from another password`, async () => {
      const server = await serverFor(v, 'pencil2');
      await server.start(Buffer.from(v.clientFirst));
      const final = await server.step(Buffer.from(v.clientFinal));
      assert.equal(final.kind === 'failure' && final.condition, 'not-authorized');
    });
  }
});

describe('deriveScramCredentials', () => {
  it('uses 4096 iterations and a fresh 16-byte salt by default', async () => {
    const a = await deriveScramCredentials('pencil', 'sha-256');
    const b = await deriveScramCredentials('pencil', 'sha-256');
    assert.equal(a.iterations, 4096);
    assert.equal(a.salt.length, 16);
    assert.notDeepEqual(a.salt, b.salt);
    assert.equal(a.storedKey.length, 32);
    assert.equal(a.serverKey.length, 32);
  });

  it('produces hash-sized keys for SHA-1', async () => {
    const c = await deriveScramCredentials('pencil', 'sha-1');
    assert.equal(c.storedKey.length, 20);
    assert.equal(c.serverKey.length, 20);
  });

  it('refuses fewer than 4096 iterations', async () => {
    await assert.rejects(deriveScramCredentials('pencil', 'sha-1', 4095), RangeError);
    await assert.rejects(deriveScramCredentials('pencil', 'sha-1', 4096.5), RangeError);
  });

  it('applies SASLprep: a soft hyphen is mapped to nothing and a no-break space to a space', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const plain = await deriveScramCredentials('I X', 'sha-256', 4096, salt);
    const mapped = await deriveScramCredentials('I\u00ad\u00a0X', 'sha-256', 4096, salt);
    assert.deepEqual(mapped, plain);
  });

  it('refuses a password SASLprep prohibits', async () => {
    await assert.rejects(deriveScramCredentials('bad\u0007', 'sha-256'));
  });

  it('derives more iterations when asked', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const a = await deriveScramCredentials('pencil', 'sha-1', 4096, salt);
    const b = await deriveScramCredentials('pencil', 'sha-1', 5000, salt);
    assert.equal(b.iterations, 5000);
    assert.notDeepEqual(a.storedKey, b.storedKey);
  });
});
