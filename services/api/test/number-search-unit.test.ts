// The number search's choice on plain data (number-search.ts): the per-row test alone for a part shorter than the
// index's suffixes, not counted, or whose numbers have more start times in the range than the index serves; the
// index (always with the per-row test) otherwise; and the count's query bounded by the limit.
import { describe, expect, it } from 'vitest';
import {
  indexable,
  MAX_INDEXED_STARTS,
  numberSearchParts,
  numberSearchPlan,
  numberStartsSql,
  withNumberStarts,
} from '../src/history/number-search.js';
import { resolveRange } from '../src/history/time-range.js';

const range = resolveRange({ from: '2026-03-01', to: '2026-04-01', timeZone: 'UTC' }, 366);

describe('numberSearchPlan', () => {
  it('is none without a part', () => {
    expect(numberSearchPlan(null, 'db', 0)).toBe('none');
    expect(numberSearchPlan('', 'db', 0)).toBe('none');
  });

  it('scans a part shorter than 4 bytes (counted in bytes: the index and position() read bytes)', () => {
    expect(indexable('555')).toBe(false);
    expect(indexable('5555')).toBe(true);
    expect(indexable('é5')).toBe(false); // 3 bytes
    expect(indexable('éé')).toBe(true); // 4 bytes
    expect(numberSearchPlan('555', 'db', 0)).toBe('scan');
  });

  it('scans when not counted, or counted over the limit, or without the database', () => {
    expect(numberSearchPlan('5551234', 'db', undefined)).toBe('scan');
    expect(numberSearchPlan('5551234', 'db', null)).toBe('scan');
    expect(numberSearchPlan('5551234', 'db', MAX_INDEXED_STARTS + 1)).toBe('scan');
    expect(numberSearchPlan('5551234', undefined, 0)).toBe('scan');
  });

  it('reads the index up to the limit, no match included', () => {
    expect(numberSearchPlan('5551234', 'db', 0)).toBe('index');
    expect(numberSearchPlan('5551234', 'db', MAX_INDEXED_STARTS)).toBe('index');
  });
});

describe('numberSearchParts', () => {
  it('keeps the per-row test with the index, and alone otherwise', () => {
    const indexed = numberSearchParts({ phoneNumber: "55'12", phoneNumberStarts: 3 }, range, 'db').map((part) => part.text);
    expect(indexed).toHaveLength(2);
    expect(indexed[0]).toContain('start_time IN (SELECT start_time FROM `db`.`leg_number_starts`');
    expect(indexed[0]).toContain("suffix >= '55\\'12' AND suffix < concat('55\\'12', unhex('FF'))");
    expect(indexed[1]).toBe("(position(from_number, '55\\'12') > 0 OR position(to_number, '55\\'12') > 0)");
    const scanned = numberSearchParts({ phoneNumber: '5512', phoneNumberStarts: MAX_INDEXED_STARTS + 1 }, range, 'db');
    expect(scanned.map((part) => part.text)).toEqual([indexed[1]?.replaceAll("55\\'12", '5512')]);
    expect(numberSearchParts({ phoneNumber: null }, range, 'db')).toEqual([]);
  });
});

describe('withNumberStarts', () => {
  it('counts with one bounded query, and not at all for a part the index does not hold', async () => {
    const asked: string[] = [];
    const runner = {
      async rows<T>(_name: string, query: { text: string }) {
        asked.push(query.text);
        return [{ starts: '7' }] as T[];
      },
    };
    expect(await withNumberStarts(runner, 'db', range, { phoneNumber: '5551234', direction: 'Inbound' })).toEqual({
      phoneNumber: '5551234',
      direction: 'Inbound',
      phoneNumberStarts: 7,
    });
    expect(asked).toEqual([numberStartsSql('db', '5551234', range).text]);
    expect(asked[0]).toMatch(
      new RegExp(`^SELECT count\\(\\) AS starts FROM \\(SELECT DISTINCT start_time FROM .* LIMIT ${MAX_INDEXED_STARTS + 1}\\)$`),
    );
    expect(await withNumberStarts(runner, 'db', range, { phoneNumber: '555' })).toEqual({ phoneNumber: '555' });
    expect(asked).toHaveLength(1);
  });
});
