// Which records a session owes: new ended legs, unchanged ones nothing, changed ones again; versions are stamped on
// them above the last one emitted.
import { foldSession, normaliseNotification } from '@callpulse/call-model';
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { owedRecords, stamp } from '../../src/emit/completed-records.js';
import type { Emitted } from '../../src/store/emitted.js';

const notifications = loadCapturedSession('inbound-ivr-agent.json');
const events = notifications.flatMap(normaliseNotification);
const fold = (list = events) => foldSession(list, (id) => id === '200300401');

describe('owedRecords', () => {
  it('owes nothing while the leg is active', () => {
    expect(owedRecords(fold(events.filter((e) => e.sequence <= 9)), new Map())).toEqual([]);
  });

  it('owes the leg and the session summary at version 1, then nothing once emitted', () => {
    const owed = owedRecords(fold(), new Map()).map((o) => stamp(o, 1));
    expect(owed.map((o) => [o.record.kind, o.record.version])).toEqual([
      ['leg', 1],
      ['session', 1],
    ]);
    const emitted = new Map<string, Emitted>(owed.map((o) => [o.emitKey, o.emitted]));
    expect(owedRecords(fold(), emitted)).toEqual([]);
  });

  it('owes version 2 when a late event changes the leg', () => {
    const withoutHold = events.filter((e) => e.sequence !== 9 && e.sequence !== 10);
    const first = owedRecords(fold(withoutHold), new Map()).map((o) => stamp(o, 1));
    const emitted = new Map<string, Emitted>(first.map((o) => [o.emitKey, o.emitted]));
    const owed = owedRecords(fold(), emitted).find((o) => o.unversioned.kind === 'leg');
    expect(owed?.previous?.version).toBe(1);
    const amended = owed && stamp(owed, 2);
    expect(amended?.record).toMatchObject({ version: 2, holdMs: 2393, talkMs: 12414 });
  });

  it('refuses a version that is not above the last one emitted', () => {
    const first = owedRecords(fold(events.filter((e) => e.sequence !== 9 && e.sequence !== 10)), new Map()).map((o) => stamp(o, 3));
    const emitted = new Map<string, Emitted>(first.map((o) => [o.emitKey, o.emitted]));
    const owed = owedRecords(fold(), emitted)[0];
    expect(owed).toBeDefined();
    if (owed) expect(() => stamp(owed, 3)).toThrow(/not above/);
  });
});
