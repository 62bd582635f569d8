// The explorer's and reports' filters (pure): read from and written to the URL fragment (#/calls?..., #/reports?...)
// under the API's CallFilter names, so a view can be shared and the CSV export gets the same query string; date
// presets become local dates in the chosen zone; durations are milliseconds in the URL and seconds on screen.

export const legResults = [
  'Answered',
  'Missed',
  'Voicemail',
  'Cancelled',
  'Parked',
  'Transferred',
  'AnsweredElsewhere',
  'Rejected',
  'Busy',
  'Failed',
  'Redirected',
  'Fax',
  'Supervision',
  'Unknown',
] as const;
/** What every report counts when its filter names no result (no fax, redirected ring or supervisor's party). */
export const reportResults = legResults.filter((result) => result !== 'Fax' && result !== 'Redirected' && result !== 'Supervision');

export const presets = ['today', 'yesterday', '7d', '30d', 'custom'] as const;
export type Preset = (typeof presets)[number];

const texts = ['from', 'to', 'timeZone', 'phoneNumber', 'direction', 'businessHours', 'answered', 'telephonySessionId'] as const;
const lists = ['extensionIds', 'queueIds', 'result', 'endedBy', 'weekdays', 'hours'] as const;
const numbers = ['minRingMs', 'minTalkMs', 'minHoldMs', 'maxRingMs', 'maxTalkMs', 'maxHoldMs', 'minDurationMs', 'maxDurationMs'] as const;

export type Text = (typeof texts)[number];
export type List = (typeof lists)[number];
export type Num = (typeof numbers)[number];

/** What the URL holds: the preset (or custom from/to), every filter field, the order. */
export interface ViewState {
  preset: Preset;
  text: Partial<Record<Text, string>>;
  list: Partial<Record<List, string[]>>;
  num: Partial<Record<Num, number>>;
  orderBy: string;
  orderDirection: 'ASC' | 'DESC';
}

export function emptyState(timeZone: string): ViewState {
  return { preset: 'today', text: { timeZone }, list: {}, num: {}, orderBy: 'START', orderDirection: 'DESC' };
}

/** The state of a fragment's query (#/calls?preset=7d&direction=Inbound...). */
export function parseHash(hash: string, defaultZone: string): ViewState {
  const params = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const state = emptyState(defaultZone);
  const preset = params.get('preset');
  state.preset = (presets as readonly string[]).includes(preset ?? '') ? (preset as Preset) : params.get('from') ? 'custom' : 'today';
  for (const name of texts) {
    const value = params.get(name);
    if (value) state.text[name] = value;
  }
  for (const name of lists) {
    const value = params.get(name);
    if (value !== null) state.list[name] = value.split(',').filter(Boolean);
  }
  for (const name of numbers) {
    const value = Number(params.get(name) ?? Number.NaN);
    if (params.get(name) && Number.isFinite(value) && value >= 0) state.num[name] = value;
  }
  const orderBy = params.get('orderBy');
  if (orderBy && ['START', 'DURATION', 'RING', 'TALK', 'HOLD'].includes(orderBy)) state.orderBy = orderBy;
  if (params.get('orderDirection') === 'ASC') state.orderDirection = 'ASC';
  return state;
}

/** The query string of a state (without preset dates resolved): the fragment's part after '?'. */
export function stateQuery(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.preset !== 'custom') params.set('preset', state.preset);
  for (const name of texts) {
    const value = state.text[name];
    if (value && !(state.preset !== 'custom' && (name === 'from' || name === 'to'))) params.set(name, value);
  }
  for (const name of lists) {
    const value = state.list[name];
    if (value) params.set(name, value.join(','));
  }
  for (const name of numbers) {
    const value = state.num[name];
    if (value !== undefined) params.set(name, String(value));
  }
  if (state.orderBy !== 'START') params.set('orderBy', state.orderBy);
  if (state.orderDirection !== 'DESC') params.set('orderDirection', state.orderDirection);
  return params.toString();
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** A local date moved by whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The from/to local dates of a preset in the zone (to excluded). */
export function presetRange(preset: Preset, nowMs: number, timeZone: string): { from: string; to: string } | undefined {
  const today = localDate(nowMs, timeZone);
  const tomorrow = addDays(today, 1);
  if (preset === 'today') return { from: today, to: tomorrow };
  if (preset === 'yesterday') return { from: addDays(today, -1), to: today };
  if (preset === '7d') return { from: addDays(today, -6), to: tomorrow };
  if (preset === '30d') return { from: addDays(today, -29), to: tomorrow };
  return undefined;
}

/** The API's CallFilter of a state (presets resolved now); `answered` as a boolean. */
export function callFilter(state: ViewState, nowMs: number): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const name of texts) {
    const value = state.text[name];
    if (value) filter[name] = name === 'answered' ? value === 'true' : value;
  }
  const range = presetRange(state.preset, nowMs, (state.text.timeZone as string) || 'UTC');
  if (range) Object.assign(filter, range);
  for (const name of lists) {
    const value = state.list[name];
    if (value) filter[name] = name === 'weekdays' || name === 'hours' ? value.map(Number) : value;
  }
  for (const name of numbers) if (state.num[name] !== undefined) filter[name] = state.num[name];
  return filter;
}

/** The CSV export's query string: the same filter and order (the key never goes in it). */
export function exportQuery(state: ViewState, nowMs: number): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(callFilter(state, nowMs))) {
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  params.set('orderBy', state.orderBy);
  params.set('orderDirection', state.orderDirection);
  return params.toString();
}

/** A link to the explorer with a report's filter plus a cell's restriction (custom ranges keep their from/to). */
export function drillHash(state: ViewState, extra: Partial<Pick<ViewState, 'text' | 'list' | 'num'>>): string {
  const next: ViewState = {
    ...state,
    text: { ...state.text, ...extra.text },
    list: { ...state.list, ...extra.list },
    num: { ...state.num, ...extra.num },
    orderBy: 'START',
    orderDirection: 'DESC',
  };
  if (extra.text?.from) next.preset = 'custom';
  if (!next.list.result) next.list.result = [...reportResults];
  return `#/calls?${stateQuery(next)}`;
}
