// The KPI strip: agents by state, calls in progress, calls waiting and the longest wait (live), and today's offered,
// answered, missed, abandoned, service level and average speed of answer since local midnight; each tile with its
// threshold colour and a 60-minute sparkline of the hour the API kept (state/history.ts). Labels are never cut: the
// live strip shows a short label where the full one would not fit, and every tile says in full what it counts in its
// tooltip.
import { useComputed } from '@preact/signals';
import { count, percent, shortDuration } from '../format.js';
import { sparkPaths } from '../sparkline-path.js';
import { counts, oldestWait, today, waitingTotal } from '../state/board.js';
import { now } from '../state/clock.js';
import { historyEnd, historySteps, type KpiName, liveHistory, seriesOf, todayHistory, WINDOW_MS } from '../state/history.js';
import { thresholds } from '../state/settings.js';
import { type Level, level } from '../thresholds.js';
import { Sparkline } from './Sparkline.js';

export interface KpiValue {
  name: KpiName;
  label: string;
  /** A shorter label for the live strip's narrow tiles. */
  short?: string;
  /** What the tile counts, in full (its tooltip). */
  about: string;
  value: string;
  raw: number | null;
  level: Level;
  hint?: string;
}

/** Every KPI now (the wallboard shows the same). */
export const kpis = () =>
  useComputed((): KpiValue[] => {
    const c = counts.value;
    const t = today.value;
    const limits = thresholds.value;
    const oldest = oldestWait.value;
    const waitMs = oldest === null ? 0 : Math.max(0, now.value - oldest);
    const abandonedPct = t && t.offered > 0 ? (t.abandoned / t.offered) * 100 : null;
    return [
      {
        name: 'available',
        label: 'Available',
        about: 'Agents free now (no call in progress)',
        value: count(c.byState.idle),
        raw: c.byState.idle,
        level: 'ok',
        hint: `of ${count(c.total)} agents`,
      },
      {
        name: 'onCall',
        label: 'On call',
        about: 'Agents talking or holding a call now',
        value: count(c.byState.talking + c.byState.onHold),
        raw: c.byState.talking + c.byState.onHold,
        level: 'ok',
        hint: `${c.byState.onHold} on hold`,
      },
      {
        name: 'ringing',
        label: 'Ringing',
        about: 'Agents being rung now',
        value: count(c.byState.ringing),
        raw: c.byState.ringing,
        level: 'ok',
      },
      {
        name: 'activeCalls',
        label: 'Active calls',
        about: 'Calls in progress now with a monitored agent',
        value: count(c.activeCalls),
        raw: c.activeCalls,
        level: 'ok',
      },
      {
        name: 'waiting',
        label: 'Waiting in queue',
        short: 'Waiting',
        about: 'Queue calls ringing agents that nobody answered yet',
        value: count(waitingTotal.value),
        raw: waitingTotal.value,
        level: level(waitingTotal.value, limits.waiting),
      },
      {
        name: 'longestWait',
        label: 'Longest wait',
        about: 'How long the longest-waiting queue call has waited',
        value: oldest === null ? '–' : shortDuration(waitMs),
        raw: waitMs / 1000,
        level: level(oldest === null ? null : waitMs / 1000, limits.wait),
      },
      {
        name: 'offered',
        label: 'Offered today',
        short: 'Offered',
        about: 'Inbound calls that ended today (since local midnight)',
        value: t ? count(t.offered) : '–',
        raw: t?.offered ?? null,
        level: 'ok',
        hint: 'inbound calls',
      },
      {
        name: 'answered',
        label: 'Answered',
        about: 'Inbound calls answered by an agent today',
        value: t ? count(t.answered) : '–',
        raw: t?.answered ?? null,
        level: 'ok',
        hint: t && t.offered > 0 ? percent(t.answered / t.offered) : undefined,
      },
      {
        name: 'missed',
        label: 'Missed',
        about: 'Inbound calls nobody answered today, the caller not hanging up first (voicemail, no answer)',
        value: t ? count(t.missed) : '–',
        raw: t?.missed ?? null,
        level: 'ok',
        hint: 'not answered',
      },
      {
        name: 'abandoned',
        label: 'Abandoned',
        about: 'Inbound calls whose caller hung up before anyone answered, today',
        value: t ? count(t.abandoned) : '–',
        raw: t?.abandoned ?? null,
        level: level(abandonedPct, limits.abandoned),
        hint: abandonedPct === null ? undefined : `${abandonedPct.toFixed(1)}% of offered`,
      },
      {
        name: 'serviceLevel',
        label: 'Service level',
        about: t ? `Inbound calls answered within ${t.serviceLevelSeconds} s, of those offered today` : 'Inbound calls answered in time',
        value: percent(t?.serviceLevel),
        raw: t?.serviceLevel == null ? null : t.serviceLevel * 100,
        level: level(t?.serviceLevel == null ? null : t.serviceLevel * 100, limits.serviceLevel),
        hint: t ? `answered in ${t.serviceLevelSeconds} s` : undefined,
      },
      {
        name: 'asa',
        label: 'Avg. speed of answer',
        short: 'Avg. answer',
        about: 'Average speed of answer: how long answered calls waited before an agent answered, today',
        // Nothing answered yet: no average (not "0 s").
        value: t && t.answered > 0 ? shortDuration(t.averageSpeedOfAnswerMs) : '–',
        raw: t && t.answered > 0 ? t.averageSpeedOfAnswerMs / 1000 : null,
        hint: t && t.answered > 0 ? 'to answer' : undefined,
        level: level(t && t.answered > 0 ? t.averageSpeedOfAnswerMs / 1000 : null, limits.asa),
      },
    ];
  });

