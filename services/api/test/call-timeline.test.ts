// callTimeline on the real servers: simulated calls go through the built call-state and reporting into ClickHouse,
// and the built API explains each leg from the stored events with exactly the figures of the leg records reporting
// stored for it (talk, ring, hold, result, endedBy, ...), also for a leg callpulse ended because its end never came;
// a second reporting group replaying the whole topic doubles no event; bad arguments get clear errors.
import { randomInt } from 'node:crypto';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient, createKafka, createLogger, escapeIdentifier, Partitioners } from '@callpulse/platform';
import { type BuiltScenario, buildScenario } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUrl, kafkaBrokers, uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { gql, type Json } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_timeline'));
const KEY = 'timeline-viewer-key';
const topics = topicNames(iso.env.KAFKA_TOPIC_PREFIX);
const replayGroup = `${iso.name}-replay`;
const db = escapeIdentifier(iso.name);
const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
const kafka = createKafka({ clientId: 'api-test', brokers: kafkaBrokers, logger: createLogger('test', 'silent') });
const services: Started[] = [];
let api: Started;

const startMs = Date.now() - 20 * 60_000;
const agents = (n: number) => Array.from({ length: n }, () => `78${randomInt(1e8, 1e9)}`);
const scenarios: BuiltScenario[] = [
  buildScenario('inbound-answered-two-holds', { seed: 11, startMs, agentExtensionIds: agents(1) }),
  buildScenario('queue-answered', { seed: 12, startMs, agentExtensionIds: agents(3) }),
  buildScenario('attended-transfer', { seed: 13, startMs, agentExtensionIds: agents(2) }),
  buildScenario('park-and-pickup', { seed: 14, startMs, agentExtensionIds: agents(2) }),
  buildScenario('outbound-answered', { seed: 15, startMs, agentExtensionIds: agents(1) }),
  buildScenario('inbound-voicemail', { seed: 16, startMs, agentExtensionIds: agents(1) }),
];
/** A call whose last events never come: callpulse ends its legs when they go stale (Unknown, Timeout). */
const cutOff = buildScenario('inbound-answered-two-holds', { seed: 17, startMs, agentExtensionIds: agents(1) });
const cutOffNotifications = cutOff.notifications.slice(0, -3);
const sessionIds = [...new Set([...scenarios, cutOff].flatMap((s) => s.notifications.map((n) => n.notification.body.telephonySessionId)))];

const rows = async <T>(query: string): Promise<T[]> => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();

