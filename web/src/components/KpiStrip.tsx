// The KPI strip: agents by state, calls in progress, calls waiting and the longest wait (live), and today's offered,
// answered, missed, abandoned, service level and average speed of answer since local midnight; each tile with its
// threshold colour and a 60-minute sparkline. Samples for the sparklines are taken every 30 s (state/history.ts).
import { useComputed } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { percent, shortDuration } from '../format.js';
import { counts, oldestWait, today, waitingTotal } from '../state/board.js';
import { now } from '../state/clock.js';
import { history, type KpiName, record, SAMPLE_MS, series } from '../state/history.js';
import { thresholds } from '../state/settings.js';
import { type Level, level } from '../thresholds.js';
import { Sparkline } from './Sparkline.js';

export interface KpiValue {
  name: KpiName;
  label: string;
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
        value: String(c.byState.idle),
        raw: c.byState.idle,
        level: 'ok',
        hint: `of ${c.total} agents`,
      },
      {
        name: 'onCall',
        label: 'On call',
        value: String(c.byState.talking + c.byState.onHold),
        raw: c.byState.talking + c.byState.onHold,
        level: 'ok',
        hint: `${c.byState.onHold} on hold`,
      },
      { name: 'ringing', label: 'Ringing', value: String(c.byState.ringing), raw: c.byState.ringing, level: 'ok' },
      { name: 'activeCalls', label: 'Active calls', value: String(c.activeCalls), raw: c.activeCalls, level: 'ok' },
      {
        name: 'waiting',
        label: 'Waiting in queue',
        value: String(waitingTotal.value),
        raw: waitingTotal.value,
        level: level(waitingTotal.value, limits.waiting),
      },
      {
        name: 'longestWait',
        label: 'Longest wait',
        value: oldest === null ? '–' : shortDuration(waitMs),
        raw: waitMs / 1000,
        level: level(oldest === null ? null : waitMs / 1000, limits.wait),
      },
      {
        name: 'offered',
        label: 'Offered today',
        value: t ? String(t.offered) : '–',
        raw: t?.offered ?? null,
        level: 'ok',
        hint: 'inbound calls',
      },
      {
        name: 'answered',
        label: 'Answered',
        value: t ? String(t.answered) : '–',
        raw: t?.answered ?? null,
        level: 'ok',
        hint: t && t.offered > 0 ? percent(t.answered / t.offered) : undefined,
      },
      {
        name: 'missed',
        label: 'Missed',
        value: t ? String(t.missed) : '–',
        raw: t?.missed ?? null,
        level: 'ok',
        hint: 'voicemail, no answer',
      },
      {
        name: 'abandoned',
        label: 'Abandoned',
        value: t ? String(t.abandoned) : '–',
        raw: t?.abandoned ?? null,
        level: level(abandonedPct, limits.abandoned),
        hint: abandonedPct === null ? undefined : `${abandonedPct.toFixed(1)}%`,
      },
      {
        name: 'serviceLevel',
        label: 'Service level',
        value: percent(t?.serviceLevel),
        raw: t?.serviceLevel == null ? null : t.serviceLevel * 100,
        level: level(t?.serviceLevel == null ? null : t.serviceLevel * 100, limits.serviceLevel),
        hint: t ? `answered in ${t.serviceLevelSeconds} s` : undefined,
      },
      {
        name: 'asa',
        label: 'Avg. speed of answer',
        value: t ? shortDuration(t.averageSpeedOfAnswerMs) : '–',
        raw: t ? t.averageSpeedOfAnswerMs / 1000 : null,
        level: level(t && t.answered > 0 ? t.averageSpeedOfAnswerMs / 1000 : null, limits.asa),
      },
    ];
  });

/** Samples the KPIs every 30 s for the sparklines. */
export function useKpiSampler(values: { value: KpiValue[] }): void {
  useEffect(() => {
    const sample = () => record(Object.fromEntries(values.value.map((kpi) => [kpi.name, kpi.raw])));
    const first = setTimeout(sample, 3000);
    const timer = setInterval(sample, SAMPLE_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
}

export function KpiTile({ kpi, large = false }: { kpi: KpiValue; large?: boolean }) {
  const data = useComputed(() => series(history.value, kpi.name));
  return (
    <div class={`kpi level-${kpi.level} ${large ? 'large' : ''}`} data-kpi={kpi.name}>
      <div class="kpi-label">{kpi.label}</div>
      <div class="kpi-value">{kpi.value}</div>
      <div class="kpi-hint">{kpi.hint ?? ' '}</div>
      <Sparkline data={data.value} width={large ? 260 : 96} height={large ? 48 : 24} />
    </div>
  );
}

export function KpiStrip() {
  const values = kpis();
  useKpiSampler(values);
  return (
    <section class="kpis" aria-label="Key figures">
      <div class="kpi-group">
        {values.value.slice(0, 6).map((kpi) => (
          <KpiTile key={kpi.name} kpi={kpi} />
        ))}
      </div>
      <div class="kpi-group today">
        {values.value.slice(6).map((kpi) => (
          <KpiTile key={kpi.name} kpi={kpi} />
        ))}
      </div>
    </section>
  );
}
