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
import { reasonMeans } from './status.js';

/** How long after this leg's end another member's Answered may be stamped and still count as "answered elsewhere". */
export const ANSWERED_ELSEWHERE_SLACK_MS = 2000;

export interface ResultContext {
  leg: PartyFacts;
  timeline: LegTimeline;
  sameSide: readonly PartyFacts[];
  otherSide: readonly PartyFacts[];
}

function answeredElsewhere({ leg, timeline, sameSide }: ResultContext): boolean {
  const end = leg.end;
  if (!end) return false;
  if (reasonMeans.answeredElsewhere(end.reason)) return true;
  return sameSide.some((other) => {
    const answered = other.firstAnswered;
    if (!answered || other.first.sequence > end.sequence) return false; // it started after we stopped: not concurrent
    const answeredWhileWeRang = answered.sequence < end.sequence || answered.ms <= end.ms + ANSWERED_ELSEWHERE_SLACK_MS;
    return answeredWhileWeRang && answered.ms >= timeline.startMs;
  });
}

export function classifyLeg(context: ResultContext): LegResult | null {
  const { leg, timeline, otherSide } = context;
  const end = timeline.end;
  if (!end) return null;
  const reason = end.reason;
  if (reasonMeans.supervision(reason)) return 'Supervision';
  if (timeline.parkedAtEnd || end.statusCode === 'Parked' || reasonMeans.park(reason)) return 'Parked';
  if (end.statusCode === 'Gone' || reasonMeans.transfer(reason)) return 'Transferred';
  if (timeline.receivedFax) return 'Fax';
  if (timeline.answerMs !== null) return 'Answered';
  const farVoicemail = leg.direction === 'Outbound' && otherSide.some((other) => other.reachedVoicemail);
  if (timeline.reachedVoicemail || reasonMeans.voicemail(reason) || farVoicemail) return 'Voicemail';
  if (reasonMeans.rejected(reason)) return 'Rejected';
  if (reasonMeans.busy(reason)) return 'Busy';
  if (reasonMeans.failed(reason)) return 'Failed';
  if (reasonMeans.redirect(reason)) return 'Redirected';
  if (leg.direction === 'Outbound') return 'Cancelled';
  if (answeredElsewhere(context)) return 'AnsweredElsewhere';
  const rang = timeline.ringStartMs !== null || leg.events.some((event) => event.missedCall);
  if (leg.direction === 'Inbound' && rang) return 'Missed';
  return 'Unknown';
}

/**
 * Who ended the leg: compare the sequence of its own end with the end of the party it talked to (the other side's
 * parties that answered, else all of them); the lower one ended the call. `unknown` while that end is not known,
 * when the other side left by Gone (handed to another session: its real end is elsewhere), on a tie, and for
 * AnsweredElsewhere and Redirected (the system stopped the ringing). A Transferred, Parked or Supervision leg was ended
 * by its own party, who handed the call on or joined another: `agent`, whatever the other side does later.
 */
export function whoEnded(context: ResultContext, result: LegResult | null): EndedBy | null {
  const end = context.leg.end;
  if (!end || result === null) return null;
  if (result === 'AnsweredElsewhere' || result === 'Redirected') return 'unknown';
  if (result === 'Transferred' || result === 'Parked' || result === 'Supervision') return 'agent';
  const answered = context.otherSide.filter((other) => other.firstAnswered !== null);
  const counterparts = answered.length > 0 ? answered : context.otherSide;
  const ends = counterparts.map((other) => other.end);
  if (ends.length === 0 || ends.some((otherEnd) => otherEnd === null)) return 'unknown';
  const hangUps = ends
    .filter((otherEnd) => otherEnd !== null && otherEnd.code === 'Disconnected')
    .map((otherEnd) => otherEnd?.sequence ?? 0);
  if (hangUps.length === 0) return 'unknown';
  const otherSequence = Math.min(...hangUps);
  if (end.sequence === otherSequence) return 'unknown';
  return end.sequence < otherSequence ? 'agent' : 'customer';
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
