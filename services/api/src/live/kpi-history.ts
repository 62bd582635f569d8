// The past hour of the KPI strip, kept by the API for the sparklines, so a dashboard opened now shows the hour at once.
//
// - Live figures (agents by state, calls in progress, calls waiting, the longest wait): sampled every LIVE_STEP_MS
//   from the board (its memory while it runs, else one pipelined Redis read of the monitored agents), kept in memory
//   for 60 minutes. One sampler per API instance, whatever the number of dashboards; it runs from the API's start.
//   The part of the hour before the start is rebuilt once from the calls (ClickHouse's completed legs and sessions,
//   Redis's legs in progress: live-backfill.ts), so a restarted API still shows the hour.
// - Today's figures per minute in a time zone: one ClickHouse query per zone per minute at most (today-history.ts),
//   cached and shared by every dashboard of this instance; read only while someone watches the zone or asks for it.
//
// kpiHistoryChanged(timeZone) sends the whole hour first (snapshot), then each new point as it is added; when a
// re-read changes a minute already sent (a late call), the whole hour again.
import type { Logger } from '@callpulse/platform';
import { Fanout, type SubscriberTooSlow } from './fanout.js';
import {
  HISTORY_WINDOW_MS,
  LIVE_STEP_MS,
  type LivePoint,
  sameWhereBoth,
  stepsUpTo,
  TODAY_STEP_MS,
  type TodayPoint,
  withinWindow,
} from './kpi-points.js';
import { TODAY_LAG_MS } from './today-history.js';

export interface KpiHistoryMessage {
  timeZone: string;
  /** true: the whole hour; false: only the points added since the last message. */
  snapshot: boolean;
  live: LivePoint[];
  today: TodayPoint[];
}

export interface KpiHistoryOptions {
  /** The live board's figures now. */
  sampleLive: (nowMs: number) => Promise<LivePoint>;
  /** The live points at these instants of the past hour, rebuilt from the calls (tried again each minute until it works). */
  backfill?: (instants: number[], nowMs: number) => Promise<LivePoint[]>;
  /** Today's figures at each minute of the hour in the zone (one ClickHouse query). */
  readToday: (timeZone: string, nowMs: number) => Promise<TodayPoint[]>;
  logger: Logger;
  subscriberBuffer: number;
  liveStepMs?: number;
  todayStepMs?: number;
}

interface Zone {
  points: TodayPoint[];
  /** The last instant the points were read up to (0: never read). */
  readUpTo: number;
  reading: Promise<TodayPoint[]> | undefined;
  /** A read failed: the next one sends the whole hour to the zone's subscribers. */
  missed: boolean;
}

/** Zones kept at once; the least recently used one without subscribers goes first. */
const MAX_ZONES = 24;

export class KpiHistory {
  readonly fanout: Fanout<Record<string, KpiHistoryMessage>>;
  private live: LivePoint[] = [];
  private readonly zones = new Map<string, Zone>();
  private liveTimer: NodeJS.Timeout | undefined;
  private todayTimer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private liveFailing = false;
  private stopped = true;
  private startedAt = 0;
  /** The hour before the start still wants rebuilding. */
  private backfillDue = false;
  private backfilling: Promise<void> | undefined;
  private readonly liveStepMs: number;
  private readonly todayStepMs: number;

  constructor(private readonly options: KpiHistoryOptions) {
    this.liveStepMs = options.liveStepMs ?? LIVE_STEP_MS;
    this.todayStepMs = options.todayStepMs ?? TODAY_STEP_MS;
    this.fanout = new Fanout({
      limit: options.subscriberBuffer,
      onError: (err, topic) => options.logger.error({ err, topic }, 'delivering a KPI history message to a subscriber failed'),
    });
  }

  /** Samples the live figures now and on every step from now on; reads the watched zones each minute. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.startedAt = Date.now();
    this.backfillDue = this.options.backfill !== undefined;
    void this.sampleLive();
    void this.backfillLive();
    this.scheduleLive();
    this.scheduleToday();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.liveTimer);
    clearTimeout(this.todayTimer);
  }

  /** The whole hour in the zone: live points from memory, today's from the cache or one ClickHouse query. */
  async get(timeZone: string, nowMs = Date.now()): Promise<KpiHistoryMessage> {
    const today = await this.today(timeZone, nowMs);
    return { timeZone, snapshot: true, live: withinWindow(this.live, nowMs), today };
  }

  /** The whole hour first, then each point added. */
  subscribe(timeZone: string, onClose: () => void): AsyncIterableIterator<KpiHistoryMessage | SubscriberTooSlow> {
    return this.fanout.subscribe(timeZone, {
      first: async () => {
        // Without today's points (ClickHouse away) the live ones still come; today's follow once a read succeeds.
        const today = await this.today(timeZone).catch(() => []);
        return { timeZone, snapshot: true, live: withinWindow(this.live, Date.now()), today };
      },
      onClose,
    });
  }

  private zone(timeZone: string): Zone {
    let zone = this.zones.get(timeZone);
    if (zone) {
      this.zones.delete(timeZone); // most recently used last
    } else {
      zone = { points: [], readUpTo: 0, reading: undefined, missed: false };
      if (this.zones.size >= MAX_ZONES) {
        const oldest = [...this.zones.keys()].find((name) => this.fanout.count(name) === 0);
        if (oldest !== undefined) this.zones.delete(oldest);
      }
    }
    this.zones.set(timeZone, zone);
    return zone;
  }

