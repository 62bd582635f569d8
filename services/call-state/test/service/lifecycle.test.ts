// A leg's life after its end: late events amend it (higher version), events after the retention window are
// dead-lettered, a leg whose end never comes is reaped as Unknown / Timeout, a leg whose session is gone leaves the
// live board, and the monitored set changes at run time.
import { createKafka, createLogger, createRedis } from '@callpulse/platform';
import { liveLeg } from '@callpulse/testkit/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl } from '../../../../test/support/env.js';
import { collectTopic, readTopic } from '../../../../test/support/kafka-reader.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { LiveBoard } from '../../src/live/live-board.js';
import { AGENT_EXTENSION, expectedAgentLeg, isolated, ivrCall, legRecords, produceNotifications } from './support.js';

const { name, topics, keys, channels, env } = isolated('lifecycle');
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const redis = createRedis(redisUrl);
let service: ServiceProcess;
let completed: Awaited<ReturnType<typeof collectTopic>>;

const legsOf = (telephonySessionId: string) =>
  legRecords(completed.messages.map((m) => m.value)).filter((leg) => leg.telephonySessionId === telephonySessionId);

beforeAll(async () => {
  await redis.sadd(keys.monitoredExtensions, AGENT_EXTENSION);
  const port = await freePort();
  service = startServiceProcess('call-state', {
    CALL_STATE_PORT: String(port),
    ...env,
    CALL_STATE_GRACE_MS: '200',
    CALL_STATE_RETENTION_MS: '3000',
    CALL_STATE_STALE_AFTER_MS: '1500',
    CALL_STATE_REAPER_INTERVAL_MS: '300',
    CALL_STATE_BOARD_SWEEP_INTERVAL_MS: '300',
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
  completed = await collectTopic(kafka, topics.completedCalls);
});

afterAll(async () => {
  await completed?.stop();
  expect(await service.stop()).toBe(0);
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

describe('call-state over a leg’s life', () => {
  it('amends a completed leg with a late event and re-emits it with a higher version', async () => {
    const call = ivrCall();
    const hold = (n: { body: { sequence: number } }) => n.body.sequence === 9 || n.body.sequence === 10;
    await produceNotifications(
      kafka,
      topics.telephonySessions,
      call.notifications.filter((n) => !hold(n)),
    );
    const [first] = await waitFor(() => (legsOf(call.telephonySessionId).length === 1 ? legsOf(call.telephonySessionId) : undefined), {
      what: 'the first version',
    });
    expect(first).toMatchObject({ version: 1, holdMs: 0, holdCount: 0 });

    await produceNotifications(kafka, topics.telephonySessions, call.notifications.filter(hold));
    const amended = await waitFor(() => legsOf(call.telephonySessionId).find((leg) => leg.version === 2), { what: 'the amended version' });
    expect(amended).toMatchObject({ ...expectedAgentLeg, version: 2 });
  });

  it('dead-letters an event that arrives after the retention window instead of folding it alone', async () => {
    const call = ivrCall();
    await produceNotifications(kafka, topics.telephonySessions, call.notifications);
    await waitFor(() => legsOf(call.telephonySessionId).length === 1, { what: 'the completed leg' });
    await waitFor(async () => (await redis.exists(keys.sessionEvents(call.telephonySessionId))) === 0, {
      what: 'the retention window to pass',
      timeoutMs: 30000,
    });
    const late = { ...call.notifications[3], uuid: `late-${call.telephonySessionId}` } as (typeof call.notifications)[number];
    late.body = { ...late.body, sequence: 99 };
    await produceNotifications(kafka, topics.telephonySessions, [late]);
    const dead = await readTopic(kafka, topics.callStateDeadLetter, 1);
    expect(dead[0]?.headers['callpulse-dead-letter-reason']).toMatch(/retention window/);
    expect(JSON.parse(String(dead[0]?.value)).uuid).toBe(late.uuid);
    expect(legsOf(call.telephonySessionId)).toHaveLength(1);
  });

  it('reaps a leg whose end never came as Unknown / Timeout and clears it from the live board', async () => {
    const call = ivrCall();
    await produceNotifications(
      kafka,
      topics.telephonySessions,
      call.notifications.filter((n) => n.body.sequence <= 8),
    );
    const reaped = await waitFor(() => legsOf(call.telephonySessionId)[0], { what: 'the reaped leg', timeoutMs: 30000 });
    expect(reaped).toMatchObject({ result: 'Unknown', endReason: 'Timeout', endedBy: 'unknown', ringMs: expectedAgentLeg.ringMs });
    expect(await redis.hlen(keys.extensionActiveLegs(AGENT_EXTENSION))).toBe(0);
  });

  it('takes a leg whose session is gone from Redis off the live board (call-state away longer than a session is kept)', async () => {
    // What an outage of call-state longer than stale-after + retention leaves: the session's keys expired, its legs not.
    const extensionId = '200300477';
    const to = { phoneNumber: null, name: null, extensionId };
    const phantom = liveLeg({
      telephonySessionId: `s-phantom-${name}`,
      extensionId,
      to,
      status: 'Talking',
      updatedAtMs: Date.now() - 5000,
    });
    await new LiveBoard(redis, keys, channels).apply([phantom]);
    expect(await redis.hget(keys.agentStates, extensionId)).toBe('talking');
    await waitFor(async () => (await redis.hlen(keys.extensionActiveLegs(extensionId))) === 0, { what: 'the phantom leg to leave' });
    expect(await redis.hget(keys.agentStates, extensionId)).toBe('idle');
  });

  it('starts following an extension added to the monitored set at run time', async () => {
    const call = ivrCall();
    const ivrExtension = '200300490'; // the IVR menu's party in the capture: not monitored so far
    await redis.sadd(keys.monitoredExtensions, ivrExtension);
    await redis.publish(channels.directoryChanged, JSON.stringify({ reason: 'monitored' }));
    await waitFor(
      async () => {
        const probe = ivrCall();
        await produceNotifications(kafka, topics.telephonySessions, probe.notifications);
        await waitFor(() => legsOf(probe.telephonySessionId).length > 0, { what: 'a leg', timeoutMs: 5000 });
        return legsOf(probe.telephonySessionId).some((leg) => leg.extensionId === ivrExtension);
      },
      { what: 'the IVR extension to be followed', timeoutMs: 30000, intervalMs: 200 },
    );
    await produceNotifications(kafka, topics.telephonySessions, call.notifications);
    const legs = await waitFor(() => (legsOf(call.telephonySessionId).length === 2 ? legsOf(call.telephonySessionId) : undefined), {
      what: 'two legs',
    });
    expect(legs.map((leg) => leg.extensionId).sort()).toEqual([AGENT_EXTENSION, ivrExtension].sort());
  });
});
