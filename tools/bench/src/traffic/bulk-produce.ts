// The call-by-call backlog: telephony notifications produced straight to Kafka as ingest would have written them
// (keyed by telephonySessionId, with its headers), generated from the scenario library one whole call after another.
// The best case for call-state: a session's events sit together in the topic, so one apply takes most of them.
import type { Kafka } from '@callpulse/platform';
import { BacklogSender, type Compression, callMessages, type ExpectedRecords, emptyExpected } from './backlog-messages.js';
import { buildCall } from './calls.js';

export interface Backlog {
  events: number;
  calls: number;
  seconds: number;
  expected: ExpectedRecords;
}

/** Produces whole calls, one after another, until at least `events` notifications are on `topic`. */
export async function produceBacklog(
  kafka: Kafka,
  topic: string,
  events: number,
  extensionPool: number,
  compression: Compression = 'none',
): Promise<Backlog> {
  const sender = new BacklogSender(kafka, topic, compression);
  await sender.connect();
  const started = performance.now();
  const expected = emptyExpected();
  let produced = 0;
  let calls = 0;
  try {
    const baseMs = Date.now() - 60 * 60 * 1000;
    while (produced < events) {
      const call = buildCall({ seed: calls + 1, startMs: baseMs + calls * 37, extensionPool });
      calls += 1;
      for (const message of callMessages(call, expected).messages) await sender.add(message);
      produced += call.notifications.length;
    }
  } finally {
    await sender.close();
  }
  return { events: produced, calls, seconds: (performance.now() - started) / 1000, expected };
}
