// How an ended leg turned out, and who ended it. Rules in order (first match wins); see docs/call-model.md:
//  1. Supervision   it ended with reason Supervising (a supervisor's party left for the call it monitors, barges or
//                   whispers into): not a call of its own, kept out of agent figures;
//  2. Parked        the leg was parked when it ended, or ended with Parked / a park reason;
//  3. Transferred   it ended with Gone (cross-call: attended transfer, pickup from park) or a transfer reason;
//  4. Fax           a fax was received on it (FaxReceive): not a call, kept out of agent figures;
//  5. Answered      it was connected (talk started) at some point;
//  6. Voicemail     it reached Voicemail, ended with reason Voicemail, or (placed call) the far end reached Voicemail;
//  7. Rejected / Busy / Failed from the end reason (Rejected; TargetBusy; InvalidNumber, NoSuchUser, ...);
//  8. Redirected    it ended while ringing with reason CallRedirected or CallerInputRedirect: the call was routed on
//                   (forwarded, or the caller keyed in another extension), so it is no missed call of this agent;
//  9. Cancelled     a leg that placed the call (Outbound) and was never answered;
// 10. AnsweredElsewhere  a ringing leg that stopped because another party on its side (queue member, shared line,
//                   pickup) answered while it rang, or with reason AgentAnswered/Pickup/TakeOver/CallReplied;
// 11. Missed        an inbound leg that rang (or RingCentral flagged missedCall) and was never answered;
// 12. Unknown       anything else (e.g. a leg whose only event is Disconnected, without missedCall).
// Reasons are optional in real captures: every rule except 1, 7 and 8 works without one.
import type { EndedBy, LegResult } from '@callpulse/contracts';
import type { LegTimeline } from './leg-timeline.js';
import type { PartyFacts } from './parties.js';
import type { PartyEvent } from './party-event.js';
import { reasonMeans } from './status.js';

/** How long after this leg's end another member's Answered may be stamped and still count as "answered elsewhere". */
export const ANSWERED_ELSEWHERE_SLACK_MS = 2000;

export interface ResultContext {
  leg: PartyFacts;
  timeline: LegTimeline;
  sameSide: readonly PartyFacts[];
  otherSide: readonly PartyFacts[];
}

/** What a rule looked at, by name: the explanation of a result or of endedBy. */
export type Facts = Record<string, string | number | boolean | null>;

/** The rule that gave an ended leg its result (docs/call-model.md, "Result of an ended leg"). */
export interface ResultDecision {
  result: LegResult;
  /** The rule's name: its result, or Timeout for the reaper's verdict. */
  rule: string;
  /** Its number in the table of docs/call-model.md (1-12); null for the Timeout verdict. */
  order: number | null;
  /** What the rule says, in a line. */
  says: string;
  /** The facts it looked at. */
  facts: Facts;
}

/** The rule that decided who ended the leg (docs/call-model.md, "Who ended it"). */
export interface EndedByDecision {
  endedBy: EndedBy;
  rule: string;
  says: string;
  facts: Facts;
}

/** A same-side party that answered while this leg rang, or a reason that says someone else took the call. */
function answeredElsewhere({ timeline, sameSide }: ResultContext, end: PartyEvent): Facts | null {
  if (reasonMeans.answeredElsewhere(end.reason)) return { endReason: end.reason };
  for (const other of sameSide) {
    const answered = other.firstAnswered;
    if (!answered || other.first.sequence > end.sequence) continue; // it started after we stopped: not concurrent
    const answeredWhileWeRang = answered.sequence < end.sequence || answered.ms <= end.eventTimeMs + ANSWERED_ELSEWHERE_SLACK_MS;
    if (answeredWhileWeRang && answered.ms >= timeline.startMs) {
      return {
        answeredBy: other.partyId,
        answeredSequence: answered.sequence,
        answeredMs: answered.ms,
        endSequence: end.sequence,
        endMs: end.eventTimeMs,
        slackMs: ANSWERED_ELSEWHERE_SLACK_MS,
      };
    }
  }
  return null;
}

type Check = (context: ResultContext, end: PartyEvent) => Facts | null;

interface ResultRule {
  result: LegResult;
  order: number;
  says: string;
  /** The facts that made the rule match; null when it does not. */
  check: Check;
}

