// The whole pipeline (built ingest, call-state and reporting as child processes, real Kafka, Redis and ClickHouse):
// simulated traffic with disorder and duplicates, started before the webhook is even up, must verify with zero
// differences; a truth with one talk time changed by 2 ms and one leg removed must report exactly those.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redisKeys, topicNames } from '@callpulse/contracts';
import { createClickHouseClient, createKafka, createLogger, createRedis, escapeIdentifier } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, kafkaBrokers, redisUrl, uniqueName } from '../../../test/support/env.js';
import { countMessages } from '../../../test/support/kafka-reader.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';
import { seedDirectory } from '../src/directory-seed.js';
import { runSimulation, type SimulationSummary } from '../src/simulation.js';
import { simulatedAccount } from '../src/traffic/account.js';
import { readTruth, type TruthLeg, type TruthLine } from '../src/truth.js';
import { byLeg } from '../src/verify/compare.js';
import { type VerifyOptions, type VerifyReport, verify } from '../src/verify/run.js';

const name = uniqueName('sim');
const topicPrefix = `${name}.`;
const redisPrefix = `${name}:`;
const database = name;
const callStateGroup = `${name}_call_state`;
const reportingGroup = `${name}_reporting`;
const token = `token-${name}`;
const dir = mkdtempSync(join(tmpdir(), 'callpulse-sim-'));
const truthFile = join(dir, 'truth.jsonl');
const account = simulatedAccount(60);
const services: ServiceProcess[] = [];
let webhookUrl: string;
let ingestEnv: Record<string, string>;
let summary: SimulationSummary;
/** The verification of the simulator's own truth (test 1): what the pipeline got wrong, if anything. */
let goodReport: VerifyReport | undefined;

const env = {
  KAFKA_BROKERS: kafkaBrokers.join(','),
  REDIS_URL: redisUrl,
  CLICKHOUSE_URL: clickhouseUrl,
  KAFKA_TOPIC_PREFIX: topicPrefix,
  KAFKA_TOPIC_PARTITIONS: '3',
  REDIS_KEY_PREFIX: redisPrefix,
  LOG_LEVEL: 'warn',
};

const verifyOptions: Partial<VerifyOptions> = {
  clickhouseUrl,
  database,
  kafkaBrokers,
  topicPrefix,
  callStateGroup,
  reportingGroup,
  redisUrl,
  redisPrefix,
  timeoutMs: 90_000,
  settleMs: 2000,
};

