// Whether the pipeline can see everything that was sent to it, so a leg that needs the grace may be emitted: the grace
// is counted from when call-state applied the leg's end, and cannot see an event of the session still waiting in Kafka
// behind a fault (its partition's worker killed and not yet replaced, Kafka down, a rebalance). Pure: the rule over the
// entries every worker writes (consumer/emission-gate-writer.ts); the emitter holds such legs while it says closed.

/** What one worker says of itself (JSON in the emission gate hash, field: the worker). */
export interface GateEntry {
  /** When it wrote this (it writes every GATE_WRITE_INTERVAL_MS while it lives). */
  atMs: number;
  /** When kafkajs last fetched for it (0: not since it started). */
  fetchedAtMs: number;
  /** When it last joined the consumer group (0: not yet). */
  joinedAtMs: number;
  /** How far behind its partitions are: the age of the newest record applied in one not caught up (0: all caught up). */
  behindMs: number;
  /** It is leaving the group (SIGTERM): its partitions are consumed by nobody until the others joined again. */
  leaving?: boolean;
}

export interface GateRule {
  /** An entry older than this is a worker that died (or cannot write). */
  silentAfterMs: number;
  /** A live worker that has not fetched for this long is not consuming (Kafka down, a rebalance). */
  notFetchingAfterMs: number;
  /** A worker further behind than this holds the gate. */
  maxBehindMs: number;
}

export const GATE_WRITE_INTERVAL_MS = 500;

/**
 * Behind means a backlog a fault left (Kafka back after an outage, a worker's partitions taken over), not the second or
 * two a busy machine runs late: holding records for that would put their re-checks on the machine's CPU too.
 */
export const defaultGateRule: GateRule = { silentAfterMs: 2000, notFetchingAfterMs: 2000, maxBehindMs: 10000 };

export function parseGateEntries(hash: Record<string, string>): Map<string, GateEntry> {
  const entries = new Map<string, GateEntry>();
  for (const [worker, json] of Object.entries(hash)) {
    try {
      const entry = JSON.parse(json) as Partial<GateEntry>;
      if (typeof entry.atMs === 'number')
        entries.set(worker, {
          atMs: entry.atMs,
          fetchedAtMs: entry.fetchedAtMs ?? 0,
          joinedAtMs: entry.joinedAtMs ?? 0,
          behindMs: entry.behindMs ?? 0,
          ...(entry.leaving === true ? { leaving: true } : {}),
        });
    } catch {
      // not an entry: ignored
    }
  }
  return entries;
}

export interface GateVerdict {
  /** Why the gate is closed (undefined: open). */
  closedBecause: string | undefined;
  /** Silent workers whose partitions a live worker took over since (it joined after their last write): to forget. */
  replaced: string[];
}

/**
 * Closed while some worker is silent or leaving and no live worker joined the group after its last write (its
 * partitions are not being consumed yet), while a live worker does not fetch, or while one is behind. No entry at all:
 * open (nothing is known to be held up).
 */
export function gateVerdict(entries: ReadonlyMap<string, GateEntry>, nowMs: number, rule: GateRule = defaultGateRule): GateVerdict {
  const gone = (entry: GateEntry) => entry.leaving === true || nowMs - entry.atMs > rule.silentAfterMs;
  const live = [...entries].filter(([, entry]) => !gone(entry));
  const lastJoinMs = Math.max(0, ...live.map(([, entry]) => entry.joinedAtMs));
  const replaced: string[] = [];
  let closedBecause: string | undefined;
  for (const [worker, entry] of entries) {
    if (gone(entry)) {
      if (lastJoinMs > entry.atMs) replaced.push(worker);
      else
        closedBecause ??= entry.leaving
          ? `worker ${worker} is leaving the group, its partitions not taken over yet`
          : `worker ${worker} silent for ${nowMs - entry.atMs} ms, its partitions not taken over yet`;
    } else if (nowMs - entry.fetchedAtMs > rule.notFetchingAfterMs) {
      closedBecause ??=
        entry.fetchedAtMs === 0
          ? `worker ${worker} has not fetched since it started`
          : `worker ${worker} has not fetched for ${nowMs - entry.fetchedAtMs} ms`;
    } else if (entry.behindMs > rule.maxBehindMs) {
      closedBecause ??= `worker ${worker} is ${entry.behindMs} ms behind`;
    }
  }
  return { closedBecause, replaced };
}
