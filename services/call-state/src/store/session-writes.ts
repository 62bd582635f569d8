// The Redis writes of the session applies that reach them within one turn of the event loop (the applies whose replies
// arrived in the same I/O phase), sent together. Before the saves: the last-seen touches and forgets and the pre-write emission
// entries, one variadic ZADD / ZREM per index; then each session's rev-checked save script; all in one pipeline, which
// Redis runs in order, so a session's schedule entries are in before its save. After the saves: the emission entries
// with their real due time, one variadic ZADD. (The two indexes are global keys and a save script touches only its
// session's hash slot, so under Redis Cluster they cannot share a script; they share the round trip instead.)
import type { Redis } from '@callpulse/platform';
import type { ScoredSessions, SessionSchedule } from './session-schedule.js';
import { type SaveResult, type SessionChange, SessionStore } from './session-store.js';

export interface SessionWrite {
  /** When the session was seen (the reaper's index); 'ended': the session ended, it leaves that index. */
  seen: number | 'ended';
  /** The pre-write emission entry's due time, if the change makes records due. */
  preWriteDueMs?: number;
  change: SessionChange;
}

interface Queued extends SessionWrite {
  telephonySessionId: string;
  resolve: (result: SaveResult) => void;
  reject: (err: unknown) => void;
}

export class SessionWrites {
  private saves: Queued[] = [];
  private due: ScoredSessions = [];
  private dueWrite: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly store: SessionStore,
    private readonly schedule: SessionSchedule,
  ) {}

  /** Writes the session's schedule entries, then saves its change (SessionStore.save); settles with the save. */
  save(telephonySessionId: string, write: SessionWrite): Promise<SaveResult> {
    return new Promise<SaveResult>((resolve, reject) => {
      if (this.saves.length === 0) setImmediate(() => void this.flushSaves());
      this.saves.push({ ...write, telephonySessionId, resolve, reject });
    });
  }

  /** Schedules the session's emission at dueMs (or earlier if it already was), with the others of this turn. */
  scheduleEmission(telephonySessionId: string, dueMs: number): Promise<void> {
    this.due.push([dueMs, telephonySessionId]);
    this.dueWrite ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        const due = this.due;
        this.due = [];
        this.dueWrite = undefined;
        this.schedule.scheduleEmissions(due).then(resolve, reject);
      });
    });
    return this.dueWrite;
  }

  private async flushSaves(): Promise<void> {
    const batch = this.saves;
    this.saves = [];
    const seen: ScoredSessions = [];
    const ended: string[] = [];
    const due: ScoredSessions = [];
    for (const write of batch) {
      if (write.seen === 'ended') ended.push(write.telephonySessionId);
      else seen.push([write.seen, write.telephonySessionId]);
      if (write.preWriteDueMs !== undefined) due.push([write.preWriteDueMs, write.telephonySessionId]);
    }
    const queueSchedule = (pipeline: ReturnType<Redis['pipeline']>) => {
      this.schedule.queueTouches(pipeline, seen);
      this.schedule.queueForgets(pipeline, ended);
      this.schedule.queueEmissions(pipeline, due);
    };
    try {
      const pipeline = this.redis.pipeline();
      queueSchedule(pipeline);
      const scheduled = pipeline.length;
      // A save's reply is the last of what queueSave queued.
      const replyAt = batch.map((write) => {
        this.store.queueSave(pipeline, write.telephonySessionId, write.change);
        return pipeline.length - 1;
      });
      const results = (await pipeline.exec()) ?? [];
      const scheduleFailed = results.slice(0, scheduled).find(([err]) => err);
      if (scheduleFailed) {
        // A save may have gone through without its entries before it: they must be in before anyone relies on the
        // save (a redelivery would find its events duplicates and schedule nothing), so they are written again first.
        const again = this.redis.pipeline();
        queueSchedule(again);
        for (const [err] of (await again.exec()) ?? []) if (err) throw err;
      }
      batch.forEach((write, index) => {
        const [err, reply] = results[replyAt[index] ?? -1] ?? [new Error('no reply to a session save')];
        if (err) write.reject(err);
        else write.resolve(SessionStore.saveResult(reply));
      });
    } catch (err) {
      for (const write of batch) write.reject(err);
    }
  }
}
