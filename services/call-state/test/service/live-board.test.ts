// The live board against the real Redis: concurrent writers of one extension leave the agent state of its legs.
import { busiestLeg, type LiveLegSnapshot, type LiveLegStatus } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { liveLeg } from '@callpulse/testkit/records';
import { afterAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../../test/support/env.js';
import { waitFor } from '../../../../test/support/wait.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { isolated } from './support.js';

const { name, keys, channels } = isolated('liveboard');
const connections = [createRedis(redisUrl), createRedis(redisUrl), createRedis(redisUrl)];
const [redis, otherRedis, thirdRedis] = connections as [
  ReturnType<typeof createRedis>,
  ReturnType<typeof createRedis>,
  ReturnType<typeof createRedis>,
];

afterAll(async () => {
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  for (const connection of connections) connection.disconnect();
});

/** A leg of the extension in the given status (testkit's made-up snapshot otherwise). */
function leg(extensionId: string, session: string, status: LiveLegStatus): LiveLegSnapshot {
  const to = { phoneNumber: null, name: null, extensionId };
  return liveLeg({ telephonySessionId: session, extensionId, status, statusCode: status, to, ended: status === 'Ended' });
}

async function storedState(extensionId: string) {
  const legs = (await redis.hvals(keys.extensionActiveLegs(extensionId))).map((value) => JSON.parse(value) as LiveLegSnapshot);
  return { expected: busiestLeg(legs).state, actual: (await redis.hget(keys.agentStates, extensionId)) ?? 'idle' };
}

describe('live board', () => {
  it('leaves the state of the legs it holds when three workers change one extension at once', async () => {
    const boards = [redis, otherRedis, thirdRedis].map((connection) => new LiveBoard(connection, keys, channels));
    const statuses: LiveLegStatus[] = ['Ringing', 'Talking', 'OnHold', 'Ended', 'Voicemail', 'Setup', 'Parked', 'Fax'];
    for (let extension = 0; extension < 20; extension += 1) {
      const extensionId = `ext-${extension}`;
      // Every worker fires its changes without waiting for the previous one, as concurrent partitions do.
      await Promise.all(
        boards.flatMap((board, worker) =>
          Array.from({ length: 10 }, (_, change) =>
            board.apply([
              leg(extensionId, `s-${worker}-${change % 3}`, statuses[(extension + worker + change) % statuses.length] as LiveLegStatus),
            ]),
          ),
        ),
      );
      const { expected, actual } = await storedState(extensionId);
      expect(actual, extensionId).toBe(expected);
    }
  });

  it('does not write a state computed from older legs than the state it holds', async () => {
    const board = new LiveBoard(redis, keys, channels);
    await board.apply([leg('ext-stale', 's-a', 'Talking')]);
    expect(await redis.hget(keys.agentStates, 'ext-stale')).toBe('talking');
    // Another worker wrote the state of a later version, then this worker's slower write arrives.
    await redis.hset(keys.agentStateVersions, 'ext-stale', 1000);
    await board.apply([leg('ext-stale', 's-a', 'OnHold')]);
    expect(await redis.hget(keys.agentStates, 'ext-stale')).toBe('talking');
  });

  it("takes each leg's status from its status field, whatever its names say", async () => {
    const board = new LiveBoard(redis, keys, channels);
    const from = { phoneNumber: null, name: '","status":"Talking" "status":"Talking"', extensionId: null };
    await board.apply([{ ...leg('ext-names', 's-a', 'Ringing'), from, accountId: '"status":"OnHold"' }]);
    expect(await redis.hget(keys.agentStates, 'ext-names')).toBe('ringing');
  });

  it('publishes each leg change and one summary message when an agent state changes', async () => {
    const subscriber = createRedis(redisUrl);
    const messages: Array<[string, string]> = [];
    await subscriber.subscribe(channels.legChanged('ext-pub'), channels.summaryChanged);
    subscriber.on('message', (channel: string, message: string) => messages.push([channel, message]));
    const board = new LiveBoard(redis, keys, channels);
    await board.apply([leg('ext-pub', 's-a', 'Ringing'), leg('ext-pub', 's-b', 'Ringing')]);
    await board.apply([leg('ext-pub', 's-a', 'Ended')]); // still ringing on s-b: no summary change
    // A last message from the same connection: once it is in, every message the board published before it is too.
    await redis.publish(channels.summaryChanged, 'end of test');
    await waitFor(() => messages.some(([, message]) => message === 'end of test'), { what: 'the end-of-test message' });
    expect(messages.filter(([channel]) => channel === channels.summaryChanged)).toEqual([
      [channels.summaryChanged, '{"changed":1}'],
      [channels.summaryChanged, 'end of test'],
    ]);
    expect(messages.filter(([channel]) => channel !== channels.summaryChanged).map(([, m]) => JSON.parse(m).status)).toEqual([
      'Ringing',
      'Ringing',
      'Ended',
    ]);
    subscriber.disconnect();
  });
});
