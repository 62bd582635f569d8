// What delivery keeps in Redis and reads from it: a target's delivery state (redisKeys().alertDelivery(targetId), a
// hash of AlertDeliveryState's fields) written by compare-and-set on its cursor, so an instance that lost the lease
// never moves a cursor the new holder moved; and the outbox stream read after a cursor (XRANGE with an exclusive
// start). Stream ids are `<ms>-<seq>`; a new target's cursor starts at its creation (docs/alerts.md, "Delivery").
import { type AlertDeliveryState, type AlertTarget, type AlertTransition, alertTransitionSchema } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

/** A transition of the outbox, with its stream id; null when the entry does not read (skipped, logged by the reader). */
export interface OutboxEntry {
  id: string;
  transition: AlertTransition | null;
}

/**
 * How far before a new target's creation its cursor starts: the outbox's ids come from Redis's clock, the target's
 * creation from an API instance's; a transition cannot name a target before it exists, so starting earlier only
 * costs a few skipped entries.
 */
export const NEW_TARGET_SLACK_MS = 60_000;

export function initialCursor(target: Pick<AlertTarget, 'createdAtMs'>): string {
  return `${Math.max(0, Math.floor(target.createdAtMs) - NEW_TARGET_SLACK_MS)}-0`;
}

/** Orders two stream ids (`ms-seq`): negative, 0 or positive. */
export function compareStreamIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

const numberOrNull = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

/** The state stored in a delivery hash, or null when there is none (a target never delivered to). */
export function parseDeliveryState(hash: Record<string, string>): AlertDeliveryState | null {
  if (hash.cursor === undefined) return null;
  return {
    cursor: hash.cursor,
    failures: Number(hash.failures ?? 0) || 0,
    failing: hash.failing === '1',
    lastError: hash.lastError ? hash.lastError : null,
    lastAttemptAtMs: numberOrNull(hash.lastAttemptAtMs),
    lastSuccessAtMs: numberOrNull(hash.lastSuccessAtMs),
  };
}

export function freshState(target: Pick<AlertTarget, 'createdAtMs'>): AlertDeliveryState {
  return { cursor: initialCursor(target), failures: 0, failing: false, lastError: null, lastAttemptAtMs: null, lastSuccessAtMs: null };
}

export async function readDeliveryState(redis: Redis, key: string): Promise<AlertDeliveryState | null> {
  return parseDeliveryState(await redis.hgetall(key));
}

/** KEYS: the state hash. ARGV: the cursor expected ('' = no state yet), then field, value pairs. 1 when written. */
const recordLua = `
local current = redis.call('hget', KEYS[1], 'cursor') or ''
if current ~= ARGV[1] then return 0 end
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('hset', KEYS[1], unpack(fields))
return 1
`;

/**
 * Writes the state if the stored cursor is still `expectedCursor` ('' when there was no state): false when another
 * instance moved it (the caller reads the state again). Sent with EVAL (see platform's lock.ts on defined scripts).
 */
export async function recordDeliveryState(redis: Redis, key: string, expectedCursor: string, state: AlertDeliveryState): Promise<boolean> {
  const written = await redis.eval(
    recordLua,
    1,
    key,
    expectedCursor,
    'cursor',
    state.cursor,
    'failures',
    String(state.failures),
    'failing',
    state.failing ? '1' : '0',
    'lastError',
    state.lastError ?? '',
    'lastAttemptAtMs',
    state.lastAttemptAtMs === null ? '' : String(state.lastAttemptAtMs),
    'lastSuccessAtMs',
    state.lastSuccessAtMs === null ? '' : String(state.lastSuccessAtMs),
  );
  return Number(written) === 1;
}

/** Entries after `cursor` (exclusive), oldest first, at most `count`. */
export async function readOutboxAfter(redis: Redis, outbox: string, cursor: string, count: number): Promise<OutboxEntry[]> {
  const entries = await redis.xrange(outbox, `(${cursor}`, '+', 'COUNT', count);
  return entries.map(([id, fields]) => {
    let json: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 't') json = fields[i + 1];
    if (json === undefined) return { id, transition: null };
    try {
      const parsed = alertTransitionSchema.safeParse(JSON.parse(json));
      return { id, transition: parsed.success ? parsed.data : null };
    } catch {
      return { id, transition: null };
    }
  });
}

/** Most entries scanned when counting a target's pending transitions (a count beyond says "at least"). */
export const PENDING_SCAN_LIMIT = 10_000;

/** Transitions after the cursor addressed to the target, counted over at most PENDING_SCAN_LIMIT entries. */
export async function countPending(redis: Redis, outbox: string, targetId: string, cursor: string): Promise<number> {
  let pending = 0;
  let after = cursor;
  for (let scanned = 0; scanned < PENDING_SCAN_LIMIT; ) {
    const page = await readOutboxAfter(redis, outbox, after, 1000);
    for (const entry of page) if (entry.transition?.targetIds.includes(targetId)) pending++;
    scanned += page.length;
    const last = page.at(-1);
    if (!last || page.length < 1000) break;
    after = last.id;
  }
  return pending;
}
