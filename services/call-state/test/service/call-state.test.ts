// The built call-state service against the real Kafka and Redis: live view, completed records, duplicates and disorder.
import { decodeMessage } from '@callpulse/call-model';
import { headers, type LiveLegSnapshot, type TelephonyNotification } from '@callpulse/contracts';
import { createKafka, createLogger, createRedis, createSubscriber } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, redisUrl } from '../../../../test/support/env.js';
import { collectTopic, readTopic } from '../../../../test/support/kafka-reader.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { AGENT_EXTENSION, disorder, expectedAgentLeg, isolated, ivrCall, legRecords, produceNotifications } from './support.js';

const { name, topics, keys, channels, env } = isolated('callstate');
const kafka = createKafka({ clientId: 'test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const redis = createRedis(redisUrl);
let service: ServiceProcess;
let port: number;

beforeAll(async () => {
  await redis.sadd(keys.monitoredExtensions, AGENT_EXTENSION);
  port = await freePort();
  service = startServiceProcess('call-state', {
    CALL_STATE_PORT: String(port),
    ...env,
    CALL_STATE_GRACE_MS: '300',
  });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 60000);
});

afterAll(async () => {
  expect(await service.stop()).toBe(0);
  const stale = await redis.keys(`${name}:*`);
  if (stale.length > 0) await redis.del(...stale);
  redis.disconnect();
});

describe('call-state service', () => {
  it('shows the active leg live, publishes each change, and clears it when the call ends', async () => {
    const call = ivrCall();
    const subscriber = createSubscriber(redisUrl);
    const published: LiveLegSnapshot[] = [];
    await subscriber.subscribe(channels.legChanged(AGENT_EXTENSION));
    subscriber.on('message', (_channel, message) => published.push(JSON.parse(message)));

    const legField = `${call.telephonySessionId}:p-${call.telephonySessionId.slice(2)}-3`;
    const liveLeg = async () => {
      const value = await redis.hget(keys.extensionActiveLegs(AGENT_EXTENSION), legField);
      return value ? (JSON.parse(value) as LiveLegSnapshot) : undefined;
    };
    const upTo = (sequence: number) => call.notifications.filter((n) => n.body.sequence <= sequence);
    const steps: Array<[number, LiveLegSnapshot['status'], string]> = [
      [7, 'Ringing', 'ringing'],
      [8, 'Talking', 'talking'],
      [9, 'OnHold', 'onHold'],
    ];
    for (const [sequence, status, agentState] of steps) {
      await produceNotifications(kafka, topics.telephonySessions, upTo(sequence)); // earlier ones again: duplicates
      const leg = await waitFor(async () => ((await liveLeg())?.status === status ? liveLeg() : undefined), {
        what: `the leg to be ${status}`,
      });
      expect(leg).toMatchObject({ extensionId: AGENT_EXTENSION, direction: 'Inbound', ended: false, lastSequence: sequence });
      // The agent state is written right after the leg (one round trip later), never before it.
      await waitFor(async () => (await redis.hget(keys.agentStates, AGENT_EXTENSION)) === agentState, {
        what: `the agent to be ${agentState}`,
        timeoutMs: 2000,
      });
    }
    expect((await liveLeg())?.ringMs).toBe(expectedAgentLeg.ringMs);

    await produceNotifications(kafka, topics.telephonySessions, call.notifications);
    await waitFor(async () => (await redis.hlen(keys.extensionActiveLegs(AGENT_EXTENSION))) === 0, {
      what: 'the leg to leave the live board',
    });
    await waitFor(async () => (await redis.hget(keys.agentStates, AGENT_EXTENSION)) === 'idle', {
      what: 'the agent to be idle',
      timeoutMs: 2000,
    });
    await waitFor(() => published.some((leg) => leg.ended), { what: 'the ended snapshot on pub/sub' });
    expect(published.map((leg) => leg.status)).toEqual(['Ringing', 'Talking', 'OnHold', 'Ended']);
    subscriber.disconnect();
  });

  it('emits one completed record per leg with exact timings, whatever the order and duplicates', async () => {
    const calls = Array.from({ length: 5 }, () => ivrCall());
    await produceNotifications(
      kafka,
      topics.telephonySessions,
      calls.flatMap((call) => disorder(call.notifications, 4)),
    );
    // 5 legs from this test plus 1 from the previous one, and 6 session summaries; each after its session's events.
    const completed = await collectTopic(kafka, topics.completedCalls);
    const records = () => completed.messages.filter((m) => ['leg', 'session'].includes(JSON.parse(String(m.value)).kind));
    await waitFor(() => records().length >= 12, { what: () => `12 records (have ${records().length})`, timeoutMs: 30000 });
    await completed.stop();
    const messages = completed.messages;
    const legs = legRecords(messages.map((m) => m.value)).filter((leg) =>
      calls.some((c) => c.telephonySessionId === leg.telephonySessionId),
    );
    expect(legs).toHaveLength(5);
    for (const call of calls) {
      const values = messages.filter((m) => m.key === call.telephonySessionId).map((m) => JSON.parse(String(m.value)));
      // The events it folded come before its records, and all of them reach the topic (one party per notification).
      expect(values[0]?.kind).toBe('party-events');
      const events = values.filter((value) => value.kind === 'party-events');
      const leg = legs.find((candidate) => candidate.telephonySessionId === call.telephonySessionId);
      expect(events[0]).toMatchObject({ telephonySessionId: call.telephonySessionId, legPartyIds: [leg?.partyId] });
      const sequences = events.flatMap((record) => record.events.map((event: { sequence: number }) => event.sequence));
      expect(new Set(sequences).size).toBe(call.notifications.length);
    }
    for (const leg of legs) {
      expect(leg).toMatchObject({ ...expectedAgentLeg, extensionId: AGENT_EXTENSION, version: 1, endedBy: 'agent', kind: 'leg' });
    }
    for (const m of messages) expect(m.key).toBe(JSON.parse(String(m.value)).telephonySessionId);
    const day = await redis.hgetall(keys.extensionDayCounters(AGENT_EXTENSION, '2020-06-23'));
    expect(Number(day.calls)).toBe(6);
    expect(Number(day.talkMs)).toBe(6 * expectedAgentLeg.talkMs);
    // Each leg's first record once in the emit delay (its end in 2020: the +Inf bucket), none for the summaries.
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^callpulse_call_state_leg_emit_delay_seconds_count({[^}]*})? 6$/m);
  });

  it('dead-letters a message that is not a telephony notification and keeps going', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics.telephonySessions, messages: [{ key: 's-bad', value: '{"not":"a notification"}' }] });
    await producer.disconnect();
    const [dead] = await readTopic(kafka, topics.callStateDeadLetter, 1);
    expect(String(dead?.value)).toBe('{"not":"a notification"}');
    expect(dead?.headers['callpulse-dead-letter-reason']).toMatch(/`body`/); // the field that is missing
  });

  it("counts each applied webhook in the live delay from ingest's receipt, and a redelivered one not again", async () => {
    const read = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const value = (series: string) => Number(new RegExp(`^${series} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return {
        within30s: value('callpulse_call_state_live_delay_seconds_bucket\\{[^}]*le="30"[^}]*\\}'),
        all: value('callpulse_call_state_live_delay_seconds_bucket\\{[^}]*le="\\+Inf"[^}]*\\}'),
        duplicateEvents: value('callpulse_call_state_events_total\\{[^}]*outcome="duplicate"[^}]*\\}'),
      };
    };
    const before = await read();
    const call = ivrCall();
    // Received 100 ms after its eventTime (ingest refuses times over 7 days before the receipt), which is of 2020: every
    // delay is years, past the last bucket.
    const receivedAt = (notification: TelephonyNotification) => Date.parse(notification.body.eventTime) + 100;
    await produceNotifications(kafka, topics.telephonySessions, call.notifications, receivedAt);
    let now = before;
    await waitFor(
      async () => {
        now = await read();
        return now.all - before.all >= call.notifications.length;
      },
      { what: () => `every notification counted in the live delay (${now.all - before.all} of ${call.notifications.length})` },
    );
    // Three redelivered: applied as duplicates (their party events counted so), not in the live delay again.
    const redelivered = call.notifications.slice(0, 3);
    const theirEvents = redelivered
      .map((notification) =>
        decodeMessage({ value: JSON.stringify(notification), headers: { [headers.receivedAt]: String(receivedAt(notification)) } }),
      )
      .reduce((sum, decoded) => sum + (decoded.ok ? decoded.events.length : 0), 0);
    expect(theirEvents).toBeGreaterThanOrEqual(3);
    const counted = now;
    await produceNotifications(kafka, topics.telephonySessions, redelivered, receivedAt);
    await waitFor(
      async () => {
        now = await read();
        return now.duplicateEvents - counted.duplicateEvents >= theirEvents;
      },
      { what: () => `the redelivered events applied as duplicates (${now.duplicateEvents - counted.duplicateEvents} of ${theirEvents})` },
    );
    expect(now.all - before.all).toBe(call.notifications.length);
    expect(now.within30s - before.within30s).toBe(0);
  });
});
