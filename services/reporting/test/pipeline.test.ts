// The consumer in-process against the real Kafka and ClickHouse: records land in every view; duplicates, a full
// replay and amendments leave every figure exactly right; bad messages go to the dead-letter topic.
import { headers, topicNames } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { legRecord, sessionRecord } from '@callpulse/testkit/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { type ReportingService, startReporting } from '../src/service.js';
import { expectedFigures, readFigures } from './support/figures.js';
import { cleanUp, produce, readTopic, silent, testConfig, testKafka, waitCommittedToEnd } from './support/harness.js';
import { callSet } from './support/records.js';

const config = testConfig('pipeline');
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = testKafka();
const clickhouse = createClickHouseClient({ url: config.CLICKHOUSE_URL, application: 'callpulse-test' });
const replayGroup = uniqueName('pipeline_replay');
const produced: Parameters<typeof expectedFigures>[0] = [];
let reporting: ReportingService;

const conflicts = async (handle: ReportingService) =>
  (await handle.metrics.versionConflicts.get()).values.reduce((sum, { value }) => sum + value, 0);

async function send(records: typeof produced, group = config.REPORTING_GROUP_ID) {
  produced.push(...records);
  await produce(kafka, topics.completedCalls, records);
  await waitCommittedToEnd(kafka, group, topics.completedCalls);
}

beforeAll(async () => {
  reporting = await startReporting(config, { logger: silent });
  await waitFor(async () => (await reporting.ready()) === true, { what: 'reporting ready' });
});

afterAll(async () => {
  await reporting?.stop();
  await clickhouse.close();
  await cleanUp(config, [config.REPORTING_GROUP_ID, replayGroup]);
});

describe('reporting pipeline', () => {
  it('loads produced records into every table and view', async () => {
    await send(callSet('a', 12));
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures(produced));
    expect(expectedFigures(produced).legs).toHaveLength(24);
  });

  it('changes no figure when the same records are delivered again', async () => {
    const before = await readFigures(clickhouse, config.CLICKHOUSE_DATABASE);
    await send(produced.slice(0, 20));
    await send(produced.slice(10, 36));
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(before);
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures(produced));
  });

  it('replaces an amended leg and session in every view, also across months and within one batch', async () => {
    const missed = legRecord({
      telephonySessionId: 'b-s1',
      partyId: 'b-p1',
      result: 'Missed',
      missedCall: true,
      talkMs: 0,
      holdMs: 0,
      holdCount: 0,
      ringMs: 30000,
      startMs: Date.UTC(2024, 0, 31, 23, 59, 59, 500),
    });
    await send([missed, sessionRecord({ telephonySessionId: 'b-s1', abandoned: true, firstAnswerMs: 0, waitMs: 0 })]);
    await send([
      {
        ...missed,
        version: 2,
        result: 'Answered',
        missedCall: false,
        talkMs: 45000,
        ringMs: 12000,
        startMs: Date.UTC(2024, 1, 1, 0, 0, 1),
      },
      sessionRecord({
        telephonySessionId: 'b-s1',
        version: 2,
        abandoned: false,
        firstAnswerMs: Date.UTC(2024, 4, 14, 9, 0, 12),
        waitMs: 11000,
      }),
    ]);
    // v2 and v3 of one leg in one batch, then a stale v1 again: only v3 counts.
    const leg = legRecord({ telephonySessionId: 'b-s2', partyId: 'b-p2', talkMs: 1000 });
    await send([leg]);
    await send([
      { ...leg, version: 3, talkMs: 3000, holdMs: 0 },
      { ...leg, version: 2, talkMs: 2000 },
    ]);
    await send([leg]);
    const figures = await readFigures(clickhouse, config.CLICKHOUSE_DATABASE);
    expect(figures).toEqual(expectedFigures(produced));
    expect(figures.legs.filter((line) => line.startsWith('b-s1|'))).toEqual([
      `b-s1|b-p1|2|Answered|12000|45000|0|${Date.UTC(2024, 1, 1, 0, 0, 1)}`,
    ]);
    expect(
      figures.extensionHourly.some((line) => line.includes('|Missed|') && line.includes(String(Date.UTC(2024, 0, 31, 23) / 1000))),
    ).toBe(false);
  });

  it('gives the same figures when a second consumer group replays the whole topic into the same database', async () => {
    const before = await readFigures(clickhouse, config.CLICKHOUSE_DATABASE);
    const replay = await startReporting({ ...config, REPORTING_GROUP_ID: replayGroup }, { logger: silent });
    try {
      await waitCommittedToEnd(kafka, replayGroup, topics.completedCalls);
    } finally {
      await replay.stop();
    }
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(before);
    expect(before).toEqual(expectedFigures(produced));
    // Every record read back against what is stored: the same content, never taken for a conflict.
    expect(await conflicts(replay)).toBe(0);
    expect(await conflicts(reporting)).toBe(0);
  });

  it('keeps the stored content when a version comes again with other content, and counts the conflict', async () => {
    const first = legRecord({ telephonySessionId: 'd-s1', partyId: 'd-p1', talkMs: 1000 });
    await send([first]);
    const before = await readFigures(clickhouse, config.CLICKHOUSE_DATABASE);
    await send([{ ...first, talkMs: 9999, result: 'Missed' }]);
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(before);
    expect(before.legs).toContain(`d-s1|d-p1|1|Answered|${first.ringMs}|1000|${first.holdMs}|${first.startMs}`);
    expect(await conflicts(reporting)).toBe(1);
  });

  it('dead-letters a record ClickHouse refuses and an undecodable message, and lands their batch-mates', async () => {
    const good = callSet('c', 3);
    // A lone surrogate passes JSON and the record schema, but ClickHouse cannot store the string.
    const poison = legRecord({ telephonySessionId: 'c-poison', partyId: 'c-poison-p', fromName: 'Broken \ud800 name' });
    const messages = [
      ...good.slice(0, 4),
      poison,
      { key: 'c-garbage', value: '{"kind":"leg", not json' },
      { key: 'c-shape', value: JSON.stringify({ kind: 'leg', schemaVersion: 1, version: 1 }) },
      ...good.slice(4),
    ];
    await produce(kafka, topics.completedCalls, messages);
    produced.push(...good);
    await waitCommittedToEnd(kafka, config.REPORTING_GROUP_ID, topics.completedCalls);
    expect(await readFigures(clickhouse, config.CLICKHOUSE_DATABASE)).toEqual(expectedFigures(produced));

    const letters = await readTopic(kafka, topics.reportingDeadLetter, 3);
    const byKey = new Map(letters.map((letter) => [letter.key, letter]));
    expect([...byKey.keys()].sort()).toEqual(['c-garbage', 'c-poison', 'c-shape']);
    expect(byKey.get('c-poison')?.headers[headers.deadLetterReason]).toMatch(/ClickHouse refused the leg row/);
    expect(byKey.get('c-poison')?.value).toBe(JSON.stringify(poison));
    expect(byKey.get('c-garbage')?.headers[headers.deadLetterReason]).toMatch(/not valid JSON/);
    expect(byKey.get('c-shape')?.headers[headers.deadLetterReason]).toMatch(/`accountId`/);
    expect(byKey.get('c-shape')?.headers[headers.sourceTopic]).toBe(topics.completedCalls);
    const metrics = await reporting.registry.getSingleMetricAsString('callpulse_reporting_dead_lettered_total');
    expect(metrics).toMatch(/reason="refused_by_clickhouse"[^\n]* 1/);
    expect(metrics).toMatch(/reason="undecodable"[^\n]* 2/);
  });
});
