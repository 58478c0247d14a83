// DESIGN.md section 6 end to end: `almanac user ...` and `almanac token create` as child processes on a
// real data directory, through the storage the server opens (src/storage/open.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTempDir } from '../config/temp-dir.js';
import { runAlmanac } from './cli-process.js';

const dataDir = makeTempDir('cli-accounts');
const almanac = (args: string[], input?: string) => runAlmanac([...args, '--data-dir', dataDir], { input });

describe('account administration on a data directory', () => {
  it('a user added by one process is listed, re-keyed, given a token and removed by later ones', () => {
    let result = almanac(['user', 'add', 'alice', 'first-password']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'added alice@localhost\n');

    result = almanac(['user', 'add', 'Bob@localhost', '-'], 'bobs-password\n');
    assert.equal(result.status, 0, result.stderr);

    result = almanac(['user', 'list']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'alice@localhost\nbob@localhost\n');

    result = almanac(['user', 'add', 'alice', 'again']);
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'error: alice@localhost already exists\n');

    result = almanac(['user', 'passwd', 'alice', 'second-password']);
    assert.equal(result.status, 0, result.stderr);

    result = almanac(['token', 'create', 'alice']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^\S{16,}\n$/);

    result = almanac(['user', 'remove', 'alice@localhost']);
    assert.equal(result.status, 0, result.stderr);

    result = almanac(['user', 'list']);
    assert.equal(result.stdout, 'bob@localhost\n');
  });

  it('operations on a missing account exit 1', () => {
    for (const args of [['user', 'passwd', 'ghost', 'pw'], ['user', 'remove', 'ghost'], ['token', 'create', 'ghost']]) {
      const result = almanac(args);
      assert.equal(result.status, 1, args.join(' '));
      assert.equal(result.stderr, 'error: no account ghost@localhost\n');
    }
  });
});
