// The fuzzer's judge of one mutated webhook, pure: ingest's decision (interpretWebhook) must not throw; a rejected
// body must have a reason naming a field; an accepted telephony notification must decode, normalise and fold in the
// call model (call-state's code, passed in) without throwing, with finite timings inside the event-time bounds.
import { EVENT_TIME_MAX_AGE_MS, EVENT_TIME_MAX_AHEAD_MS, headers as headerNames } from '@callpulse/contracts';
import { interpretWebhook } from '../webhook/intake.js';
import { BODY_HARD_CAP_BYTES } from '../webhook/route.js';

/** What the judge needs of call-state: its Kafka-message decoder and its fold (every extension monitored). */
export interface CallModel {
  decode(message: { value: Buffer; headers: Record<string, string> }): { ok: true; events: unknown[] } | { ok: false; error: string };
  fold(events: unknown[]): { legs: Array<{ timings: object }> };
}

export type Verdict = 'dead-lettered' | 'accepted' | 'other-event' | 'too-large' | 'violation';

export interface Judgement {
  verdict: Verdict;
  /** The dead-letter reason, or what went wrong. */
  detail?: string;
}

/** A reason names a field (`body.sequence`, `uuid`, ...) or the body as a whole. */
export const namesAField = (reason: string) => /`[^`]+`/.test(reason) || /^body /.test(reason);

const DURATIONS = ['ringMs', 'talkMs', 'holdMs', 'parkMs', 'durationMs'] as const;
const INSTANTS = ['startMs', 'ringStartMs', 'answerMs', 'endMs'] as const;

/** What is wrong with a leg's timings: unbounded or negative (both violations); undefined when fine. */
function checkTimings(timings: Record<string, unknown>, receivedAtMs: number): { unbounded?: string; negative?: string } {
  const span = EVENT_TIME_MAX_AGE_MS + EVENT_TIME_MAX_AHEAD_MS;
  let negative: string | undefined;
  for (const name of DURATIONS) {
    const value = timings[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > span) return { unbounded: `${name} = ${value}` };
    if (value < 0) negative ??= `${name} = ${value}`;
  }
  for (const name of INSTANTS) {
    const value = timings[name];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || value < receivedAtMs - EVENT_TIME_MAX_AGE_MS || value > receivedAtMs + EVENT_TIME_MAX_AHEAD_MS) {
      return { unbounded: `${name} = ${value}` };
    }
  }
  const holdCount = timings.holdCount;
  if (typeof holdCount !== 'number' || !Number.isSafeInteger(holdCount) || holdCount < 0) return { unbounded: `holdCount = ${holdCount}` };
  return { negative };
}

/**
 * Judges `mutant` as one notification of a call whose other notifications are `siblings` (valid ones): the fold sees
 * every accepted notification of each session, as call-state would.
 */
export function judgeWebhook(
  mutant: Buffer,
  siblings: Buffer[],
  receivedAtMs: number,
  model: CallModel,
  bodyLimitBytes = 256 * 1024,
): Judgement {
  // A genuine body over the configured limit is still read up to the hard cap and dead-lettered (200); only a larger one
  // gets 413 from the HTTP layer before any of this.
  if (mutant.length > Math.max(bodyLimitBytes, BODY_HARD_CAP_BYTES)) return { verdict: 'too-large' };
  let intake: ReturnType<typeof interpretWebhook>;
  try {
    intake = interpretWebhook(mutant, {}, undefined, receivedAtMs);
  } catch (err) {
    return { verdict: 'violation', detail: `interpretWebhook threw: ${(err as Error).message}` };
  }
  if (intake.action === 'dead-letter') {
    return namesAField(intake.error)
      ? { verdict: 'dead-lettered', detail: intake.error }
      : { verdict: 'violation', detail: `reason names no field: ${intake.error}` };
  }
  if (intake.action === 'other-event') return { verdict: 'other-event' };
  if (intake.action !== 'telephony') return { verdict: 'violation', detail: `unexpected action ${intake.action}` };

  const headers = { [headerNames.receivedAt]: String(receivedAtMs) };
  const bySession = new Map<string, unknown[]>();
  try {
    for (const raw of [mutant, ...siblings]) {
      if (raw !== mutant && interpretWebhook(raw, {}, undefined, receivedAtMs).action !== 'telephony') continue;
      const decoded = model.decode({ value: raw, headers });
      if (!decoded.ok) {
        return { verdict: 'violation', detail: `accepted by ingest but call-state cannot decode it: ${decoded.error}` };
      }
      for (const event of decoded.events) {
        const session = String((event as { telephonySessionId: unknown }).telephonySessionId);
        bySession.set(session, [...(bySession.get(session) ?? []), event]);
      }
    }
    for (const events of bySession.values()) {
      for (const leg of model.fold(events).legs) {
        const { unbounded, negative } = checkTimings(leg.timings as Record<string, unknown>, receivedAtMs);
        if (unbounded) return { verdict: 'violation', detail: `a leg's timings are out of bounds: ${unbounded}` };
        // call-state clamps intervals whose event times run backwards at 0: a negative one is a defect now
        if (negative) return { verdict: 'violation', detail: `a leg's duration is negative: ${negative}` };
      }
    }
    return { verdict: 'accepted' };
  } catch (err) {
    return { verdict: 'violation', detail: `call-state threw: ${(err as Error).stack ?? err}` };
  }
}
