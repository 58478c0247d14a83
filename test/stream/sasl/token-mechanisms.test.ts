// RFC 7628 section 3 (OAUTHBEARER) and the X-OAUTH2 convention ("\0user\0token"): the message
// formats, the error challenge of RFC 7628 section 3.2.2, and each failure condition.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMechanism, type SaslStep } from '../../../src/stream/sasl/index.js';
import { brokenCredentials, MemoryCredentials } from './memory-credentials.js';

const ctx = { secure: true, domain: 'example.com' };
const creds = new MemoryCredentials().addToken('vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==', 'juliet').addToken('t2', 'romeo');
const condition = (step: SaslStep) => (step.kind === 'failure' ? step.condition : `no failure but ${step.kind}`);
const oauthbearer = () => createMechanism('OAUTHBEARER', ctx, creds)!;
const xoauth2 = () => createMechanism('X-OAUTH2', ctx, creds)!;
const TOKEN = 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==';

describe('OAUTHBEARER', () => {
  it('the RFC 7628 section 4.1 example layout authenticates', async () => {
    const message = `n,a=juliet@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer ${TOKEN}\x01\x01`;
    assert.deepEqual(await oauthbearer().start(Buffer.from(message)), {
      kind: 'success',
      username: 'juliet',
      authzid: 'juliet@example.com',
    });
  });

  it('the authzid may be omitted and the scheme name is case-insensitive', async () => {
    assert.deepEqual(await oauthbearer().start(Buffer.from(`n,,\x01auth=bearer ${TOKEN}\x01\x01`)), {
      kind: 'success',
      username: 'juliet',
    });
  });

  it('an unknown token gets a JSON error challenge and then not-authorized', async () => {
    const m = oauthbearer();
    const first = await m.start(Buffer.from('n,,\x01auth=Bearer nope\x01\x01'));
    assert.equal(first.kind, 'challenge');
    assert.deepEqual(JSON.parse(first.kind === 'challenge' ? first.data.toString() : ''), { status: 'invalid_token' });
    assert.deepEqual(await m.step(Buffer.from('\x01')), { kind: 'failure', condition: 'not-authorized' });
  });

  it('anything but a kvsep after the error challenge still ends in not-authorized', async () => {
    const m = oauthbearer();
    await m.start(Buffer.from('n,,\x01auth=Bearer nope\x01\x01'));
    assert.equal(condition(await m.step(Buffer.from(`n,,\x01auth=Bearer ${TOKEN}\x01\x01`))), 'not-authorized');
  });

  const malformed: Array<[string, string]> = [
    ['a missing auth pair', 'n,,\x01host=x\x01\x01'],
    ['a scheme other than Bearer', `n,,\x01auth=Basic ${TOKEN}\x01\x01`],
    ['a token with characters outside b64token', 'n,,\x01auth=Bearer a b\x01\x01'],
    ['a missing final kvsep', `n,,\x01auth=Bearer ${TOKEN}\x01`],
    ['a missing GS2 header', `\x01auth=Bearer ${TOKEN}\x01\x01`],
    ['channel binding requested', `p=tls-exporter,,\x01auth=Bearer ${TOKEN}\x01\x01`],
    ['a repeated key', `n,,\x01auth=Bearer ${TOKEN}\x01auth=Bearer ${TOKEN}\x01\x01`],
    ['a key with a digit', `n,,\x01auth=Bearer ${TOKEN}\x01h1=x\x01\x01`],
    ['a lone kvsep before any error', '\x01'],
    ['an empty response', ''],
  ];
  for (const [what, message] of malformed) {
    it(`${what} is malformed-request`, async () => {
      assert.equal(condition(await oauthbearer().start(Buffer.from(message))), 'malformed-request');
    });
  }

  it('invalid UTF-8 is malformed-request', async () => {
    assert.equal(condition(await oauthbearer().start(Buffer.from([0x6e, 0x2c, 0x2c, 0x01, 0xff, 0x01, 0x01]))), 'malformed-request');
  });

  it('an authzid naming another account is invalid-authzid', async () => {
    const message = `n,a=romeo@example.com,\x01auth=Bearer ${TOKEN}\x01\x01`;
    assert.equal(condition(await oauthbearer().start(Buffer.from(message))), 'invalid-authzid');
  });

  it('a token store that fails is temporary-auth-failure', async () => {
    const m = createMechanism('OAUTHBEARER', ctx, brokenCredentials)!;
    assert.equal(condition(await m.start(Buffer.from(`n,,\x01auth=Bearer ${TOKEN}\x01\x01`))), 'temporary-auth-failure');
  });
});

describe('X-OAUTH2', () => {
  it('a token with the account name as authcid authenticates', async () => {
    assert.deepEqual(await xoauth2().start(Buffer.from(`\0juliet\0${TOKEN}`)), { kind: 'success', username: 'juliet' });
  });

  it('the authcid may be the bare JID, as Google-style clients send it', async () => {
    assert.deepEqual(await xoauth2().start(Buffer.from(`\0Juliet@example.com\0${TOKEN}`)), { kind: 'success', username: 'juliet' });
  });

  it('an authcid naming another account than the token is not-authorized', async () => {
    assert.equal(condition(await xoauth2().start(Buffer.from(`\0romeo\0${TOKEN}`))), 'not-authorized');
    assert.equal(condition(await xoauth2().start(Buffer.from(`\0juliet@example.net\0${TOKEN}`))), 'not-authorized');
  });

  it('an unknown token is not-authorized', async () => {
    assert.equal(condition(await xoauth2().start(Buffer.from('\0juliet\0nope'))), 'not-authorized');
  });

  it('an authzid naming another account is invalid-authzid', async () => {
    assert.equal(condition(await xoauth2().start(Buffer.from(`romeo@example.com\0juliet\0${TOKEN}`))), 'invalid-authzid');
  });

  it('a message without the NUL layout is malformed-request', async () => {
    assert.equal(condition(await xoauth2().start(Buffer.from(TOKEN))), 'malformed-request');
  });

  it('a token store that fails is temporary-auth-failure', async () => {
    const m = createMechanism('X-OAUTH2', ctx, brokenCredentials)!;
    assert.equal(condition(await m.start(Buffer.from(`\0juliet\0${TOKEN}`))), 'temporary-auth-failure');
  });
});
