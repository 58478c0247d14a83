// Prosody's hashed accounts written directly, with the iteration count of the other two servers.
// Prosody 0.12 (mod_auth_internal_hashed) derives new accounts with 10,000 PBKDF2 iterations while
// ejabberd and almanac use 4,096 (RFC 7677 section 4's minimum); since every PLAIN login re-runs
// PBKDF2, the login rates would otherwise compare iteration counts. Each account file is what
// mod_auth_internal_hashed itself stores (RFC 5802 section 3: salt, iteration count, StoredKey and
// ServerKey as hex), and Prosody verifies a login with the count stored per account.

import { createHash, createHmac, pbkdf2, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export interface ProsodyAccounts {
  runDir: string;
  domain: string;
  count: number;
  prefix: string;
  password: string;
  iterations: number;
}

/** True when the run dir already holds these accounts at this iteration count. */
export function prosodyAccountsReady(a: ProsodyAccounts): boolean {
  const marker = join(a.runDir, 'bench-iterations');
  const created = join(a.runDir, 'users.created');
  return (
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === String(a.iterations) &&
    existsSync(created) &&
    Number(readFileSync(created, 'utf8')) >= a.count
  );
}

/** Writes data/<domain>/accounts/<user>.dat for every account; Prosody must not be running. */
export async function writeProsodyAccounts(a: ProsodyAccounts): Promise<void> {
  // Prosody's datamanager %-encodes every non-alphanumeric character of a host directory name.
  const dir = join(a.runDir, 'data', encodeHost(a.domain), 'accounts');
  mkdirSync(dir, { recursive: true });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < a.count) {
      const user = `${a.prefix}${next++}`;
      const salt = randomUUID();
      const salted = await pbkdf2Async(a.password, salt, a.iterations, 20, 'sha1');
      const clientKey = createHmac('sha1', salted).update('Client Key').digest();
      const storedKey = createHash('sha1').update(clientKey).digest('hex');
      const serverKey = createHmac('sha1', salted).update('Server Key').digest('hex');
      writeFileSync(
        join(dir, `${user}.dat`),
        `return {\n\t["iteration_count"] = ${a.iterations};\n\t["salt"] = "${salt}";\n` +
          `\t["server_key"] = "${serverKey}";\n\t["stored_key"] = "${storedKey}";\n};\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // The peer script skips its own user creation when users.created covers the count.
  writeFileSync(join(a.runDir, 'users.created'), String(a.count));
  writeFileSync(join(a.runDir, 'bench-iterations'), String(a.iterations));
}

function encodeHost(host: string): string {
  return host.replace(/[^a-zA-Z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
