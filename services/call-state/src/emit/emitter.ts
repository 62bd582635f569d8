// Emits completed-leg and session-summary records of due sessions to the completed-calls topic, keyed by
// telephonySessionId. A record is produced (acks=all) before it is recorded as emitted, so a crash in between
// re-emits it with the same version: a duplicate that downstream treats as harmless.
import type { CompletedLegRecord, Logger, Producer, Redis, RedisChannels, RedisKeys } from '@callpulse/shared';
import { foldStored } from '../consume/session-processor.js';
import type { CallStateMetrics } from '../metrics.js';
import type { SessionSchedule } from '../store/schedule.js';
import type { Emitted, SessionStore } from '../store/session-store.js';
import { owedRecords } from './completed-records.js';
import { countLeg } from './day-counters.js';

export interface EmitterDeps {
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  store: SessionStore;
  schedule: SessionSchedule;
  producer: Producer;
  topic: string;
  isMonitored: (extensionId: string) => boolean;
  metrics: CallStateMetrics;
  logger: Logger;
  leaseMs: number;
}

export class Emitter {
  private running: Promise<void> | undefined;

  constructor(private readonly deps: EmitterDeps) {}

  /** Emits every due session; concurrent calls share one run. */
  emitDue(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const lease = now + this.deps.leaseMs;
      const due = await this.deps.schedule.claimDue(now, lease, 500);
      if (due.length === 0) return;
      await Promise.all(due.map((telephonySessionId) => this.emitSession(telephonySessionId, lease)));
      if (due.length < 500) return;
    }
  }

  private async emitSession(telephonySessionId: string, lease: number): Promise<void> {
    const { store, schedule, producer, topic, redis, keys, channels, metrics } = this.deps;
    const stored = await store.load(telephonySessionId);
    if (stored.events.size === 0) {
      await schedule.release(telephonySessionId, lease);
      return;
    }
    const owed = owedRecords(foldStored(stored.events.values(), this.deps.isMonitored), stored.emitted);
    if (owed.length > 0) {
      await producer.send({
        topic,
        acks: -1,
        messages: owed.map(({ record }) => ({ key: telephonySessionId, value: JSON.stringify(record) })),
      });
      const emitted = new Map<string, Emitted>(owed.map((item) => [item.emitKey, item.emitted]));
      await store.saveEmitted(telephonySessionId, emitted);
      const pipeline = redis.pipeline();
      for (const { record, previous } of owed) {
        metrics.recordsEmitted.inc({ kind: record.kind, amended: String(record.version > 1) });
        if (record.kind !== 'leg') continue;
        countLeg(pipeline, keys, record, previous?.record as CompletedLegRecord | undefined);
        pipeline.publish(channels.legCompleted(record.extensionId), JSON.stringify(record));
      }
      await pipeline.exec();
    }
    await schedule.release(telephonySessionId, lease);
  }
}
