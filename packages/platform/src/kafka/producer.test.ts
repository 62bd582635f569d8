// The idempotent producer's rule on plain data: one send in flight whoever calls, a fresh producer (new id) after a
// failed send or a missed deadline, before anything else is sent. (ingest's batching-producer test runs it against a
// real broker that loses answers.)
import type { Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { IdempotentProducer } from './producer.js';

const logger = createLogger('test', 'silent');

/** kafka.producer() handing out fakes whose sendBatch takes `sendMs` and fails while `failing` says so. */
function fakeKafka(options: { sendMs?: number; failing?: (producer: number) => boolean } = {}) {
  const stats = { producers: 0, inFlight: 0, maxInFlight: 0, sentBy: [] as number[], disconnected: [] as number[] };
  const kafka = {
    producer: () => {
      const id = ++stats.producers;
      return {
        connect: async () => undefined,
        disconnect: async () => {
          stats.disconnected.push(id);
        },
        sendBatch: async () => {
          stats.inFlight++;
          stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
          await new Promise((resolve) => setTimeout(resolve, options.sendMs ?? 2));
          stats.inFlight--;
          if (options.failing?.(id)) throw new Error(`producer ${id} lost its connection`);
          stats.sentBy.push(id);
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, stats };
}

const record = (value: string) => ({ topic: 't', messages: [{ key: 'k', value }] });

describe('IdempotentProducer', () => {
  it('keeps one send in flight whoever calls', async () => {
    const { kafka, stats } = fakeKafka();
    const producer = new IdempotentProducer(kafka, { logger });
    await Promise.all(Array.from({ length: 20 }, (_, i) => producer.send(record(`m${i}`))));
    expect(stats.maxInFlight).toBe(1);
    expect(stats.sentBy).toHaveLength(20);
    expect(stats.producers).toBe(1);
  });

  it('replaces the producer after a failed send, before the next send', async () => {
    const { kafka, stats } = fakeKafka({ failing: (id) => id === 1 });
    const producer = new IdempotentProducer(kafka, { logger });
    const first = producer.send(record('lost'));
    const second = producer.send(record('after'));
    await expect(first).rejects.toThrow(/producer 1 lost its connection/);
    expect(producer.failing).toMatch(/producer 1/);
    await second;
    expect(stats.sentBy).toEqual([2]);
    expect(stats.disconnected).toContain(1);
    expect(producer.producerReplacements).toBe(1);
    expect(producer.failing).toBeUndefined();
  });

  it('fails a send at its deadline and sends the next one on a new producer without waiting for it', async () => {
    const { kafka, stats } = fakeKafka({ sendMs: 300 });
    const producer = new IdempotentProducer(kafka, { logger });
    const late = producer.send(record('late'), { deadline: Date.now() + 20 });
    const next = producer.send(record('next'));
    await expect(late).rejects.toThrow(/no acknowledgement within the deadline/);
    await next;
    expect(stats.producers).toBe(2);
    expect(stats.sentBy).toContain(2);
  });
});
