// Emits completed-leg and session-summary records of due sessions to the completed-calls topic, keyed by
// telephonySessionId, after the party events they were folded from (partyEventsRecords: sessions with legs only;
// reporting keeps them, so the API can explain every figure of a stored call). Each record's version is allocated in Redis before the send (one version, one content: see
// store/emission-ledger.ts); a record is produced (acks=all) before it is recorded as emitted, so a crash in between
// sends it again with the same version and content: a duplicate that downstream treats as harmless.

import { foldStoredSession, type PartyEvent, partyEventsRecords, type SessionState } from '@callpulse/call-model';
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import type { IdempotentProducer, Logger, Redis } from '@callpulse/platform';
import type { CallStateMetrics } from '../metrics.js';
import type { EmissionLedger } from '../store/emission-ledger.js';
import { countedLeg, type Emitted } from '../store/emitted.js';
import type { SessionCache } from '../store/session-cache.js';
import type { SessionSchedule } from '../store/session-schedule.js';
import type { SessionStore } from '../store/session-store.js';
import { owedRecords, type StampedRecord, stamp } from './completed-records.js';
import { DayCounters } from './day-counters.js';
import { emissionDue } from './emission-due.js';
import { type GateRule, gateVerdict, parseGateEntries } from './emission-gate.js';

export interface EmitterDeps {
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  store: SessionStore;
  ledger: EmissionLedger;
  /** The sessions this worker applied lately: their events need no read from Redis while their revision holds. */
  cache: SessionCache;
  schedule: SessionSchedule;
  producer: Pick<IdempotentProducer, 'send'>;
  topic: string;
  monitored: { isMonitored: (extensionId: string) => boolean; version: number };
  metrics: CallStateMetrics;
  logger: Logger;
  leaseMs: number;
  /**
   * CALL_STATE_GRACE_MS: a claimed session whose current state is due later than now, counted from its last change (an
   * entry of an earlier change fell due first), is put back at that time instead of being emitted.
   */
  graceMs: number;
  /**
   * The emission gate (emission-gate.ts): while it is closed, a session whose records need the grace (a leg not
   * settled, or events that look incomplete) is put back in the schedule `retryMs` later instead of being emitted, up
   * to `maxHoldMs` after its last change. None: never held.
   */
  gate?: { maxHoldMs: number; retryMs: number; rule?: GateRule };
  /**
   * CALL_STATE_RETENTION_MS: an ended session is kept like an open one until its records are out; once they are, its
   * keys are kept this long more (SessionStore.queueRetention), for late events to amend it.
   */
  retentionMs: number;
}

/**
 * A round's sends must be acknowledged before this share of its lease is left: one Kafka never answers fails the round
 * (its sessions are claimed again once the lease ends, the producer replaced before its next send) instead of holding
 * every later emission of this worker behind it.
 */
const LEASE_SHARE_FOR_SENDS = 0.8;
/** Sessions claimed per round: their records go to Kafka in one send. */
const CLAIM_LIMIT = 500;
/** The party events of a round go in sends of about this many bytes at most (a Kafka batch's limit is 1 MB). */
const EVENT_SEND_BYTES = 512 * 1024;

type Message = { key: string; value: string };

