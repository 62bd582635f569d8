// The board sweep against the real Redis: a leg whose session's events are gone and that has not changed for the
// stale-after time leaves the board (ended, published, the agent idle again); every other leg stays.
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { createLogger, createRedis, createRegistry, createSubscriber } from '@callpulse/platform';
import { liveLeg } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { waitFor } from '../../../../test/support/wait.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { createCallStateMetrics } from '../../src/metrics.js';
import { BoardSweep } from '../../src/reaper/board-sweep.js';
import { isolated } from './support.js';

const { name, keys, channels } = isolated('boardsweep');
const redis = createRedis(redisUrl);
const subscriber = createSubscriber(redisUrl);
const STALE_AFTER_MS = 60000;
const NOW_MS = 10_000_000;

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
  subscriber.disconnect();
});

function talking(extensionId: string, telephonySessionId: string, updatedAtMs: number): LiveLegSnapshot {
  const to = { phoneNumber: null, name: null, extensionId };
  return liveLeg({ telephonySessionId, extensionId, to, status: 'Talking', statusCode: 'Answered', answerMs: 2000, updatedAtMs });
}

const activeLegs = async (extensionId: string) =>
  (await redis.hvals(keys.extensionActiveLegs(extensionId))).map((value) => JSON.parse(value) as LiveLegSnapshot);

describe('board sweep', () => {
  it('takes off the stale legs whose session is gone, and no other leg', async () => {
    const board = new LiveBoard(redis, keys, channels);
    const metrics = createCallStateMetrics(createRegistry('test'));
    const sweep = new BoardSweep({ redis, keys, board, staleAfterMs: STALE_AFTER_MS, metrics, logger: createLogger('test', 'silent') });
    const old = NOW_MS - STALE_AFTER_MS - 1;
    const phantom = talking('ext-a', 's-gone', old);
    const phantomOfB = talking('ext-b', 's-gone', old); // another party of the same gone session
    const kept = talking('ext-a', 's-kept', old); // its session's events still in Redis: the reaper's to end
    const fresh = talking('ext-c', 's-fresh', NOW_MS - 1000); // changed recently, session events not written yet
    await board.apply([phantom, { ...phantomOfB, partyId: 'p-2' }, kept, fresh]);
    await redis.hset(keys.sessionEvents('s-kept'), '1:p-1', '{}');
    // Many other extensions, so the sweep takes more than one SCAN step.
    await board.apply(Array.from({ length: 1200 }, (_, i) => talking(`ext-many-${i}`, `s-many-${i}`, NOW_MS)));
    expect(await redis.hget(keys.agentStates, 'ext-b')).toBe('talking');

    const messages: LiveLegSnapshot[] = [];
    subscriber.on('pmessage', (_pattern, _channel, message) => messages.push(JSON.parse(message)));
    await subscriber.psubscribe(channels.legChangedPattern);

    expect(await sweep.sweep(NOW_MS)).toBe(2);
    expect((await activeLegs('ext-a')).map((leg) => leg.telephonySessionId)).toEqual(['s-kept']);
    expect(await activeLegs('ext-b')).toEqual([]);
    expect(await activeLegs('ext-c')).toHaveLength(1);
    expect(await redis.hget(keys.agentStates, 'ext-a')).toBe('talking');
    expect(await redis.hget(keys.agentStates, 'ext-b')).toBe('idle');
    const ended = await waitFor(() => (messages.length === 2 ? messages : undefined), { what: 'two ended legs published' });
    expect(ended.map((leg) => [leg.extensionId, leg.ended, leg.result, leg.updatedAtMs]).sort()).toEqual([
      ['ext-a', true, 'Unknown', NOW_MS],
      ['ext-b', true, 'Unknown', NOW_MS],
    ]);
    expect((await metrics.boardLegsSwept.get()).values[0]?.value).toBe(2);

    expect(await sweep.sweep(NOW_MS + 1000)).toBe(0); // nothing left to take off
  });
});
