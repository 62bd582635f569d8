// Migration files: services/reporting/migrations/NNNN_name.sql, applied in number order. Found relative to the
// package root (two levels above this module in both src/ and dist/), so the built service finds them too.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  /** sha256 of the file as written (before the database name is filled in). */
  checksum: string;
  sql: string;
}

const fileName = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads and orders the migrations; a .sql file with another name, or two with one number, is an error. */
export function readMigrations(dir = defaultMigrationsDir): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.sql'))) {
    const match = fileName.exec(file);
    if (!match?.[1]) throw new Error(`migration file ${file} in ${dir}: name must look like 0001_what_it_does.sql`);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    migrations.push({ version: Number(match[1]), name: file, checksum: createHash('sha256').update(sql).digest('hex'), sql });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && previous.version === migration.version) {
      throw new Error(`migrations ${previous.name} and ${migration.name} have the same number`);
    }
  });
  return migrations;
}

/**
 * Splits a migration into statements at each `;` outside quotes, backquotes and comments, drops comments, and puts
 * the escaped database name where `{{database}}` stands.
 */
export function migrationStatements(sql: string, databaseIdentifier: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i] as string;
    if (quote) {
      current += char;
      if (char === '\\') current += sql[++i] ?? '';
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '`' || char === '"') {
      quote = char;
      current += char;
    } else if (char === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      current += '\n';
    } else if (char === ';') {
      statements.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in migration`);
  statements.push(current);
  return statements.map((statement) => statement.trim().replaceAll('{{database}}', databaseIdentifier)).filter((s) => s.length > 0);
}
