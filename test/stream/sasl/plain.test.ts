// RFC 4616 (PLAIN) with RFC 6120 sections 6.3.8-6.3.9 and 6.5: the message grammar, password and
// username preparation, the authzid rule, and each failure condition.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMechanism, type SaslStep } from '../../../src/stream/sasl/index.js';
import { brokenCredentials, MemoryCredentials } from './memory-credentials.js';

let shared: MemoryCredentials | undefined;
async function plain() {
  shared ??= await new MemoryCredentials().addUser('juliet', 'I\u00a0X');
  return createMechanism('PLAIN', { secure: true, domain: 'example.com' }, shared)!;
}
const send = async (message: string | Buffer) => (await plain()).start(Buffer.isBuffer(message) ? message : Buffer.from(message));
const condition = (step: SaslStep) => (step.kind === 'failure' ? step.condition : `no failure but ${step.kind}`);

describe('PLAIN', () => {
  it('authcid and password authenticate', async () => {
    assert.deepEqual(await send('\0juliet\0I\u00a0X'), { kind: 'success', username: 'juliet' });
  });

  it('the authcid is case-mapped like a JID localpart', async () => {
    assert.deepEqual(await send('\0JULIET\0I\u00a0X'), { kind: 'success', username: 'juliet' });
  });

  it('the password is compared after SASLprep (no-break space is a space)', async () => {
    assert.equal((await send('\0juliet\0I X')).kind, 'success');
  });

  it("an authzid equal to the account's bare JID is accepted and reported normalised", async () => {
    assert.deepEqual(await send('Juliet@Example.COM\0juliet\0I X'), {
      kind: 'success',
      username: 'juliet',
      authzid: 'juliet@example.com',
    });
  });

  const malformed: Array<[string, string | Buffer]> = [
    ['no NUL at all', 'julietsecret'],
    ['only one NUL', 'juliet\0secret'],
    ['three NULs', '\0juliet\0sec\0ret'],
    ['an empty authcid', '\0\0secret'],
    ['an empty password', '\0juliet\0'],
    ['invalid UTF-8', Buffer.from([0, 0x6a, 0, 0xff, 0xfe])],
    ['an oversized message', '\0juliet\0' + 'x'.repeat(5000)],
    ['an empty response', ''],
  ];
  for (const [what, message] of malformed) {
    it(`${what} is malformed-request`, async () => {
      assert.equal(condition(await send(message)), 'malformed-request');
    });
  }

  it('a wrong password is not-authorized', async () => {
    assert.equal(condition(await send('\0juliet\0wrong')), 'not-authorized');
  });

  it('an unknown user is not-authorized', async () => {
    assert.equal(condition(await send('\0romeo\0I X')), 'not-authorized');
  });

  it('an authcid that cannot be a localpart is not-authorized', async () => {
    assert.equal(condition(await send('\0juliet@example.com\0I X')), 'not-authorized');
  });

  it('a password SASLprep prohibits is not-authorized', async () => {
    assert.equal(condition(await send('\0juliet\0I X\u0007')), 'not-authorized');
  });

  it('an authzid naming another account is invalid-authzid', async () => {
    assert.equal(condition(await send('romeo@example.com\0juliet\0I X')), 'invalid-authzid');
  });

  it('an authzid on another domain is invalid-authzid', async () => {
    assert.equal(condition(await send('juliet@example.net\0juliet\0I X')), 'invalid-authzid');
  });

  it('an authzid that is not a JID is invalid-authzid', async () => {
    assert.equal(condition(await send('@@\0juliet\0I X')), 'invalid-authzid');
  });

  it('the authzid is only judged after the password, so a wrong password stays not-authorized', async () => {
    assert.equal(condition(await send('romeo@example.com\0juliet\0wrong')), 'not-authorized');
  });

  it('a credential store that fails is temporary-auth-failure', async () => {
    const m = createMechanism('PLAIN', { secure: true, domain: 'example.com' }, brokenCredentials)!;
    assert.equal(condition(await m.start(Buffer.from('\0juliet\0I X'))), 'temporary-auth-failure');
  });

  it('a second response after the result is malformed-request', async () => {
    const m = await plain();
    await m.start(Buffer.from('\0juliet\0I X'));
    assert.equal(condition(await m.step(Buffer.from('\0juliet\0I X'))), 'malformed-request');
  });

  it('without an initial response the server sends an empty challenge', async () => {
    const m = await plain();
    assert.deepEqual(await m.start(undefined), { kind: 'challenge', data: Buffer.alloc(0) });
    assert.equal((await m.step(Buffer.from('\0juliet\0I X'))).kind, 'success');
  });
});
