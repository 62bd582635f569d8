// Part 5, memory: resident memory of each service and Redis memory per active leg, with 5,000 concurrent calls
// (calls started but not ended: only their first events are sent, through ingest, each to its own agent).

import { topicNames } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';
import type { PartResult } from '../report/result.js';
import { figure } from '../report/result.js';
import { apiAvailable } from '../support/api.js';
import { residentBytes } from '../support/children.js';
import type { BenchContext } from '../support/context.js';
import { isolate } from '../support/isolation.js';
import { benchKafka, consumerLag, withAdmin } from '../support/kafka.js';
import { benchRedis, usedMemory } from '../support/redis.js';
import { prefixMemory } from '../support/redis-usage.js';
import { callStateGroupId, type RunningService, type ServiceName, startService } from '../support/services.js';
import { round } from '../support/stats.js';
import { waitFor } from '../support/wait.js';
import { buildCall } from '../traffic/calls.js';
import { sendAtRate, WebhookSender } from '../traffic/sender.js';

const CALLS = 5000;
const MiB = 1024 * 1024;

/** The first events of a direct inbound call up to both sides answering: one agent leg, talking. */
function firstEvents(seed: number): string[] {
  const call = buildCall({ seed, startMs: Date.now() - 60000, extensionPool: CALLS, scenario: 'inbound-answered-two-holds' });
  const firstHold = call.notifications.findIndex(({ notification }) => notification.body.parties[0]?.status.code === 'Hold');
  return call.notifications.slice(0, firstHold).map(({ notification }) => JSON.stringify(notification));
}

async function activeLegs(redis: Redis, redisPrefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}ext:*:active`, 'COUNT', 5000);
    cursor = next;
    const lengths = await Promise.all(keys.map((key) => redis.hlen(key)));
    count += lengths.reduce((sum, length) => sum + length, 0);
  } while (cursor !== '0');
  return count;
}

export async function runMemory(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const isolation = isolate(context, 'memory', { database: true });
  const names: ServiceName[] = ['ingest', 'call-state', 'reporting', ...((await apiAvailable()) ? (['api'] as const) : [])];
  const services = new Map<ServiceName, RunningService>();
  for (const name of names) services.set(name, await startService(context, name, isolation));
  const redis = benchRedis();
  context.cleanup.add('close Redis', async () => redis.disconnect());
  const idle = new Map([...services].map(([name, service]) => [name, residentBytes(service.child.pid)]));
  const before = await usedMemory(redis);

  const bodies = Array.from({ length: CALLS }, (_unused, index) => firstEvents(index + 1)).flat();
  const ingest = services.get('ingest');
  if (!ingest) throw new Error('ingest did not start');
  const sender = new WebhookSender(ingest.url);
  await sender.open();
  context.log(`sending the first ${bodies.length} events of ${CALLS} calls through ingest`);
  await sendAtRate(bodies, 3000, (body) => sender.send(body));
  sender.close();
  if (sender.failures > 0) throw new Error(`${sender.failures} webhooks failed, last: ${sender.lastError}`);

  const topic = topicNames(isolation.topicPrefix).telephonySessions;
  await withAdmin(benchKafka(), (admin) =>
    waitFor(async () => (await consumerLag(admin, callStateGroupId(isolation), topic)) === 0, {
      timeoutMs: 120000,
      what: 'call-state to catch up',
    }),
  );
  const legs = await waitFor(
    async () => {
      const count = await activeLegs(redis, isolation.redisPrefix);
      return count >= CALLS ? count : false;
    },
    { timeoutMs: 60000, what: `${CALLS} active legs in Redis` },
  );
  const after = await usedMemory(redis);
  const own = await prefixMemory(redis, isolation.redisPrefix);
  const loaded = new Map([...services].map(([name, service]) => [name, residentBytes(service.child.pid)]));

  const part = 'memory';
  const mib = (bytes: number | null | undefined) => (bytes == null ? null : round(bytes / MiB, 1));
  return {
    part,
    figures: [
      ...names.map((name) =>
        figure(part, `${name} resident memory, ${CALLS} active calls`, mib(loaded.get(name)), 'MiB', {
          note: `idle after start: ${mib(idle.get(name))} MiB`,
        }),
      ),
      figure(part, 'Redis memory per active leg (used_memory delta)', round((after - before) / legs, 0), 'B'),
      figure(part, 'Redis memory per active leg (MEMORY USAGE of the keys)', round(own.bytes / legs, 0), 'B'),
    ],
    notes: [
      `${CALLS} direct inbound calls, each to its own agent extension, sent up to both sides answering (${bodies.length} events at 3,000/s through ingest); ${legs} active legs in Redis after call-state caught up`,
      `Redis used_memory ${mib(before)} -> ${mib(after)} MiB (the whole server: other users of it add noise); the keys of this run: ${own.keys} keys, ${mib(own.bytes)} MiB by MEMORY USAGE`,
      `resident memory from /proc/<pid>/status VmRSS`,
    ],
  };
}
