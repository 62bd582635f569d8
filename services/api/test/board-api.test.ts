// The live board's API against the built API on the real Redis and ClickHouse: me { role }; agentStates with every
// monitored agent (idle ones included, idle since the end of their last call); agentStatesChanged delivering the board
// first, then each change within its batch; queueLive counting a call that rings a queue's agent and nobody answered;
// todayStats since local midnight from completed calls, the same for a second dashboard without a second read.
import { redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { snapshot, writeLegs } from '../../../web/test/support/redis-feed.js';
import { gql, type Json, metricValue, wsClient, wsSubscribe } from './support/client.js';
import { cleanUp, isolation, produceRecords, type Started, startService } from './support/processes.js';
import { leg, session } from './support/records.js';

const iso = isolation(uniqueName('api_board'));
const prefix = iso.env.REDIS_KEY_PREFIX as string;
const ADMIN = 'board-admin-key';
const VIEWER = 'board-viewer-key';
const agents = ['640000001', '640000002', '640000003'];
const queue = { id: '740000001', name: 'Sales Queue' };
let reporting: Started;
let api: Started;
const redis = createRedis(redisUrl);

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  const keys = redisKeys(prefix);
  for (const [i, id] of agents.entries()) {
    await redis.hset(
      keys.extensions,
      id,
      JSON.stringify({ id, extensionNumber: `30${i}`, name: `Agent ${i}`, type: 'User', status: 'Enabled' }),
    );
  }
  await redis.sadd(keys.monitoredExtensions, ...agents);
  api = await startService('api', iso, { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}` });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  redis.disconnect();
  await cleanUp(iso);
});

const agentFields =
  'extensionId extensionNumber name state since idleSince version counterpart { name phoneNumber } legs { status queueId }';

describe('the live board API', () => {
  it('tells the caller its role', async () => {
    expect((await gql(api.url, '{ me { role } }', { key: VIEWER })).data).toEqual({ me: { role: 'viewer' } });
    expect((await gql(api.url, '{ me { role } }', { key: ADMIN })).data).toEqual({ me: { role: 'admin' } });
    expect((await gql(api.url, '{ me { role } }', { key: 'wrong' })).status).toBe(401);
  });

  it('lists every monitored agent and pushes each change, idle since the end of the last call', async () => {
    const first = await gql(api.url, `{ agentStates { ${agentFields} } }`, { key: VIEWER });
    expect(first.data?.agentStates.map((agent: Json) => [agent.extensionId, agent.state, agent.since])).toEqual([
      ['640000001', 'idle', null],
      ['640000002', 'idle', null],
      ['640000003', 'idle', null],
    ]);
    const client = wsClient(api.url, VIEWER);
    const changes = wsSubscribe(client, `subscription { agentStatesChanged { snapshot removed agents { ${agentFields} } } }`);
    await waitFor(() => changes.received.length >= 1, { what: 'the board first' });
    expect(changes.received[0]?.agentStatesChanged).toMatchObject({ snapshot: true, removed: [] });
    expect(changes.received[0]?.agentStatesChanged.agents).toHaveLength(3);

    // Agent 1 takes a call from the queue; agent 2 is rung by another queue call nobody answered yet.
    const now = Date.now();
    const talking = snapshot({
      extensionId: agents[0] as string,
      session: 's-board-1',
      status: 'Talking',
      startMs: now - 30_000,
      answerMs: now - 20_000,
      statusSinceMs: now - 20_000,
      queue,
      counterpart: { name: 'Acme', phoneNumber: '+15550100' },
    });
    const ringing = snapshot({
      extensionId: agents[1] as string,
      session: 's-board-2',
      status: 'Ringing',
      startMs: now - 5000,
      statusSinceMs: now - 5000,
      queue,
    });
    await writeLegs(redis, prefix, [talking, ringing]);
    await waitFor(() => changes.received.some((m: Json) => m.agentStatesChanged.agents.some((a: Json) => a.extensionId === agents[1])), {
      what: 'the ringing agent pushed',
    });
    const state = async () => {
      const result = await gql(
        api.url,
        `{ agentStates { ${agentFields} } queueLive { queueId queueName waiting longestWaitSince agentsFree agentsBusy agentsKnown } }`,
        { key: VIEWER },
      );
      return result.data as Json;
    };
    const board = await waitFor(
      async () => {
        const data = await state();
        return data.agentStates.find((a: Json) => a.extensionId === agents[0])?.state === 'talking' ? data : undefined;
      },
      { what: 'the talking agent' },
    );
    expect(board.agentStates.find((a: Json) => a.extensionId === agents[0])).toMatchObject({
      name: 'Agent 0',
      extensionNumber: '300',
      state: 'talking',
      since: new Date(now - 20_000).toISOString(),
      counterpart: { name: 'Acme', phoneNumber: '+15550100' },
    });
    expect(board.agentStates.find((a: Json) => a.extensionId === agents[1])).toMatchObject({
      state: 'ringing',
      since: new Date(now - 5000).toISOString(),
    });
    expect(board.queueLive).toEqual([
      {
        queueId: queue.id,
        queueName: 'Sales Queue',
        waiting: 1,
        longestWaitSince: new Date(now - 5000).toISOString(),
        agentsFree: 0,
        agentsBusy: 2,
        agentsKnown: 2,
      },
    ]);

    // The call ends: agent 1 is idle since its end.
    const ended = { ...talking, ended: true, status: 'Ended' as const, endMs: now - 1000, updatedAtMs: now };
    await writeLegs(redis, prefix, [ended]);
    const idle = await waitFor(
      async () => {
        const data = await state();
        const agent = data.agentStates.find((a: Json) => a.extensionId === agents[0]);
        return agent.state === 'idle' ? agent : undefined;
      },
      { what: 'the agent idle again' },
    );
    expect(idle).toMatchObject({ since: new Date(now - 1000).toISOString(), idleSince: new Date(now - 1000).toISOString(), legs: [] });
    await waitFor(
      () =>
        changes.received.some((m: Json) =>
          m.agentStatesChanged.agents.some((a: Json) => a.extensionId === agents[0] && a.state === 'idle'),
        ),
      {
        what: 'the idle agent pushed',
      },
    );
    changes.close();
    await client.dispose();
  });

  it("gives today's figures since local midnight, read once for every dashboard", async () => {
    const start = Date.now() - 60_000;
    await produceRecords(iso, [
      session({
        telephonySessionId: 's-today-1',
        startMs: start,
        queueId: queue.id,
        firstAnswerMs: start + 8000,
        waitMs: 8000,
        answeredByExtensionId: agents[0] as string,
      }),
      session({
        telephonySessionId: 's-today-2',
        startMs: start,
        queueId: queue.id,
        firstAnswerMs: start + 40_000,
        waitMs: 40_000,
        answeredByExtensionId: agents[1] as string,
      }),
      session({ telephonySessionId: 's-today-3', startMs: start, queueId: queue.id, abandoned: true }),
      session({ telephonySessionId: 's-today-4', startMs: start, queueId: '' }),
      leg({ telephonySessionId: 's-today-1', extensionId: agents[0] as string, startMs: start, talkMs: 30_000 }),
      leg({ telephonySessionId: 's-today-2', extensionId: agents[1] as string, startMs: start, talkMs: 10_000 }),
      leg({ telephonySessionId: 's-today-4', extensionId: agents[1] as string, startMs: start, result: 'Missed', missedCall: true }),
    ]);
    const query = `{ todayStats(timeZone: "UTC") { timeZone since offered answered missed abandoned answeredWithinServiceLevel serviceLevel serviceLevelSeconds averageSpeedOfAnswerMs agents { extensionId calls answered missed talkMs } } }`;
    const today = await waitFor(
      async () => {
        const result = await gql(api.url, query, { key: VIEWER });
        return result.data?.todayStats.offered === 4 && result.data.todayStats.agents.length === 2 ? result.data.todayStats : undefined;
      },
      { timeoutMs: 30_000, what: "today's figures" },
    );
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(today).toMatchObject({
      timeZone: 'UTC',
      since: midnight.toISOString(),
      offered: 4,
      answered: 2,
      abandoned: 1,
      missed: 1,
      answeredWithinServiceLevel: 1,
      serviceLevel: 0.25,
      serviceLevelSeconds: 20,
      averageSpeedOfAnswerMs: 24_000,
    });
    expect(today.agents).toEqual([
      { extensionId: agents[0], calls: 1, answered: 1, missed: 0, talkMs: 30_000 },
      { extensionId: agents[1], calls: 2, answered: 1, missed: 1, talkMs: 10_000 },
    ]);
    // A second and a third dashboard within the refresh interval: answered from the cache, no ClickHouse query.
    const before = await metricValue(api.url, 'callpulse_api_clickhouse_query_seconds_count', 'query="today_sessions",outcome="ok"');
    await gql(api.url, query, { key: VIEWER });
    await gql(api.url, query, { key: ADMIN });
    expect(await metricValue(api.url, 'callpulse_api_clickhouse_query_seconds_count', 'query="today_sessions",outcome="ok"')).toBe(before);
    expect(
      (await gql(api.url, '{ todayStats(timeZone: "Mars/Olympus") { offered } }', { key: VIEWER })).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
  });
});
