// The consumer kit's crash handling on plain data: a consumer kafkajs gave up on is replaced with backoff until one
// runs, events of a replaced consumer change nothing, and stopping ends a backoff at once. (The services' Kafka restart
// tests run it against a real broker.)
import type { Consumer, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { RestartingConsumer, type RestartingConsumerOptions } from './restarting-consumer.js';

const logger = createLogger('test', 'silent');
const events = { GROUP_JOIN: 'join', HEARTBEAT: 'heartbeat', REBALANCING: 'rebalancing', CRASH: 'crash' } as const;

interface FakeConsumer {
  emit: (event: string, payload: unknown) => void;
  disconnected: boolean;
  commits: unknown[];
}

/** kafka.consumer() handing out fakes; `failRuns` of the next runs throw. */
function fakeKafka(failRuns = 0) {
  const created: FakeConsumer[] = [];
  let failures = failRuns;
  const kafka = {
    consumer: () => {
      const listeners = new Map<string, (event: { payload: unknown }) => void>();
      const fake: FakeConsumer = {
        emit: (event, payload) => listeners.get(event)?.({ payload }),
        disconnected: false,
        commits: [],
      };
      created.push(fake);
      return {
        events,
        on: (event: string, listener: (event: { payload: unknown }) => void) => listeners.set(event, listener),
        connect: async () => {
          if (failures > 0) {
            failures--;
            throw new Error('Failed to find group coordinator');
          }
        },
        disconnect: async () => {
          fake.disconnected = true;
        },
        commitOffsets: async (offsets: unknown) => {
          fake.commits.push(offsets);
        },
        pause: () => undefined,
      } as unknown as Consumer;
    },
  } as unknown as Kafka;
  return { kafka, created };
}

function kit(kafka: Kafka, overrides: Partial<RestartingConsumerOptions> = {}) {
  const seen = { joins: 0, replacing: 0, replaced: 0, crashes: 0 };
  const consumer = new RestartingConsumer({
    kafka,
    config: { groupId: 'g' },
    run: async () => undefined,
    backoffMs: () => 5,
    onJoin: () => seen.joins++,
    onReplacing: () => seen.replacing++,
    onReplaced: () => seen.replaced++,
    onCrash: () => seen.crashes++,
    logger,
    ...overrides,
  });
  return { consumer, seen };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('RestartingConsumer', () => {
  it('is not consuming until it joined the group, then is', async () => {
    const { kafka, created } = fakeKafka();
    const { consumer } = kit(kafka);
    await consumer.start();
    expect(consumer.notConsuming).toMatch(/^not a member of the consumer group/);
    created[0]?.emit(events.GROUP_JOIN, { memberAssignment: { t: [0, 1] } });
    expect(consumer.notConsuming).toBeUndefined();
  });

  it('replaces a consumer kafkajs gave up on, retrying with backoff until a new one runs', async () => {
    const { kafka, created } = fakeKafka();
    const backoffs: number[] = [];
    const backoffMs = (attempt: number) => {
      backoffs.push(attempt);
      return 5;
    };
    const { consumer, seen } = kit(kafka, { backoffMs });
    await consumer.start();
    created[0]?.emit(events.GROUP_JOIN, { memberAssignment: {} });
    // The next two creations fail to connect, the third runs.
    const failing = fakeKafka(2);
    (kafka as { consumer: unknown }).consumer = (...args: unknown[]) => {
      const next = (failing.kafka.consumer as (...a: unknown[]) => Consumer)(...args);
      created.push(failing.created.at(-1) as FakeConsumer);
      return next;
    };
    created[0]?.emit(events.CRASH, { error: new Error('coordinator gone'), restart: false });
    expect(consumer.notConsuming).toMatch(/^Kafka consumer down: attempt 1 to replace it; last error: coordinator gone/);
    await until(() => seen.replaced === 1);
    expect(created[0]?.disconnected).toBe(true);
    expect(seen).toMatchObject({ crashes: 1, replacing: 3, replaced: 1 });
    expect(backoffs).toEqual([0, 1, 2]);
    created.at(-1)?.emit(events.GROUP_JOIN, { memberAssignment: {} });
    expect(consumer.notConsuming).toBeUndefined();
    await consumer.commitOffsets([{ topic: 't', partition: 0, offset: '5' }]);
    expect(created.at(-1)?.commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
  });

  it('ignores the events of a consumer it replaced', async () => {
    const { kafka, created } = fakeKafka();
    const { consumer, seen } = kit(kafka);
    await consumer.start();
    created[0]?.emit(events.CRASH, { error: new Error('gone'), restart: false });
    await until(() => seen.replaced === 1);
    created[0]?.emit(events.GROUP_JOIN, { memberAssignment: {} });
    created[0]?.emit(events.CRASH, { error: new Error('late'), restart: false });
    expect(seen).toMatchObject({ joins: 0, crashes: 1, replaced: 1 });
  });

  it('lets kafkajs rejoin by itself after a crash it restarts from, saying so meanwhile', async () => {
    const { kafka, created } = fakeKafka();
    const { consumer, seen } = kit(kafka);
    await consumer.start();
    created[0]?.emit(events.GROUP_JOIN, { memberAssignment: {} });
    created[0]?.emit(events.CRASH, { error: new Error('rebalance failed'), restart: true });
    expect(consumer.notConsuming).toMatch(/^Kafka consumer crashed: kafkajs rejoins the group; the error: rebalance failed/);
    expect(seen.replacing).toBe(0);
    created[0]?.emit(events.GROUP_JOIN, { memberAssignment: {} });
    expect(consumer.notConsuming).toBeUndefined();
  });

  it('stops during a long backoff at once, replacing nothing more', async () => {
    const { kafka, created } = fakeKafka();
    const { consumer, seen } = kit(kafka, { backoffMs: () => 60000 });
    await consumer.start();
    created[0]?.emit(events.CRASH, { error: new Error('gone'), restart: false });
    const started = Date.now();
    consumer.pause('t');
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen.replaced).toBe(0);
    expect(created).toHaveLength(1);
    await expect(consumer.commitOffsets([])).rejects.toThrow(/no Kafka consumer/);
  });
});