async function produce(notifications: BuiltScenario['notifications']): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic: topics.telephonySessions,
      acks: -1,
      messages: notifications.map(({ notification }) => ({
        key: notification.body.telephonySessionId,
        value: JSON.stringify(notification),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.every(
      ({ partition, high }) => high === '0' || committed?.partitions.find((p) => p.partition === partition)?.offset === high,
    );
  } finally {
    await admin.disconnect();
  }
}

interface StoredLeg {
  telephony_session_id: string;
  party_id: string;
  result: string;
  ended_by: string;
  end_reason: string;
  end_status: string;
  ended_during_hold: number;
  ring_ms: number;
  talk_ms: number;
  hold_ms: number;
  hold_count: number;
  duration_ms: number;
  start_ms: number;
  answer_ms: number;
  end_ms: number;
}

const legFields = `partyId extensionId ended
  figures { ringMs talkMs holdMs holdCount durationMs result endedBy endReason endStatus endedDuringHold startTime answerTime endTime }
  ring { ms phases { from { sequence status own } to { sequence status } ms } }
  talk { ms phases { ms } }
  hold { ms phases { ms } }
  duration { ms from { timeMs } to { timeMs } }
  result { result rule order says facts { name value } }
  endedBy { endedBy rule says facts { name value } }
  events { sequence status reason synthetic afterEnd }`;
const timelineQuery = `query ($id: ID!, $zone: String) {
  callTimeline(telephonySessionId: $id, timeZone: $zone) { telephonySessionId timeZone events { sequence partyId status } legs { ${legFields} } }
}`;

async function timeline(id: string, zone?: string): Promise<Json> {
  const response = await gql(api.url, timelineQuery, { variables: { id, zone }, key: KEY });
  expect(response.errors).toBeUndefined();
  return response.data?.callTimeline;
}

/** What the explanation says of a leg, in the stored record's terms. */
function explained(l: Json): Record<string, number | string | boolean> {
  return {
    result: l.result.result,
    ended_by: l.endedBy.endedBy,
    end_reason: l.figures.endReason ?? '',
    end_status: l.figures.endStatus ?? '',
    ended_during_hold: l.figures.endedDuringHold ? 1 : 0,
    ring_ms: l.ring.ms,
    talk_ms: l.talk.ms,
    hold_ms: l.hold.ms,
    hold_count: l.hold.phases.length,
    duration_ms: l.duration.ms,
    start_ms: l.duration.from.timeMs,
    end_ms: l.duration.to.timeMs,
  };
}

const storedFigures = (leg: StoredLeg) => ({
  result: leg.result,
  ended_by: leg.ended_by,
  end_reason: leg.end_reason,
  end_status: leg.end_status,
  ended_during_hold: Number(leg.ended_during_hold),
  ring_ms: Number(leg.ring_ms),
  talk_ms: Number(leg.talk_ms),
  hold_ms: Number(leg.hold_ms),
  hold_count: Number(leg.hold_count),
  duration_ms: Number(leg.duration_ms),
  start_ms: Number(leg.start_ms),
  end_ms: Number(leg.end_ms),
});

const storedLegs = () =>
  rows<StoredLeg>(
    `SELECT telephony_session_id, party_id, result, ended_by, end_reason, end_status, ended_during_hold, ring_ms, talk_ms, hold_ms,
       hold_count, duration_ms, start_ms, answer_ms, end_ms FROM ${db}.legs_latest
     WHERE telephony_session_id IN (${sessionIds.map((id) => `'${id}'`).join(', ')})`,
  );
const storedEventCount = async () => Number((await rows<{ n: string }>(`SELECT count() AS n FROM ${db}.party_events`))[0]?.n);

beforeAll(async () => {
  services.push(await startService('reporting', iso));
  services.push(await startService('call-state', iso, { CALL_STATE_STALE_AFTER_MS: '8000', CALL_STATE_REAPER_INTERVAL_MS: '500' }));
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}` });
  services.push(api);
  await produce([...scenarios.flatMap((s) => s.notifications), ...cutOffNotifications]);
  // Every call ended (the cut-off one by the reaper) and summarised: its legs' records are final.
  await waitFor(
    async () =>
      Number(
        (await rows<{ n: string }>(`SELECT count() AS n FROM ${db}.sessions_latest WHERE end_ms > 0`).catch(() => [{ n: '0' }]))[0]?.n,
      ) === sessionIds.length,
    { timeoutMs: 90000, intervalMs: 500, what: `${sessionIds.length} ended sessions in ClickHouse` },
  );
  await waitFor(() => committedToEnd(`${iso.name}-reporting`, topics.completedCalls), { timeoutMs: 30000, what: 'reporting done' });
}, 180000);

afterAll(async () => {
  for (const service of services.reverse()) expect(await service.process.stop()).toBe(0);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([replayGroup]).catch(() => undefined);
  await admin.disconnect();
  await clickhouse.close();
  await cleanUp(iso);
});

describe('callTimeline', () => {
  it('explains every stored leg of every simulated call with exactly the figures reporting stored', async () => {
    const legs = await storedLegs();
    expect(legs.length).toBeGreaterThanOrEqual(12);
    for (const id of sessionIds) {
      const answer = await timeline(id, 'Asia/Kolkata');
      expect(answer?.telephonySessionId).toBe(id);
      expect(answer?.timeZone).toMatch(/^Asia\/(Kolkata|Calcutta)$/); // ICU's name for it
      const stored = legs.filter((leg) => leg.telephony_session_id === id);
      expect(stored.length, id).toBeGreaterThan(0);
      for (const leg of stored) {
        const mine = answer?.legs.find((candidate: Json) => candidate.partyId === leg.party_id);
        expect(mine, `${id} ${leg.party_id}`).toBeDefined();
        expect(explained(mine), `${id} ${leg.party_id}`).toEqual(storedFigures(leg));
        expect(mine?.figures.ringMs).toBe(Number(leg.ring_ms));
        expect(mine?.figures.answerTime ?? null).toBe(
          Number(leg.answer_ms) > 0 ? new Date(Number(leg.answer_ms) + 5.5 * 3600_000).toISOString().replace('Z', '+05:30') : null,
        );
      }
    }
  });

  it('names the rule and its facts, and the leg callpulse ended when its end never came', async () => {
    const cutOffId = cutOff.notifications[0]?.notification.body.telephonySessionId ?? '';
    const answer = await timeline(cutOffId);
    const leg = answer?.legs.find((candidate: Json) => candidate.extensionId === cutOff.monitoredExtensionIds[0]);
    expect(leg.result).toMatchObject({ result: 'Unknown', rule: 'Timeout', order: null });
    expect(leg.endedBy).toMatchObject({ rule: 'Timeout' });
    expect(leg.events.at(-1)).toMatchObject({ synthetic: true, reason: 'Timeout' });

    const first = scenarios[0]?.notifications[0]?.notification.body.telephonySessionId ?? '';
    const answered = (await timeline(first))?.legs.find(
      (candidate: Json) => candidate.extensionId === scenarios[0]?.monitoredExtensionIds[0],
    );
    expect(answered.result).toMatchObject({ rule: 'Answered', order: 5 });
    expect(answered.result.facts.map((fact: Json) => fact.name)).toEqual(['answerMs']);
    expect(answered.endedBy.rule).toBe('first-to-hang-up');
    expect(answered.endedBy.facts.map((fact: Json) => fact.name)).toContain('counterpartEndSequence');
    expect(answered.hold.phases).toHaveLength(2);
  });

  it('doubles no event when a second reporting group replays the whole topic', async () => {
    const before = await storedEventCount();
    const distinct = Number(
      (
        await rows<{ n: string }>(
          `SELECT uniqExact(telephony_session_id, party_id, sequence, notification_uuid) AS n FROM ${db}.party_events`,
        )
      )[0]?.n,
    );
    expect(before).toBe(distinct);
    const timelines = await Promise.all(sessionIds.map((id) => timeline(id)));
    const replay = await startService('reporting', iso, { REPORTING_GROUP_ID: replayGroup });
    try {
      await waitFor(() => committedToEnd(replayGroup, topics.completedCalls), { timeoutMs: 60000, what: 'the replay' });
    } finally {
      expect(await replay.process.stop()).toBe(0);
    }
    expect(await storedEventCount()).toBe(before);
    expect(await Promise.all(sessionIds.map((id) => timeline(id)))).toEqual(timelines);
  });

  it('answers null for an unknown call and names a bad argument', async () => {
    expect(await timeline('s-no-such-call')).toBeNull();
    const zone = await gql(api.url, timelineQuery, { variables: { id: sessionIds[0], zone: 'Mars/Base' }, key: KEY });
    expect(zone.errors?.[0]?.message).toMatch(/unknown time zone/);
    const long = await gql(api.url, timelineQuery, { variables: { id: 'x'.repeat(201) }, key: KEY });
    expect(long.errors?.[0]?.message).toMatch(/telephonySessionId must be 1 to 200 characters/);
  });
});