/** Messages in groups of at most maxBytes of values (a larger message goes alone). */
function bySize(messages: Message[], maxBytes: number): Message[][] {
  const groups: Message[][] = [];
  let group: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (group.length > 0 && bytes + message.value.length > maxBytes) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(message);
    bytes += message.value.length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

export class Emitter {
  private running: Promise<void> | undefined;
  private again = false;

  private readonly counters: DayCounters;

  constructor(private readonly deps: EmitterDeps) {
    this.counters = new DayCounters(deps.redis, deps.keys);
  }

  /**
   * Emits every due session. Calls during a run share it, and make it claim once more at its end, so a session that
   * became due meanwhile does not wait for the next timer tick.
   */
  emitDue(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.run();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const lease = now + this.deps.leaseMs;
      const due = await this.deps.schedule.claimDue(now, lease, CLAIM_LIMIT);
      if (due.length === 0) return;
      await this.emitSessions(due, lease);
      if (due.length < CLAIM_LIMIT) return;
    }
  }

  /**
   * The session folded at its current revision with what was emitted for it: the processor's cached fold when it is of
   * that revision and the same monitored set, else the events and the meta read together from Redis.
   */
  private async foldedSession(telephonySessionId: string): Promise<{
    session: SessionState | undefined;
    events: ReadonlyMap<string, PartyEvent>;
    emitted: Map<string, Emitted>;
    touchedAtMs: number;
    rev: number;
  }> {
    const { cache, store, monitored } = this.deps;
    const cached = cache.get(telephonySessionId);
    if (cached && cached.monitoredVersion === monitored.version) {
      const state = await store.loadEmitState(telephonySessionId);
      if (state.rev === cached.rev) {
        const session = cached.state ?? foldStoredSession(cached.events.values(), monitored.isMonitored);
        return { session, events: cached.events, emitted: state.emitted, touchedAtMs: state.touchedAtMs, rev: state.rev };
      }
    }
    const loaded = await store.loadForEmission(telephonySessionId);
    const session = loaded.events.size === 0 ? undefined : foldStoredSession(loaded.events.values(), monitored.isMonitored);
    return { session, events: loaded.events, emitted: loaded.emitted, touchedAtMs: loaded.touchedAtMs, rev: loaded.rev };
  }

  /** Why the emission gate is closed (undefined: open, or no gate); forgets the entries of workers since replaced. */
  private async gateClosedBecause(nowMs: number): Promise<string | undefined> {
    const { gate, redis, keys, logger } = this.deps;
    if (!gate) return undefined;
    const verdict = gateVerdict(parseGateEntries(await redis.hgetall(keys.emissionGate)), nowMs, gate.rule);
    if (verdict.replaced.length > 0) {
      redis.hdel(keys.emissionGate, ...verdict.replaced).catch((err) => logger.debug({ err }, 'forgetting replaced gate entries failed'));
    }
    return verdict.closedBecause;
  }

  /** Whether the session's records wait for the gate: they need the grace, and its last change is recent enough. */
  private held(session: SessionState, events: ReadonlyMap<string, PartyEvent>, touchedAtMs: number, nowMs: number): boolean {
    const gate = this.deps.gate;
    if (!gate || nowMs - touchedAtMs >= gate.maxHoldMs) return false;
    return emissionDue(session, events, nowMs, this.deps.graceMs) !== nowMs;
  }

  /**
   * When the session's current state falls due, counted from its last change, if that is later than now: the schedule
   * keeps a session's earliest entry, so an entry of an earlier change (e.g. a leg held for the grace) can fall due
   * while a later change (another leg's end, with a gap before it) still needs its own grace.
   */
  private notYetDue(
    session: SessionState,
    events: ReadonlyMap<string, PartyEvent>,
    touchedAtMs: number,
    nowMs: number,
  ): number | undefined {
    const dueMs = emissionDue(session, events, touchedAtMs, this.deps.graceMs);
    return dueMs !== undefined && dueMs > nowMs ? dueMs : undefined;
  }

  /**
   * What each due session owes, with versions allocated; the party events of those that owe something (in sends of
   * EVENT_SEND_BYTES), then one Kafka send for all the records, then the bookkeeping. A failure anywhere leaves the
   * sessions to be emitted again: events and records that reached Kafka twice are duplicates reporting skips.
   */
  private async emitSessions(telephonySessionIds: string[], lease: number): Promise<void> {
    const { ledger, schedule, producer, topic, redis, channels, metrics, logger } = this.deps;
    const nowMs = Date.now();
    const closedBecause = await this.gateClosedBecause(nowMs);
    const heldBack: string[] = [];
    const notYet: Array<[number, string]> = [];
    const plans = await Promise.all(
      telephonySessionIds.map(async (telephonySessionId) => {
        const { session, events, emitted, touchedAtMs, rev } = await this.foldedSession(telephonySessionId);
        const owed = session ? owedRecords(session, emitted) : [];
        const laterMs = session && owed.length > 0 ? this.notYetDue(session, events, touchedAtMs, nowMs) : undefined;
        if (laterMs !== undefined) {
          notYet.push([laterMs, telephonySessionId]);
          return { telephonySessionId, stamped: [], eventRecords: [] };
        }
        if (closedBecause !== undefined && session && owed.length > 0 && this.held(session, events, touchedAtMs, nowMs)) {
          heldBack.push(telephonySessionId);
          return { telephonySessionId, stamped: [], eventRecords: [] };
        }
        const allocated = await ledger.allocate(
          telephonySessionId,
          owed.map((item) => ({ emitKey: item.emitKey, fingerprint: item.fingerprint, floor: item.previous?.version ?? 0 })),
        );
        // Another emitter may have recorded one of them since `emitted` was read: it is then either this very content
        // (nothing to send) or the previous version this one amends.
        const stamped: StampedRecord[] = [];
        let foundEmitted = 0;
        owed.forEach((item, index) => {
          const allocation = allocated[index];
          if (allocation === undefined) throw new Error(`no version allocated for ${item.emitKey} of ${telephonySessionId}`);
          if (allocation === 'emitted') foundEmitted += 1;
          else stamped.push(stamp({ ...item, previous: allocation.previous ?? item.previous }, allocation.version));
        });
        if (foundEmitted > 0) {
          metrics.recordsFoundEmitted.inc(foundEmitted);
          logger.info({ telephonySessionId, records: foundEmitted }, 'records another emitter recorded meanwhile: not sent again');
        }
        const eventRecords = session && stamped.length > 0 ? partyEventsRecords(session, events.values()) : [];
        // An ended session whose records are out (after the sends below) is kept for the retention window from then.
        return { telephonySessionId, stamped, eventRecords, endedRev: session?.ended ? rev : undefined };
      }),
    );
    if (notYet.length > 0) {
      metrics.emissionsNotYetDue.inc(notYet.length);
      await schedule.putBack(notYet, lease);
    }
    if (heldBack.length > 0) {
      // Back in the schedule before the sends (a failed send then does not keep them claimed for the lease) and before
      // the release (which leaves a session rescheduled since its claim).
      metrics.emissionsHeld.inc(heldBack.length);
      logger.info({ sessions: heldBack.length, closedBecause }, 'records that need the grace held: the emission gate is closed');
      await schedule.putBack(
        heldBack.map((id) => [nowMs + (this.deps.gate?.retryMs ?? 1000), id]),
        lease,
      );
    }
    const deadline = lease - this.deps.leaseMs * (1 - LEASE_SHARE_FOR_SENDS);
    const eventMessages = plans.flatMap(({ telephonySessionId, eventRecords }) =>
      eventRecords.map((record) => ({ key: telephonySessionId, value: JSON.stringify(record) })),
    );
    for (const group of bySize(eventMessages, EVENT_SEND_BYTES)) await producer.send({ topic, messages: group }, { deadline });
    // Each record serialised once: the Kafka message and the live message carry the same JSON.
    const json = new Map<StampedRecord, string>();
    const messages = plans.flatMap(({ telephonySessionId, stamped }) =>
      stamped.map((item) => {
        const value = JSON.stringify(item.record);
        json.set(item, value);
        return { key: telephonySessionId, value };
      }),
    );
    if (messages.length > 0) await producer.send({ topic, messages }, { deadline });
    const sentAt = Date.now();

    const recorded = await Promise.all(
      plans.map(({ telephonySessionId, stamped }) =>
        ledger.record(telephonySessionId, new Map<string, Emitted>(stamped.map((item) => [item.emitKey, item.emitted]))),
      ),
    );
    const pipeline = redis.pipeline();
    plans.forEach(({ telephonySessionId, stamped, endedRev }, index) => {
      if (endedRev !== undefined) this.deps.store.queueRetention(pipeline, telephonySessionId, endedRev, this.deps.retentionMs);
      const recordedHere = recorded[index];
      for (const item of stamped) {
        const { record, previous } = item;
        metrics.recordsEmitted.inc({ kind: record.kind, amended: String(previous !== undefined) });
        if (record.kind !== 'leg') continue;
        // Timed, counted and announced by the emitter whose bookkeeping landed (two may send one record after a lease
        // ran out), taking back what the entry it replaced counted.
        if (!recordedHere?.has(item.emitKey)) continue;
        if (previous === undefined) metrics.legEmitDelay.observe(Math.max(0, sentAt - record.endMs) / 1000);
        this.counters.count(pipeline, countedLeg(record), recordedHere.get(item.emitKey)?.counted);
        pipeline.publish(channels.legCompleted(record.extensionId), json.get(item) ?? JSON.stringify(record));
      }
    });
    await pipeline.exec();
    await schedule.release(
      plans.map(({ telephonySessionId }) => telephonySessionId),
      lease,
    );
  }
}
