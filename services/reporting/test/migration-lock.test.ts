// The migration lock on the real ClickHouse: instances starting together apply each migration once (0006's
// backfill not doubled), a stale lock from a dead holder is taken over, a fresh one is waited for, SIGTERM ends a wait.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletedLegRecord } from '@callpulse/contracts';
import { type ClickHouseClient, createClickHouseClient, createLogger, type Logger } from '@callpulse/platform';
import { legRecord, sessionRecord } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { freePort, startServiceProcess } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { type Migration, migrationStatements, readMigrations } from '../src/migrations/files.js';
import { acquireMigrationLock, MigrationLockError } from '../src/migrations/lock.js';
import { lockTableName, staleLockTableName } from '../src/migrations/lock-rules.js';
import { migrate } from '../src/migrations/migrate.js';
import { RecordWriter } from '../src/writer/writer.js';
import { silent } from './support/harness.js';

const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const databases: string[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const database of databases) await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await clickhouse.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function database(label: string): string {
  const name = uniqueName(label);
  databases.push(name);
  return name;
}

/** One client per "instance", as two reporting processes would have. */
function instance(): ClickHouseClient {
  return createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test', requestTimeoutMs: 600_000 });
}

async function rows<T = Record<string, string>>(query: string): Promise<T[]> {
  return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** A logger whose lines the test reads. */
function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('test', 'info', { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function plantLock(db: string, holder: string, ageSeconds: number): Promise<void> {
  await clickhouse.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await clickhouse.command({
    query: `CREATE TABLE ${db}.${lockTableName} (holder String, beat_at DateTime) ENGINE = MergeTree ORDER BY beat_at`,
  });
  await beatAs(db, holder, ageSeconds);
}

const beatAs = (db: string, holder: string, ageSeconds = 0) =>
  clickhouse.command({ query: `INSERT INTO ${db}.${lockTableName} (holder, beat_at) SELECT '${holder}', now() - ${ageSeconds}` });

const tables = async (db: string) =>
  (await rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${db}' AND name LIKE '${lockTableName}%'`)).map(
    (row) => row.name,
  );

const allNames = () => readMigrations().map((migration) => migration.name);

describe('migrations started together', () => {
  it('on an empty database: each migration applied and recorded once, the lock gone afterwards', async () => {
    const db = database('lock_empty');
    const [a, b] = [instance(), instance()];
    try {
      const results = await Promise.all([a, b].map((client) => migrate({ clickhouse: client, database: db, logger: silent })));
      expect(results.flatMap((result) => result.applied).sort()).toEqual(allNames());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const recorded = await rows<{ version: number; n: string }>(
      `SELECT version, count() AS n FROM ${db}.schema_migrations GROUP BY version ORDER BY version`,
    );
    expect(recorded.map((row) => [row.version, Number(row.n)])).toEqual(readMigrations().map((m) => [m.version, 1]));
    expect(await tables(db)).toEqual([]);
  });

  // Stored legs on a database migrated up to 0005 (then 0006 backfills extension_hourly) or to 0009 (then 0010
  // copies legs into legs_by_start): three instances migrating together give the sums of one instance alone.
  it.each([
    [5, '0006'],
    [9, '0010'],
  ])('on stored legs migrated up to %i: the backfill of %s is not doubled (the same sums as one instance alone)', async (upTo) => {
    const before = mkdtempSync(join(tmpdir(), `reporting-lock-${upTo}-`));
    dirs.push(before);
    for (const migration of readMigrations().filter((m) => m.version <= upTo)) writeFileSync(join(before, migration.name), migration.sql);
    const hour = Date.UTC(2024, 4, 14, 9);
    const legs: CompletedLegRecord[] = Array.from({ length: 40 }, (_, i) =>
      legRecord({
        telephonySessionId: `s-lock-${i}`,
        partyId: `p-lock-${i}`,
        extensionId: `ext-${i % 4}`,
        startMs: hour + i * 300_000,
        ringMs: i % 3 === 0 ? 0 : 4000,
        talkMs: i % 4 === 0 ? 0 : 50_000,
        holdMs: i % 2 === 0 ? 0 : 3000,
        result: i % 4 === 0 ? 'Missed' : 'Answered',
      }),
    );
    const sessions = Array.from({ length: 10 }, (_, i) => sessionRecord({ telephonySessionId: `s-lock-${i}` }));
    const prepare = async (db: string) => {
      await migrate({ clickhouse, database: db, logger: silent, dir: before });
      const written = await new RecordWriter(clickhouse, db, silent).write(
        [...legs, ...sessions].map((record) => ({ record, source: record.telephonySessionId })),
      );
      expect(written.rejected).toEqual([]);
    };
    const numbers = (list: Array<Record<string, unknown>>) =>
      list.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])));
    const figures = async (db: string) => ({
      hourly: numbers(
        await rows(
          `SELECT sum(sum_legs) AS legs, sum(sum_ring_legs) AS ring, sum(sum_talk_legs) AS talk, sum(sum_hold_legs) AS hold,
           sum(sum_ring_ms) AS ring_ms FROM ${db}.extension_hourly`,
        ),
      ),
      byStart: numbers(await rows(`SELECT count() AS legs FROM ${db}.legs_by_start`)),
      migrations: numbers(await rows(`SELECT version, count() AS n FROM ${db}.schema_migrations GROUP BY version ORDER BY version`)),
    });

    const alone = database('lock_alone');
    await prepare(alone);
    await migrate({ clickhouse, database: alone, logger: silent });

    const together = database('lock_together');
    await prepare(together);
    const clients = [instance(), instance(), instance()];
    try {
      const results = await Promise.all(clients.map((client) => migrate({ clickhouse: client, database: together, logger: silent })));
      expect(results.flatMap((result) => result.applied).sort()).toEqual(
        readMigrations()
          .filter((m) => m.version > upTo)
          .map((m) => m.name),
      );
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }

    const expected = await figures(alone);
    expect(expected.hourly).toEqual([{ legs: 40, ring: 26, talk: 30, hold: 20, ring_ms: 104000 }]);
    expect(expected.byStart).toEqual([{ legs: 40 }]);
    expect(await figures(together)).toEqual(expected);
  });
});

