// The records loaded into both engines, made with the 18.16 tests' own builders: the API history test's calls (an
// extension id with SQL in it, an amended leg, queue sessions), the stats-sources test's kind of data (random legs over
// March 2026 with its two daylight-saving changes, legs on every zone's range bounds, amendments that change figures
// and results and move legs across hours and days, up to version 3) and reporting's call set (May 2024, another
// partition). Deterministic: testkit's seeded generator, so a difference can be replayed.
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/contracts';
import { createRandom } from '@callpulse/testkit/scenarios';
import { resolveRange } from '../../../services/api/src/history/time-range.js';
import { historyExtensions, historyRecords } from '../../../services/api/test/support/history-records.js';
import { randomLegFigures } from '../../../services/api/test/support/random-legs.js';
import { leg, session } from '../../../services/api/test/support/records.js';
import { callSet } from '../../../services/reporting/test/support/records.js';

const at = (iso8601: string) => Date.parse(iso8601);

/** The extension id of the history test that carries SQL: it must match exactly, as data, on both engines. */
export const hostileExtension = historyExtensions.B;

export const extensions = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-5', 'ext-6'];
export const queues = [
  { queueId: 'q-10', queueName: 'Support' },
  { queueId: 'q-20', queueName: 'Sales' },
  { queueId: 'q-30', queueName: 'Billing' },
];

/** Range bounds of the generated month in `timeZone`, where legs are put on and next to the bounds. */
export const monthBounds = { from: '2026-03-06', to: '2026-04-01' };

/** Zones the queries run in: whole-hour ones with daylight saving in March 2026, half- and quarter-hour ones. */
export const zones = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Australia/Adelaide',
];

/** The stats-sources kind of data: three versions of legs, and sessions amended the same way. */
function amendedMonth(rand: () => number): { rounds: CompletedRecord[][] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const results = ['Answered', 'Answered', 'Answered', 'Missed', 'Voicemail', 'Cancelled', 'Transferred', 'Fax', 'Redirected'] as const;
  const figures = (): Partial<CompletedLegRecord> => {
    const core = randomLegFigures(rand, results);
    const holdMs = core.holdMs ?? 0;
    const queue = rand() < 0.4 ? pick(queues) : undefined;
    return {
      ...core,
      holdCount: holdMs > 0 ? 1 + Math.floor(rand() * 3) : 0,
      endedBy: pick(['agent', 'customer', 'unknown'] as const),
      endedDuringHold: holdMs > 0 && rand() < 0.2,
      recorded: rand() < 0.3,
      queueCall: queue !== undefined,
      queueId: queue?.queueId ?? '',
      queueName: queue?.queueName ?? '',
      fromNumber: `+1555${String(Math.floor(rand() * 10_000_000)).padStart(7, '0')}`,
    };
  };
  const first = at('2026-03-05T00:00:00Z');
  const span = at('2026-04-01T12:00:00Z') - first;
  const bounds = zones.flatMap((timeZone) => {
    const range = resolveRange({ ...monthBounds, timeZone }, 366);
    return [range.fromMs, range.toMs];
  });
  const starts = [
    ...Array.from({ length: 400 }, () => first + Math.floor(rand() * span)),
    ...bounds.flatMap((bound) => [bound - 1, bound, bound + 1]),
  ];
  const legs1 = starts.map((startMs, i) => {
    const leg1 = leg({ telephonySessionId: `s-src-${i}`, extensionId: pick(extensions), startMs, ...figures() });
    return { ...leg1, durationMs: leg1.ringMs + leg1.talkMs + leg1.holdMs, endMs: startMs + leg1.ringMs + leg1.talkMs + leg1.holdMs };
  });
  const sessionOf = (record: CompletedLegRecord): SessionSummaryRecord => {
    const answered = record.talkMs > 0;
    const waitMs = answered ? Math.floor(rand() * 60_000) : 0;
    return session({
      telephonySessionId: record.telephonySessionId,
      version: record.version,
      startMs: record.startMs,
      direction: record.direction,
      queueId: record.queueId,
      queueName: record.queueName,
      queueEnterMs: record.queueId !== '' && rand() < 0.9 ? record.startMs + Math.floor(rand() * 3000) : 0,
      firstAnswerMs: answered ? record.startMs + waitMs : 0,
      waitMs,
      answeredByExtensionId: answered ? record.extensionId : '',
      abandoned: !answered && record.queueId !== '' && rand() < 0.7,
      endMs: record.endMs,
      durationMs: record.durationMs,
    });
  };
  const amend = (record: CompletedLegRecord): CompletedLegRecord => {
    const next = { ...record, ...figures(), version: record.version + 1 };
    if (rand() < 0.1) next.startMs = record.startMs + Math.floor((rand() - 0.5) * 180 * 60_000);
    const durationMs = next.ringMs + next.talkMs + next.holdMs;
    return { ...next, ringStartMs: next.startMs, durationMs, endMs: next.startMs + durationMs };
  };
  const legs2 = legs1.filter(() => rand() < 0.35).map(amend);
  const legs3 = legs2.filter(() => rand() < 0.3).map(amend);
  const withSessions = (legs: CompletedLegRecord[]) => [...legs, ...legs.map(sessionOf)];
  return { rounds: [withSessions(legs1), withSessions(legs2), withSessions(legs3)] };
}

/**
 * The rounds of records, each written (and stored) before the next, so amendments meet stored rows and get -1 rows.
 * Round 2 also sends a slice of round 1 again (replays, which must change nothing).
 */
export function recordRounds(): CompletedRecord[][] {
  const rand = createRandom(20260306).next;
  const history = historyRecords();
  const month = amendedMonth(rand);
  const [month1 = [], month2 = [], month3 = []] = month.rounds;
  const reporting = callSet('rep', 40);
  return [
    [...history.first, ...month1, ...reporting],
    [...history.amendments, ...month2, ...month1.slice(0, 30), ...history.first.slice(0, 3)],
    [...month3],
  ];
}
