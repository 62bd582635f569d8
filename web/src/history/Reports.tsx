// The reports (#/reports): KPIs of the range against the period before, calls per hour or day stacked by result, the
// hour-of-day density, the weekday x hour heatmap, ring/talk/hold figures, the agent leaderboard and the queue table.
// One request per figure (the API allows a few ClickHouse queries per request); every number links to the explorer
// with the filter that gives exactly its calls (the restrictions the API documents for each figure).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { count, duration, percent, resultLabel } from '../format.js';
import { FilterBar } from './FilterBar.js';
import { callFilter, drillHash, reportResults, type ViewState } from './filters.js';
import { type Better, kpiChange } from './kpi-change.js';
import { periodLabel, rangeLabel } from './period-label.js';
import { ask } from './query.js';
import { saveCsv } from './table-csv.js';

type Extra = Parameters<typeof drillHash>[1];

interface Kpis {
  calls: number;
  inbound: number;
  outbound: number;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  voicemail: number;
  answeredWithinServiceLevel: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
  averageSpeedOfAnswerMs: number | null;
  handled: number;
  averageHandleTimeMs: number | null;
}
const kpiFields = `calls inbound outbound offered answered missed abandoned voicemail answeredWithinServiceLevel serviceLevel
  serviceLevelSeconds averageSpeedOfAnswerMs handled averageHandleTimeMs`;
interface Bucket {
  key: string;
  from: string;
  to: string;
  calls: number;
  byResult: Array<{ result: string; count: number }>;
}
interface Density {
  hour: number;
  calls: number;
  inbound: number;
  outbound: number;
  missed: number;
  voicemail: number;
}
interface Cell extends Density {
  weekday: number;
  answered: number;
}
interface Phase {
  count: number;
  averageMs: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}
interface Agent {
  extensionId: string;
  extensionNumber: string | null;
  name: string | null;
  calls: number;
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  voicemail: number;
  talkMs: number;
  averageHandleTimeMs: number | null;
}
interface Queue {
  queueId: string;
  queueName: string | null;
  offered: number;
  answered: number;
  abandoned: number;
  averageSpeedOfAnswerMs: number;
  serviceLevel: number | null;
  longestWaitMs: number;
}

const phaseFields = 'count averageMs p50Ms p90Ms maxMs';
const resultColours: Record<string, string> = {
  Answered: '#15803d',
  Missed: '#b91c1c',
  Voicemail: '#64748b',
  AnsweredElsewhere: '#2563eb',
  Transferred: '#7c3aed',
};

