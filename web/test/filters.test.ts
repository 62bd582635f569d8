// The history views' filters (pure): the URL fragment read and written under the API's CallFilter names, date presets
// as local dates in the zone, the CSV export's query string, and a report cell's drill-down link.
import { describe, expect, it } from 'vitest';
import { addDays, callFilter, drillHash, exportQuery, parseHash, presetRange, reportResults, stateQuery } from '../src/history/filters.js';
import { csvText } from '../src/history/table-csv.js';

describe('history filters', () => {
  it('reads back what it writes: every field, the order, the preset', () => {
    const hash =
      '#/calls?preset=7d&timeZone=Europe%2FBerlin&direction=Inbound&extensionIds=1%2C2&result=Missed%2CVoicemail&minTalkMs=60000&orderBy=TALK&orderDirection=ASC';
    const state = parseHash(hash, 'UTC');
    expect(state.preset).toBe('7d');
    expect(state.list).toEqual({ extensionIds: ['1', '2'], result: ['Missed', 'Voicemail'] });
    expect(state.num).toEqual({ minTalkMs: 60000 });
    expect(state.orderBy).toBe('TALK');
    expect(state.orderDirection).toBe('ASC');
    expect(parseHash(`#/calls?${stateQuery(state)}`, 'UTC')).toEqual(state);
    // Unknown orders, negative or non-numeric durations are dropped; no fragment: today in the default zone.
    expect(parseHash('#/calls?orderBy=DROP&minRingMs=-1&minHoldMs=x', 'UTC')).toMatchObject({ orderBy: 'START', num: {} });
    expect(parseHash('#/calls', 'Asia/Tokyo')).toMatchObject({ preset: 'today', text: { timeZone: 'Asia/Tokyo' } });
  });

  it('turns presets into local dates of the zone (to excluded), across a month and a year', () => {
    const now = Date.parse('2026-03-01T23:30:00Z'); // 2 March in Tokyo, 1 March in UTC
    expect(presetRange('today', now, 'Asia/Tokyo')).toEqual({ from: '2026-03-02', to: '2026-03-03' });
    expect(presetRange('today', now, 'UTC')).toEqual({ from: '2026-03-01', to: '2026-03-02' });
    expect(presetRange('yesterday', now, 'UTC')).toEqual({ from: '2026-02-28', to: '2026-03-01' });
    expect(presetRange('7d', now, 'UTC')).toEqual({ from: '2026-02-23', to: '2026-03-02' });
    expect(presetRange('30d', now, 'UTC')).toEqual({ from: '2026-01-31', to: '2026-03-02' });
    expect(presetRange('custom', now, 'UTC')).toBeUndefined();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('gives the API and the CSV export the same filter; custom ranges keep their dates', () => {
    const state = parseHash('#/calls?from=2026-03-02&to=2026-03-03&timeZone=UTC&hours=9%2C10&answered=true&orderBy=RING', 'UTC');
    expect(state.preset).toBe('custom');
    const filter = callFilter(state, Date.now());
    expect(filter).toEqual({ from: '2026-03-02', to: '2026-03-03', timeZone: 'UTC', hours: [9, 10], answered: true });
    expect(Object.fromEntries(new URLSearchParams(exportQuery(state, Date.now())))).toEqual({
      from: '2026-03-02',
      to: '2026-03-03',
      timeZone: 'UTC',
      hours: '9,10',
      answered: 'true',
      orderBy: 'RING',
      orderDirection: 'DESC',
    });
  });

  it('takes a call by its telephony session id from the URL to the API and the CSV export', () => {
    const state = parseHash('#/calls?preset=30d&timeZone=UTC&telephonySessionId=s-a0d7b6c6f4e3aZ1', 'UTC');
    expect(state.text.telephonySessionId).toBe('s-a0d7b6c6f4e3aZ1');
    expect(parseHash(`#/calls?${stateQuery(state)}`, 'UTC')).toEqual(state);
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(callFilter(state, now)).toMatchObject({ telephonySessionId: 's-a0d7b6c6f4e3aZ1' });
    expect(new URLSearchParams(exportQuery(state, now)).get('telephonySessionId')).toBe('s-a0d7b6c6f4e3aZ1');
  });

  it("drills down with the report's filter, the cell's restriction and the results reports count", () => {
    const report = parseHash('#/reports?preset=7d&timeZone=UTC&businessHours=INSIDE', 'UTC');
    const cell = parseHash(drillHash(report, { list: { weekdays: ['1'], hours: ['9'] } }), 'UTC');
    expect(cell).toMatchObject({
      preset: '7d',
      text: { timeZone: 'UTC', businessHours: 'INSIDE' },
      list: { weekdays: ['1'], hours: ['9'] },
    });
    expect(cell.list.result).toEqual(reportResults);
    expect(reportResults).not.toContain('Fax');
    // A bucket's own range makes it custom; a cell's result is kept as it is.
    const bucket = parseHash(
      drillHash(report, { text: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }, list: { result: ['Missed'] } }),
      'UTC',
    );
    expect(bucket).toMatchObject({ preset: 'custom', text: { from: '2026-03-02T00:00:00.000Z' }, list: { result: ['Missed'] } });
  });

  it("quotes a report table's CSV and neutralises formulas", () => {
    expect(
      csvText([
        ['name', 'calls'],
        ['Ruiz, Marco', 3],
        ['=HYPERLINK("x")', null],
        ['say "hi"\nthere', -1],
      ]),
    ).toBe('name,calls\r\n"Ruiz, Marco",3\r\n"\'=HYPERLINK(""x"")",\r\n"say ""hi""\nthere",-1\r\n');
  });
});
