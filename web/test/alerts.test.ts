// The dashboard's alerts on plain data: the firing set kept from a snapshot and the transitions around it (a repeat,
// a late message, one that arrived while the snapshot query was on its way), the counts by severity, the admin form
// turned into an AlertRuleInput (only the fields its kinds need) and the API's validation message split by field.
import { describe, expect, it } from 'vitest';
import {
  type AlertTransition,
  applyTransition,
  countAlerts,
  emptyActive,
  emptyRuleForm,
  errorFor,
  fieldErrors,
  formatValue,
  fromSnapshot,
  numberErrors,
  ruleInput,
} from '../src/alerts/model.js';

function transition(
  ruleId: string,
  subject: string,
  seq: number,
  status: 'FIRING' | 'RESOLVED',
  atMs: number,
  severity = 'WARNING',
): AlertTransition {
  return {
    id: `${ruleId}:${subject}:${seq}`,
    ruleId,
    ruleName: `Rule ${ruleId}`,
    severity: severity as AlertTransition['severity'],
    conditionKind: 'QUEUE_WAITING',
    subject,
    subjectName: null,
    status,
    seq,
    value: 7,
    threshold: 5,
    at: new Date(atMs).toISOString(),
    firedAt: status === 'RESOLVED' ? new Date(atMs - 1000).toISOString() : null,
    summary: `${ruleId} ${subject} ${status}`,
  };
}

describe('the firing set', () => {
  it('adds a firing alert, drops it when it resolves, and ignores a repeat or a late message', () => {
    let set = applyTransition(emptyActive(), transition('r1', 'q1', 1, 'FIRING', 1000));
    set = applyTransition(set, transition('r2', 'q1', 1, 'FIRING', 2000, 'CRITICAL'));
    expect(set.firing.map((alert) => alert.ruleId)).toEqual(['r2', 'r1']); // newest first
    const again = applyTransition(set, transition('r1', 'q1', 1, 'FIRING', 1000));
    expect(again).toBe(set);
    set = applyTransition(set, transition('r1', 'q1', 2, 'RESOLVED', 3000));
    expect(set.firing.map((alert) => alert.ruleId)).toEqual(['r2']);
    // The FIRING of seq 1 arriving late changes nothing.
    expect(applyTransition(set, transition('r1', 'q1', 1, 'FIRING', 1000)).firing).toHaveLength(1);
    // It fires again (seq 3).
    set = applyTransition(set, transition('r1', 'q1', 3, 'FIRING', 4000));
    expect(set.firing.map((alert) => alert.id)).toEqual(['r1:q1:3', 'r2:q1:1']);
  });

  it('takes a snapshot, keeping what arrived while it was on its way and dropping what resolved while away', () => {
    // Before a reconnect: r1 fired (seq 1), r2 fired (seq 1).
    let set = applyTransition(emptyActive(), transition('r1', 'q1', 1, 'FIRING', 1000));
    set = applyTransition(set, transition('r2', 'q1', 1, 'FIRING', 1000));
    const known = new Map(set.seqs);
    // While the query was on its way: r3 fired, r2 resolved (seq 2).
    const since = [transition('r3', 'q1', 1, 'FIRING', 5000), transition('r2', 'q1', 2, 'RESOLVED', 5000)];
    // The snapshot (taken before those two): r2 still firing, r1 gone (it resolved while the page was away).
    const result = fromSnapshot([transition('r2', 'q1', 1, 'FIRING', 1000)], known, since);
    expect(result.firing.map((alert) => alert.ruleId)).toEqual(['r3']);
    // The snapshot already had what arrived meanwhile: nothing doubles.
    const same = fromSnapshot([transition('r3', 'q1', 1, 'FIRING', 5000)], new Map(), [transition('r3', 'q1', 1, 'FIRING', 5000)]);
    expect(same.firing).toHaveLength(1);
    // An alert known at a later seq than the snapshot's keeps what it moved to.
    const moved = fromSnapshot([transition('r4', 'q1', 1, 'FIRING', 1000)], new Map([['r4|q1', 2]]), []);
    expect(moved.firing).toEqual([]);
  });

  it('counts by severity and names the worst', () => {
    const counts = countAlerts([
      transition('a', 's', 1, 'FIRING', 1, 'INFO'),
      transition('b', 's', 1, 'FIRING', 1, 'WARNING'),
      transition('c', 's', 1, 'FIRING', 1, 'WARNING'),
    ]);
    expect(counts).toEqual({ total: 3, bySeverity: { CRITICAL: 0, WARNING: 2, INFO: 1 }, worst: 'WARNING' });
    expect(countAlerts([]).worst).toBeUndefined();
  });

  it('formats a value in its condition unit', () => {
    expect(formatValue('QUEUE_WAITING', 7)).toBe('7');
    expect(formatValue('LONGEST_WAIT', 42.37)).toBe('42.4 s');
    expect(formatValue('AGENT_ON_HOLD', 150.2)).toBe('2:30');
    expect(formatValue('AGENT_ON_HOLD', 120)).toBe('2:00');
    expect(formatValue('NO_EVENTS', 3725)).toBe('1:02:05');
    expect(formatValue('SERVICE_LEVEL', 78)).toBe('78 %');
    expect(formatValue('NO_EVENTS', null)).toBe('–');
  });
});

