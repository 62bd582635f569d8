// Offsets are committed on a timer (not after every batch) and on SIGTERM: never before the events are in Redis, and
// everything applied is committed by the time the worker exits.
import { createKafka, createLogger, createRedis, ensureTopics } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl } from '../../../../test/support/env.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { AGENT_EXTENSION, isolated, ivrCall, produceNotifications } from './support.js';

const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const redis = createRedis(redisUrl);
const admin = kafka.admin();
const started: ServiceProcess[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((worker) => worker.stop('SIGKILL')));
  for (const name of prefixes) {
    const stale = await redis.keys(`${name}:*`);
    if (stale.length > 0) await redis.del(...stale);
  }
  await admin.disconnect();
  redis.disconnect();
});

/** A worker on fresh topics with CALLS calls produced; resolves once every call's events are applied in Redis. */
async function workerWithAppliedCalls(label: string, commitIntervalMs: number) {
  const { name, topics, keys, env } = isolated(label);
  prefixes.push(name);
  await redis.sadd(keys.monitoredExtensions, AGENT_EXTENSION);
  await ensureTopics(kafka, [
    { topic: topics.telephonySessions, numPartitions: 12 },
    { topic: topics.completedCalls, numPartitions: 12 },
  ]);
  const calls = Array.from({ length: 40 }, () => ivrCall());
  await produceNotifications(
    kafka,
    topics.telephonySessions,
    calls.flatMap((call) => call.notifications),
  );
  const port = await freePort();
  const worker = startServiceProcess('call-state', {
    CALL_STATE_PORT: String(port),
    ...env,
    CALL_STATE_COMMIT_INTERVAL_MS: String(commitIntervalMs),
  });
  started.push(worker);
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
  const lastEvents = calls.map((call) => keys.sessionEvents(call.telephonySessionId));
  const eventCount = calls[0]?.notifications.length ?? 0;
  await waitFor(async () => (await Promise.all(lastEvents.map((key) => redis.hlen(key)))).every((n) => n === eventCount), {
    what: 'every event applied in Redis',
    timeoutMs: 60000,
  });
  return { name, topic: topics.telephonySessions, worker };
}

async function committedAndEnd(groupId: string, topic: string) {
  await admin.connect();
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  const sum = (values: string[]) => values.reduce((total, value) => total + Math.max(0, Number(value)), 0);
  return { committed: sum(committed?.partitions.map((p) => p.offset) ?? []), end: sum(ends.map((p) => p.high)) };
}

describe('call-state offset commits', () => {
  it('commits what was applied within the commit interval, without stopping', { timeout: 120000 }, async () => {
    const { name, topic } = await workerWithAppliedCalls('commit-timer', 200);
    await waitFor(
      async () => {
        const { committed, end } = await committedAndEnd(name, topic);
        return committed === end;
      },
      { what: 'the committed offsets to reach the end of the topic', timeoutMs: 10000 },
    );
  });

  it('commits everything applied when stopped with SIGTERM, even before the timer fired', { timeout: 120000 }, async () => {
    const { name, topic, worker } = await workerWithAppliedCalls('commit-stop', 600000);
    const before = await committedAndEnd(name, topic);
    expect(before.committed).toBe(0); // the timer never fired: nothing is committed yet
    expect(await worker.stop('SIGTERM')).toBe(0);
    const after = await committedAndEnd(name, topic);
    expect(after.committed).toBe(after.end);
  });
});
