// The GraphQL requests the web app's Reports page and calls explorer send (web/src/history/Reports.tsx, Explorer.tsx,
// columns.ts, filters.ts: the same documents and variables), over a day, a week and a month of the reporting
// dataset, plus the explorer's sorts, filters and a later cursor page, and every report with businessHours INSIDE.

export interface HistoryQuery {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** How many items the answer holds, for the notes. */
  count: (data: Record<string, unknown>) => number;
  /** Set for a later explorer page: the cursor of the page before is fetched once, before the timing. */
  afterPages?: number;
}

/** The zone the requests name (a browser's zone: not UTC, whole-hour offsets, daylight saving in the dataset's range). */
export const benchZone = 'America/New_York';

export const ranges = {
  day: { from: '2025-10-15', to: '2025-10-16' },
  week: { from: '2025-10-13', to: '2025-10-20' },
  month: { from: '2025-10-01', to: '2025-11-01' },
} as const;
export type RangeName = keyof typeof ranges;

/** The business hours the INSIDE rows use: Monday to Friday 09:00-17:00 in the zone, one holiday. */
export const benchBusinessHours = `mutation { setBusinessHours(hours: { timeZone: "${benchZone}",
  monday: [{ from: "09:00", to: "17:00" }], tuesday: [{ from: "09:00", to: "17:00" }], wednesday: [{ from: "09:00", to: "17:00" }],
  thursday: [{ from: "09:00", to: "12:00" }, { from: "13:00", to: "17:00" }], friday: [{ from: "09:00", to: "17:00" }],
  holidays: ["2025-10-13"] }) { timeZone } }`;

// Reports.tsx
const kpiFields = `calls inbound outbound offered answered missed abandoned voicemail answeredWithinServiceLevel serviceLevel
  serviceLevelSeconds averageSpeedOfAnswerMs handled averageHandleTimeMs`;
const phaseFields = 'count averageMs p50Ms p90Ms maxMs';
const reportDocuments = {
  kpis: `query($f: CallFilter) { reportKpis(filter: $f) { current { ${kpiFields} } previous { ${kpiFields} } } }`,
  volume:
    'query($f: CallFilter, $i: VolumeInterval!) { callVolume(filter: $f, interval: $i) { key from to calls byResult { result count } } }',
  density: 'query($f: CallFilter) { hourlyDensity(filter: $f) { hour calls inbound outbound missed voicemail } }',
  heatmap: 'query($f: CallFilter) { weekdayHourHeatmap(filter: $f) { weekday hour calls } }',
  durations: `query($f: CallFilter) { durationStats(filter: $f) { calls ring { ${phaseFields} } talk { ${phaseFields} } hold { ${phaseFields} } } }`,
  agents: `query($f: CallFilter) { agentLeaderboard(filter: $f, first: 25) { extensionId extensionNumber name calls inbound outbound
      answered missed voicemail talkMs averageHandleTimeMs } }`,
  queues: `query($from: String, $to: String, $z: String, $b: BusinessHoursMode) { queueStats(from: $from, to: $to, timeZone: $z, businessHours: $b) {
      queueId queueName offered answered abandoned averageSpeedOfAnswerMs serviceLevel longestWaitMs } }`,
};

// Explorer.tsx and columns.ts
const callFields = `telephonySessionId partyId extensionId direction result endReason endedBy endedDuringHold startTime answerTime
  endTime ringMs talkMs holdMs holdCount durationMs queueId queueName from { phoneNumber name extensionId } to { phoneNumber name extensionId }`;
export const callsDocument = `query($f: CallFilter, $a: String, $o: CallOrder, $n: Int) { calls(filter: $f, first: $n, after: $a, orderBy: $o) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${callFields} } } } }`;
const PAGE = 100;

const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
const one = (value: unknown) => (value ? 1 : 0);

