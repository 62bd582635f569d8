// From a folded leg to what the live board shows, and whether that changed. (An agent's state from their active legs:
// contracts' busiestLeg, which the API applies too.)

import type { Leg } from '@callpulse/call-model';
import type { LiveEndpoint, LiveLegSnapshot } from '@callpulse/contracts';

export function toLiveSnapshot(leg: Leg, updatedAtMs: number): LiveLegSnapshot {
  const t = leg.timings;
  return {
    telephonySessionId: leg.telephonySessionId,
    partyId: leg.partyId,
    extensionId: leg.extensionId,
    accountId: leg.accountId,
    direction: leg.direction,
    status: leg.status,
    statusCode: leg.statusCode,
    statusSinceMs: leg.statusSinceMs,
    from: leg.from,
    to: leg.to,
    queueId: leg.queueId,
    queueName: leg.queueName,
    startMs: t.startMs,
    ringStartMs: t.ringStartMs,
    answerMs: t.answerMs,
    endMs: t.endMs,
    ringMs: t.ringMs,
    talkMs: t.talkMs,
    holdMs: t.holdMs,
    holdCount: t.holdCount,
    ended: leg.ended,
    result: leg.result,
    endedBy: leg.endedBy,
    lastSequence: leg.lastSequence,
    muted: leg.muted,
    conferenceRole: leg.conferenceRole,
    updatedAtMs,
  };
}

function sameEndpoint(a: LiveEndpoint, b: LiveEndpoint): boolean {
  return a.phoneNumber === b.phoneNumber && a.name === b.name && a.extensionId === b.extensionId;
}

/** Two snapshots differ for the live board when anything but the update time differs (compared field by field). */
export function sameSnapshot(a: LiveLegSnapshot | undefined, b: LiveLegSnapshot): boolean {
  if (!a) return false;
  for (const field of Object.keys(b) as Array<keyof LiveLegSnapshot>) {
    if (field === 'updatedAtMs') continue;
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    if (field === 'from' || field === 'to') {
      if (sameEndpoint(x as LiveEndpoint, y as LiveEndpoint)) continue;
    }
    return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}
