// Fast account creation for benchmarks: opens almanac's store directly (src/storage/open.ts) and
// creates bench0..bench<N-1> in one process, several key derivations in flight, instead of one
// `almanac user add` process per account. Credentials are derived by the server's own scramHasher,
// so logins cost exactly what they cost for accounts made with the CLI.
//
//   node dist/bench/accounts/create-almanac-accounts.js --data-dir DIR --count 10001 [--prefix bench] [--password secret]

import { pathToFileURL } from 'node:url';
import { openStorage } from '../../src/storage/open.js';
import { scramHasher } from '../../src/stream/password-credentials.js';
import { AccountExistsError } from '../../src/storage/accounts.js';

export interface AccountBatch {
  dataDir: string;
  count: number;
  prefix: string;
  password: string;
}

/** Creates the missing accounts; resolves how many were created. */
export async function createAccounts(batch: AccountBatch, progress?: (done: number) => void): Promise<number> {
  const storage = await openStorage({ dataDir: batch.dataDir, storage: 'sqlite' }, scramHasher);
  try {
    const existing = new Set(await storage.accounts.list());
    const missing = Array.from({ length: batch.count }, (_, i) => `${batch.prefix}${i}`).filter((u) => !existing.has(u));
    let next = 0;
    let created = 0;
    // PBKDF2 runs on libuv's thread pool: a few in flight keep both cores busy.
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const username = missing[next++];
        try {
          await storage.accounts.create(username, batch.password);
          created++;
          if (progress && created % 1000 === 0) progress(created);
        } catch (err) {
          if (!(err instanceof AccountExistsError)) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return created;
  } finally {
    await storage.close();
  }
}

function flag(args: string[], name: string, fallback?: string): string {
  const i = args.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < args.length) return args[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const batch: AccountBatch = {
    dataDir: flag(args, 'data-dir'),
    count: Number(flag(args, 'count', '10001')),
    prefix: flag(args, 'prefix', 'bench'),
    password: flag(args, 'password', 'secret'),
  };
  const t0 = performance.now();
  const created = await createAccounts(batch, (n) => process.stderr.write(`${n} created\n`));
  console.log(`${created} accounts created in ${((performance.now() - t0) / 1000).toFixed(1)} s (${batch.prefix}0..${batch.prefix}${batch.count - 1})`);
}
