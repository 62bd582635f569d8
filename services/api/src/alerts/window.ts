// Rolling counts of completed legs for the windowed alert conditions: per 5-second bucket of the leg's end and per key
// (`all`, `q:<queueId>`, `x:<extensionId>`), the missed legs, the abandoned calls, the calls offered and those answered
// within the service level. Fed by the live completed-leg channel and seeded once from ClickHouse (window-seed.ts);
// each leg counts once (by session and party id: a re-emission or the seed's copy is skipped), each call once per key
// for the per-call counts. Only inbound legs count, and no leg that is no call (fax, redirected ring, supervisor).
import { type CompletedLegRecord, nonCallResults } from '@callpulse/contracts';
import type { WindowCounts } from './conditions.js';

export const BUCKET_MS = 5000;
const BUCKETS_PER_MINUTE = 60_000 / BUCKET_MS;

/** What the window needs of a completed leg (a CompletedLegRecord has it all). */
export type WindowLeg = Pick<
  CompletedLegRecord,
  | 'telephonySessionId'
  | 'partyId'
  | 'extensionId'
  | 'queueId'
  | 'queueCall'
  | 'direction'
  | 'result'
  | 'endedBy'
  | 'startMs'
  | 'ringStartMs'
  | 'answerMs'
  | 'endMs'
>;

const zero = (): WindowCounts => ({ missed: 0, abandoned: 0, offered: 0, answeredWithinServiceLevel: 0 });

/** Results of a leg that offered the call to an agent (answered or not). */
const offeredResults = new Set(['Answered', 'Missed', 'Voicemail', 'Rejected', 'Busy']);

export class CompletedLegWindow {
  /** bucket -> key -> counts. */
  private readonly buckets = new Map<number, Map<string, WindowCounts>>();
  /** Leg and per-call marks already counted -> their bucket (dropped with it). */
  private readonly counted = new Map<string, number>();

  constructor(private readonly options: { serviceLevelSeconds: number; maxMinutes: number }) {}

  get maxMinutes(): number {
    return this.options.maxMinutes;
  }

  set maxMinutes(minutes: number) {
    this.options.maxMinutes = minutes;
  }

  /** Counts the leg once; false when it was counted already, is outside the window or does not count. */
  add(leg: WindowLeg, nowMs: number): boolean {
    if (leg.direction !== 'Inbound' || nonCallResults.includes(leg.result) || leg.endMs <= 0) return false;
    const bucket = Math.floor(leg.endMs / BUCKET_MS);
    if (bucket <= this.oldestBucket(nowMs)) return false;
    const legMark = `leg|${leg.telephonySessionId}|${leg.partyId}`;
    if (this.counted.has(legMark)) return false;
    this.counted.set(legMark, bucket);
    const keys = ['all', `x:${leg.extensionId}`];
    if (leg.queueId !== '') keys.push(`q:${leg.queueId}`);
    const inQueue = leg.queueCall || leg.queueId !== '';
    const waitedMs = leg.answerMs > 0 ? leg.answerMs - (leg.ringStartMs || leg.startMs) : Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const counts = this.countsOf(bucket, key);
      if (leg.result === 'Missed') counts.missed += 1;
      const once = (what: string) => {
        const mark = `${what}|${key}|${leg.telephonySessionId}`;
        if (this.counted.has(mark)) return false;
        this.counted.set(mark, bucket);
        return true;
      };
      if (leg.result === 'Missed' && leg.endedBy === 'customer' && inQueue && once('abandoned')) counts.abandoned += 1;
      if (offeredResults.has(leg.result) && once('offered')) counts.offered += 1;
      if (leg.result === 'Answered' && waitedMs <= this.options.serviceLevelSeconds * 1000 && once('within')) {
        counts.answeredWithinServiceLevel += 1;
      }
    }
    return true;
  }

  /** The counts of the keys over the current bucket and those of the last `minutes` before it. */
  counts(keys: readonly string[], minutes: number, nowMs: number): WindowCounts {
    const sum = zero();
    const last = Math.floor(nowMs / BUCKET_MS);
    const first = last - minutes * BUCKETS_PER_MINUTE + 1;
    for (let bucket = first; bucket <= last; bucket += 1) {
      const byKey = this.buckets.get(bucket);
      if (!byKey) continue;
      for (const key of keys) {
        const counts = byKey.get(key);
        if (!counts) continue;
        sum.missed += counts.missed;
        sum.abandoned += counts.abandoned;
        sum.offered += counts.offered;
        sum.answeredWithinServiceLevel += counts.answeredWithinServiceLevel;
      }
    }
    return sum;
  }

  /** Drops what left the longest window. */
  prune(nowMs: number): void {
    const oldest = this.oldestBucket(nowMs);
    for (const bucket of this.buckets.keys()) if (bucket <= oldest) this.buckets.delete(bucket);
    for (const [mark, bucket] of this.counted) if (bucket <= oldest) this.counted.delete(mark);
  }

  clear(): void {
    this.buckets.clear();
    this.counted.clear();
  }

  private oldestBucket(nowMs: number): number {
    return Math.floor(nowMs / BUCKET_MS) - this.options.maxMinutes * BUCKETS_PER_MINUTE;
  }

  private countsOf(bucket: number, key: string): WindowCounts {
    let byKey = this.buckets.get(bucket);
    if (!byKey) {
      byKey = new Map();
      this.buckets.set(bucket, byKey);
    }
    let counts = byKey.get(key);
    if (!counts) {
      counts = zero();
      byKey.set(key, counts);
    }
    return counts;
  }
}
