// The explanation of a call's figures: for every scenario of the library, each leg's phases add up to exactly the
// figures of the record the fold emits, every phase opens and closes on events of the session, and the rules named
// are the ones that gave the record its result and endedBy.

import type { CompletedLegRecord } from '@callpulse/contracts';
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import {
  explainSession,
  foldStoredSession,
  type PartyEvent,
  type SessionExplanation,
  timeoutEvents,
  toCompletedLegRecord,
} from './index.js';
import { eventsOf } from './testing/helpers.js';

const seeds = [1, 2, 3, 42, 2026];

/** Each session of the events with its explanation and the records the fold emits for its ended legs. */
function explainAll(events: readonly PartyEvent[], isMonitored: (id: string) => boolean) {
  const bySession = new Map<string, PartyEvent[]>();
  for (const event of events) bySession.set(event.telephonySessionId, [...(bySession.get(event.telephonySessionId) ?? []), event]);
  return [...bySession.values()].map((sessionEvents) => {
    const session = foldStoredSession(sessionEvents, isMonitored);
    const records = session.legs.filter((leg) => leg.ended).map((leg) => toCompletedLegRecord(leg, session, 1));
    return { explanation: explainSession(sessionEvents, isMonitored), records };
  });
}

/** The figures of a record as the explanation derives them from its phases and rules. */
function explainedFigures(explanation: SessionExplanation, record: CompletedLegRecord) {
  const leg = explanation.legs.find((candidate) => candidate.partyId === record.partyId);
  if (!leg) throw new Error(`no explanation of leg ${record.partyId}`);
  return {
    ringMs: leg.ring.ms,
    talkMs: leg.talk.ms,
    holdMs: leg.hold.ms,
    holdCount: leg.hold.phases.length,
    durationMs: leg.duration.ms,
    ringStartMs: leg.ring.phases[0]?.from.ms ?? 0,
    answerMs: leg.talk.phases[0]?.from.ms ?? 0,
    startMs: leg.duration.from.ms,
    endMs: leg.duration.to.ms,
    result: leg.result?.result,
    endedBy: leg.endedBy?.endedBy,
    endReason: leg.events.find((event) => event.sequence === leg.duration.to.sequence)?.reason ?? '',
    endedDuringHold: leg.phases.at(-1)?.kind === 'hold',
  };
}

const recordFigures = (record: CompletedLegRecord) => ({
  ringMs: record.ringMs,
  talkMs: record.talkMs,
  holdMs: record.holdMs,
  holdCount: record.holdCount,
  durationMs: record.durationMs,
  ringStartMs: record.ringStartMs,
  answerMs: record.answerMs,
  startMs: record.startMs,
  endMs: record.endMs,
  result: record.result,
  endedBy: record.endedBy,
  endReason: record.endReason,
  endedDuringHold: record.endedDuringHold,
});

