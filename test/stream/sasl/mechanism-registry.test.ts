// RFC 6120 section 6.4.1 (the offered list, strongest first), RFC 9266 (-PLUS only where the stream
// can bind) and the clear-text rule of DESIGN.md section 6; what an unknown name yields (the stream
// layer answers invalid-mechanism).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMechanism, offeredMechanisms } from '../../../src/stream/sasl/index.js';
import { MemoryCredentials } from './memory-credentials.js';

const creds = new MemoryCredentials();
const plainTcp = { secure: false, domain: 'example.com' };
const tls12 = { secure: true, domain: 'example.com' };
const tls13 = { secure: true, domain: 'example.com', channelBinding: { type: 'tls-exporter' as const, data: Buffer.alloc(32) } };

describe('offeredMechanisms', () => {
  it('with channel binding: -PLUS first, then SCRAM, then the clear-text mechanisms', () => {
    assert.deepEqual(offeredMechanisms(tls13, { allowPlainInsecure: false }), [
      'SCRAM-SHA-256-PLUS',
      'SCRAM-SHA-1-PLUS',
      'SCRAM-SHA-256',
      'SCRAM-SHA-1',
      'PLAIN',
      'OAUTHBEARER',
      'X-OAUTH2',
    ]);
  });

  it('on TLS without binding data: no -PLUS', () => {
    assert.deepEqual(offeredMechanisms(tls12, { allowPlainInsecure: false }), ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN', 'OAUTHBEARER', 'X-OAUTH2']);
  });

  it('on an unencrypted stream: SCRAM only', () => {
    assert.deepEqual(offeredMechanisms(plainTcp, { allowPlainInsecure: false }), ['SCRAM-SHA-256', 'SCRAM-SHA-1']);
  });

  it('on an unencrypted stream where the operator allowed it: the clear-text mechanisms too', () => {
    assert.deepEqual(offeredMechanisms(plainTcp, { allowPlainInsecure: true }), ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN', 'OAUTHBEARER', 'X-OAUTH2']);
  });
});

describe('createMechanism', () => {
  it('every offered name gets an engine of that name', () => {
    for (const name of offeredMechanisms(tls13, { allowPlainInsecure: true })) {
      assert.equal(createMechanism(name, tls13, creds)?.name, name);
    }
  });

  it('-PLUS cannot be created on a stream without binding data', () => {
    assert.equal(createMechanism('SCRAM-SHA-256-PLUS', tls12, creds), undefined);
    assert.equal(createMechanism('SCRAM-SHA-1-PLUS', tls12, creds), undefined);
  });

  it('unknown and weak names get nothing, and names are case-sensitive', () => {
    for (const name of ['DIGEST-MD5', 'ANONYMOUS', 'EXTERNAL', 'scram-sha-1', '', 'SCRAM-SHA-512']) {
      assert.equal(createMechanism(name, tls13, creds), undefined, name);
    }
  });
});
