// The live board's cache of todayStats (history/today-stats.ts): it must not query ClickHouse per event, so each zone's
// figures are cached and shared by every dashboard of this instance. A completed leg marks the watched zones stale; a
// zone is read again (two queries) at most once per TODAY_REFRESH_MS, however many calls complete and however many
// dashboards watch.
import { QueryBudget } from '../history/clickhouse-gate.js';
import type { QueryService } from '../history/clickhouse-runner.js';
import { localMidnight, readToday, type TodayFigures } from '../history/today-stats.js';
import { Fanout, type SubscriberTooSlow } from './fanout.js';
import type { LiveEvents } from './live-events.js';

export const TODAY_REFRESH_MS = 5000;
/** Zones kept at once; the least recently used one goes first. */
const MAX_ZONES = 24;

interface Zone {
  value: TodayFigures | undefined;
  reading: Promise<TodayFigures> | undefined;
  stale: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** The cache of today's figures per zone, refreshed on completed legs at most once per refreshMs, and its subscribers. */
export class TodayStats {
  readonly fanout: Fanout<Record<string, TodayFigures>>;
  private readonly zones = new Map<string, Zone>();
  private completed: AsyncIterableIterator<unknown> | undefined;
  private midnightTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      runner: QueryService;
      live: LiveEvents;
      database: string;
      serviceLevelSeconds: number;
      subscriberBuffer: number;
      refreshMs?: number;
    },
  ) {
    this.fanout = new Fanout({ limit: options.subscriberBuffer });
  }

  private get refreshMs(): number {
    return this.options.refreshMs ?? TODAY_REFRESH_MS;
  }

  private zone(timeZone: string): Zone {
    let zone = this.zones.get(timeZone);
    if (zone) {
      this.zones.delete(timeZone); // most recently used last
    } else {
      zone = { value: undefined, reading: undefined, stale: true, timer: undefined };
      if (this.zones.size >= MAX_ZONES) {
        const oldest = [...this.zones.keys()].find((name) => this.fanout.count(name) === 0);
        if (oldest !== undefined) this.zones.delete(oldest);
      }
    }
    this.zones.set(timeZone, zone);
    return zone;
  }

  /** Today's figures in the zone: the cached ones when fresh (younger than refreshMs, same local day, nothing completed since). */
  get(timeZone: string, nowMs = Date.now()): Promise<TodayFigures> {
    const zone = this.zone(timeZone);
    const value = zone.value;
    const fresh = value !== undefined && nowMs - value.updatedAtMs < this.refreshMs && value.fromMs === localMidnight(nowMs, timeZone);
    if (fresh && !zone.stale) return Promise.resolve(value);
    if (fresh && value) {
      this.schedule(timeZone, zone);
      return Promise.resolve(value);
    }
    return this.read(timeZone, zone);
  }

  private read(timeZone: string, zone: Zone): Promise<TodayFigures> {
    zone.reading ??= (async () => {
      zone.stale = false;
      const runner = this.options.runner.scoped({ caller: 'today-stats', budget: new QueryBudget(2) });
      const figures = await readToday(runner, this.options.database, timeZone, this.options.serviceLevelSeconds);
      const changed = JSON.stringify({ ...figures, updatedAtMs: 0 }) !== JSON.stringify({ ...zone.value, updatedAtMs: 0 });
      zone.value = figures;
      if (changed) this.fanout.publish(timeZone, figures);
      return figures;
    })().finally(() => {
      zone.reading = undefined;
    });
    return zone.reading;
  }

  /** Reads the zone again once refreshMs has passed since its last read. */
  private schedule(timeZone: string, zone: Zone): void {
    if (zone.timer) return;
    const age = zone.value ? Date.now() - zone.value.updatedAtMs : this.refreshMs;
    zone.timer = setTimeout(
      () => {
        zone.timer = undefined;
        if (this.fanout.count(timeZone) === 0) return;
        this.read(timeZone, zone).catch(() => {
          zone.stale = true;
        });
      },
      Math.max(0, this.refreshMs - age),
    );
    zone.timer.unref();
  }

  private onCompleted(): void {
    for (const [timeZone, zone] of this.zones) {
      if (this.fanout.count(timeZone) === 0) continue;
      zone.stale = true;
      this.schedule(timeZone, zone);
    }
  }

  /** The zone's figures now, then each change (read after completed legs, at most once per refreshMs). */
  subscribe(timeZone: string, onClose: () => void): AsyncIterableIterator<TodayFigures | SubscriberTooSlow> {
    this.watch();
    return this.fanout.subscribe(timeZone, {
      first: () => this.get(timeZone),
      onClose: () => {
        onClose();
        this.unwatchWhenUnused();
      },
    });
  }

  /** Listens to completed legs (and local midnights) while anyone subscribes. */
  private watch(): void {
    if (this.completed) return;
    const completed = this.options.live.fanout.subscribe('completed');
    this.completed = completed;
    void (async () => {
      for await (const _ of completed) this.onCompleted();
      if (this.completed === completed) this.completed = undefined; // dropped: the next subscriber starts again
    })();
    this.midnightTimer = setInterval(() => {
      const now = Date.now();
      for (const [timeZone, zone] of this.zones) {
        if (this.fanout.count(timeZone) > 0 && zone.value && zone.value.fromMs !== localMidnight(now, timeZone)) {
          zone.stale = true;
          this.schedule(timeZone, zone);
        }
      }
    }, 30_000);
    this.midnightTimer.unref();
  }

  private unwatchWhenUnused(): void {
    for (const timeZone of this.zones.keys()) if (this.fanout.count(timeZone) > 0) return;
    void this.completed?.return?.();
    this.completed = undefined;
    clearInterval(this.midnightTimer);
  }

  stop(): void {
    this.unwatchWhenUnused();
    for (const zone of this.zones.values()) clearTimeout(zone.timer);
  }
}
