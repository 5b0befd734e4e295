/**
 * Writes the JSON Schemas of the public shapes to docs/schemas/ (npm run schemas). A unit test
 * compares the committed files with what this generates, so they cannot drift from the zod schemas.
 *   npx tsx scripts/write-schemas.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { jsonSchemas } from './json-schemas';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'schemas');
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, schema] of Object.entries(jsonSchemas())) {
  const path = join(dir, file);
  const text = await format(JSON.stringify(schema), { ...((await resolveConfig(path)) ?? {}), filepath: path });
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      stale++;
      console.error(`${path} is out of date: run npm run schemas`);
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) process.exit(1);
