// `almanac --version`: the version of the installed package, read from package.json so that it is
// never out of step with a release. This file is built to <build>/src/cli/, three levels below it.

import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
