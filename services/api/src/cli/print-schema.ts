// Writes services/api/schema.graphql from the code's schema and formats it with the repository's formatter (biome)
// (npm run schema -w @callpulse/api); with --check, exits 1 when the file is stale instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isCurrentSchema, printedSchema } from '../graphql/print.js';

const file = resolve(import.meta.dirname, '../../schema.graphql');
const biome = resolve(import.meta.dirname, '../../../../node_modules/.bin/biome');

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: stale
  }
  if (!isCurrentSchema(current)) {
    process.stderr.write(`${file} is stale: run npm run schema -w @callpulse/api\n`);
    process.exit(1);
  }
} else {
  writeFileSync(file, printedSchema());
  execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
  process.stdout.write(`wrote ${file}\n`);
}