async function startService(service: string, portVariable: string, extra: Record<string, string>): Promise<string> {
  const port = await freePort();
  services.push(startServiceProcess(service, { ...env, ...extra, [portVariable]: String(port) }));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  // The directory exists before call-state starts, as in a deployment that synced it.
  await seedDirectory({ redisUrl, redisPrefix }, account);
  const callState = await startService('call-state', 'CALL_STATE_PORT', {
    CALL_STATE_GROUP_ID: callStateGroup,
    CALL_STATE_GRACE_MS: '300',
  });
  const reporting = await startService('reporting', 'REPORTING_PORT', {
    CLICKHOUSE_DATABASE: database,
    REPORTING_GROUP_ID: reportingGroup,
    REPORTING_FLUSH_INTERVAL_MS: '200',
  });
  await Promise.all([waitForHttpOk(`${callState}/readyz`, 60_000), waitForHttpOk(`${reporting}/readyz`, 60_000)]);
  const ingestPort = await freePort();
  webhookUrl = `http://127.0.0.1:${ingestPort}/webhooks/ringcentral`;
  ingestEnv = { ...env, INGEST_PORT: String(ingestPort), INGEST_HOST: '127.0.0.1', RC_WEBHOOK_VERIFICATION_TOKEN: token };
});

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  const admin = createKafka({ clientId: 'sim-test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
  await admin.connect();
  await admin.deleteGroups([callStateGroup, reportingGroup]).catch(() => undefined);
  const mine = Object.values(topicNames(topicPrefix));
  const existing = (await admin.listTopics()).filter((topic) => mine.includes(topic));
  if (existing.length > 0) await admin.deleteTopics({ topics: existing });
  await admin.disconnect();
  const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${escapeIdentifier(database)}` });
  await clickhouse.close();
  const redis = createRedis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisKeys(redisPrefix).prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function describeFailure(report: VerifyReport): string {
  return JSON.stringify(
    { drain: report.drain, legs: report.legs, sessions: report.sessions, differences: report.differences.slice(0, 40) },
    null,
    2,
  );
}

describe('simulate -> ingest -> call-state -> reporting -> verify', () => {
  it('delivers ~100 calls with disorder and duplicates, retrying until the webhook is up, and verifies with no difference', async () => {
    let ingestStarted = false;
    summary = await runSimulation(
      {
        url: webhookUrl,
        token,
        extensions: account.agentIds.length,
        calls: 100,
        rate: 0.1,
        speed: 100,
        disorder: 0.2,
        duplicates: 0.2,
        concurrency: 16,
        seed: 20260302,
        truthFile,
        redisUrl,
        redisPrefix,
        label: 'pipeline-test',
      },
      {
        onRetry: () => {
          // The webhook is not up yet: the first refused request starts it, so retries are part of every run.
          if (ingestStarted) return;
          ingestStarted = true;
          services.push(startServiceProcess('ingest', ingestEnv));
        },
      },
    );
    expect(ingestStarted).toBe(true);
    expect(summary).toMatchObject({ callsStarted: 100, callsDelivered: 100, callsFailed: 0, callsCutOff: 0, errors: 0, aborted: false });
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary.duplicatesSent).toBeGreaterThan(0);
    expect(summary.delayedEvents).toBeGreaterThan(0);
    // Each truth line carries its session's largest delivery delay; the first calls waited for the webhook to come up.
    const delays = (await readTruth(truthFile)).legs.map((leg) => leg.deliveryDelayMs);
    expect(delays.every((delay) => typeof delay === 'number' && delay >= 0)).toBe(true);
    expect(Math.max(...(delays as number[]))).toBeGreaterThan(300);

    const report = await verify(truthFile, verifyOptions);
    goodReport = report;
    expect(report.legs.expected).toBe(summary.legsInTruth);
    expect({ ok: report.ok, differences: report.differences.length, missing: report.legs.missing.length }, describeFailure(report)).toEqual(
      {
        ok: true,
        differences: 0,
        missing: 0,
      },
    );
    expect(report.legs.extra).toEqual([]);
    expect(report.sessions.missing).toEqual([]);
    expect(report.resultCounts.every((entry) => entry.expected === entry.actual)).toBe(true);
  });

  it('reports exactly a talk time off by 2 ms and a leg the truth does not have, on top of what the pipeline got wrong', async () => {
    // Compared with the report on the simulator's own truth, so this checks the verifier even if the pipeline is off.
    const good = goodReport ?? (await verify(truthFile, verifyOptions));
    const troubled = new Set([...good.differences, ...good.legs.missing].map((leg) => `${leg.telephonySessionId}|${leg.partyId}`));
    const lines = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TruthLine);
    const legs = lines.filter(
      (line): line is TruthLeg => line.type === 'leg' && !troubled.has(`${line.telephonySessionId}|${line.partyId}`),
    );
    const changed = legs.find((leg) => leg.result === 'Answered' && leg.talkMs > 0) as TruthLeg;
    const removed = legs.find((leg) => leg !== changed && leg.telephonySessionId !== changed.telephonySessionId) as TruthLeg;
    const edited = lines
      .filter((line) => line !== removed)
      .map((line) => (line === changed ? { ...changed, talkMs: changed.talkMs + 2 } : line));
    const badTruth = join(dir, 'bad-truth.jsonl');
    writeFileSync(badTruth, `${edited.map((line) => JSON.stringify(line)).join('\n')}\n`);

    const report = await verify(badTruth, verifyOptions);
    expect(report.ok).toBe(false);
    expect(report.drain.drained).toBe(true);
    expect(report.differences).toEqual(
      [
        ...good.differences,
        {
          kind: 'leg',
          scenario: changed.scenario,
          call: changed.call,
          telephonySessionId: changed.telephonySessionId,
          partyId: changed.partyId,
          extensionId: changed.extensionId,
          field: 'talkMs',
          expected: changed.talkMs + 2,
          actual: changed.talkMs,
        },
      ].sort(byLeg),
    );
    expect(report.legs.missing).toEqual(good.legs.missing);
    expect(report.legs.extra).toEqual(
      [
        ...good.legs.extra,
        {
          scenario: removed.scenario,
          call: removed.call,
          telephonySessionId: removed.telephonySessionId,
          partyId: removed.partyId,
          extensionId: removed.extensionId,
          result: removed.result,
        },
      ].sort(byLeg),
    );
    const countShift = report.resultCounts.map((entry) => {
      const before = good.resultCounts.find((other) => other.result === entry.result);
      return { result: entry.result, expected: entry.expected - (before?.expected ?? 0), actual: entry.actual - (before?.actual ?? 0) };
    });
    expect(countShift.filter((entry) => entry.expected !== 0 || entry.actual !== 0)).toEqual([
      { result: removed.result, expected: -1, actual: 0 },
    ]);
    expect((await readTruth(badTruth)).legs).toHaveLength(lines.filter((line) => line.type === 'leg').length - 1);
  });

  it('runs as a command: verify exits 0 on the good truth and 1 with a table naming the wrong field on the bad one', async () => {
    const cli = resolve(import.meta.dirname, '../dist/verify.js');
    const run = (file: string) =>
      new Promise<{ code: number | null; stdout: string }>((done) => {
        const args = [cli, file, '--database', database, '--topic-prefix', topicPrefix, '--call-state-group', callStateGroup];
        args.push('--reporting-group', reportingGroup, '--redis-prefix', redisPrefix, '--settle', '1s', '--timeout', '60s');
        const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
        });
        child.once('exit', (code) => done({ code, stdout }));
      });
    const good = await run(truthFile);
    // Same verdict as the in-process verification of test 1 (exit 1 and the table if the pipeline got something wrong).
    expect(good.code, good.stdout).toBe(goodReport?.ok === false ? 1 : 0);
    expect(good.stdout).toMatch(goodReport?.ok === false ? /FAIL: / : /OK: 0 missing, 0 extra/);
    const bad = await run(join(dir, 'bad-truth.jsonl'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/wrong leg .* talkMs/);
    expect(bad.stdout).toMatch(/extra leg/);
  });

  it('plays live traffic in real time until aborted (verify still judges the first truth meanwhile), then stops cleanly with only fully delivered calls in its truth', async () => {
    const kafka = createKafka({ clientId: 'sim-test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
    const topic = topicNames(topicPrefix).telephonySessions;
    const before = await countMessages(kafka, topic);
    const liveTruth = join(dir, 'live.jsonl');
    const controller = new AbortController();
    const startedAt = Date.now();
    const running = runSimulation(
      { live: true, url: webhookUrl, token, rate: 20, extensions: 60, truthFile: liveTruth, redisUrl, redisPrefix },
      { signal: controller.signal },
    );
    await waitFor(async () => (await countMessages(kafka, topic)) > before + 20, { what: 'live events in Kafka', timeoutMs: 30_000 });
    // verify judges the first run's truth while this traffic keeps both consumer groups lagging: it must still drain
    const whileBusy = await verify(truthFile, verifyOptions);
    expect(whileBusy.drain.drained, describeFailure(whileBusy)).toBe(true);
    expect(whileBusy.ok).toBe(goodReport?.ok ?? true);
    expect(await countMessages(kafka, topic)).toBeGreaterThan(before + 40);
    controller.abort();
    const live = await running;
    expect(live).toMatchObject({ aborted: true, label: 'LIVE SIMULATED TRAFFIC', speed: 1, errors: 0, callsFailed: 0 });
    expect(live.eventsSent).toBeGreaterThan(20);
    expect(live.callsCutOff).toBe(live.callsStarted - live.callsDelivered);
    expect(live.callsCutOff).toBeGreaterThan(0);
    const truth = await readTruth(liveTruth);
    expect(truth.run?.label).toBe('LIVE SIMULATED TRAFFIC');
    expect(truth.run?.startMs).toBeGreaterThanOrEqual(startedAt);
    expect(truth.run?.startMs).toBeLessThanOrEqual(Date.now());
    expect(truth.legs).toHaveLength(live.legsInTruth);
    expect(new Set(truth.legs.map((leg) => leg.call)).size).toBe(live.callsDelivered);
  }, 240_000);

  it('hangs up the calls in progress when asked (npm start stopping its demo): none of them stays on the live board', async () => {
    const redis = createRedis(redisUrl);
    const keys = redisKeys(redisPrefix);
    /** The sessions of the legs the live board shows. */
    const onBoard = async () => {
      const sessions = new Set<string>();
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', keys.extensionActiveLegs('*'), 'COUNT', 1000);
        cursor = next;
        for (const key of found) for (const leg of await redis.hvals(key)) sessions.add(JSON.parse(leg).telephonySessionId);
      } while (cursor !== '0');
      return sessions;
    };
    try {
      const before = await onBoard(); // the calls the test above cut off stay
      const hangUp = new AbortController();
      const running = runSimulation(
        { live: true, url: webhookUrl, token, rate: 20, extensions: 60, redisUrl, redisPrefix },
        { hangUp: hangUp.signal },
      );
      await waitFor(async () => [...(await onBoard())].filter((id) => !before.has(id)).length >= 3, {
        what: 'calls of this run on the board',
        timeoutMs: 60_000,
      });
      hangUp.abort();
      const live = await running;
      expect(live).toMatchObject({ aborted: true, errors: 0, callsFailed: 0 });
      expect(live.callsHungUp).toBeGreaterThan(0);
      await waitFor(async () => [...(await onBoard())].every((id) => before.has(id)), {
        what: 'the hung-up calls to leave the board',
        timeoutMs: 60_000,
      });
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