/** The report queries of one range and filter, as Reports.tsx sends them (calls per hour for a day, per day beyond). */
function reports(label: string, rangeName: RangeName, extra: Record<string, unknown> = {}): HistoryQuery[] {
  const filter: Record<string, unknown> = { timeZone: benchZone, ...ranges[rangeName], ...extra };
  const f = { f: filter };
  const interval = rangeName === 'day' ? 'HOUR' : 'DAY';
  return [
    { name: `${label} KPIs + previous period`, query: reportDocuments.kpis, variables: f, count: (d) => one(d.reportKpis) },
    {
      name: `${label} calls per ${interval.toLowerCase()} by result`,
      query: reportDocuments.volume,
      variables: { ...f, i: interval },
      count: (d) => length(d.callVolume),
    },
    { name: `${label} hour-of-day density`, query: reportDocuments.density, variables: f, count: (d) => length(d.hourlyDensity) },
    { name: `${label} weekday x hour heatmap`, query: reportDocuments.heatmap, variables: f, count: (d) => length(d.weekdayHourHeatmap) },
    { name: `${label} ring/talk/hold stats`, query: reportDocuments.durations, variables: f, count: (d) => one(d.durationStats) },
    { name: `${label} agent leaderboard (25)`, query: reportDocuments.agents, variables: f, count: (d) => length(d.agentLeaderboard) },
    {
      name: `${label} queue table`,
      query: reportDocuments.queues,
      variables: { from: filter.from, to: filter.to, z: benchZone, b: filter.businessHours ?? null },
      count: (d) => length(d.queueStats),
    },
  ];
}

function explorer(
  label: string,
  rangeName: RangeName,
  extra: Record<string, unknown> = {},
  order = { field: 'START', direction: 'DESC' },
  afterPages = 0,
): HistoryQuery {
  return {
    name: `${label} explorer${afterPages > 0 ? ` page ${afterPages + 1} (cursor)` : ' first page + totalCount'}`,
    query: callsDocument,
    variables: { f: { timeZone: benchZone, ...ranges[rangeName], ...extra }, a: null, o: order, n: PAGE },
    count: (d) => length((d.calls as { edges?: unknown } | undefined)?.edges),
    ...(afterPages > 0 ? { afterPages } : {}),
  };
}

/** One extension of the dataset (500000000 + n) and part of a caller's number the dataset has (+1555 then 7 digits). */
const someExtension = '500000042';
const someNumberPart = '55512345';

export function historyQueries(): HistoryQuery[] {
  const inside = { businessHours: 'INSIDE' };
  return [
    ...(['day', 'week', 'month'] as const).flatMap((range) => [...reports(range, range), explorer(range, range)]),
    ...reports('month, business hours INSIDE,', 'month', inside),
    explorer('month, business hours INSIDE,', 'month', inside),
    explorer('week', 'week', {}, { field: 'START', direction: 'DESC' }, 1),
    explorer('month', 'month', {}, { field: 'START', direction: 'DESC' }, 5),
    explorer('week, by talk DESC,', 'week', {}, { field: 'TALK', direction: 'DESC' }),
    explorer('month, by talk DESC,', 'month', {}, { field: 'TALK', direction: 'DESC' }),
    explorer('month, by duration ASC,', 'month', {}, { field: 'DURATION', direction: 'ASC' }),
    explorer('month, by ring DESC,', 'month', {}, { field: 'RING', direction: 'DESC' }, 1),
    explorer('month, Inbound Answered/Missed talk >= 60 s,', 'month', {
      direction: 'Inbound',
      result: ['Answered', 'Missed'],
      minTalkMs: 60000,
    }),
    explorer('month, one extension,', 'month', { extensionIds: [someExtension] }),
    explorer('month, number search,', 'month', { phoneNumber: someNumberPart }),
    explorer('month, weekdays Mon-Fri hours 9-16,', 'month', { weekdays: [1, 2, 3, 4, 5], hours: [9, 10, 11, 12, 13, 14, 15, 16] }),
    ...reports('month, one extension,', 'month', { extensionIds: [someExtension] }).slice(0, 1),
  ];
}

/** The export's ranges: about 100,000 and 1,000,000 rows on 10M legs (111,111 legs a day), a tenth of that with --quick. */
export const exportRanges = {
  small: { from: '2025-10-15', to: '2025-10-16' },
  large: { from: '2025-10-01', to: '2025-10-10' },
} as const;