const when = (matches: boolean, facts: Facts): Facts | null => (matches ? facts : null);

/** The rules in order; the first that matches decides. */
const resultRules: readonly ResultRule[] = [
  {
    result: 'Supervision',
    order: 1,
    says: 'it ended with reason Supervising: a supervisor left for the call it monitors, barges or whispers into',
    check: (_, end) => when(reasonMeans.supervision(end.reason), { endReason: end.reason }),
  },
  {
    result: 'Parked',
    order: 2,
    says: 'it was parked when it ended, or ended with Parked or a park reason',
    check: ({ timeline }, end) =>
      when(timeline.parkedAtEnd || end.statusCode === 'Parked' || reasonMeans.park(end.reason), {
        parkedAtEnd: timeline.parkedAtEnd,
        endStatus: end.statusCode,
        endReason: end.reason,
      }),
  },
  {
    result: 'Transferred',
    order: 3,
    says: 'it ended with Gone (handed to another session) or a transfer reason',
    check: (_, end) =>
      when(end.statusCode === 'Gone' || reasonMeans.transfer(end.reason), { endStatus: end.statusCode, endReason: end.reason }),
  },
  {
    result: 'Fax',
    order: 4,
    says: 'a fax was received on it (FaxReceive)',
    check: ({ timeline }) => when(timeline.receivedFax, { receivedFax: true }),
  },
  {
    result: 'Answered',
    order: 5,
    says: 'it was connected at some point',
    check: ({ timeline }) => (timeline.answerMs === null ? null : { answerMs: timeline.answerMs }),
  },
  {
    result: 'Voicemail',
    order: 6,
    says: 'it reached voicemail, ended with reason Voicemail, or (a placed call) the far end reached voicemail',
    check: ({ leg, timeline, otherSide }, end) => {
      const farVoicemail = leg.direction === 'Outbound' && otherSide.some((other) => other.reachedVoicemail);
      return when(timeline.reachedVoicemail || reasonMeans.voicemail(end.reason) || farVoicemail, {
        reachedVoicemail: timeline.reachedVoicemail,
        endReason: end.reason,
        farEndReachedVoicemail: farVoicemail,
      });
    },
  },
  {
    result: 'Rejected',
    order: 7,
    says: 'it ended with reason Rejected',
    check: (_, end) => when(reasonMeans.rejected(end.reason), { endReason: end.reason }),
  },
  {
    result: 'Busy',
    order: 7,
    says: 'it ended with reason TargetBusy',
    check: (_, end) => when(reasonMeans.busy(end.reason), { endReason: end.reason }),
  },
  {
    result: 'Failed',
    order: 7,
    says: 'it ended with a failure reason (InvalidNumber, InternationalDisabled, DestinationBlocked, NotEnoughFunds, NoSuchUser, InternalError)',
    check: (_, end) => when(reasonMeans.failed(end.reason), { endReason: end.reason }),
  },
  {
    result: 'Redirected',
    order: 8,
    says: 'it ended, never answered, with reason CallRedirected or CallerInputRedirect: the call was routed on',
    check: (_, end) => when(reasonMeans.redirect(end.reason), { endReason: end.reason }),
  },
  {
    result: 'Cancelled',
    order: 9,
    says: 'it placed the call (Outbound) and was never answered',
    check: ({ leg }) => when(leg.direction === 'Outbound', { direction: 'Outbound' }),
  },
  {
    result: 'AnsweredElsewhere',
    order: 10,
    says: `it stopped ringing because a party on its side answered (before its end, or up to ${ANSWERED_ELSEWHERE_SLACK_MS} ms after), or with reason AgentAnswered, Pickup, TakeOver or CallReplied`,
    check: answeredElsewhere,
  },
  {
    result: 'Missed',
    order: 11,
    says: 'an inbound leg that rang (or was flagged missedCall) and was never answered',
    check: ({ leg, timeline }) => {
      const rang = timeline.ringStartMs !== null;
      const missedCall = leg.events.some((event) => event.missedCall);
      return when(leg.direction === 'Inbound' && (rang || missedCall), { direction: 'Inbound', rang, missedCall });
    },
  },
  {
    result: 'Unknown',
    order: 12,
    says: 'no other rule matched',
    check: ({ leg, timeline }) => ({ direction: leg.direction, rang: timeline.ringStartMs !== null }),
  },
];

