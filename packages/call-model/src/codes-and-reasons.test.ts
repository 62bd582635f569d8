// Every status code and every reason of RingCentral's spec through the call model, each with the leg it must give:
// RingCentral can send any of them, and none may be misread (issue 11, item 7; docs/call-model.md).
import { describe, expect, it } from 'vitest';
import { canonicalStatusCode, foldSession, knownReasons, knownStatusCodes, normaliseNotification, type PartyEvent } from './index.js';
import { agent, base, caller, ev, note } from './testing/build.js';

const monitored = (id: string) => id === '101';
const legOf = (events: PartyEvent[]) => {
  const leg = foldSession(events, monitored).legs[0];
  if (!leg) throw new Error('no leg');
  return leg;
};

/** An inbound call ringing on agent 101 (5 s), then `end` on the agent's party; the caller hangs up after it. */
function ringingThen(code: string, reason?: string): PartyEvent[] {
  return [
    ev(2, 0, caller, 'Setup'),
    ev(3, 0.1, agent, 'Setup'),
    ev(4, 0.2, agent, 'Proceeding'),
    ev(5, 5.2, agent, code, reason ? { reason } : {}),
    ev(6, 5.3, caller, 'Disconnected'),
  ];
}

/** The same call answered first (talk 10 s), then the agent's party ends with `code` / `reason`. */
function answeredThen(code: string, reason?: string): PartyEvent[] {
  return [
    ev(2, 0, caller, 'Setup'),
    ev(3, 0.1, agent, 'Setup'),
    ev(4, 0.2, agent, 'Proceeding'),
    ev(5, 5.2, agent, 'Answered'),
    ev(6, 5.25, caller, 'Answered'),
    ev(7, 15.2, agent, code, reason ? { reason } : {}),
    ev(8, 15.3, caller, 'Disconnected'),
  ];
}

describe('every status code', () => {
  it('is known by its canonical spelling, whatever its case, including the guide spelling VMScreening', () => {
    for (const code of [...knownStatusCodes, 'VoiceMail', 'VMScreening']) {
      expect(knownStatusCodes as readonly string[]).toContain(canonicalStatusCode(code.toUpperCase()));
    }
  });

  it.each([
    ['Setup', 'Ringing'], // a second Setup changes nothing
    ['Proceeding', 'Ringing'],
    ['Answered', 'Talking'],
    ['Hold', 'Ringing'], // a Hold while ringing changes nothing
    ['Voicemail', 'Voicemail'],
    ['VoiceMail', 'Voicemail'],
    ['VMScreening', 'Voicemail'],
    ['VoiceMailScreening', 'Voicemail'],
    ['FaxReceive', 'Fax'],
    ['Parked', 'Parked'],
    ['Tds', 'Ringing'],
    ['Teleporting', 'Ringing'], // a code RingCentral adds later: kept, no timing meaning
    ['Disconnected', 'Ended'],
    ['Gone', 'Ended'],
  ])('%s on a ringing leg gives status %s', (code, status) => {
    const events = ringingThen(code).slice(0, 4);
    expect(legOf(events).status).toBe(status);
  });

  it('a received fax is a Fax leg: ring up to FaxReceive, no talk, kept out of abandoned calls', () => {
    const events = [
      ev(2, 0, caller, 'Setup'),
      ev(3, 0.1, agent, 'Setup'),
      ev(4, 0.2, agent, 'Proceeding'),
      ev(5, 2.2, agent, 'FaxReceive'),
      ev(6, 62.2, caller, 'Disconnected'),
      ev(7, 62.3, agent, 'Disconnected'),
    ];
    const session = foldSession(events, monitored);
    expect(session.legs[0]).toMatchObject({ result: 'Fax', timings: { ringMs: 2000, talkMs: 0, holdMs: 0 }, endedBy: 'customer' });
    expect(session.summary.abandoned).toBe(false);
  });
});

