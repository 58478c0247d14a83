// Tests that drive real Debian software (slixmpp, Prosody, ejabberd, PostgreSQL, Redis, Chromium)
// install it themselves when it is missing, as CI (root, no terminal) allows. An flock serialises
// concurrent test files so two apt-get runs never fight over the dpkg lock. Never a silent skip:
// if installation fails, the test fails.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Installs `packages` unless `present()` already holds; throws with apt's output on failure. */
export function ensureDebianPackages(packages: string[], present: () => boolean): void {
  if (present()) return;
  const script =
    'export DEBIAN_FRONTEND=noninteractive; ' +
    '[ -f /var/lib/apt/periodic/almanac-updated ] || { apt-get update -qq && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/almanac-updated; }; ' +
    `apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`;
  execFileSync('flock', ['/tmp/almanac-apt.lock', 'sh', '-c', script], { stdio: 'pipe', timeout: 600_000 });
  if (!present()) throw new Error(`installed ${packages.join(', ')} but the check still fails`);
}

export function hasFile(path: string): () => boolean {
  return () => existsSync(path);
}

/** Debian's own python3, not a pyenv shim, so Debian's python3-* packages are importable. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export function pythonModulePresent(module: string): () => boolean {
  return () => {
    try {
      execFileSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
}
