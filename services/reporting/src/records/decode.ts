// Decoding a message from the completed-calls topic: JSON, then the shape of a CompletedLegRecord or a
// SessionSummaryRecord (packages/shared/src/records.ts). Unknown extra fields are ignored; a missing or malformed
// field is named in the error, which goes with the message to the dead-letter topic.
import { type CompletedRecord, legResults, RECORD_SCHEMA_VERSION } from '@callpulse/shared';
import { z } from 'zod';

/** Largest epoch ms a ClickHouse DateTime can hold (2106-02-07). */
const maxEpochMs = 4294967295 * 1000;
const maxUInt32 = 4294967295;

const text = z.string();
const id = z.string().min(1);
const flag = z.boolean();
const epochMs = z.number().int().min(0).max(maxEpochMs);
const durationMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().min(0).max(maxUInt32);
const direction = z.enum(['Inbound', 'Outbound']);

const common = {
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
  version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  accountId: text,
  telephonySessionId: id,
  sessionId: text,
  originType: text,
  direction,
  fromNumber: text,
  toNumber: text,
  queueId: text,
  queueName: text,
  startMs: epochMs,
  endMs: epochMs,
  durationMs,
  eventCount: count,
  lastSequence: durationMs,
};

const legSchema = z.object({
  ...common,
  kind: z.literal('leg'),
  partyId: id,
  extensionId: text,
  fromName: text,
  fromExtensionId: text,
  toName: text,
  toExtensionId: text,
  queueCall: flag,
  result: z.enum(legResults),
  endReason: text,
  endStatus: text,
  endedBy: z.enum(['agent', 'customer', 'unknown']),
  endedDuringHold: flag,
  missedCall: flag,
  ringStartMs: epochMs,
  answerMs: epochMs,
  ringMs: durationMs,
  talkMs: durationMs,
  holdMs: durationMs,
  holdCount: count,
  parkId: text,
  recorded: flag,
  peerTelephonySessionId: text,
});

const sessionSchema = z.object({
  ...common,
  kind: z.literal('session'),
  queueEnterMs: epochMs,
  firstAnswerMs: epochMs,
  waitMs: durationMs,
  answeredByExtensionId: text,
  abandoned: flag,
  legCount: count,
});

export type Decoded = { ok: true; record: CompletedRecord } | { ok: false; error: string };

export function decodeRecord(value: Buffer | string | null | undefined): Decoded {
  if (value === null || value === undefined || value.length === 0) return { ok: false, error: 'message has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `value is not valid JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'value is not a JSON object' };
  const kind = (parsed as { kind?: unknown }).kind;
  const schema = kind === 'leg' ? legSchema : kind === 'session' ? sessionSchema : undefined;
  if (!schema) return { ok: false, error: `\`kind\` must be "leg" or "session", got ${JSON.stringify(kind) ?? 'nothing'}` };
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, record: result.data as CompletedRecord };
  const problems = result.error.issues.map((issue) => `\`${issue.path.join('.') || '(record)'}\`: ${issue.message}`);
  return { ok: false, error: `not a valid ${kind} record: ${problems.join('; ')}` };
}
