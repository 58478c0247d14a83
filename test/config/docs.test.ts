// docs/CONFIGURATION.md is generated from the schema (DESIGN.md section 6); the committed copy must be
// current and must list every key with its flag and environment variable.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coerceValue } from '../../src/config/coerce.js';
import { EXAMPLE_TOML, renderConfigurationDoc } from '../../src/config/docs.js';
import { envName, flagNames } from '../../src/config/names.js';
import { CONFIG_KEYS, findKey } from '../../src/config/schema.js';
import { readTomlFile } from '../../src/config/toml-file.js';
import { makeTempDir, writeFile } from './temp-dir.js';

// This file is built to <build>/test/config/, three levels below the repository.
const DOC = fileURLToPath(new URL('../../../docs/CONFIGURATION.md', import.meta.url));

describe('docs/CONFIGURATION.md', () => {
  it('the committed document matches the schema (regenerate with node dist/src/config/write-docs.js)', () => {
    assert.equal(readFileSync(DOC, 'utf8'), renderConfigurationDoc());
  });

  it('every key appears with its TOML key, flags and environment variable', () => {
    const doc = renderConfigurationDoc();
    for (const spec of CONFIG_KEYS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.key}\` |`));
      assert.ok(row, `no row for ${spec.key}`);
      assert.ok(row.includes(`\`${envName(spec)}\``), `${spec.key}: env`);
      for (const flag of flagNames(spec)) assert.ok(row.includes(`\`--${flag}\``), `${spec.key}: --${flag}`);
    }
  });

  it('the example file uses only known keys with valid values', () => {
    const file = writeFile(makeTempDir('docs'), 'example.toml', EXAMPLE_TOML);
    const values = readTomlFile(file);
    assert.ok(values.size >= 5);
    for (const [key, raw] of values) assert.doesNotThrow(() => coerceValue(findKey(key)!, raw), key);
  });
});
