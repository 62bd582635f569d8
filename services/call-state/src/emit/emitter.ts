// Emits completed-leg and session-summary records of due sessions to the completed-calls topic, keyed by
// telephonySessionId. A record is produced (acks=all) before it is recorded as emitted, so a crash in between
// re-emits it with the same version: a duplicate that downstream treats as harmless.
import type { Logger, Producer, Redis, RedisChannels, RedisKeys } from '@callpulse/shared';
import { foldStored } from '../consume/session-processor.js';
import type { SessionState } from '../domain/index.js';
import type { CallStateMetrics } from '../metrics.js';
import type { SessionSchedule } from '../store/schedule.js';
import type { SessionCache } from '../store/session-cache.js';
import type { Emitted, SessionStore } from '../store/session-store.js';
import { owedRecords } from './completed-records.js';
import { countedLeg, DayCounters } from './day-counters.js';

export interface EmitterDeps {
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  store: SessionStore;
  /** The sessions this worker applied lately: their events need no read from Redis. */
  cache: SessionCache;
  schedule: SessionSchedule;
  producer: Producer;
  topic: string;
  monitored: { isMonitored: (extensionId: string) => boolean; version: number };
  metrics: CallStateMetrics;
  logger: Logger;
  leaseMs: number;
}

/** Sessions claimed per round: their records go to Kafka in one send. */
const CLAIM_LIMIT = 500;

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

  /** The session as the processor last folded it (when under the same monitored set), else folded from Redis. */
  private async foldedSession(telephonySessionId: string): Promise<SessionState | undefined> {
    const { cache, store, monitored } = this.deps;
    const cached = cache.get(telephonySessionId);
    if (cached && cached.monitoredVersion === monitored.version) return cached.state;
    const events = cached?.events ?? (await store.loadEvents(telephonySessionId));
    return events.size === 0 ? undefined : foldStored(events.values(), monitored.isMonitored);
  }

  /** What each due session owes; then one Kafka send for all of them, then the bookkeeping. */
  private async emitSessions(telephonySessionIds: string[], lease: number): Promise<void> {
    const { store, schedule, producer, topic, redis, channels, metrics } = this.deps;
    const plans = await Promise.all(
      telephonySessionIds.map(async (telephonySessionId) => {
        const [session, emitted] = await Promise.all([this.foldedSession(telephonySessionId), store.loadEmitted(telephonySessionId)]);
        const owed = session ? owedRecords(session, emitted) : [];
        return { telephonySessionId, owed };
      }),
    );
    const messages = plans.flatMap(({ telephonySessionId, owed }) =>
      owed.map(({ record }) => ({ key: telephonySessionId, value: JSON.stringify(record) })),
    );
    if (messages.length > 0) await producer.send({ topic, acks: -1, messages });

    const pipeline = redis.pipeline();
    await Promise.all(
      plans.map(({ telephonySessionId, owed }) =>
        store.saveEmitted(telephonySessionId, new Map<string, Emitted>(owed.map((item) => [item.emitKey, item.emitted]))),
      ),
    );
    for (const { owed } of plans) {
      for (const { record, previous } of owed) {
        metrics.recordsEmitted.inc({ kind: record.kind, amended: String(record.version > 1) });
        if (record.kind !== 'leg') continue;
        this.counters.count(pipeline, countedLeg(record), previous?.counted);
        pipeline.publish(channels.legCompleted(record.extensionId), JSON.stringify(record));
      }
    }
    await pipeline.exec();
    await schedule.release(
      plans.map(({ telephonySessionId }) => telephonySessionId),
      lease,
    );
  }
}
