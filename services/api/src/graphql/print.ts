// The schema as SDL text, as published in services/api/schema.graphql, and the check that a published text describes
// the same schema (types, fields, arguments, defaults and descriptions) whatever its formatting.
import { buildSchema, printSchema } from 'graphql';
import { typeDefs } from './type-defs.js';

export const schemaHeader = '# Generated from services/api/src/graphql/type-defs.ts by npm run schema -w @callpulse/api. Do not edit.\n\n';

export function printedSchema(): string {
  return `${schemaHeader}${printSchema(buildSchema(typeDefs))}\n`;
}

/** True when `published` (e.g. the file, after the formatter) is the code's schema. */
export function isCurrentSchema(published: string): boolean {
  try {
    return printSchema(buildSchema(published)) === printSchema(buildSchema(typeDefs));
  } catch {
    return false;
  }
}
