// Pure parts of the API: keys and roles, time zones and ranges, cursors and page sizes, the directory page, the live
// summary, and the SQL text the filters produce from hostile input.
import { describe, expect, it } from 'vitest';
import { parseApiKeys, resolveRole, roleOfAuthorization } from '../src/auth/api-keys.js';
import { pageExtensions } from '../src/directory/extensions-query.js';
import { callsSql } from '../src/history/calls-query.js';
import { legConditions } from '../src/history/leg-filter.js';
import { statsSql } from '../src/history/stats-sql.js';
import { allFigures } from '../src/history/stats-types.js';
import { checkTimeZone, isoInZone, resolveRange } from '../src/history/time-range.js';
import { liveSummaryOf } from '../src/live/summary.js';
import { decodeCursor, encodeCursor, pageSize } from '../src/paging/cursor.js';

describe('API keys', () => {
  const keys = parseApiKeys(' admin:KEY1, viewer:KEY2 ,viewer:another:with:colons ');

  it('gives each bearer key its role and nothing to a wrong or missing key', () => {
    expect(roleOfAuthorization(keys, 'Bearer KEY1')).toBe('admin');
    expect(roleOfAuthorization(keys, 'bearer KEY2')).toBe('viewer');
    expect(roleOfAuthorization(keys, 'Bearer another:with:colons')).toBe('viewer');
    expect(roleOfAuthorization(keys, 'Bearer KEY3')).toBeUndefined();
    expect(roleOfAuthorization(keys, 'KEY1')).toBeUndefined();
    expect(roleOfAuthorization(keys, undefined)).toBeUndefined();
    expect(resolveRole([], undefined)).toBe('local');
    expect(resolveRole(keys, 'Bearer nope')).toBeUndefined();
  });

  it('names the entry that is wrong', () => {
    expect(() => parseApiKeys('admin:a,root:b')).toThrow(/entry 2 must be role:key/);
    expect(() => parseApiKeys('viewer:')).toThrow(/entry 1 \(viewer\) has an empty key/);
    expect(parseApiKeys('')).toEqual([]);
  });
});