  /** The last whole minute whose point can be read at nowMs. */
  private lastInstant(nowMs: number): number {
    return Math.floor((nowMs - TODAY_LAG_MS) / this.todayStepMs) * this.todayStepMs;
  }

  /** The zone's points: cached when read up to the last whole minute, else read (one query, shared by concurrent callers). */
  private today(timeZone: string, nowMs = Date.now()): Promise<TodayPoint[]> {
    const zone = this.zone(timeZone);
    if (zone.readUpTo >= this.lastInstant(nowMs)) return Promise.resolve(withinWindow(zone.points, nowMs));
    return this.readZone(timeZone, zone, nowMs);
  }

  private readZone(timeZone: string, zone: Zone, nowMs: number): Promise<TodayPoint[]> {
    zone.reading ??= this.options
      .readToday(timeZone, nowMs)
      .then((points) => {
        const sent = zone.points;
        // Subscribers have the points of the last read (or, after a failed one, none of them); a first read is their first message.
        const tell = (zone.readUpTo > 0 || zone.missed) && this.fanout.count(timeZone) > 0;
        zone.points = points;
        zone.readUpTo = this.lastInstant(nowMs);
        zone.missed = false;
        if (tell) {
          const last = sent[sent.length - 1]?.atMs ?? 0;
          if (sent.length > 0 && sameWhereBoth(sent, points)) {
            const added = points.filter((point) => point.atMs > last);
            if (added.length > 0) this.fanout.publish(timeZone, { timeZone, snapshot: false, live: [], today: added });
          } else {
            this.fanout.publish(timeZone, { timeZone, snapshot: true, live: withinWindow(this.live, nowMs), today: points });
          }
        }
        return points;
      })
      .catch((err: unknown) => {
        zone.missed = true;
        throw err;
      })
      .finally(() => {
        zone.reading = undefined;
      });
    return zone.reading;
  }

  /** Runs at each step (aligned to the clock, so every instance samples at the same instants). */
  private scheduleLive(): void {
    if (this.stopped) return;
    const wait = this.liveStepMs - (Date.now() % this.liveStepMs);
    this.liveTimer = setTimeout(() => {
      void this.sampleLive();
      this.scheduleLive();
    }, wait);
    this.liveTimer.unref();
  }

  private sampleLive(): Promise<void> {
    // One sample at a time: a slow Redis skips a step rather than piling reads up.
    this.sampling ??= (async () => {
      const nowMs = Date.now();
      try {
        const point = await this.options.sampleLive(nowMs);
        if (this.stopped) return;
        if (this.liveFailing) this.options.logger.info('KPI history: sampling the live figures works again');
        this.liveFailing = false;
        this.live = withinWindow([...this.live, point], nowMs);
        for (const timeZone of this.zones.keys()) {
          if (this.fanout.count(timeZone) > 0) this.fanout.publish(timeZone, { timeZone, snapshot: false, live: [point], today: [] });
        }
      } catch (err) {
        if (!this.liveFailing) this.options.logger.warn({ err: (err as Error).message }, 'KPI history: sampling the live figures failed');
        this.liveFailing = true;
      }
    })().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  /** Rebuilds the live points of the hour before the start from the calls; the whole hour then goes to the subscribers. */
  private backfillLive(): Promise<void> {
    const backfill = this.options.backfill;
    if (!backfill || !this.backfillDue) return Promise.resolve();
    this.backfilling ??= (async () => {
      const nowMs = Date.now();
      const instants = stepsUpTo(this.startedAt - 1, this.liveStepMs).filter((at) => at >= nowMs - HISTORY_WINDOW_MS);
      if (instants.length === 0) {
        this.backfillDue = false;
        return;
      }
      try {
        const rebuilt = await backfill(instants, nowMs);
        if (this.stopped) return;
        this.backfillDue = false;
        const sampled = this.live.filter((point) => point.atMs >= this.startedAt);
        this.live = withinWindow([...rebuilt.filter((point) => point.atMs < this.startedAt), ...sampled], nowMs);
        for (const [timeZone, zone] of this.zones) {
          if (this.fanout.count(timeZone) > 0)
            this.fanout.publish(timeZone, { timeZone, snapshot: true, live: this.live, today: withinWindow(zone.points, nowMs) });
        }
        this.options.logger.info({ points: rebuilt.length }, 'KPI history: the hour before the start rebuilt from the calls');
      } catch (err) {
        this.options.logger.warn(
          { err: (err as Error).message },
          'KPI history: rebuilding the hour before the start failed; trying again in a minute',
        );
      }
    })().finally(() => {
      this.backfilling = undefined;
    });
    return this.backfilling;
  }

  /** Each minute (TODAY_LAG_MS after it, so its calls are in ClickHouse), reads the watched zones once. */
  private scheduleToday(): void {
    if (this.stopped) return;
    const wait = this.todayStepMs - ((Date.now() - TODAY_LAG_MS) % this.todayStepMs) + 50;
    this.todayTimer = setTimeout(() => {
      const nowMs = Date.now();
      void this.backfillLive();
      for (const [timeZone, zone] of this.zones) {
        if (this.fanout.count(timeZone) === 0 || zone.readUpTo >= this.lastInstant(nowMs)) continue;
        this.readZone(timeZone, zone, nowMs).catch((err: Error) =>
          this.options.logger.warn({ err: err.message, timeZone }, "KPI history: reading today's minutes failed"),
        );
      }
      this.scheduleToday();
    }, wait);
    this.todayTimer.unref();
  }
}