describe('every reason', () => {
  // What a ringing inbound leg ended by Disconnected with each reason becomes (never answered, the caller still there).
  const whenRinging: Record<(typeof knownReasons)[number], string> = {
    Pickup: 'AnsweredElsewhere',
    Supervising: 'Supervision',
    TakeOver: 'AnsweredElsewhere',
    Timeout: 'Missed',
    BlindTransfer: 'Transferred',
    RccTransfer: 'Transferred',
    AttendedTransfer: 'Transferred',
    CallerInputRedirect: 'Redirected',
    CallFlip: 'Transferred',
    ParkLocation: 'Parked',
    DtmfTransfer: 'Transferred',
    AgentAnswered: 'AnsweredElsewhere',
    AgentDropped: 'Missed',
    Rejected: 'Rejected',
    Cancelled: 'Missed',
    InternalError: 'Failed',
    NoAnswer: 'Missed',
    TargetBusy: 'Busy',
    InvalidNumber: 'Failed',
    InternationalDisabled: 'Failed',
    DestinationBlocked: 'Failed',
    NotEnoughFunds: 'Failed',
    NoSuchUser: 'Failed',
    CallPark: 'Parked',
    CallRedirected: 'Redirected',
    CallReplied: 'AnsweredElsewhere',
    CallSwitch: 'Transferred',
    CallFinished: 'Missed',
    CallDropped: 'Missed',
    Voicemail: 'Voicemail',
  };

  it.each(knownReasons.map((reason) => [reason, whenRinging[reason]]))('%s ends a ringing leg as %s', (reason, result) => {
    expect(legOf(ringingThen('Disconnected', reason)).result).toBe(result);
  });

  it.each(knownReasons.map((reason) => [reason]))(
    '%s after an answer keeps a talked leg Answered unless it hands the call on',
    (reason) => {
      const handsOn: Record<string, string> = {
        Supervising: 'Supervision',
        BlindTransfer: 'Transferred',
        RccTransfer: 'Transferred',
        AttendedTransfer: 'Transferred',
        CallFlip: 'Transferred',
        DtmfTransfer: 'Transferred',
        CallSwitch: 'Transferred',
        ParkLocation: 'Parked',
        CallPark: 'Parked',
      };
      const leg = legOf(answeredThen('Disconnected', reason));
      expect(leg.result).toBe(handsOn[reason] ?? 'Answered');
      expect(leg.timings.talkMs).toBe(10000);
    },
  );

  it('Gone with Supervising is a supervisor leaving for the monitored call, not a transfer', () => {
    expect(legOf(answeredThen('Gone', 'Supervising'))).toMatchObject({ result: 'Supervision', endedBy: 'agent', settled: true });
    expect(legOf(answeredThen('Gone', 'AttendedTransfer'))).toMatchObject({ result: 'Transferred' });
  });

  it('a redirected ring is settled at once and ended by the system, not by the customer', () => {
    expect(legOf(ringingThen('Disconnected', 'CallRedirected'))).toMatchObject({ endedBy: 'unknown', settled: true });
  });
});

describe('sessions that are no calls', () => {
  it.each(['GreetingsRecording', 'VerificationCall'])('origin %s gives no leg', (origin) => {
    const events = ringingThen('Disconnected').map((event) => ({ ...event, originType: origin }));
    const session = foldSession(events, monitored);
    expect(session).toMatchObject({ notACall: true, legs: [] });
  });

  it.each(['Call', 'RingOut', 'RingMe', 'Conference', 'Zoom', 'CallOut'])('origin %s is a call', (origin) => {
    const events = ringingThen('Disconnected').map((event) => ({ ...event, originType: origin }));
    expect(foldSession(events, monitored)).toMatchObject({ notACall: false, legs: [expect.objectContaining({ result: 'Missed' })] });
  });
});

describe('fields of a party the live board shows', () => {
  it('carries muted and the conference role of the latest events', () => {
    const [muted] = normaliseNotification(
      note(6, base + 6000, [{ ...agent, muted: true, conferenceRole: 'Participant', status: { code: 'Answered' } }]),
    );
    const events = [...answeredThen('Disconnected').slice(0, 5), muted as PartyEvent];
    expect(legOf(events)).toMatchObject({ status: 'Talking', muted: true, conferenceRole: 'Participant' });
  });
});
