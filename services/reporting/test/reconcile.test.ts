// The pure planner behind exactness: which rows a batch adds, given what is stored.

import { legRecord } from '@callpulse/testkit/records';
import { describe, expect, it } from 'vitest';
import { type RowValues, recordKey, recordValues } from '../src/records/rows.js';
import { type Incoming, reconcile, type StoredRow } from '../src/writer/reconcile.js';

const leg = (version: number, talkMs = version * 1000) => legRecord({ version, talkMs });
const incoming = (version: number, source = `v${version}`): Incoming<string> => {
  const record = leg(version);
  return { key: recordKey(record), version, values: recordValues(record), source };
};
const stored = (version: number, sign: number): StoredRow => ({ ...recordValues(leg(version)), sign });
const summary = (rows: Array<{ values: RowValues; sign: number }>) =>
  rows.map((row) => `${row.sign > 0 ? '+' : '-'}v${row.values.version}`);

describe('reconcile', () => {
  it('inserts a new leg once, even when the batch holds it twice', () => {
    const plan = reconcile('leg', [incoming(1, 'a'), incoming(1, 'b')], []);
    expect(plan.units.map((unit) => summary(unit.rows))).toEqual([['+v1']]);
    expect(plan.units[0]?.source).toBe('a');
    expect(plan.skipped).toEqual(['b']);
    expect(plan.repaired).toEqual([]);
  });

  it('skips a duplicate and a stale version of a stored leg', () => {
    expect(reconcile('leg', [incoming(2)], [stored(2, 1)])).toEqual({ units: [], skipped: ['v2'], repaired: [], conflicts: [] });
    expect(reconcile('leg', [incoming(1)], [stored(1, 1), stored(1, -1), stored(2, 1)])).toEqual({
      units: [],
      skipped: ['v1'],
      repaired: [],
      conflicts: [],
    });
  });

  it('supersedes the stored version with -1 of its values and +1 of the new one', () => {
    const plan = reconcile('leg', [incoming(2)], [stored(1, 1)]);
    expect(plan.units.map((unit) => summary(unit.rows))).toEqual([['-v1', '+v2']]);
    expect(plan.units[0]?.rows[0]?.values.talk_ms).toBe(1000);
    expect(plan.units[0]?.rows[1]?.values.talk_ms).toBe(2000);
  });

  it('keeps only the newest of several versions in one batch', () => {
    const plan = reconcile('leg', [incoming(3), incoming(2)], [stored(1, 1)]);
    expect(plan.units.map((unit) => summary(unit.rows))).toEqual([['-v1', '+v3']]);
    expect(plan.skipped).toEqual(['v2']);
  });

  it('repairs stored rows left inconsistent by a partly failed insert', () => {
    // v1 was negated but v2 never landed: replaying v2 adds just +v2.
    expect(summary(reconcile('leg', [incoming(2)], [stored(1, 1), stored(1, -1)]).units[0]?.rows ?? [])).toEqual(['+v2']);
    // v2 landed twice: a replay of v2 takes one back out.
    const twice = reconcile('leg', [incoming(2)], [stored(1, 1), stored(1, -1), stored(2, 1), stored(2, 1)]);
    expect(summary(twice.units[0]?.rows ?? [])).toEqual(['-v2']);
    expect(twice.repaired).toHaveLength(1);
    expect(twice.units[0]?.source).toBeUndefined();
  });

  it('keeps the stored content of a version that comes again with other content, and names the conflict', () => {
    const other = legRecord({ version: 2, talkMs: 9999, result: 'Missed' });
    const plan = reconcile('leg', [{ key: recordKey(other), version: 2, values: recordValues(other), source: 'other' }], [stored(2, 1)]);
    expect(plan.units).toEqual([]);
    expect(plan.skipped).toEqual(['other']);
    expect(plan.conflicts).toEqual([{ key: recordKey(other), version: 2, columns: ['result', 'talk_ms'] }]);
  });

  it('keeps the first of two contents of one version within a batch (the same as in two batches)', () => {
    const first = incoming(1, 'first');
    const second = { ...incoming(1, 'second'), values: { ...first.values, hold_ms: 1 } };
    const plan = reconcile('leg', [first, second], []);
    expect(plan.units[0]?.source).toBe('first');
    expect(plan.units[0]?.rows[0]?.values.hold_ms).toBe(first.values.hold_ms);
    expect(plan.conflicts).toEqual([{ key: first.key, version: 1, columns: ['hold_ms'] }]);
  });

  it('repairs a version with stored content when its +1 row is missing, not with the incoming content', () => {
    const other = legRecord({ version: 2, talkMs: 9999 });
    const plan = reconcile(
      'leg',
      [{ key: recordKey(other), version: 2, values: recordValues(other), source: 'other' }],
      [stored(1, 1), stored(1, -1), stored(2, 1), stored(2, -1)],
    );
    expect(plan.units[0]?.rows.map((row) => [row.sign, row.values.talk_ms])).toEqual([[1, 2000]]);
    expect(plan.conflicts).toHaveLength(1);
  });

  it('treats different legs independently', () => {
    const other = legRecord({ partyId: 'p-other', version: 5 });
    const plan = reconcile(
      'leg',
      [incoming(2), { key: recordKey(other), version: 5, values: recordValues(other), source: 'other' }],
      [stored(1, 1)],
    );
    expect(plan.units.map((unit) => summary(unit.rows))).toEqual([['-v1', '+v2'], ['+v5']]);
  });
});
