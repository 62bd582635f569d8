// A Kafka that never answers one of the emitter's sends, against the real Redis: the round fails before its lease ends
// (its sends carry a deadline) instead of holding every later emission of the worker behind it, and the session's
// records go out once the lease has run out and Kafka answers again.
import { normaliseNotification } from '@callpulse/call-model';
import { createRedis, type SendOptions, untilDeadline } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { applyAndEmit } from './apply-and-emit.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, keys, channels } = isolated('send-deadline');
const redis = createRedis(redisUrl);
const LEASE_MS = 1000;
const monitored = { isMonitored: (id: string) => id === AGENT_EXTENSION, version: 0 };

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

/** A producer as platform's: it waits for Kafka's answer up to the send's deadline. Kafka answers while `answering`. */
function kafkaStandIn() {
  const state = { answering: false, sent: [] as string[], deadlines: [] as Array<number | undefined> };
  const producer = {
    send: ({ messages }: { messages: Array<{ value: string }> }, options: SendOptions = {}): Promise<void> => {
      state.deadlines.push(options.deadline);
      if (!state.answering) return untilDeadline(new Promise<void>(() => undefined), options.deadline);
      for (const message of messages) state.sent.push(JSON.parse(message.value).kind);
      return Promise.resolve();
    },
  };
  return { state, producer };
}

function pipeline() {
  const { state, producer } = kafkaStandIn();
  const { processor, emitter } = applyAndEmit({
    redis,
    keys,
    channels,
    topic: `${name}-completed`,
    producer,
    monitored,
    retentionMs: 60000,
    staleAfterMs: 60000,
    leaseMs: LEASE_MS,
  });
  return { processor, emitter, state };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the emitter's sends", () => {
  it('give up before the lease ends when Kafka never answers, and the records go out after it', async () => {
    const { processor, emitter, state } = pipeline();
    const call = ivrCall();
    await processor.apply(
      call.telephonySessionId,
      call.notifications.flatMap((n) => normaliseNotification(n)),
    );
    const startedMs = Date.now();
    await expect(emitter.emitDue()).rejects.toThrow(/deadline/);
    expect(Date.now() - startedMs).toBeLessThan(LEASE_MS);
    expect(state.deadlines.length).toBeGreaterThan(0);
    for (const deadline of state.deadlines) expect(deadline).toBeLessThanOrEqual(startedMs + LEASE_MS);
    expect(state.sent).toEqual([]);

    // Kafka answers again; the session is claimed once more when the failed round's lease has run out.
    state.answering = true;
    await emitter.emitDue();
    expect(state.sent).toEqual([]);
    await sleep(LEASE_MS - (Date.now() - startedMs) + 50);
    await emitter.emitDue();
    expect(state.sent).toContain('leg');
    expect(state.sent).toContain('session');
  }, 10000);
});