describe('a lock held by another instance', () => {
  it('is taken over once its last heartbeat is older than the stale limit (a holder killed with SIGKILL)', async () => {
    const db = database('lock_stale');
    await plantLock(db, 'dead-host:4242:deadbeef', 600);
    const { logger, lines } = recordingLogger();
    const started = Date.now();
    const { applied } = await migrate({ clickhouse, database: db, logger, lock: { staleAfterMs: 2000, waitLimitMs: 0 } });
    expect(applied).toEqual(allNames());
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(lines.find((line) => line.msg === 'taking over a stale migration lock')).toMatchObject({
      staleHolder: 'dead-host:4242:deadbeef',
    });
    // The lock and the moved stale one are gone.
    expect(await tables(db)).toEqual([]);
  });

  it('is taken over by one of two instances that find it stale together; each migration is applied once', async () => {
    const db = database('lock_stale_two');
    await plantLock(db, 'dead-host:4343:deadbeef', 600);
    const clients = [instance(), instance()];
    try {
      const results = await Promise.all(
        clients.map((client) =>
          migrate({ clickhouse: client, database: db, logger: silent, lock: { staleAfterMs: 2000, waitLimitMs: 0 } }),
        ),
      );
      expect(results.flatMap((result) => result.applied).sort()).toEqual(allNames());
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    const twice = await rows(`SELECT version FROM ${db}.schema_migrations GROUP BY version HAVING count() > 1`);
    expect(twice).toEqual([]);
    expect(await tables(db)).toEqual([]);
  });

  it("is taken over once: a second waiter that found the same holder stale cannot move the new holder's lock", async () => {
    const db = database('lock_stale_late');
    const dead = 'dead-host:4444:deadbeef';
    await plantLock(db, dead, 600);
    const lock = await acquireMigrationLock({ clickhouse, database: db, logger: silent, settings: { staleAfterMs: 2000, waitLimitMs: 0 } });
    try {
      // What the second waiter does next, late: move the lock it judged stale aside. The name is taken until release.
      await expect(
        clickhouse.command({ query: `RENAME TABLE ${db}.${lockTableName} TO ${db}.${staleLockTableName(dead)}` }),
      ).rejects.toThrow(/Code: 57/);
      lock.assertHeld();
      expect(await rows(`SELECT DISTINCT holder FROM ${db}.${lockTableName}`)).toEqual([{ holder: lock.holder }]);
    } finally {
      await lock.release();
    }
    expect(await tables(db)).toEqual([]);
  });

  it('is taken over when its creator died before its first heartbeat (empty for longer than the limit)', async () => {
    const db = database('lock_stale_empty');
    await clickhouse.command({ query: `CREATE DATABASE ${db}` });
    await clickhouse.command({
      query: `CREATE TABLE ${db}.${lockTableName} (holder String, beat_at DateTime) ENGINE = MergeTree ORDER BY beat_at`,
    });
    const started = Date.now();
    const lock = await acquireMigrationLock({ clickhouse, database: db, logger: silent, settings: { staleAfterMs: 1000, waitLimitMs: 0 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await tables(db)).toEqual([lockTableName, staleLockTableName(undefined)].sort());
    await lock.release();
    expect(await tables(db)).toEqual([]);
  });

  it('is waited for while it beats (logging whom for), then taken once released; nothing is applied twice', async () => {
    const db = database('lock_fresh');
    const other = 'other-host:1:cafe';
    await plantLock(db, other, 0);
    const beating = setInterval(() => void beatAs(db, other).catch(() => undefined), 300);
    const { logger, lines } = recordingLogger();
    let settled = false;
    const migrating = migrate({ clickhouse, database: db, logger, lock: { staleAfterMs: 2000, waitLimitMs: 0 } }).finally(() => {
      settled = true;
    });
    try {
      // Three times the stale limit: still waiting, nothing applied, and it said for whom.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(settled).toBe(false);
      expect(await rows(`SELECT name FROM system.tables WHERE database = '${db}' AND name = 'legs'`)).toEqual([]);
      expect(lines.find((line) => line.msg === 'waiting for the migration lock')).toMatchObject({ holder: other });
      // The other instance applies 0001 and records it, then releases its lock.
      const first = readMigrations()[0] as Migration;
      await clickhouse.command({
        query: `CREATE TABLE ${db}.schema_migrations (version UInt32, name String, checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
      });
      for (const statement of migrationStatements(first.sql, db)) await clickhouse.command({ query: statement });
      await clickhouse.command({
        query: `INSERT INTO ${db}.schema_migrations VALUES (${first.version}, '${first.name}', '${first.checksum}', now())`,
      });
    } finally {
      clearInterval(beating);
    }
    await clickhouse.command({ query: `DROP TABLE ${db}.${lockTableName}` });
    const { applied } = await migrating;
    expect(applied).toEqual(allNames().slice(1));
    const recorded = await rows<{ n: string }>(`SELECT count() AS n FROM ${db}.schema_migrations GROUP BY version HAVING n > 1`);
    expect(recorded).toEqual([]);
    expect(lines.find((line) => line.msg === 'took the migration lock')).toBeDefined();
  }, 30_000);

  it('is no longer waited for once the service stops (SIGTERM aborts the wait at once)', async () => {
    const db = database('lock_abort');
    await plantLock(db, 'busy-host:2:beef', 0);
    const stopping = new AbortController();
    const { logger, lines } = recordingLogger();
    const migrating = migrate({ clickhouse, database: db, logger, signal: stopping.signal });
    // Until it waits for the lock (it logs that on its first look).
    await waitFor(async () => lines.some((line) => line.msg === 'waiting for the migration lock'), {
      timeoutMs: 10000,
      what: 'the wait for the lock',
    });
    const aborted = Date.now();
    stopping.abort();
    await expect(migrating).rejects.toThrow(/abort/i);
    expect(Date.now() - aborted).toBeLessThan(500);
    expect(await tables(db)).toEqual([lockTableName]); // the other's lock is left alone
  });

  it('gives up after the wait limit, naming the holder', async () => {
    const db = database('lock_wait_limit');
    await plantLock(db, 'slow-host:3:f00d', 0);
    const beating = setInterval(() => void beatAs(db, 'slow-host:3:f00d').catch(() => undefined), 300);
    try {
      await expect(migrate({ clickhouse, database: db, logger: silent, lock: { staleAfterMs: 5000, waitLimitMs: 1500 } })).rejects.toThrow(
        /gave up waiting for the migration lock.*slow-host:3:f00d/,
      );
    } finally {
      clearInterval(beating);
    }
  });
});

describe('a holder whose lock was taken over', () => {
  it('sends no further statement', async () => {
    const db = database('lock_lost');
    await clickhouse.command({ query: `CREATE DATABASE ${db}` });
    const lock = await acquireMigrationLock({ clickhouse, database: db, logger: silent, settings: { staleAfterMs: 1000, waitLimitMs: 0 } });
    lock.assertHeld();
    // Another instance found it stale (this one paused) and took it over.
    await clickhouse.command({ query: `RENAME TABLE ${db}.${lockTableName} TO ${db}.${staleLockTableName(lock.holder)}` });
    await plantLock(db, 'new-holder:5:abcd', 0);
    // Until its next heartbeat (1000 / 8, at least 250 ms) has found the lock gone.
    const lost = () => {
      try {
        lock.assertHeld();
        return false;
      } catch {
        return true;
      }
    };
    await waitFor(async () => lost(), { timeoutMs: 10000, what: 'the heartbeat that finds the lock taken over' });
    expect(() => lock.assertHeld()).toThrow(MigrationLockError);
    await lock.release();
    // The new holder's lock stays.
    expect(await rows(`SELECT DISTINCT holder FROM ${db}.${lockTableName}`)).toEqual([{ holder: 'new-holder:5:abcd' }]);
  });
});

describe('the built service', () => {
  const env = async (db: string) => ({
    REPORTING_PORT: String(await freePort()),
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: `${db}.`,
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_DATABASE: db,
    REPORTING_GROUP_ID: db,
    LOG_LEVEL: 'info',
  });

  it('says for whom it waits, and a SIGTERM while it waits stops it at once (exit 0)', async () => {
    const db = database('lock_service');
    await plantLock(db, 'other-host:7:aaaa', 0);
    const beating = setInterval(() => void beatAs(db, 'other-host:7:aaaa').catch(() => undefined), 500);
    const service = startServiceProcess('reporting', { ...(await env(db)), REPORTING_MIGRATION_LOCK_STALE_MS: '5000' });
    try {
      await waitFor(async () => service.output().includes('waiting for the migration lock'), {
        what: 'the wait logged',
        timeoutMs: 20_000,
      });
      expect(service.output()).toContain('other-host:7:aaaa');
      const stopped = Date.now();
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(Date.now() - stopped).toBeLessThan(5000);
      expect(service.output()).not.toContain('could not start');
    } finally {
      clearInterval(beating);
      await service.stop('SIGKILL');
    }
  }, 60_000);

  it('names a bad lock setting and exits 78', async () => {
    const db = database('lock_config');
    const service = startServiceProcess('reporting', { ...(await env(db)), REPORTING_MIGRATION_LOCK_STALE_MS: '500' });
    expect(await service.exited).toBe(78);
    expect(service.output()).toContain('REPORTING_MIGRATION_LOCK_STALE_MS');
  }, 30_000);
});
