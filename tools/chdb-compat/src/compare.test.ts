// How two engines' rows are compared: which differences are forgiven (quoting of numbers, float noise, the order of an
// unordered answer) and which are reported.
import { describe, expect, it } from 'vitest';
import { normaliseValue, rowDifferences, sameValue } from './compare.js';

describe('comparing answers', () => {
  it('takes a quoted 64-bit integer for the number', () => {
    expect(normaliseValue('9007199254740991')).toBe(9007199254740991);
    expect(rowDifferences([{ n: '5', s: 'ext-1' }], [{ n: 5, s: 'ext-1' }], { ordered: true })).toEqual([]);
    expect(normaliseValue('ext-1')).toBe('ext-1');
  });

  it('forgives float noise, never an integer', () => {
    expect(sameValue(20000.000000000004, 20000)).toBe(true);
    expect(sameValue(1 / 3, 0.3333)).toBe(false);
    expect(sameValue(9007199254740991, 9007199254740990)).toBe(false);
    expect(rowDifferences([{ total: 27000 }], [{ total: 27001 }], { ordered: true })).toEqual(['row 0: total 27000 against 27001']);
  });

  it('compares an unordered answer sorted, an ordered one as given', () => {
    const a = [{ k: 'a' }, { k: 'b' }];
    const b = [{ k: 'b' }, { k: 'a' }];
    expect(rowDifferences(a, b, { ordered: false })).toEqual([]);
    expect(rowDifferences(a, b, { ordered: true })).toEqual(['row 0: k "a" against "b"', 'row 1: k "b" against "a"']);
  });

  it('names missing rows and other columns', () => {
    expect(rowDifferences([{ k: 'a' }, { k: 'b' }], [{ k: 'a' }], { ordered: true })).toEqual([
      '2 rows against 1',
      'row 1: {"k":"b"} against missing',
    ]);
    expect(rowDifferences([{ k: 'a', n: 1 }], [{ k: 'a', m: 1 }], { ordered: true })).toEqual([
      'row 0: columns (k,n) against (k,m)',
      'row 0: n 1 against undefined, m undefined against 1',
    ]);
  });

  it('says at most `limit` lines', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ n: i }));
    expect(rowDifferences(many, [], { ordered: true, limit: 3 })).toHaveLength(3);
  });
});
