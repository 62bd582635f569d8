// A session's party events through the reporting service into ClickHouse, on the real servers: each event stored once
// however often it comes (re-emitted with more events, duplicated, the whole topic replayed by a second group), and
// what is stored explains the legs exactly as the events call-state folded.
import {
  explainSession,
  foldStoredSession,
  normaliseNotification,
  type PartyEvent,
  type PartyEventsRecord,
  partyEventsRecords,
  timeoutEvents,
} from '@callpulse/call-model';
import { topicNames } from '@callpulse/contracts';
import { createClickHouseClient } from '@callpulse/platform';
import { buildScenario } from '@callpulse/testkit/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/support/env.js';
import { waitFor } from '../../../test/support/wait.js';
import { type ReportingService, startReporting } from '../src/service.js';
import { cleanUp, produce, silent, testConfig, testKafka, waitCommittedToEnd } from './support/harness.js';

const config = testConfig('party_events');
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const kafka = testKafka();
const clickhouse = createClickHouseClient({ url: config.CLICKHOUSE_URL, application: 'callpulse-test' });
const replayGroup = uniqueName('party_events_replay');
let reporting: ReportingService;

/** A scenario's events, with the records call-state sends for them, per session. */
function calls(name: string, seed: number) {
  const scenario = buildScenario(name, { seed });
  const isMonitored = (id: string) => scenario.monitoredExtensionIds.includes(id);
  const events = scenario.notifications.flatMap((timed) => normaliseNotification(timed.notification));
  const bySession = new Map<string, PartyEvent[]>();
  for (const event of events) bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
  return [...bySession.values()].map((sessionEvents) => ({
    events: sessionEvents,
    isMonitored,
    records: partyEventsRecords(foldStoredSession(sessionEvents, isMonitored), sessionEvents),
  }));
}

const message = (record: PartyEventsRecord) => ({ key: record.telephonySessionId, value: JSON.stringify(record) });

async function send(records: PartyEventsRecord[], group = config.REPORTING_GROUP_ID) {
  await produce(kafka, topics.completedCalls, records.map(message));
  await waitCommittedToEnd(kafka, group, topics.completedCalls);
}

async function stored(telephonySessionId?: string) {
  const where = telephonySessionId ? `WHERE telephony_session_id = '${telephonySessionId}'` : '';
  const result = await clickhouse.query({
    query: `SELECT telephony_session_id, party_id, sequence, notification_uuid, leg, synthetic, event FROM ${config.CLICKHOUSE_DATABASE}.party_events ${where}`,
    format: 'JSONEachRow',
  });
  return result.json<{ telephony_session_id: string; party_id: string; sequence: number; leg: number; synthetic: number; event: string }>();
}

beforeAll(async () => {
  reporting = await startReporting(config, { logger: silent });
  await waitFor(async () => (await reporting.ready()) === true, { what: 'reporting ready' });
});

afterAll(async () => {
  await reporting?.stop();
  await clickhouse.close();
  await cleanUp(config, [config.REPORTING_GROUP_ID, replayGroup]);
});

describe('party events in ClickHouse', () => {
  const queue = calls('queue-answered', 3);
  const transfer = calls('attended-transfer', 4);
  const all = [...queue, ...transfer];
  const eventCount = all.reduce((sum, call) => sum + new Set(call.events.map((e) => `${e.partyId}:${e.sequence}`)).size, 0);

  it('stores every event of a session once, with its legs flagged, even when it comes again with more', async () => {
    // The first emission of each session carries the events up to its first ended leg; the next ones carry all.
    const early = all.flatMap((call) => {
      const half = call.events.slice(0, Math.ceil(call.events.length / 2));
      return partyEventsRecords(foldStoredSession(half, call.isMonitored), half);
    });
    await send(early);
    await send(all.flatMap((call) => call.records));
    const rows = await stored();
    expect(rows).toHaveLength(eventCount);
    const legParties = new Set(all.flatMap((call) => call.records.flatMap((record) => record.legPartyIds)));
    expect(
      rows
        .filter((row) => row.leg === 1)
        .map((row) => row.party_id)
        .every((party) => legParties.has(party)),
    ).toBe(true);
    expect(rows.filter((row) => row.leg === 1).length).toBeGreaterThan(0);
  });

  it('inserts nothing for duplicates, within one batch and across batches', async () => {
    const records = all.flatMap((call) => call.records);
    await send([...records, ...records]);
    expect(await stored()).toHaveLength(eventCount);
  });

  it('inserts nothing when a second consumer group replays the whole topic into the same database', async () => {
    const replay = await startReporting({ ...config, REPORTING_GROUP_ID: replayGroup }, { logger: silent });
    try {
      await waitCommittedToEnd(kafka, replayGroup, topics.completedCalls);
    } finally {
      await replay.stop();
    }
    expect(await stored()).toHaveLength(eventCount);
  });

  it('keeps what explains the legs as call-state folded them, the reaper`s synthetic ends included', async () => {
    const [call] = transfer;
    if (!call) throw new Error('no session');
    const open = call.events.slice(0, call.events.length - 2);
    const withTimeout = [...open, ...timeoutEvents(open)];
    await send(partyEventsRecords(foldStoredSession(withTimeout, call.isMonitored), withTimeout));
    const rows = await stored(call.events[0]?.telephonySessionId);
    expect(rows.filter((row) => row.synthetic === 1).length).toBe(timeoutEvents(open).length);
    const events = rows.map((row) => JSON.parse(row.event) as PartyEvent);
    const monitored = new Set(
      events.filter((event) => rows.some((row) => row.leg === 1 && row.party_id === event.partyId)).map((e) => e.extensionId),
    );
    // The real ends came too: the synthetic ones give way, as in call-state.
    expect(explainSession(events, (id) => monitored.has(id))).toEqual(explainSession(call.events, call.isMonitored));
  });
});