describe('explainSession', () => {
  it('explains every figure of every leg record of every scenario from its phases and rules', () => {
    let legs = 0;
    for (const name of scenarioNames) {
      for (const seed of seeds) {
        const scenario = buildScenario(name, { seed });
        const events = eventsOf(scenario.notifications.map((timed) => timed.notification));
        for (const { explanation, records } of explainAll(events, (id) => scenario.monitoredExtensionIds.includes(id))) {
          for (const record of records) {
            expect(explainedFigures(explanation, record), `${name} seed ${seed} leg ${record.partyId}`).toEqual(recordFigures(record));
            legs += 1;
          }
        }
      }
    }
    expect(legs).toBeGreaterThan(100);
  });

  it('opens and closes every phase on events of the session, in order, and gives the fold figures as they are', () => {
    for (const name of scenarioNames) {
      const scenario = buildScenario(name, { seed: 7 });
      const events = eventsOf(scenario.notifications.map((timed) => timed.notification));
      for (const { explanation, records } of explainAll(events, (id) => scenario.monitoredExtensionIds.includes(id))) {
        const known = new Set(explanation.events.map((event) => `${event.partyId}:${event.sequence}:${event.statusCode}`));
        for (const leg of explanation.legs) {
          for (const phase of leg.phases) {
            for (const mark of [phase.from, phase.to]) {
              if (mark) expect(known.has(`${mark.partyId}:${mark.sequence}:${mark.code}`), `${name} ${phase.kind}`).toBe(true);
            }
            if (phase.to) expect(phase.to.sequence).toBeGreaterThanOrEqual(phase.from.sequence);
            if (phase.to) expect(phase.ms).toBe(Math.max(0, phase.to.ms - phase.from.ms));
          }
          const record = records.find((candidate) => candidate.partyId === leg.partyId);
          if (record) expect(leg.figures).toMatchObject({ ringMs: record.ringMs, talkMs: record.talkMs, result: record.result });
        }
      }
    }
  });

  it('says which rule gave each result and who ended the call, with the facts it looked at', () => {
    const session = buildScenario('queue-answered', { seed: 5 });
    const events = eventsOf(session.notifications.map((timed) => timed.notification));
    const explanation = explainSession(events, (id) => session.monitoredExtensionIds.includes(id));
    const answered = explanation.legs.find((leg) => leg.result?.result === 'Answered');
    const elsewhere = explanation.legs.find((leg) => leg.result?.result === 'AnsweredElsewhere');
    expect(answered?.result).toMatchObject({ rule: 'Answered', order: 5, facts: { answerMs: answered?.figures.answerMs } });
    expect(answered?.endedBy).toMatchObject({ rule: 'first-to-hang-up', facts: { counterpartEndSequence: expect.any(Number) } });
    expect(elsewhere?.result).toMatchObject({ rule: 'AnsweredElsewhere', order: 10, facts: { answeredBy: answered?.partyId } });
    expect(elsewhere?.endedBy).toMatchObject({ endedBy: 'unknown', rule: 'system' });
  });

  it('draws a captured call: ring from Proceeding to Answered, two talk segments around one hold', () => {
    const events = eventsOf(loadCapturedSession('inbound-ivr-agent.json'));
    const [leg] = explainSession(events, (id) => id === '200300401').legs;
    expect(leg?.phases.map((phase) => [phase.kind, phase.from.code, phase.to?.code, phase.ms])).toEqual([
      ['ring', 'Proceeding', 'Answered', 7345],
      ['talk', 'Answered', 'Hold', expect.any(Number)],
      ['hold', 'Hold', 'Answered', 2393],
      ['talk', 'Answered', 'Disconnected', expect.any(Number)],
    ]);
    expect(leg?.talk.ms).toBe(12414);
    expect(leg?.endedBy).toMatchObject({ endedBy: 'agent', rule: 'first-to-hang-up' });
  });

  it('marks the far end on a placed call that connects when the callee answers', () => {
    const events = eventsOf(loadCapturedSession('internal-extension-to-extension.json'));
    const caller = explainSession(events, (id) => id === '200300402').legs[0];
    const talk = caller?.talk.phases[0];
    expect(talk?.from).toMatchObject({ code: 'Answered', own: false });
    expect(caller?.talk.ms).toBe(9648);
  });

  it('lists the reaper synthetic end, and the Timeout verdict as the rule', () => {
    const events = eventsOf(loadCapturedSession('inbound-ivr-agent.json')).filter((event) => event.sequence <= 8);
    const stored = [...events, ...timeoutEvents(events)];
    const explanation = explainSession(stored, (id) => id === '200300401');
    const [leg] = explanation.legs;
    expect(leg?.events.at(-1)).toMatchObject({ statusCode: 'Disconnected', reason: 'Timeout', synthetic: true });
    expect(leg?.result).toMatchObject({ result: 'Unknown', rule: 'Timeout', order: null });
    expect(leg?.endedBy).toMatchObject({ endedBy: 'unknown', rule: 'Timeout' });
    const folded = foldStoredSession(stored, (id) => id === '200300401');
    const record = toCompletedLegRecord(folded.legs[0] as (typeof folded.legs)[number], folded, 1);
    expect([leg?.talk.ms, leg?.result?.result, leg?.endedBy?.endedBy]).toEqual([record.talkMs, record.result, record.endedBy]);
  });

  it('flags events after a party end: counted, changing nothing', () => {
    const events = eventsOf(loadCapturedSession('inbound-ivr-agent.json'));
    const end = events.find((event) => event.extensionId === '200300401' && event.statusCode === 'Disconnected') as PartyEvent;
    const late = { ...end, sequence: 99, notificationUuid: 'late', statusCode: 'Answered', rawStatusCode: 'Answered' };
    const [leg] = explainSession([...events, late], (id) => id === '200300401').legs;
    expect(leg?.events.at(-1)).toMatchObject({ sequence: 99, afterEnd: true });
    expect(leg?.duration.to.sequence).toBe(end.sequence);
  });
});
