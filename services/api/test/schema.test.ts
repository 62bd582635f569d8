// services/api/schema.graphql is the code's schema; regenerate with `npm run build && npm run schema -w @callpulse/api`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { isCurrentSchema, printedSchema } from '../src/graphql/print.js';

it('publishes the current schema in services/api/schema.graphql', () => {
  const published = readFileSync(resolve(import.meta.dirname, '../schema.graphql'), 'utf8');
  expect(isCurrentSchema(published), 'schema.graphql is stale: run npm run build && npm run schema -w @callpulse/api').toBe(true);
  // The check can fail: a changed description is a different schema.
  expect(isCurrentSchema(printedSchema().replace('Who ended a leg.', 'Who ends a leg.'))).toBe(false);
});
