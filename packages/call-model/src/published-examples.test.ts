// Contract: every telephony-session example RingCentral publishes (re-created as our own fixtures, shared with ingest's
// contract tests) through the same path as in production (the shared check, normalise, the fold), each with the leg it
// must give; and every spec status code and reason on the guide's own event.
import { checkTelephonyNotification, type TelephonyNotification } from '@callpulse/contracts';
import { loadTelephonyFixture, OTHER_STATUS_SPELLINGS, STATUS_CODES, STATUS_REASONS, singlePartyEvent } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { foldStoredSession, normaliseNotification, type SessionState, sessionCompleteness } from './index.js';

const monitored = (id: string) => id === '100200300' || id === '200300402' || id === '200300403';

function fold(notifications: TelephonyNotification[]): { session: SessionState; events: ReturnType<typeof normaliseNotification> } {
  const events = notifications.flatMap((raw) => {
    const checked = checkTelephonyNotification(JSON.parse(JSON.stringify(raw)));
    if (!checked.ok) throw new Error(`a published example was refused: ${checked.error}`);
    return normaliseNotification(checked.value);
  });
  return { session: foldStoredSession(events, monitored), events };
}

const legOf = (session: SessionState, extensionId: string) => session.legs.find((leg) => leg.extensionId === extensionId);

describe('the captured calls', () => {
  it('PSTN -> IVR -> agent: ring 7.345 s, talk 12.414 s, hold 2.393 s, the agent hung up', () => {
    const { session, events } = fold(loadTelephonyFixture('telephony/pstn-ivr-agent.json'));
    expect(legOf(session, '100200300')).toMatchObject({
      result: 'Answered',
      endedBy: 'agent',
      timings: { ringMs: 7345, talkMs: 12414, holdMs: 2393, holdCount: 1 },
    });
    expect(session.ended).toBe(true);
    expect(sessionCompleteness(events)).toEqual({ complete: true });
  });

  it('agent -> PSTN: ring 3.734 s, talk 12.843 s, hold 3.275 s', () => {
    const { session } = fold(loadTelephonyFixture('telephony/agent-to-pstn.json'));
    expect(legOf(session, '100200300')).toMatchObject({
      result: 'Answered',
      direction: 'Outbound',
      timings: { ringMs: 3734, talkMs: 12843, holdMs: 3275, holdCount: 1 },
    });
  });

  it("internal call: the callee's ring 6.674 s and talk 13.977 s; the caller's hold on the caller's leg", () => {
    const { session } = fold(loadTelephonyFixture('telephony/internal-call.json'));
    expect(legOf(session, '100200300')).toMatchObject({ result: 'Answered', timings: { ringMs: 6674, talkMs: 13977, holdMs: 0 } });
    expect(legOf(session, '200300402')?.timings.holdMs).toBeGreaterThan(0);
  });
});

describe('the single published events', () => {
  it('call-control SDK: an outbound call never answered is Cancelled, and its unpublished events 4-7 make the session look incomplete', () => {
    const { session, events } = fold(loadTelephonyFixture('telephony/call-control-outbound.json'));
    expect(legOf(session, '100200300')).toMatchObject({ result: 'Cancelled', ended: true, timings: { talkMs: 0 } });
    expect(sessionCompleteness(events)).toMatchObject({ complete: false });
  });

  it("the guide's inbound Setup is a live leg in Setup", () => {
    const { session } = fold(loadTelephonyFixture('telephony/guide-inbound-setup.json'));
    expect(legOf(session, '100200300')).toMatchObject({ status: 'Setup', ended: false, result: null });
  });

  it.each(['telephony/warm-transfer-customer-to-operator.json', 'telephony/warm-transfer-operator-to-customer.json'] as const)(
    '%s: an Answered event of a warm transfer is a live, talking leg',
    (file) => {
      const { session } = fold(loadTelephonyFixture(file));
      expect(legOf(session, '200300403')).toMatchObject({ status: 'Talking', ended: false });
    },
  );
});

describe("every code and reason of the spec on the guide's event", () => {
  it.each([...STATUS_CODES, ...OTHER_STATUS_SPELLINGS])('%s is read without error', (code) => {
    const { session } = fold([singlePartyEvent({ code })]);
    expect(session.legs).toHaveLength(1);
  });

  it.each(STATUS_REASONS)('Disconnected with %s ends the leg with a result', (reason) => {
    // A notification of its own (its uuid), as RingCentral would send the end.
    const end = { ...singlePartyEvent({ code: 'Disconnected', reason, sequence: 9 }), uuid: `end-${reason}` };
    const { session } = fold([singlePartyEvent({ code: 'Setup' }), end]);
    expect(session.legs[0]).toMatchObject({ ended: true, endReason: reason });
    expect(session.legs[0]?.result).not.toBeNull();
  });
});
