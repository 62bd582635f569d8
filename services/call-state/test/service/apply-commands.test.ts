// What a session apply costs in Redis on live-like traffic (about one new event per session per fetch, the sessions
// cached): the commands it sends, counted at the connection. The schedule entries, the save, the live board and the
// agent states of the sessions applied together share commands, so each apply adds about a save and a board mark.

import { normaliseNotification, type PartyEvent } from '@callpulse/call-model';
import { createLogger, createRedis, createRegistry } from '@callpulse/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { SessionProcessor } from '../../src/apply/session-processor.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { SessionSchedule } from '../../src/store/session-schedule.js';
import { SessionStore } from '../../src/store/session-store.js';
import { SessionWrites } from '../../src/store/session-writes.js';
import { AGENT_EXTENSION, isolated, ivrCall } from './support.js';

const { name, keys, channels } = isolated('applycmds');
// No auto-pipelining: every command goes through sendCommand exactly once (a pipeline's commands too).
const redis = createRedis(redisUrl, { enableAutoPipelining: false });
const sent: string[] = [];
const sendCommand = redis.sendCommand.bind(redis);
redis.sendCommand = ((command, ...rest) => {
  sent.push(command.name);
  return sendCommand(command, ...rest);
}) as typeof redis.sendCommand;

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

describe('a session apply on live-like traffic', () => {
  it('sends about two commands of its own, the rest shared with the sessions applied together', async () => {
    const store = new SessionStore(redis, keys);
    const metrics = createCallStateMetrics(createRegistry('test'));
    const processor = new SessionProcessor({
      store,
      cache: new SessionCache(1000),
      writes: new SessionWrites(redis, store, new SessionSchedule(redis, keys)),
      board: new LiveBoard(redis, keys, channels, store),
      monitored: { isMonitored: (id) => id === AGENT_EXTENSION, version: 0 },
      timings: { graceMs: 3000, retentionMs: 60000, staleAfterMs: 600000 },
      metrics,
      logger: createLogger('test', 'silent'),
    });
    const calls = Array.from({ length: 20 }, () => {
      const call = ivrCall();
      return { id: call.telephonySessionId, events: call.notifications.flatMap((n) => normaliseNotification(n)) };
    });
    // The agent answers: an event that changes the agent's leg on the live board.
    const answeredAt = (events: PartyEvent[]) =>
      events.findIndex((event) => event.extensionId === AGENT_EXTENSION && event.statusCode === 'Answered');
    for (const call of calls) await processor.apply(call.id, call.events.slice(0, answeredAt(call.events)));

    sent.length = 0;
    const outcomes = await Promise.all(calls.map((call) => processor.apply(call.id, [call.events[answeredAt(call.events)] as PartyEvent])));
    expect(outcomes.every((outcome) => outcome === 'applied')).toBe(true);
    const perApply = sent.length / calls.length;
    // Each apply: its save and its board mark; shared: the last-seen ZADD, the extension's legs script, the agent states.
    expect(sent.filter((command) => command === 'evalsha' || command === 'eval').length).toBeLessThanOrEqual(2 * calls.length + 2);
    expect(sent.filter((command) => command === 'publish')).toEqual([]); // the legs script publishes
    expect(perApply).toBeLessThanOrEqual(2.5);
    expect((await metrics.applies.get()).values[0]?.value).toBe(calls.length * 2);

    // The board shows every answered call, and holds each session's latest revision.
    expect(await redis.hget(keys.agentStates, AGENT_EXTENSION)).toBe('talking');
    for (const call of calls) {
      const stored = await store.loadState(call.id);
      expect(stored.boardRev).toBe(stored.rev);
    }
  });
});
