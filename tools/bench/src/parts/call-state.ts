// Part 2, call-state: events/s through a backlog already in Kafka, with one worker and with two (same group), until
// the group's committed offsets reach the end of the topic.

import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@callpulse/contracts';
import { ensureTopics } from '@callpulse/platform';
import { type Figure, figure, type PartResult } from '../report/result.js';
import type { BenchContext } from '../support/context.js';
import { startCpuMeter } from '../support/cpu.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, committedOffset, endOffset, withAdmin } from '../support/kafka.js';
import { benchRedis, deleteKeysByPrefix } from '../support/redis.js';
import { startService } from '../support/services.js';
import { round } from '../support/stats.js';
import { produceBacklog } from '../traffic/bulk-produce.js';

const PARTITIONS = 12;
const EXTENSIONS = 200;

interface Drain {
  /** CPU shares of the workers and the servers while draining. */
  cpu: string;
  eventsPerSecond: number;
  seconds: number;
  events: number;
}

async function drain(context: BenchContext, workers: number, topicPrefix: string, redisPrefix: string, topic: string): Promise<Drain> {
  const groupId = `${topicPrefix}call-state-w${workers}`;
  const isolation = { topicPrefix, redisPrefix: `${redisPrefix}w${workers}:` };
  const started = await Promise.all(
    Array.from({ length: workers }, (_unused, index) =>
      startService(context, 'call-state', isolation, { label: `-w${workers}-${index + 1}`, env: { CALL_STATE_GROUP_ID: groupId } }),
    ),
  );
  const kafka = benchKafka();
  const meter = startCpuMeter(Object.fromEntries(started.map((service) => [service.child.name, service.child.pid])));
  const result = await withAdmin(kafka, async (admin) => {
    const end = await endOffset(admin, topic);
    const t0 = performance.now();
    const c0 = await committedOffset(admin, groupId, topic);
    const deadline = t0 + Math.max(180000, (end / 2000) * 1000);
    let committed = c0;
    let lastLog = t0;
    while (committed < end) {
      if (performance.now() > deadline) throw new Error(`${workers} worker(s) committed ${committed} of ${end} before the deadline`);
      await sleep(100);
      committed = await committedOffset(admin, groupId, topic);
      if (performance.now() - lastLog > 10000) {
        lastLog = performance.now();
        context.log(`${workers} worker(s): ${committed} of ${end} committed`);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    return { eventsPerSecond: (end - c0) / seconds, seconds, events: end - c0, cpu: meter.stop() };
  });
  for (const service of started) await service.child.stop();
  const redis = benchRedis();
  try {
    await deleteKeysByPrefix(redis, isolation.redisPrefix);
  } finally {
    redis.disconnect();
  }
  return result;
}

export async function runCallState(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const events = context.quick ? 100000 : 1000000;
  const isolation = isolate(context, 'callstate');
  const topic = topicNames(isolation.topicPrefix).telephonySessions;
  const kafka = benchKafka();
  await ensureTopics(kafka, [{ topic, numPartitions: PARTITIONS }]);
  context.log(`producing a backlog of ${events} events`);
  const backlog = await produceBacklog(kafka, topic, events, EXTENSIONS);
  context.log(`backlog of ${backlog.events} events (${backlog.calls} calls) produced in ${backlog.seconds.toFixed(1)} s`);

  const part = 'call-state';
  const figures: Figure[] = [];
  const notes = [
    `backlog: ${backlog.events} events of ${backlog.calls} calls (every scenario of the library in turn, ${EXTENSIONS} agent extensions), ${PARTITIONS} partitions, gzip batches of 10,000; produced in ${backlog.seconds.toFixed(1)} s`,
    'timed from every worker being ready (a member of the group) to the group committing the end of every partition; events/s = events committed in that time / seconds; each run has a fresh group and Redis key prefix',
  ];
  for (const workers of [1, 2]) {
    context.log(`draining with ${workers} worker(s)`);
    const result = await drain(context, workers, isolation.topicPrefix, isolation.redisPrefix, topic);
    context.log(`${workers} worker(s): ${Math.round(result.eventsPerSecond)} events/s`);
    figures.push(
      figure(part, `events/s, ${workers} worker${workers > 1 ? 's' : ''} (total)`, round(result.eventsPerSecond, 0), '/s', {
        goal: workers === 1 ? { op: '>=', value: 20000 } : undefined,
      }),
    );
    if (workers > 1) {
      figures.push(
        figure(part, `events/s per worker, ${workers} workers`, round(result.eventsPerSecond / workers, 0), '/s', {
          goal: { op: '>=', value: 20000 },
        }),
      );
    }
    notes.push(`${workers} worker(s): ${result.events} events in ${result.seconds.toFixed(1)} s; CPU (share of one core): ${result.cpu}`);
  }
  return { part, figures, notes };
}
