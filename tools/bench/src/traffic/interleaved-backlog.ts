// The interleaved backlog: the same calls as the call-by-call one, but produced as live traffic reaches Kafka (see
// interleave.ts): `activeCalls` calls in progress at once, each round every one gives its next notification, so a
// session's events are far apart in the topic and more sessions are active than call-state's cache holds.
// Uncompressed, as ingest writes. Calls are admitted until `events` notifications were taken in; every admitted call
// is then produced to its end, so every session completes (and owes its records).
import type { Kafka, Message } from '@callpulse/platform';
import { BacklogSender, callMessages, type ExpectedRecords, emptyExpected } from './backlog-messages.js';
import type { Backlog } from './bulk-produce.js';
import { buildCall } from './calls.js';
import { interleave, SessionSpread, type SpreadSummary } from './interleave.js';

export interface InterleavedBacklog extends Backlog {
  activeCalls: number;
  spread: SpreadSummary;
}

function* admittedCalls(
  events: number,
  extensionPool: number,
  expected: ExpectedRecords,
  spread: SessionSpread,
  counts: { calls: number },
): Generator<Message[]> {
  const baseMs = Date.now() - 60 * 60 * 1000;
  let admitted = 0;
  while (admitted < events) {
    // Seeds distinct from the call-by-call backlog's (1, 2, ...), so the two never share a session id.
    const seed = 10_000_000 + counts.calls + 1;
    const call = buildCall({ seed, startMs: baseMs + counts.calls * 37, extensionPool });
    counts.calls += 1;
    const { messages, eventsBySession } = callMessages(call, expected);
    for (const [session, count] of eventsBySession) spread.expect(session, count);
    admitted += messages.length;
    yield messages;
  }
}

export async function produceInterleavedBacklog(
  kafka: Kafka,
  topic: string,
  events: number,
  extensionPool: number,
  activeCalls: number,
): Promise<InterleavedBacklog> {
  const sender = new BacklogSender(kafka, topic, 'none');
  await sender.connect();
  const started = performance.now();
  const expected = emptyExpected();
  const spread = new SessionSpread();
  const counts = { calls: 0 };
  let produced = 0;
  try {
    for (const message of interleave(admittedCalls(events, extensionPool, expected, spread, counts), activeCalls)) {
      spread.see(String(message.key));
      await sender.add(message);
      produced += 1;
    }
  } finally {
    await sender.close();
  }
  return {
    events: produced,
    calls: counts.calls,
    seconds: (performance.now() - started) / 1000,
    expected,
    activeCalls,
    spread: spread.summary(),
  };
}