describe('time ranges', () => {
  it('accepts IANA zones and refuses unknown ones by name', () => {
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(checkTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(checkTimeZone('Asia/Kolkata')).toBe('Asia/Calcutta'); // ICU's canonical name, in every tz database
    expect(checkTimeZone('utc')).toBe('UTC');
    expect(checkTimeZone(undefined)).toBe('UTC');
    expect(() => checkTimeZone('')).toThrow(/unknown time zone ""/);
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });

  it('reads local dates in the zone, half-hour offsets included', () => {
    const range = resolveRange({ from: '2026-03-02', to: '2026-03-03', timeZone: 'Asia/Kolkata' }, 366);
    expect(new Date(range.fromMs).toISOString()).toBe('2026-03-01T18:30:00.000Z');
    expect(new Date(range.toMs).toISOString()).toBe('2026-03-02T18:30:00.000Z');
    expect(resolveRange({ from: '2026-03-02T09:00:00Z', to: '2026-03-02T11:00:00+01:00' }, 1).toMs).toBe(Date.UTC(2026, 2, 2, 10));
    expect(isoInZone(Date.UTC(2026, 2, 2, 9), 'Asia/Kolkata')).toBe('2026-03-02T14:30:00.000+05:30');
  });

  it('refuses from after to, too long a range and malformed times', () => {
    expect(() => resolveRange({ from: '2026-03-03', to: '2026-03-02' }, 366)).toThrow(
      /from \(2026-03-03T00:00:00.000Z\) must be before to/,
    );
    expect(() => resolveRange({ from: '2024-01-01', to: '2026-01-01' }, 366)).toThrow(/longer than 366 days/);
    expect(() => resolveRange({ from: 'yesterday', to: '2026-01-01' }, 366)).toThrow(/from is not an ISO-8601 date or time/);
  });
});

describe('cursors and page sizes', () => {
  it('refuses a bad cursor, one of another order, and sizes out of bounds', () => {
    const order = { field: 'TALK', direction: 'DESC' } as const;
    const range = { fromMs: 0, toMs: 1000, timeZone: 'UTC' };
    expect(() => callsSql({ database: 'db', range, filter: {}, order, first: 10, after: 'not a cursor!' })).toThrow(
      /after is not a valid cursor/,
    );
    const other = encodeCursor(['START', 'DESC', 5, 's', 'p']);
    expect(() => callsSql({ database: 'db', range, filter: {}, order, first: 10, after: other })).toThrow(/same orderBy/);
    expect(decodeCursor(encodeCursor(['a', 'b']), (v): v is string[] => Array.isArray(v))).toEqual(['a', 'b']);
    expect(() => pageSize(501, 500)).toThrow(/first must be at most 500/);
    expect(() => pageSize(0, 500)).toThrow(/first must be at least 1/);
    expect(pageSize(undefined, 500)).toBe(50);
  });
});

describe('SQL from hostile input', () => {
  const hostile = ["x' OR 1=1 --", "'); DROP DATABASE callpulse; --", "a\\' OR '1'='1", '`; SELECT 1', '\u0000\n\r'];
  const range = { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 0, 2), timeZone: "Asia/Kolkata'; DROP TABLE x; --" };

  it('keeps every value inside a string literal', () => {
    for (const value of hostile) {
      const where = legConditions(range, {
        extensionIds: [value],
        results: [value],
        queueIds: [value],
        direction: value,
        phoneNumber: value,
      }).text;
      // Removing the escaped literals leaves only our own SQL.
      const withoutLiterals = where.replace(/'(?:[^'\\]|\\.)*'/g, "''");
      expect(withoutLiterals).not.toMatch(/DROP|OR 1=1|SELECT|--/);
      const stats = statsSql('db', range, 'HOUR', {}, allFigures).text.replace(/'(?:[^'\\]|\\.)*'/g, "''");
      expect(stats).not.toMatch(/DROP/);
    }
  });

  it('matches nothing for an empty list and everything for none', () => {
    expect(legConditions(range, { extensionIds: [] }).text).toMatch(/ AND 0$/);
    expect(legConditions(range, {}).text).not.toMatch(/extension_id/);
  });
});

describe('directory pages', () => {
  const ext = (id: string, extensionNumber: string, name: string, monitored = true) => ({
    id,
    extensionNumber,
    name,
    type: 'User',
    status: 'Enabled',
    monitored,
  });
  const all = [ext('9', '110', 'Zoe'), ext('1', '101', 'Dana Whitfield'), ext('2', '20', 'Ravi', false), ext('3', '1000', 'Dan Oru')];

  it('orders by number, searches name or number, pages with cursors', () => {
    const first = pageExtensions(all, { first: 2 });
    expect(first.edges.map((e) => e.node.id)).toEqual(['2', '1']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = pageExtensions(all, { first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).toEqual(['9', '3']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(pageExtensions(all, { first: 10, search: 'dan' }).edges.map((e) => e.node.id)).toEqual(['1', '3']);
    expect(pageExtensions(all, { first: 10, search: '10' }).totalCount).toBe(3);
    expect(pageExtensions(all, { first: 10, monitoredOnly: true }).totalCount).toBe(3);
  });
});

describe('live summary', () => {
  it('counts agents by state (missing = idle) and distinct calls', () => {
    expect(liveSummaryOf(['talking', null, 'ringing', 'onHold', 'voicemail', 'idle'], [['s-1:p-1', 's-1:p-2'], ['s-2:p-1'], []])).toEqual({
      total: 6,
      idle: 2,
      ringing: 1,
      talking: 1,
      onHold: 1,
      voicemail: 1,
      activeCalls: 2,
    });
  });
});
