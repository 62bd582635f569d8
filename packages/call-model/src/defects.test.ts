// The known defects of the single-process demo (docs/prior-art), each as a test that our fold does not repeat.
import { describe, expect, it } from 'vitest';
import { foldSession, normaliseNotification, toCompletedLegRecord } from './index.js';
import { agent, answeredCall, base, caller, ev, note } from './testing/build.js';

const monitored = (id: string) => id === '101' || id === '102' || id === '103';
const legOf = (events: Parameters<typeof foldSession>[0]) => {
  const leg = foldSession(events, monitored).legs[0];
  if (!leg) throw new Error('no leg');
  return leg;
};

describe('demo defects', () => {
  it('reads every party of a notification, not only the first', () => {
    const both = note(5, base + 5200, [
      { ...caller, status: { code: 'Answered' } },
      { ...agent, status: { code: 'Answered' } },
    ]);
    const events = normaliseNotification(both);
    expect(events.map((event) => [event.partyId, event.statusCode])).toEqual([
      [caller.id, 'Answered'],
      [agent.id, 'Answered'],
    ]);
    const leg = legOf([ev(2, 0, caller, 'Setup'), ev(3, 0.2, agent, 'Proceeding'), ...events]);
    expect(leg).toMatchObject({ status: 'Talking', timings: { answerMs: base + 5200, ringMs: 5000 } });
  });

  it('a late or stray event does not revive an ended leg', () => {
    const inOrder = legOf(answeredCall());
    const stray = legOf([...answeredCall(), ev(9, 40, agent, 'Answered'), ev(10, 41, agent, 'Hold')]);
    expect(stray).toMatchObject({ status: 'Ended', result: 'Answered', lateEventCount: 2 });
    expect(stray.timings).toEqual(inOrder.timings);
    const lateHold = legOf([...answeredCall().slice(0, 5), ev(8, 35.3, agent, 'Disconnected'), ev(7, 20, agent, 'Hold')]);
    expect(lateHold).toMatchObject({ result: 'Answered', timings: { holdMs: 15300, talkMs: 14800, holdCount: 1 } });
  });

  it('an early-arriving Disconnected does not turn an answered call into Missed', () => {
    const events = answeredCall();
    const disconnectedFirst = [...events].reverse();
    expect(legOf(disconnectedFirst)).toEqual(legOf(events));
    expect(legOf(disconnectedFirst)).toMatchObject({ result: 'Answered', endedBy: 'customer', timings: { talkMs: 30020, ringMs: 5000 } });
  });

  it('duplicates (same sequence and party, or same notification uuid) change nothing', () => {
    const events = answeredCall();
    const redelivered = events.map((event) => ({ ...event }));
    const sameSequenceOtherUuid = events.map((event) => ({ ...event, notificationUuid: `${event.notificationUuid}-again` }));
    const expected = foldSession(events, monitored);
    expect(foldSession([...events, ...redelivered], monitored)).toEqual(expected);
    expect(foldSession([...sameSequenceOtherUuid, ...events], monitored)).toEqual(expected);
    expect(expected.eventCount).toBe(7);
  });

  it('a first event of Disconnected makes an ended leg that can be recorded', () => {
    const session = foldSession([ev(9, 3, agent, 'Disconnected')], monitored);
    const leg = session.legs[0];
    expect(leg).toMatchObject({ ended: true, result: 'Unknown', endedBy: 'unknown', otherSideEnded: false });
    if (!leg) throw new Error('no leg');
    expect(toCompletedLegRecord(leg, session, 1)).toMatchObject({ result: 'Unknown', endStatus: 'Disconnected', startMs: base + 3000 });
    const flagged = foldSession([ev(9, 3, agent, 'Disconnected', { missedCall: true })], monitored).legs[0];
    expect(flagged?.result).toBe('Missed');
  });

  it('queue members who did not answer are AnsweredElsewhere, not Missed, without any reason', () => {
    const member = (n: number) => ({
      ...agent,
      id: `p-q-${n}`,
      extensionId: `10${n}`,
      queueCall: true,
      to: { extensionId: '900', name: 'Q' },
    });
    const events = [
      ev(2, 0, caller, 'Setup'),
      ev(3, 1, member(1), 'Proceeding'),
      ev(4, 1, member(2), 'Proceeding'),
      ev(5, 1, member(3), 'Proceeding'),
      ev(6, 9, member(2), 'Answered'),
      ev(7, 9.01, member(1), 'Disconnected'),
      ev(8, 9.02, member(3), 'Disconnected'),
    ];
    const session = foldSession(events, monitored);
    expect(session.legs.map((leg) => [leg.extensionId, leg.result])).toEqual([
      ['101', 'AnsweredElsewhere'],
      ['102', null],
      ['103', 'AnsweredElsewhere'],
    ]);
    expect(session.legs[0]?.queueId).toBe('900');
    // A member that rang and stopped before anyone else started ringing (round robin) did miss it.
    const roundRobin = foldSession(
      [
        ev(2, 0, caller, 'Setup'),
        ev(3, 1, member(1), 'Proceeding'),
        ev(4, 21, member(1), 'Disconnected'),
        ev(5, 21, member(2), 'Proceeding'),
        ev(6, 25, member(2), 'Answered'),
      ],
      monitored,
    );
    expect(roundRobin.legs.map((leg) => leg.result)).toEqual(['Missed', null]);
  });

  it('hold shows on the party that pressed it, and a call ended during hold says so', () => {
    const events = [
      ...answeredCall().slice(0, 5),
      ev(7, 15.2, agent, 'Hold'),
      ev(8, 25.2, caller, 'Disconnected'),
      ev(9, 25.25, agent, 'Disconnected'),
    ];
    expect(legOf(events)).toMatchObject({
      endedDuringHold: true,
      endedBy: 'customer',
      timings: { talkMs: 10000, holdMs: 10050, holdCount: 1 },
    });
  });

  it('Gone is a transfer, agent-side Parked is Parked, voicemail screening is voicemail unless picked up', () => {
    const answered = answeredCall().slice(0, 5);
    expect(
      legOf([...answered, ev(7, 20, agent, 'Gone', { status: { code: 'Gone', peerId: { telephonySessionId: 's-peer' } } })]),
    ).toMatchObject({
      result: 'Transferred',
      peerTelephonySessionId: 's-peer',
    });
    const parked = legOf([...answered, ev(7, 20, agent, 'Parked', { park: { id: '*801' } }), ev(8, 50, agent, 'Disconnected')]);
    expect(parked).toMatchObject({ result: 'Parked', parkId: '*801', timings: { talkMs: 14800, parkMs: 30000 } });
    const ringing = [ev(2, 0, caller, 'Setup'), ev(3, 0.2, agent, 'Proceeding')];
    expect(
      legOf([...ringing, ev(4, 6.2, agent, 'VoiceMailScreening'), ev(5, 30, caller, 'Disconnected'), ev(6, 30.1, agent, 'Disconnected')]),
    ).toMatchObject({
      result: 'Voicemail',
      timings: { ringMs: 6000, talkMs: 0 },
    });
    expect(
      legOf([...ringing, ev(4, 6.2, agent, 'VoiceMailScreening'), ev(5, 10.2, agent, 'Answered'), ev(6, 30.2, agent, 'Disconnected')]),
    ).toMatchObject({
      result: 'Answered',
      timings: { ringMs: 6000, talkMs: 20000 },
    });
  });

  it('computes outbound ring time from the agent leg', () => {
    const outbound = { ...agent, direction: 'Outbound' as const };
    const remote = { ...caller, direction: 'Inbound' as const };
    const leg = legOf([
      ev(2, 0, outbound, 'Setup'),
      ev(3, 0.1, remote, 'Proceeding'),
      ev(4, 1, outbound, 'Proceeding'),
      ev(5, 9, remote, 'Answered'),
      ev(6, 9.02, outbound, 'Answered'),
      ev(7, 20, outbound, 'Disconnected'),
    ]);
    expect(leg).toMatchObject({ result: 'Answered', endedBy: 'unknown', otherSideEnded: false, timings: { ringMs: 8020, talkMs: 10980 } });
  });

  it('keeps unknown status codes and reasons without crashing', () => {
    const events = [...answeredCall().slice(0, 5), ev(7, 10, agent, 'HologramMode', { reason: 'BrandNewReason' })];
    const leg = legOf(events);
    expect(events[5]).toMatchObject({ statusCode: 'HologramMode', rawStatusCode: 'HologramMode', reason: 'BrandNewReason' });
    expect(leg).toMatchObject({ status: 'Talking', statusCode: 'HologramMode', ended: false, result: null });
    const ended = legOf([...events, ev(8, 20, agent, 'Disconnected', { reason: 'BrandNewReason' })]);
    expect(ended).toMatchObject({ result: 'Answered', endReason: 'BrandNewReason', timings: { talkMs: 14800 } });
  });
});