/** Runs one report query whenever the filter changes. */
function useReport<T>(query: string, variables: Record<string, unknown>, key: string): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let live = true;
    setState({});
    ask<T>(query, variables).then(
      (data) => live && setState({ data }),
      (err: Error) => live && setState({ error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

type Rows = Array<Array<string | number | null | undefined>>;

function Card({
  title,
  error,
  children,
  wide,
  csv,
  loading,
}: {
  title: string;
  error?: string;
  children: ComponentChildren;
  wide?: boolean;
  csv?: () => Rows;
  /** Until the card's figures arrive its CSV is disabled: an export is never of an empty table still loading. */
  loading?: boolean;
}) {
  return (
    <section class={wide ? 'report-card wide' : 'report-card'}>
      <h2>
        {title}
        {csv ? (
          <button
            type="button"
            class="link no-print table-csv"
            disabled={loading}
            onClick={() => saveCsv(`${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv`, csv())}
          >
            CSV
          </button>
        ) : null}
      </h2>
      {error ? <p class="error">{error}</p> : children}
    </section>
  );
}

function Drill({ state, extra, value, label }: { state: ViewState; extra: Extra; value: number; label?: string }) {
  return (
    <a href={drillHash(state, extra)} data-count={value} title={label ? `${label}: show these calls` : 'Show these calls'}>
      {count(value)}
    </a>
  );
}

function KpiCards({ state, filter, keyOf }: { state: ViewState; filter: unknown; keyOf: string }) {
  const { data, error } = useReport<{ reportKpis: { current: Kpis; previous: Kpis } }>(
    `query($f: CallFilter) { reportKpis(filter: $f) { current { ${kpiFields} } previous { ${kpiFields} } } }`,
    { f: filter },
    keyOf,
  );
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">Loading the key figures…</p>;
  const { current, previous } = data.reportKpis;
  const offered = reportResults.filter((result) => result !== 'AnsweredElsewhere');
  const counts: Array<[keyof Kpis, string, Extra, Better]> = [
    ['calls', 'Calls', {}, 'neither'],
    ['inbound', 'Inbound', { text: { direction: 'Inbound' } }, 'neither'],
    ['outbound', 'Outbound', { text: { direction: 'Outbound' } }, 'neither'],
    ['offered', 'Offered', { text: { direction: 'Inbound' }, list: { result: offered } }, 'neither'],
    ['answered', 'Answered (inbound)', { text: { direction: 'Inbound', answered: 'true' } }, 'neither'],
    ['missed', 'Missed', { list: { result: ['Missed'] } }, 'down'],
    ['abandoned', 'Abandoned', { list: { result: ['Missed'], endedBy: ['customer'] } }, 'down'],
    ['voicemail', 'Voicemail', { text: { direction: 'Inbound' }, list: { result: ['Voicemail'] } }, 'down'],
    ['handled', 'Handled', { text: { answered: 'true' } }, 'neither'],
  ];
  const slExtra: Extra = { text: { direction: 'Inbound', answered: 'true' }, num: { maxRingMs: current.serviceLevelSeconds * 1000 } };
  const ratios: Array<[string, string, string, { text: string; cls: string }]> = [
    [
      'Service level',
      percent(current.serviceLevel),
      `answered within ${current.serviceLevelSeconds} s over offered`,
      kpiChange(current.serviceLevel, previous.serviceLevel, 'up'),
    ],
    [
      'Avg. speed of answer',
      current.averageSpeedOfAnswerMs == null ? '–' : duration(current.averageSpeedOfAnswerMs),
      'mean ring of answered inbound legs',
      kpiChange(current.averageSpeedOfAnswerMs, previous.averageSpeedOfAnswerMs, 'down'),
    ],
    [
      'Avg. handle time',
      current.averageHandleTimeMs == null ? '–' : duration(current.averageHandleTimeMs),
      'talk + hold of handled legs',
      kpiChange(current.averageHandleTimeMs, previous.averageHandleTimeMs, 'neither'),
    ],
  ];
  return (
    <div class="report-kpis">
      {counts.map(([field, label, extra, better]) => {
        const delta = kpiChange(current[field] as number, previous[field] as number, better);
        return (
          <a key={field} href={drillHash(state, extra)} data-kpi={field} data-count={current[field]} title={`${label}: show these calls`}>
            <span class="label">{label}</span>
            <span class="value">{count(current[field] as number)}</span>
            <span class={delta.cls}>{delta.text}</span>
          </a>
        );
      })}
      {ratios.map(([label, value, hint, delta]) => (
        <a
          key={label}
          href={label === 'Service level' ? drillHash(state, slExtra) : drillHash(state, { text: { answered: 'true' } })}
          title={hint}
        >
          <span class="label">{label}</span>
          <span class="value">{value}</span>
          <span class={delta.cls}>{delta.text}</span>
        </a>
      ))}
    </div>
  );
}

function Volume({ state, filter, keyOf, days }: { state: ViewState; filter: unknown; keyOf: string; days: boolean }) {
  const { data, error } = useReport<{ callVolume: Bucket[] }>(
    'query($f: CallFilter, $i: VolumeInterval!) { callVolume(filter: $f, interval: $i) { key from to calls byResult { result count } } }',
    { f: filter, i: days ? 'DAY' : 'HOUR' },
    `${keyOf}|${days}`,
  );
  const buckets = data?.callVolume ?? [];
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.calls));
  const width = 760;
  const step = width / Math.max(1, buckets.length);
  const results = [...new Set(buckets.flatMap((bucket) => bucket.byResult.map((part) => part.result)))];
  return (
    <Card
      title={`Calls per ${days ? 'day' : 'hour'} by result`}
      error={error}
      wide
      loading={!data}
      csv={() => [
        ['period', 'from', 'to', 'calls', ...results],
        ...buckets.map((b) => [b.key, b.from, b.to, b.calls, ...results.map((r) => b.byResult.find((p) => p.result === r)?.count ?? 0)]),
      ]}
    >
      <svg class="chart" viewBox={`0 0 ${width} 180`} role="img" aria-label="Calls per period by result">
        {buckets.map((bucket, i) => {
          let y = 170;
          return (
            <g key={bucket.key}>
              {bucket.byResult.map((part) => {
                const h = (part.count / peak) * 160;
                y -= h;
                return (
                  <a
                    key={part.result}
                    href={drillHash(state, { text: { from: bucket.from, to: bucket.to }, list: { result: [part.result] } })}
                  >
                    <rect x={i * step + 1} y={y} width={Math.max(1, step - 2)} height={h} fill={resultColours[part.result] ?? '#94a3b8'}>
                      <title>{`${periodLabel(bucket.key)}: ${part.count} ${part.result}`}</title>
                    </rect>
                  </a>
                );
              })}
            </g>
          );
        })}
        <text x="0" y="180" class="axis-label">
          {buckets[0] ? periodLabel(buckets[0].key) : ''}
        </text>
        <text x={width} y="180" class="axis-label" text-anchor="end">
          {buckets.length > 0 ? periodLabel((buckets.at(-1) as Bucket).key) : ''}
        </text>
      </svg>
      <p class="legend">
        {results.map((result) => (
          <span key={result}>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={resultColours[result] ?? '#94a3b8'} />
            </svg>{' '}
            {resultLabel(result)}{' '}
          </span>
        ))}
      </p>
    </Card>
  );
}

const densityLines: Array<[keyof Density, string, string, Extra]> = [
  ['inbound', 'Inbound', '#2563eb', { text: { direction: 'Inbound' } }],
  ['outbound', 'Outbound', '#15803d', { text: { direction: 'Outbound' } }],
  ['missed', 'Missed', '#b91c1c', { list: { result: ['Missed'] } }],
  ['voicemail', 'Voicemail', '#64748b', { list: { result: ['Voicemail'] } }],
];

function HourDensity({ state, filter, keyOf }: { state: ViewState; filter: unknown; keyOf: string }) {
  const { data, error } = useReport<{ hourlyDensity: Density[] }>(
    'query($f: CallFilter) { hourlyDensity(filter: $f) { hour calls inbound outbound missed voicemail } }',
    { f: filter },
    keyOf,
  );
  const hours = data?.hourlyDensity ?? [];
  const peak = Math.max(1, ...hours.flatMap((h) => [h.inbound, h.outbound, h.missed, h.voicemail]));
  const x = (hour: number) => 20 + hour * 30;
  const y = (value: number) => 150 - (value / peak) * 140;
  return (
    <Card
      title="Hour of day"
      error={error}
      loading={!data}
      csv={() => [
        ['hour', 'calls', 'inbound', 'outbound', 'missed', 'voicemail'],
        ...hours.map((h) => [h.hour, h.calls, h.inbound, h.outbound, h.missed, h.voicemail]),
      ]}
    >
      <svg class="chart" viewBox="0 0 720 170" role="img" aria-label="Calls per hour of the day">
        {densityLines.map(([field, , colour]) => (
          <polyline
            key={field}
            fill="none"
            stroke={colour}
            stroke-width="2"
            points={hours.map((h) => `${x(h.hour)},${y(h[field] as number)}`).join(' ')}
          />
        ))}
        {hours.map((h) =>
          densityLines.map(([field, label, colour, extra]) => (
            <a key={`${h.hour}${field}`} href={drillHash(state, { ...extra, list: { ...extra.list, hours: [String(h.hour)] } })}>
              <circle cx={x(h.hour)} cy={y(h[field] as number)} r="3" fill={colour}>
                <title>{`${h.hour}:00 ${label}: ${h[field]}`}</title>
              </circle>
            </a>
          )),
        )}
        {[0, 6, 12, 18, 23].map((hour) => (
          <text key={hour} x={x(hour)} y="166" class="axis-label" text-anchor="middle">
            {hour}
          </text>
        ))}
      </svg>
      <p class="legend">
        {densityLines.map(([field, label, colour]) => (
          <span key={field}>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={colour} />
            </svg>{' '}
            {label}{' '}
          </span>
        ))}
      </p>
    </Card>
  );
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function Heatmap({ state, filter, keyOf }: { state: ViewState; filter: unknown; keyOf: string }) {
  const { data, error } = useReport<{ weekdayHourHeatmap: Cell[] }>(
    'query($f: CallFilter) { weekdayHourHeatmap(filter: $f) { weekday hour calls } }',
    { f: filter },
    keyOf,
  );
  const cells = data?.weekdayHourHeatmap ?? [];
  const peak = Math.max(1, ...cells.map((cell) => cell.calls));
  return (
    <Card
      title="Weekday × hour"
      error={error}
      loading={!data}
      csv={() => [['weekday', 'hour', 'calls'], ...cells.map((c) => [weekdays[c.weekday - 1], c.hour, c.calls])]}
    >
      <svg class="chart heatmap" viewBox="0 0 740 190" role="img" aria-label="Calls by weekday and hour">
        {cells.map((cell) => (
          <a
            key={`${cell.weekday}-${cell.hour}`}
            href={drillHash(state, { list: { weekdays: [String(cell.weekday)], hours: [String(cell.hour)] } })}
            data-count={cell.calls}
            data-cell={`${cell.weekday}-${cell.hour}`}
          >
            <rect
              x={36 + cell.hour * 29}
              y={(cell.weekday - 1) * 24}
              width="27"
              height="22"
              fill="#2457c5"
              fill-opacity={cell.calls === 0 ? 0.04 : 0.15 + (0.85 * cell.calls) / peak}
            >
              <title>{`${weekdays[cell.weekday - 1]} ${cell.hour}:00: ${cell.calls} calls`}</title>
            </rect>
          </a>
        ))}
        {weekdays.map((day, i) => (
          <text key={day} x="0" y={i * 24 + 15} class="axis-label">
            {day}
          </text>
        ))}
        {[0, 6, 12, 18, 23].map((hour) => (
          <text key={hour} x={36 + hour * 29 + 13} y="185" class="axis-label" text-anchor="middle">
            {hour}
          </text>
        ))}
      </svg>
    </Card>
  );
}

function Durations({ state, filter, keyOf }: { state: ViewState; filter: unknown; keyOf: string }) {
  const { data, error } = useReport<{ durationStats: { calls: number; ring: Phase; talk: Phase; hold: Phase } }>(
    `query($f: CallFilter) { durationStats(filter: $f) { calls ring { ${phaseFields} } talk { ${phaseFields} } hold { ${phaseFields} } } }`,
    { f: filter },
    keyOf,
  );
  const phases: Array<['ring' | 'talk' | 'hold', string, Extra]> = [
    ['ring', 'Ring', { num: { minRingMs: 1 } }],
    ['talk', 'Talk', { num: { minTalkMs: 1 } }],
    ['hold', 'Hold', { num: { minHoldMs: 1 } }],
  ];
  return (
    <Card
      title="Ring, talk and hold"
      error={error}
      loading={!data}
      csv={() => [
        ['phase', 'legs', 'average_s', 'p50_s', 'p90_s', 'max_s'],
        ...phases.map(([phase]) => {
          const f = data?.durationStats[phase];
          return [phase, f?.count, f && f.averageMs / 1000, f && f.p50Ms / 1000, f && f.p90Ms / 1000, f && f.maxMs / 1000];
        }),
      ]}
    >
      <table class="report-table">
        <thead>
          <tr>
            <th />
            <th class="num">Legs</th>
            <th class="num">Average</th>
            <th class="num">p50</th>
            <th class="num">p90</th>
            <th class="num">Max</th>
          </tr>
        </thead>
        <tbody>
          {data
            ? phases.map(([phase, label, extra]) => {
                const figures = data.durationStats[phase];
                return (
                  <tr key={phase}>
                    <th>{label}</th>
                    <td class="num">
                      <Drill state={state} extra={extra} value={figures.count} label={`Legs with ${phase}`} />
                    </td>
                    <td class="num">{duration(figures.averageMs)}</td>
                    <td class="num">{duration(figures.p50Ms)}</td>
                    <td class="num">{duration(figures.p90Ms)}</td>
                    <td class="num">{duration(figures.maxMs)}</td>
                  </tr>
                );
              })
            : null}
        </tbody>
      </table>
    </Card>
  );
}

function Leaderboard({ state, filter, keyOf }: { state: ViewState; filter: unknown; keyOf: string }) {
  const { data, error } = useReport<{ agentLeaderboard: Agent[] }>(
    `query($f: CallFilter) { agentLeaderboard(filter: $f, first: 25) { extensionId extensionNumber name calls inbound outbound
      answered missed voicemail talkMs averageHandleTimeMs } }`,
    { f: filter },
    keyOf,
  );
  return (
    <Card
      title="Agents"
      error={error}
      loading={!data}
      csv={() => [
        ['extension_id', 'extension_number', 'name', 'calls', 'inbound', 'outbound', 'answered', 'missed', 'voicemail', 'talk_s', 'aht_s'],
        ...(data?.agentLeaderboard ?? []).map((a) => [
          a.extensionId,
          a.extensionNumber,
          a.name,
          a.calls,
          a.inbound,
          a.outbound,
          a.answered,
          a.missed,
          a.voicemail,
          a.talkMs / 1000,
          a.averageHandleTimeMs == null ? null : a.averageHandleTimeMs / 1000,
        ]),
      ]}
    >
      <table class="report-table leaderboard">
        <thead>
          <tr>
            <th>Agent</th>
            <th class="num">Calls</th>
            <th class="num">In</th>
            <th class="num">Out</th>
            <th class="num">Answered</th>
            <th class="num">Missed</th>
            <th class="num">Voicemail</th>
            <th class="num">Talk</th>
            <th class="num">AHT</th>
          </tr>
        </thead>
        <tbody>
          {(data?.agentLeaderboard ?? []).map((agent) => {
            const mine = (extra: Extra): Extra => ({ ...extra, list: { ...extra.list, extensionIds: [agent.extensionId] } });
            return (
              <tr key={agent.extensionId}>
                <td>
                  {agent.name ?? agent.extensionId}
                  {agent.extensionNumber ? <span class="muted"> · {agent.extensionNumber}</span> : null}
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({})} value={agent.calls} />
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({ text: { direction: 'Inbound' } })} value={agent.inbound} />
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({ text: { direction: 'Outbound' } })} value={agent.outbound} />
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({ text: { answered: 'true' } })} value={agent.answered} />
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({ list: { result: ['Missed'] } })} value={agent.missed} />
                </td>
                <td class="num">
                  <Drill state={state} extra={mine({ list: { result: ['Voicemail'] } })} value={agent.voicemail} />
                </td>
                <td class="num">{duration(agent.talkMs)}</td>
                <td class="num">{agent.averageHandleTimeMs == null ? '–' : duration(agent.averageHandleTimeMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}

function level(serviceLevel: number | null): string {
  if (serviceLevel == null) return '';
  return serviceLevel >= 0.8 ? 'sl-green' : serviceLevel >= 0.6 ? 'sl-amber' : 'sl-red';
}

function Queues({ state, filter, keyOf }: { state: ViewState; filter: Record<string, unknown>; keyOf: string }) {
  const { data, error } = useReport<{ queueStats: Queue[] }>(
    `query($from: String, $to: String, $z: String, $b: BusinessHoursMode) { queueStats(from: $from, to: $to, timeZone: $z, businessHours: $b) {
      queueId queueName offered answered abandoned averageSpeedOfAnswerMs serviceLevel longestWaitMs } }`,
    { from: filter.from, to: filter.to, z: filter.timeZone, b: filter.businessHours ?? null },
    keyOf,
  );
  return (
    <Card
      title="Queues (calls that entered each queue)"
      error={error}
      loading={!data}
      csv={() => [
        ['queue_id', 'queue', 'offered', 'answered', 'abandoned', 'asa_s', 'service_level', 'longest_wait_s'],
        ...(data?.queueStats ?? []).map((q) => [
          q.queueId,
          q.queueName,
          q.offered,
          q.answered,
          q.abandoned,
          q.averageSpeedOfAnswerMs / 1000,
          q.serviceLevel,
          q.longestWaitMs / 1000,
        ]),
      ]}
    >
      <table class="report-table">
        <thead>
          <tr>
            <th>Queue</th>
            <th class="num">Offered</th>
            <th class="num">Answered</th>
            <th class="num">Abandoned</th>
            <th class="num">ASA</th>
            <th class="num">Service level</th>
            <th class="num">Longest wait</th>
          </tr>
        </thead>
        <tbody>
          {(data?.queueStats ?? []).map((queue) => (
            <tr key={queue.queueId}>
              <td>
                <a href={drillHash(state, { list: { queueIds: [queue.queueId] } })}>{queue.queueName ?? queue.queueId}</a>
              </td>
              <td class="num">{count(queue.offered)}</td>
              <td class="num">{count(queue.answered)}</td>
              <td class="num">{count(queue.abandoned)}</td>
              <td class="num">{duration(queue.averageSpeedOfAnswerMs)}</td>
              <td class={`num ${level(queue.serviceLevel)}`}>{percent(queue.serviceLevel)}</td>
              <td class="num">{duration(queue.longestWaitMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function Reports({ state, query }: { state: ViewState; query: string }) {
  const filter = callFilter(state, Date.now());
  const props = { state, filter, keyOf: query };
  const days = state.preset === '7d' || state.preset === '30d' || state.preset === 'custom';
  return (
    <section class="reports">
      <FilterBar
        route="#/reports"
        state={state}
        full={false}
        actions={
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
        }
      />
      <h1 class="report-title">
        Calls report · {rangeLabel(filter.from as string | undefined, filter.to as string | undefined)} ·{' '}
        {(filter.timeZone as string | undefined) ?? 'UTC'}
        {filter.businessHours ? ` · ${filter.businessHours === 'INSIDE' ? 'inside' : 'outside'} business hours` : ''}
      </h1>
      <KpiCards {...props} />
      <div class="report-grid">
        <Volume {...props} days={days} />
        <HourDensity {...props} />
        <Heatmap {...props} />
        <Durations {...props} />
        <Leaderboard {...props} />
        <Queues {...props} />
      </div>
    </section>
  );
}