/** The result of an ended leg and the rule that gave it (null while the leg has not ended). */
export function decideResult(context: ResultContext): ResultDecision | null {
  const end = context.timeline.end;
  if (!end) return null;
  for (const rule of resultRules) {
    const facts = rule.check(context, end);
    if (facts) return { result: rule.result, rule: rule.result, order: rule.order, says: rule.says, facts };
  }
  throw new Error('the last result rule always matches');
}

/** The result alone (see decideResult). */
export function classifyLeg(context: ResultContext): LegResult | null {
  return decideResult(context)?.result ?? null;
}

const decided = (endedBy: EndedBy, rule: string, says: string, facts: Facts): EndedByDecision => ({ endedBy, rule, says, facts });

/**
 * Who ended the leg: compare the sequence of its own end with the end of the party it talked to (the other side's
 * parties that answered, else all of them); the lower one ended the call. `unknown` while that end is not known,
 * when the other side left by Gone (handed to another session: its real end is elsewhere), on a tie, and for
 * AnsweredElsewhere and Redirected (the system stopped the ringing). A Transferred, Parked or Supervision leg was ended
 * by its own party, who handed the call on or joined another: `agent`, whatever the other side does later.
 */
export function decideEndedBy(context: ResultContext, result: LegResult | null): EndedByDecision | null {
  const end = context.leg.end;
  if (!end || result === null) return null;
  if (result === 'AnsweredElsewhere' || result === 'Redirected') {
    return decided('unknown', 'system', 'the system stopped the ringing or routed the call on', { result });
  }
  if (result === 'Transferred' || result === 'Parked' || result === 'Supervision') {
    return decided('agent', 'handed-on', "the leg's own party handed the call on (or left for the call it supervises)", { result });
  }
  const answered = context.otherSide.filter((other) => other.firstAnswered !== null);
  const counterparts = answered.length > 0 ? answered : context.otherSide;
  const own = { endSequence: end.sequence, endStatus: end.code };
  if (counterparts.length === 0) return decided('unknown', 'no-counterpart', 'no party across from the leg is known', own);
  const open = counterparts.find((other) => other.end === null);
  if (open) {
    return decided('unknown', 'counterpart-in-call', 'the party across has not left (yet)', { ...own, counterpartPartyId: open.partyId });
  }
  let first: PartyFacts | null = null;
  for (const other of counterparts) {
    if (other.end?.code !== 'Disconnected') continue;
    if (!first || other.end.sequence < (first.end?.sequence ?? 0)) first = other;
  }
  const counterpartEnd = first?.end;
  if (!first || !counterpartEnd) {
    return decided('unknown', 'counterpart-gone', 'the party across left by Gone: its real end is in another session', own);
  }
  const facts = {
    ...own,
    counterpartPartyId: first.partyId,
    counterpartEndSequence: counterpartEnd.sequence,
    counterpartAnswered: answered.length > 0,
  };
  if (end.sequence === counterpartEnd.sequence) return decided('unknown', 'tie', 'both ends came in one notification', facts);
  return end.sequence < counterpartEnd.sequence
    ? decided('agent', 'first-to-hang-up', "the leg's own end came first", facts)
    : decided('customer', 'first-to-hang-up', 'the party across hung up first', facts);
}

/** Who ended the leg alone (see decideEndedBy). */
export function whoEnded(context: ResultContext, result: LegResult | null): EndedBy | null {
  return decideEndedBy(context, result)?.endedBy ?? null;
}

/** Results whose endedBy does not depend on the other side's end (see whoEnded). */
const settledAlone: ReadonlySet<LegResult> = new Set(['AnsweredElsewhere', 'Redirected', 'Transferred', 'Parked', 'Supervision']);

/**
 * The ended leg's record can be emitted without waiting for the other side: its end is known there, or its result
 * fixes endedBy by itself. A later event may still amend it (a new version), like any record.
 */
export function endSettled(result: LegResult | null, otherSideHasEnded: boolean): boolean {
  return result !== null && (otherSideHasEnded || settledAlone.has(result));
}

/** Every party across from the leg has left (Disconnected or Gone); false when none is known. */
export function otherSideEnded(otherSide: readonly PartyFacts[]): boolean {
  return otherSide.length > 0 && otherSide.every((other) => other.end !== null);
}