describe('the rule form', () => {
  it('sends only the fields its kinds need', () => {
    const form = { ...emptyRuleForm(), name: ' Long ring ', conditionKind: 'AGENT_RINGING' as const, threshold: '20', forSeconds: '5' };
    expect(ruleInput(form)).toEqual({
      name: 'Long ring',
      enabled: true,
      severity: 'WARNING',
      scope: { kind: 'ALL' },
      condition: { kind: 'AGENT_RINGING', threshold: 20 },
      forSeconds: 5,
      targetIds: [],
    });
    const windowed = {
      ...form,
      conditionKind: 'MISSED_CALLS' as const,
      windowMinutes: '30',
      scopeKind: 'QUEUE' as const,
      queueId: ' 777 ',
    };
    expect(ruleInput(windowed).condition).toEqual({ kind: 'MISSED_CALLS', threshold: 20, windowMinutes: 30 });
    expect(ruleInput(windowed).scope).toEqual({ kind: 'QUEUE', queueId: '777' });
    const extensions = { ...form, scopeKind: 'EXTENSIONS' as const, extensions: '101, 610000002\n101 ' };
    const idOf = (text: string) => (text === '101' ? '610000001' : text);
    expect(ruleInput(extensions, idOf).scope).toEqual({ kind: 'EXTENSIONS', extensionIds: ['610000001', '610000002'] });
  });

  it('names the numbers left empty or not whole before asking the API', () => {
    const form = { ...emptyRuleForm(), conditionKind: 'SERVICE_LEVEL' as const, threshold: '', windowMinutes: '2.5', forSeconds: 'x' };
    expect(Object.keys(numberErrors(form)).sort()).toEqual(['condition.threshold', 'condition.windowMinutes', 'forSeconds']);
    expect(numberErrors({ ...form, threshold: '80', windowMinutes: '15', forSeconds: '0' })).toEqual({});
  });

  it("splits the API's message by the fields it names", () => {
    const errors = fieldErrors('condition.windowMinutes: required for MISSED_CALLS (1-120); rule.name: 1-100 characters');
    expect(errors).toEqual({
      'condition.windowMinutes': 'condition.windowMinutes: required for MISSED_CALLS (1-120)',
      name: 'name: 1-100 characters',
    });
    expect(errorFor(fieldErrors('scope.extensionIds[3]: unknown extension'), 'scope')).toBe('scope.extensionIds[3]: unknown extension');
    expect(fieldErrors('the API does not answer')).toEqual({ '': 'the API does not answer' });
    expect(fieldErrors('Variable "$rule" got invalid value 1.5 at "rule.forSeconds"; Int cannot represent non-integer value: 1.5')).toEqual(
      { forSeconds: 'forSeconds: Int cannot represent non-integer value: 1.5' },
    );
  });
});
