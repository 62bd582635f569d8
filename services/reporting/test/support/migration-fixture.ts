// The set-up the backfill tests of one migration share: a database of their own, the migrations before it in a folder
// (so the stored rows predate it), the migration itself, and a writer that stores completed records as the service does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletedRecord } from '@callpulse/contracts';
import { type ClickHouseClient, createClickHouseClient } from '@callpulse/platform';
import { expect } from 'vitest';
import { clickhouseUrl, uniqueName } from '../../../../test/support/env.js';
import { type Migration, readMigrations } from '../../src/migrations/files.js';
import { RecordWriter } from '../../src/writer/writer.js';
import { silent } from './harness.js';

export interface MigrationFixture {
  database: string;
  clickhouse: ClickHouseClient;
  /** A folder holding every migration before `version`. */
  before: string;
  /** The migration under test (undefined if there is none with that version: the test says so). */
  migration: Migration | undefined;
  /** Stores the records through the reporting writer; none may be rejected. */
  write: (records: CompletedRecord[]) => Promise<void>;
  /** Drops the database, closes the client, removes the folder (for afterAll). */
  close: () => Promise<void>;
}

export function migrationFixture(name: string, version: number): MigrationFixture {
  const database = uniqueName(name);
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  const before = mkdtempSync(join(tmpdir(), `reporting-migrations-before-${version}-`));
  for (const migration of readMigrations().filter((m) => m.version < version)) writeFileSync(join(before, migration.name), migration.sql);
  const writer = new RecordWriter(clickhouse, database, silent);
  return {
    database,
    clickhouse,
    before,
    migration: readMigrations().find((migration) => migration.version === version),
    write: async (records) => {
      const result = await writer.write(records.map((record) => ({ record, source: record.telephonySessionId })));
      expect(result.rejected).toEqual([]);
    },
    close: async () => {
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await clickhouse.close();
      rmSync(before, { recursive: true, force: true });
    },
  };
}