/** The text of a value of the KPI (the sparkline's lowest and highest). */
function describe(name: KpiName): (value: number) => string {
  if (name === 'longestWait' || name === 'asa') return (value) => shortDuration(value * 1000);
  if (name === 'serviceLevel') return (value) => `${Math.round(value)}%`;
  return (value) => count(value);
}

/** The KPI's sparkline: recomputed when the history changes, not at every change of the tile's value. */
function KpiSpark({ name }: { name: KpiName }) {
  const spark = useComputed(() => {
    const live = liveHistory.value;
    const todays = todayHistory.value;
    const { points, stepS } = seriesOf(name, live, todays, historySteps.value);
    const to = historyEnd(live, todays);
    const paths = sparkPaths(points, to - WINDOW_MS, to, stepS);
    const text = describe(name);
    const title =
      paths.min === null || paths.max === null
        ? 'Past 60 minutes: no data yet'
        : `Past 60 minutes: lowest ${text(paths.min)}, highest ${text(paths.max)}`;
    return { paths, title, points: points.length };
  });
  return <Sparkline {...spark.value} />;
}

export function KpiTile({ kpi, large = false }: { kpi: KpiValue; large?: boolean }) {
  return (
    <div class={`kpi level-${kpi.level} ${large ? 'large' : ''}`} data-kpi={kpi.name} title={kpi.about}>
      <div class="kpi-label">{large ? kpi.label : (kpi.short ?? kpi.label)}</div>
      <div class="kpi-value">{kpi.value}</div>
      <div class="kpi-hint">{kpi.hint ?? ' '}</div>
      <KpiSpark name={kpi.name} />
    </div>
  );
}

export function KpiStrip() {
  const values = kpis();
  return (
    <section class="kpis" aria-label="Key figures">
      {values.value.slice(0, 6).map((kpi) => (
        <KpiTile key={kpi.name} kpi={kpi} />
      ))}
      <div class="kpi-divider" aria-hidden="true" />
      {values.value.slice(6).map((kpi) => (
        <KpiTile key={kpi.name} kpi={kpi} />
      ))}
    </section>
  );
}
