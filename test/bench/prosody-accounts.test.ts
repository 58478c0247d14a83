// Prosody account files written by the benchmark (bench/servers/prosody-accounts.ts) hold RFC 5802
// section 3 credentials that an independent SCRAM implementation (almanac's own) agrees with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prosodyAccountsReady, writeProsodyAccounts } from '../../bench/servers/prosody-accounts.js';
import { keysFromSaltedPassword, saltedPassword } from '../../src/stream/sasl/scram-keys.js';

describe('Prosody account files', () => {
  it('stored and server keys are SCRAM-SHA-1 of the password at the stated iteration count', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'bench-prosody-'));
    try {
      const accounts = { runDir, domain: 'bench.example', count: 2, prefix: 'u', password: 'secret', iterations: 4096 };
      assert.equal(prosodyAccountsReady(accounts), false);
      await writeProsodyAccounts(accounts);
      assert.equal(prosodyAccountsReady(accounts), true);
      assert.equal(prosodyAccountsReady({ ...accounts, iterations: 10000 }), false);
      // Prosody %-encodes every non-alphanumeric character of the host directory.
      const text = readFileSync(join(runDir, 'data', 'bench%2eexample', 'accounts', 'u1.dat'), 'utf8');
      const field = (name: string): string => new RegExp(`\\["${name}"\\] = "?([^";]+)"?;`).exec(text)?.[1] ?? '';
      assert.equal(field('iteration_count'), '4096');
      const salted = await saltedPassword('secret', 'sha-1', Buffer.from(field('salt')), 4096);
      const keys = keysFromSaltedPassword('sha-1', salted);
      assert.equal(field('stored_key'), keys.storedKey.toString('hex'));
      assert.equal(field('server_key'), keys.serverKey.toString('hex'));
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
