// Writes docs/CONFIGURATION.md from the schema (see docs.ts). Run after changing src/config/schema.ts:
//   npx tsc -p tsconfig.json && node dist/src/config/write-docs.js [OUTPUT]
// The default output is the repository's docs/CONFIGURATION.md (this file is built to <build>/src/config/).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDoc } from './docs.js';

const CONFIGURATION_DOC_PATH = fileURLToPath(new URL('../../../docs/CONFIGURATION.md', import.meta.url));

const output = process.argv[2] ?? CONFIGURATION_DOC_PATH;
writeFileSync(output, renderConfigurationDoc());
console.log(`wrote ${output}`);
