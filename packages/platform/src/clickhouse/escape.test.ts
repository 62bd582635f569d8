// The escape functions: exact text for known inputs, and a round trip through the real ClickHouse for nasty ones.

import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseUrl } from '../../../../test/support/env.js';
import { createClickHouseClient } from './client.js';
import { escapeIdentifier, escapeString, escapeValue, ident, list, Sql, sql, tuple } from './escape.js';

const nasty = [
  '',
  "O'Brien",
  "''",
  "\\'",
  'back\\slash\\',
  '\\',
  'line\nbreak\r\ncarriage',
  'tab\there',
  'nul\0inside\0',
  'bell\x07 escape\x1b del\x7f',
  'émoji 😀 中文 עברית',
  "x'; DROP TABLE legs; --",
  "\\'; SELECT 1; --",
  "' OR '1'='1",
  '`backquoted`',
  '"double"',
  '{{database}}',
  '\u2028\u2029',
];

describe('escapeString and friends', () => {
  it('writes the expected literals', () => {
    expect(escapeString("a'b")).toBe("'a\\'b'");
    expect(escapeString('a\\b')).toBe("'a\\\\b'");
    expect(escapeString('a\nb\0')).toBe("'a\\nb\\0'");
    expect(escapeValue(42)).toBe('42');
    expect(escapeValue(-1.5)).toBe('-1.5');
    expect(escapeValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(escapeValue(true)).toBe('1');
    expect(escapeValue(null)).toBe('NULL');
    expect(escapeValue(['a', 1, ["b'"]])).toBe("['a', 1, ['b\\'']]");
    expect(tuple(['s', 2]).text).toBe("('s', 2)");
    expect(list(['a', 'b']).text).toBe("'a', 'b'");
    expect(escapeIdentifier('we`ird\\name')).toBe('`we\\`ird\\\\name`');
    expect(ident('legs', 'callpulse').text).toBe('`callpulse`.`legs`');
    expect(sql`SELECT ${ident('x')} FROM t WHERE a = ${"it's"} AND b IN (${list([1, 2])})`.text).toBe(
      "SELECT `x` FROM t WHERE a = 'it\\'s' AND b IN (1, 2)",
    );
    expect(new Sql('raw').toString()).toBe('raw');
  });

  it('refuses what it cannot write safely', () => {
    expect(() => escapeValue(Number.NaN)).toThrow(/not a finite number/);
    expect(() => escapeValue(Number.POSITIVE_INFINITY)).toThrow(/not a finite number/);
    expect(() => escapeValue(undefined as never)).toThrow(/type undefined/);
    expect(() => escapeValue({} as never)).toThrow(/type object/);
    expect(() => escapeIdentifier('')).toThrow(/non-empty/);
    expect(() => escapeIdentifier('a\0b')).toThrow(/NUL/);
    expect(() => list([])).toThrow(/at least one/);
  });

  describe('round trip through ClickHouse', () => {
    const clickhouse = createClickHouseClient({ url: clickhouseUrl, application: 'callpulse-test' });
    afterAll(() => clickhouse.close());

    it.each(nasty.map((value) => [JSON.stringify(value), value]))('SELECT %s returns the original string', async (_name, value) => {
      const result = await clickhouse.query({ query: sql`SELECT ${value} AS v, length(${value}) AS n`.text, format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ v: value, n: Buffer.byteLength(value) }]);
    });

    it('returns an array of all of them, and numbers, unchanged', async () => {
      const result = await clickhouse.query({ query: sql`SELECT ${nasty} AS a, ${[1, -2, 3.25]} AS b`.text, format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ a: nasty, b: [1, -2, 3.25] }]);
    });

    it.each(nasty.filter((value) => value !== '' && !value.includes('\0')).map((value) => [JSON.stringify(value), value]))(
      'uses %s as a column name',
      async (_name, value) => {
        const result = await clickhouse.query({ query: `SELECT 1 AS ${escapeIdentifier(value)}`, format: 'JSONEachRow' });
        expect(await result.json()).toEqual([{ [value]: 1 }]);
      },
    );
  });
});
