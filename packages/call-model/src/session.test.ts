// The live view while a call goes on, results from reasons, the summary, records, and bad input.
import { legRecord } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { foldSession, toCompletedLegRecord, toSessionSummaryRecord } from './index.js';
import { agent, answeredCall, base, caller, ev } from './testing/build.js';

const monitored = (id: string) => id === '101';

describe('live view', () => {
  it('follows Setup, Ringing, Talking, OnHold, Ended with the timestamps so far', () => {
    const all = [
      ...answeredCall().slice(0, 5),
      ev(7, 15.2, agent, 'Hold'),
      ev(8, 18.2, agent, 'Answered'),
      ev(9, 30, agent, 'Disconnected'),
    ];
    const at = (count: number) => foldSession(all.slice(0, count), monitored).legs[0];
    expect(at(2)).toMatchObject({ status: 'Setup', ended: false, result: null, endedBy: null });
    expect(at(3)).toMatchObject({ status: 'Ringing', statusSinceMs: base + 200, timings: { ringStartMs: base + 200, answerMs: null } });
    expect(at(5)).toMatchObject({ status: 'Talking', statusSinceMs: base + 5200, timings: { ringMs: 5000, talkMs: 0 } });
    expect(at(6)).toMatchObject({ status: 'OnHold', statusSinceMs: base + 15200, timings: { talkMs: 10000, holdCount: 1 } });
    expect(at(7)).toMatchObject({ status: 'Talking', timings: { holdMs: 3000, durationMs: 18100 } });
    expect(at(8)).toMatchObject({ status: 'Ended', ended: true, result: 'Answered', endedBy: 'unknown', otherSideEnded: false });
    const session = foldSession([...all, ev(10, 30.05, caller, 'Disconnected')], monitored);
    expect(session.legs[0]).toMatchObject({
      endedBy: 'agent',
      otherSideEnded: true,
      timings: { talkMs: 21800, holdMs: 3000, endMs: base + 30000 },
    });
    expect(session).toMatchObject({ ended: true, lastSequence: 10, eventCount: 9 });
  });

  it('shows Voicemail and Parked as live statuses', () => {
    const ringing = [ev(2, 0, caller, 'Setup'), ev(3, 0.2, agent, 'Proceeding')];
    expect(foldSession([...ringing, ev(4, 8, agent, 'Voicemail')], monitored).legs[0]?.status).toBe('Voicemail');
    expect(foldSession([...answeredCall().slice(0, 5), ev(7, 9, agent, 'Parked')], monitored).legs[0]?.status).toBe('Parked');
  });
});

describe('results from reasons', () => {
  const rang = [ev(2, 0, caller, 'Setup'), ev(3, 0.2, agent, 'Proceeding')];
  it.each([
    ['Rejected', 'Rejected'],
    ['TargetBusy', 'Busy'],
    ['NoSuchUser', 'Failed'],
    ['InternalError', 'Failed'],
    ['BlindTransfer', 'Transferred'],
    ['Voicemail', 'Voicemail'],
    ['AgentAnswered', 'AnsweredElsewhere'],
    ['Cancelled', 'Missed'],
    ['SomethingNew', 'Missed'],
  ])('an unanswered inbound leg ended with reason %s is %s', (reason, result) => {
    const leg = foldSession([...rang, ev(4, 6, agent, 'Disconnected', { reason })], monitored).legs[0];
    expect(leg).toMatchObject({ result, endReason: reason });
  });

  it('an outbound leg never answered is Cancelled, or Voicemail when the far end went to voicemail', () => {
    const out = { ...agent, direction: 'Outbound' as const };
    const far = { ...caller, direction: 'Inbound' as const };
    const base = [ev(2, 0, out, 'Setup'), ev(3, 0.1, far, 'Proceeding'), ev(4, 0.5, out, 'Proceeding')];
    expect(foldSession([...base, ev(5, 9, out, 'Disconnected'), ev(6, 9.1, far, 'Disconnected')], monitored).legs[0]).toMatchObject({
      result: 'Cancelled',
      endedBy: 'agent',
      timings: { ringMs: 8500 },
    });
    const voicemail = [
      ...base,
      ev(5, 9, far, 'Voicemail'),
      ev(6, 9.1, out, 'Answered'),
      ev(7, 30, out, 'Disconnected'),
      ev(8, 30.1, far, 'Disconnected'),
    ];
    expect(foldSession(voicemail, monitored).legs[0]).toMatchObject({ result: 'Voicemail', timings: { talkMs: 0 } });
  });
});

describe('summary and records', () => {
  it('summarises an answered inbound call and converts both records', () => {
    const session = foldSession(answeredCall('agent'), monitored);
    expect(session.summary).toMatchObject({
      direction: 'Inbound',
      fromNumber: '+15550100999',
      toNumber: '+18885550100',
      startMs: base,
      endMs: base + 35220,
      durationMs: 35220,
      firstAnswerMs: base + 5200,
      waitMs: 5200,
      answeredByExtensionId: '101',
      abandoned: false,
      ended: true,
    });
    const [leg] = session.legs;
    if (!leg) throw new Error('no leg');
    // Every field: testkit's made-up answered leg where this one is alike (an inbound call, no queue, no park, ...).
    expect(toCompletedLegRecord(leg, session, 4)).toEqual(
      legRecord({
        version: 4,
        accountId: '100200300',
        telephonySessionId: session.telephonySessionId,
        sessionId: '901234567001',
        partyId: agent.id,
        extensionId: '101',
        fromNumber: '+15550100999',
        fromName: 'Pat Caller',
        toNumber: '+18885550100',
        toName: 'Agent 101',
        toExtensionId: '101',
        endedBy: 'agent',
        startMs: base + 100,
        ringStartMs: base + 200,
        answerMs: base + 5200,
        endMs: base + 35200,
        ringMs: 5000,
        talkMs: 30000,
        holdMs: 0,
        holdCount: 0,
        durationMs: 35100,
        eventCount: 4,
        lastSequence: 7,
      }),
    );
    expect(toSessionSummaryRecord(session, 4)).toMatchObject({
      kind: 'session',
      version: 4,
      endMs: base + 35220,
      legCount: 1,
      eventCount: 7,
      lastSequence: 8,
    });
  });

  it('refuses a record for a leg that has not ended, and a bad version', () => {
    const session = foldSession(answeredCall().slice(0, 5), monitored);
    const [leg] = session.legs;
    if (!leg) throw new Error('no leg');
    expect(() => toCompletedLegRecord(leg, session, 1)).toThrow(/has not ended/);
    expect(() => toSessionSummaryRecord(session, -1)).toThrow(/version must be a non-negative integer/);
    expect(toSessionSummaryRecord(session, 1)).toMatchObject({ endMs: 0, durationMs: 5250 });
  });

  it('rejects no events and events of two sessions', () => {
    expect(() => foldSession([], monitored)).toThrow(/needs at least one event/);
    const other = { ...ev(3, 1, agent, 'Setup'), telephonySessionId: 's-other' };
    expect(() => foldSession([ev(2, 0, caller, 'Setup'), other], monitored)).toThrow(/two telephony sessions: .* and s-other/);
  });
});
