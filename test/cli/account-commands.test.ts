// DESIGN.md section 6: `almanac user add|passwd|remove|list` and `almanac token create`, against the
// storage the server uses; a JID is user@domain or user, another domain is an error; exit codes
// 0 done, 1 operation failed, 2 usage.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run.js';
import { fakeContext } from './fake-context.js';

describe('almanac user', () => {
  it('add creates the account under its normalised localpart and says so', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'add', 'Alice@LOCALHOST', 's3cret'], context), 0);
    assert.equal(context.accounts.passwords.get('alice'), 's3cret');
    assert.deepEqual(context.out, ['added alice@localhost']);
  });

  it('a bare username means an account at the configured domain', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'add', 'bob', 'pw', '--domain', 'example.com'], context), 0);
    assert.deepEqual(context.out, ['added bob@example.com']);
  });

  it('adding an existing account fails with exit code 1', async () => {
    const context = fakeContext();
    await context.accounts.create('alice', 'old');
    assert.equal(await runCli(['user', 'add', 'alice', 'new'], context), 1);
    assert.deepEqual(context.err, ['error: alice@localhost already exists']);
    assert.equal(context.accounts.passwords.get('alice'), 'old');
  });

  it('a JID of another domain is a usage error and storage is not touched', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'add', 'alice@elsewhere.org', 'pw'], context), 2);
    assert.match(context.err[0]!, /^error: alice@elsewhere\.org is not on this server's domain localhost/);
    assert.equal(context.storageOpened, 0);
  });

  it('a full JID is a usage error', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'remove', 'alice@localhost/phone'], context), 2);
    assert.match(context.err[0]!, /names a resource/);
  });

  it('an invalid localpart is a usage error', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'add', 'al ice', 'pw'], context), 2);
    assert.match(context.err[0]!, /^error: "al ice" is not a valid account/);
  });

  it('a password of - is read from the first line of standard input', async () => {
    const context = fakeContext({ stdin: 'from stdin\nignored\n' });
    assert.equal(await runCli(['user', 'add', 'carol', '-'], context), 0);
    assert.equal(context.accounts.passwords.get('carol'), 'from stdin');
  });

  it('an empty password is a usage error', async () => {
    const context = fakeContext({ stdin: '\n' });
    assert.equal(await runCli(['user', 'add', 'carol', '-'], context), 2);
    assert.equal(context.accounts.passwords.size, 0);
  });

  it('passwd replaces the password of an existing account', async () => {
    const context = fakeContext();
    await context.accounts.create('alice', 'old');
    assert.equal(await runCli(['user', 'passwd', 'alice', 'new'], context), 0);
    assert.equal(context.accounts.passwords.get('alice'), 'new');
    assert.deepEqual(context.out, ['changed the password of alice@localhost']);
  });

  it('passwd of a missing account fails with exit code 1', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'passwd', 'nobody', 'pw'], context), 1);
    assert.deepEqual(context.err, ['error: no account nobody@localhost']);
  });

  it('remove deletes the account and revokes its tokens', async () => {
    const context = fakeContext();
    await context.accounts.create('alice', 'pw');
    assert.equal(await runCli(['user', 'remove', 'alice'], context), 0);
    assert.equal(await context.accounts.exists('alice'), false);
    assert.deepEqual(context.tokens.revokedUsers, ['alice']);
    assert.deepEqual(context.out, ['removed alice@localhost']);
  });

  it('remove of a missing account fails with exit code 1', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['user', 'remove', 'ghost'], context), 1);
  });

  it('list prints every account as a sorted bare JID, one a line', async () => {
    const context = fakeContext();
    await context.accounts.create('zoe', 'pw');
    await context.accounts.create('adam', 'pw');
    assert.equal(await runCli(['user', 'list', '--domain', 'example.com'], context), 0);
    assert.deepEqual(context.out, ['adam@example.com', 'zoe@example.com']);
  });

  it('storage is opened from the configuration and closed after each command, also after a failure', async () => {
    const context = fakeContext({ env: { ALMANAC_DATA_DIR: '/var/lib/almanac' } });
    await runCli(['user', 'remove', 'ghost'], context);
    await runCli(['user', 'list'], context);
    assert.equal(context.storageOpened, 2);
    assert.equal(context.storageClosed, 2);
    assert.equal(context.configs[0]?.dataDir, '/var/lib/almanac');
  });

  it('missing, extra or unknown arguments are usage errors with exit code 2', async () => {
    for (const argv of [['user'], ['user', 'add', 'alice'], ['user', 'list', 'extra'], ['user', 'rename', 'a', 'b']]) {
      const context = fakeContext();
      assert.equal(await runCli(argv, context), 2, argv.join(' '));
      assert.match(context.err[0]!, /^error: /);
      assert.equal(context.err[1], 'Run "almanac help user" for usage.');
    }
  });
});

describe('almanac token create', () => {
  it('prints only the new token, labelled as issued by the CLI', async () => {
    const context = fakeContext();
    await context.accounts.create('alice', 'pw');
    assert.equal(await runCli(['token', 'create', 'alice@localhost'], context), 0);
    assert.deepEqual(context.out, ['token-1']);
    assert.equal(context.tokens.issued[0]?.username, 'alice');
    assert.equal(context.tokens.issued[0]?.label, 'cli');
  });

  it('refuses an account that does not exist, with exit code 1', async () => {
    const context = fakeContext();
    assert.equal(await runCli(['token', 'create', 'nobody'], context), 1);
    assert.deepEqual(context.err, ['error: no account nobody@localhost']);
    assert.equal(context.tokens.issued.length, 0);
  });

  it('needs the create action and one JID', async () => {
    for (const argv of [['token'], ['token', 'delete', 'alice'], ['token', 'create'], ['token', 'create', 'a', 'b']]) {
      assert.equal(await runCli(argv, fakeContext()), 2, argv.join(' '));
    }
  });
});
