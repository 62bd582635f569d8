// Pure parts of alerts on plain data: validation (every bad field named), each condition holding and not, when
// transitions are due (forSeconds, flapping, a disabled or deleted rule), the completed-leg window, business hours,
// the pulse and the summary sentence.
import type { AlertInstance, AlertRule, BusinessHours } from '@callpulse/contracts';
import { describe, expect, it } from 'vitest';
import { businessHoursOpen, businessOpening } from '../src/alerts/business-open.js';
import { type AgentView, type AlertSnapshot, evaluateRule, type QueueView, type WindowCounts } from '../src/alerts/conditions.js';
import { dueTransitions } from '../src/alerts/holding.js';
import { readPulse } from '../src/alerts/pulse.js';
import { duration, summaryText } from '../src/alerts/summary-text.js';
import { makeTransition } from '../src/alerts/transition.js';
import { checkAlertRule, checkAlertTarget, problemsText } from '../src/alerts/validation.js';
import { CompletedLegWindow, type WindowLeg } from '../src/alerts/window.js';

const NOW = Date.UTC(2026, 2, 2, 10, 0, 0);

function rule(overrides: Partial<AlertRule> & { condition: AlertRule['condition'] }): AlertRule {
  return {
    id: 'r1',
    name: 'Rule',
    enabled: true,
    severity: 'WARNING',
    scope: { kind: 'ALL', queueId: null, extensionIds: [] },
    forSeconds: 0,
    targetIds: [],
    createdAtMs: NOW,
    updatedAtMs: NOW,
    ...overrides,
  };
}

const none: WindowCounts = { missed: 0, abandoned: 0, offered: 0, answeredWithinServiceLevel: 0 };

function snapshot(overrides: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    nowMs: NOW,
    agents: [],
    queues: [],
    window: () => none,
    lastEventAtMs: NOW,
    lagMs: 0,
    businessHoursOpen: true,
    ...overrides,
  };
}

const agent = (id: string, state: AgentView['state'], sinceMs: number | null, queueId: string | null = null): AgentView => ({
  extensionId: id,
  name: `Agent ${id}`,
  state,
  sinceMs,
  queueId,
});
const queue = (id: string, waiting: number, oldestWaitStartMs: number | null): QueueView => ({
  queueId: id,
  queueName: `Q${id}`,
  waiting,
  oldestWaitStartMs,
});

describe('alert rule validation', () => {
  const known = { targetIds: new Set(['t1']), ruleCount: 0 };
  const valid = {
    name: 'Waiting',
    scope: { kind: 'QUEUE' as const, queueId: 'q1' },
    condition: { kind: 'QUEUE_WAITING' as const, threshold: 5 },
    targetIds: ['t1'],
  };

  it('stores a valid rule with its defaults', () => {
    const checked = checkAlertRule(valid, known);
    expect(checked).toEqual({
      ok: true,
      value: {
        name: 'Waiting',
        enabled: true,
        severity: 'WARNING',
        scope: { kind: 'QUEUE', queueId: 'q1', extensionIds: [] },
        condition: { kind: 'QUEUE_WAITING', threshold: 5, windowMinutes: null },
        forSeconds: 0,
        targetIds: ['t1'],
      },
    });
  });

  it('names every bad field at once', () => {
    const checked = checkAlertRule(
      {
        name: ' ',
        scope: { kind: 'EXTENSIONS', extensionIds: [] },
        condition: { kind: 'MISSED_CALLS', threshold: -1 },
        forSeconds: 90_000,
        targetIds: ['t1', 'nope'],
      },
      known,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((problem) => problem.field)).toEqual([
      'name',
      'condition.threshold',
      'condition.windowMinutes',
      'forSeconds',
      'scope.extensionIds',
      'targetIds[1]',
    ]);
    expect(problemsText(checked.problems)).toContain('condition.windowMinutes: required for MISSED_CALLS (1-120)');
  });

  it('refuses what does not fit the kind', () => {
    const fields = (input: Parameters<typeof checkAlertRule>[0], ruleCount = 0) => {
      const checked = checkAlertRule(input, { targetIds: new Set(), ruleCount });
      return checked.ok ? [] : checked.problems.map((problem) => `${problem.field}: ${problem.message}`);
    };
    expect(fields({ ...valid, targetIds: [], condition: { kind: 'SERVICE_LEVEL', threshold: 120, windowMinutes: 5 } })).toEqual([
      'condition.threshold: a percent for SERVICE_LEVEL (0-100), got 120',
    ]);
    expect(fields({ ...valid, targetIds: [], condition: { kind: 'QUEUE_WAITING', threshold: 1, windowMinutes: 5 } })[0]).toMatch(
      /^condition.windowMinutes: only for/,
    );
    expect(fields({ ...valid, targetIds: [], condition: { kind: 'NO_EVENTS', threshold: 60 } })).toEqual([
      'scope.kind: NO_EVENTS watches the pipeline itself: scope ALL',
    ]);
    expect(fields({ ...valid, targetIds: [], scope: { kind: 'QUEUE' } })).toEqual(['scope.queueId: required for scope QUEUE']);
    expect(fields({ ...valid, targetIds: [], scope: { kind: 'EXTENSIONS', extensionIds: ['1'] } })).toEqual([
      'scope.kind: QUEUE_WAITING watches queues: scope ALL or QUEUE',
    ]);
    expect(fields({ ...valid, targetIds: [], condition: { kind: 'MISSED_CALLS', threshold: 1, windowMinutes: 121 } })).toEqual([
      'condition.windowMinutes: got 121, must be a whole number for MISSED_CALLS (1-120)',
    ]);
    expect(fields({ ...valid, targetIds: [], condition: { kind: 'QUEUE_WAITING', threshold: Number.NaN } })[0]).toMatch(
      /^condition.threshold: a finite number >= 0/,
    );
    expect(fields({ ...valid, targetIds: [] }, 1000)).toEqual(['rule: at most 1000 alert rules']);
  });

  it('checks a target: http(s) with a host, http only to loopback unless allowed', () => {
    const target = (url: string, allowHttp = false) => {
      const checked = checkAlertTarget({ name: 'Hook', kind: 'WEBHOOK', url }, { targetCount: 0, allowHttp });
      return checked.ok ? 'ok' : problemsText(checked.problems);
    };
    expect(target('https://hooks.example.com/x')).toBe('ok');
    expect(target('http://127.0.0.1:9000/x')).toBe('ok');
    expect(target('http://localhost/x')).toBe('ok');
    expect(target('http://hooks.example.com/x')).toMatch(/^url: http only to loopback/);
    expect(target('http://hooks.example.com/x', true)).toBe('ok');
    expect(target('ftp://hooks.example.com/x')).toBe('url: http or https, got ftp');
    expect(target('not a url')).toMatch(/^url: not a URL/);
    expect(target('https://user:pw@hooks.example.com/')).toBe('url: no user or password in the URL');
    const many = checkAlertTarget({ name: 'x', kind: 'SLACK', url: 'https://a.example' }, { targetCount: 100, allowHttp: false });
    expect(many.ok ? 'ok' : problemsText(many.problems)).toBe('target: at most 100 alert targets');
  });

  it('keeps the stored secret when an update leaves it out, removes it when it is null', () => {
    const keep = checkAlertTarget({ name: 'x', kind: 'WEBHOOK', url: 'https://a.example' }, { targetCount: 0, allowHttp: false });
    const drop = checkAlertTarget(
      { name: 'x', kind: 'WEBHOOK', url: 'https://a.example', secret: null },
      { targetCount: 0, allowHttp: false },
    );
    expect(keep.ok && keep.value.secret).toBeUndefined();
    expect(drop.ok && drop.value.secret).toBeNull();
  });
});

describe('alert conditions', () => {
  const holds = (r: AlertRule, s: AlertSnapshot) => evaluateRule(r, s).map((e) => [e.subject, e.holds, e.value]);

  it('QUEUE_WAITING: each queue in scope above the count', () => {
    const r = rule({ condition: { kind: 'QUEUE_WAITING', threshold: 2, windowMinutes: null } });
    const s = snapshot({ queues: [queue('q1', 3, NOW - 5000), queue('q2', 2, NOW - 1000)] });
    expect(holds(r, s)).toEqual([
      ['q1', true, 3],
      ['q2', false, 2],
    ]);
    const scoped = rule({ scope: { kind: 'QUEUE', queueId: 'q3', extensionIds: [] }, condition: r.condition });
    expect(holds(scoped, s)).toEqual([['q3', false, 0]]);
  });

  it('LONGEST_WAIT: the oldest waiting call past the seconds, holding since it passed them', () => {
    const r = rule({ condition: { kind: 'LONGEST_WAIT', threshold: 30, windowMinutes: null } });
    const [q1, q2] = evaluateRule(r, snapshot({ queues: [queue('q1', 1, NOW - 45_000), queue('q2', 0, null)] }));
    expect(q1).toMatchObject({ holds: true, value: 45, heldSinceMs: NOW - 15_000 });
    expect(q2).toMatchObject({ holds: false, value: 0 });
  });

  it('AGENT_RINGING and AGENT_ON_HOLD: agents in scope in that state past the seconds', () => {
    const agents = [agent('1', 'ringing', NOW - 20_000, 'q1'), agent('2', 'ringing', NOW - 5000), agent('3', 'onHold', NOW - 90_000)];
    const ringing = rule({ condition: { kind: 'AGENT_RINGING', threshold: 10, windowMinutes: null } });
    expect(holds(ringing, snapshot({ agents }))).toEqual([
      ['1', true, 20],
      ['2', false, 5],
      ['3', false, 0],
    ]);
    const hold = rule({
      scope: { kind: 'EXTENSIONS', queueId: null, extensionIds: ['3'] },
      condition: { kind: 'AGENT_ON_HOLD', threshold: 60, windowMinutes: null },
    });
    expect(holds(hold, snapshot({ agents }))).toEqual([['3', true, 90]]);
    const inQueue = rule({ scope: { kind: 'QUEUE', queueId: 'q1', extensionIds: [] }, condition: ringing.condition });
    expect(holds(inQueue, snapshot({ agents }))).toEqual([['1', true, 20]]);
  });

  it('MISSED_CALLS, ABANDONED_CALLS, SERVICE_LEVEL: the scope over its window', () => {
    const asked: Array<[readonly string[], number]> = [];
    const window = (keys: readonly string[], minutes: number): WindowCounts => {
      asked.push([keys, minutes]);
      return { missed: 3, abandoned: 1, offered: 4, answeredWithinServiceLevel: 3 };
    };
    const missed = rule({ condition: { kind: 'MISSED_CALLS', threshold: 2, windowMinutes: 15 } });
    expect(holds(missed, snapshot({ window }))).toEqual([['all', true, 3]]);
    const abandoned = rule({
      scope: { kind: 'QUEUE', queueId: 'q1', extensionIds: [] },
      condition: { kind: 'ABANDONED_CALLS', threshold: 1, windowMinutes: 5 },
    });
    expect(holds(abandoned, snapshot({ window }))).toEqual([['q1', false, 1]]);
    const sl = rule({
      scope: { kind: 'EXTENSIONS', queueId: null, extensionIds: ['1', '2'] },
      condition: { kind: 'SERVICE_LEVEL', threshold: 80, windowMinutes: 10 },
    });
    expect(holds(sl, snapshot({ window }))).toEqual([['extensions', true, 75]]);
    expect(asked).toEqual([
      [['all'], 15],
      [['q:q1'], 5],
      [['x:1', 'x:2'], 10],
    ]);
    expect(holds(sl, snapshot())).toEqual([['extensions', false, null]]); // nothing offered: no service level
  });

  it('NO_EVENTS: silence past the seconds, only inside business hours', () => {
    const r = rule({ condition: { kind: 'NO_EVENTS', threshold: 60, windowMinutes: null } });
    expect(holds(r, snapshot({ lastEventAtMs: NOW - 61_000 }))).toEqual([['pipeline', true, 61]]);
    expect(holds(r, snapshot({ lastEventAtMs: NOW - 61_000, businessHoursOpen: false }))).toEqual([['pipeline', false, 61]]);
    expect(holds(r, snapshot({ lastEventAtMs: NOW - 30_000 }))).toEqual([['pipeline', false, 30]]);
    expect(holds(r, snapshot({ lastEventAtMs: null }))).toEqual([['pipeline', false, null]]);
  });

  it('EVENTS_LATE: the workers lag past the seconds', () => {
    const r = rule({ condition: { kind: 'EVENTS_LATE', threshold: 10, windowMinutes: null } });
    expect(holds(r, snapshot({ lagMs: 12_000 }))).toEqual([['pipeline', true, 12]]);
    expect(holds(r, snapshot({ lagMs: 200 }))).toEqual([['pipeline', false, 0.2]]);
    expect(holds(r, snapshot({ lagMs: null }))).toEqual([['pipeline', false, null]]);
  });
});

describe('alert transitions due', () => {
  const waiting = rule({ condition: { kind: 'QUEUE_WAITING', threshold: 0, windowMinutes: null }, forSeconds: 10 });

  /** Runs the rule over a sequence of (second, waiting calls) and returns the transitions, committing each. */
  function run(r: AlertRule | null, steps: Array<[number, number]>, states = new Map<string, AlertInstance>()) {
    const held = new Map<string, number>();
    const out: string[] = [];
    for (const [second, count] of steps) {
      const nowMs = NOW + second * 1000;
      const evaluations = r?.enabled ? evaluateRule(r, snapshot({ nowMs, queues: count < 0 ? [] : [queue('q1', count, null)] })) : [];
      for (const due of dueTransitions({ ruleId: 'r1', rule: r, evaluations, states, held, nowMs })) {
        const { transition, state } = makeTransition(due, r);
        states.set(due.subject, state);
        out.push(`${second}:${transition.status}#${transition.seq}@${(transition.atMs - NOW) / 1000}`);
      }
    }
    return { out, states };
  }

  it('fires once the condition held forSeconds (at when it started), resolves once when it stops', () => {
    expect(
      run(waiting, [
        [0, 1],
        [5, 2],
        [9, 1],
        [10, 3],
        [11, 3],
        [20, 0],
        [21, 0],
      ]).out,
    ).toEqual(['10:FIRING#1@0', '20:RESOLVED#2@20']);
  });

  it('fires nothing for a condition that stops before forSeconds (flapping), and counts again from the next start', () => {
    expect(
      run(waiting, [
        [0, 1],
        [4, 0],
        [5, 1],
        [9, 0],
        [10, 1],
        [14, 1],
        [19, 1],
        [20, 1],
      ]).out,
    ).toEqual(['20:FIRING#1@10']);
  });

  it('fires at once with forSeconds 0, and each later firing gets the next seq', () => {
    const now = { ...waiting, forSeconds: 0 };
    expect(
      run(now, [
        [0, 1],
        [1, 0],
        [2, 1],
        [3, -1],
      ]).out,
    ).toEqual(['0:FIRING#1@0', '1:RESOLVED#2@1', '2:FIRING#3@2', '3:RESOLVED#4@3']);
  });

  it('resolves the firing alerts of a disabled or deleted rule, once', () => {
    const { states } = run(waiting, [
      [0, 1],
      [10, 1],
    ]);
    expect(
      run(
        { ...waiting, enabled: false },
        [
          [11, 1],
          [12, 1],
        ],
        new Map(states),
      ).out,
    ).toEqual(['11:RESOLVED#2@11']);
    const deleted = run(
      null,
      [
        [11, 1],
        [12, 1],
      ],
      new Map(states),
    );
    expect(deleted.out).toEqual(['11:RESOLVED#2@11']);
    // The deleted rule's transition still names it, from its firing transition.
    expect(deleted.states.get('q1')?.lastTransition).toMatchObject({ ruleName: 'Rule', conditionKind: 'QUEUE_WAITING', firedAtMs: NOW });
  });

  it('resolves a firing alert whose rule changed condition kind (as it fired), then fires the new condition', () => {
    const { states } = run(waiting, [
      [0, 1],
      [10, 1],
    ]);
    const longest = { ...waiting, condition: { kind: 'LONGEST_WAIT' as const, threshold: 0, windowMinutes: null }, forSeconds: 0 };
    const held = new Map<string, number>();
    const at = (second: number) => {
      const nowMs = NOW + second * 1000;
      const evaluations = evaluateRule(longest, snapshot({ nowMs, queues: [queue('q1', 1, NOW)] }));
      return dueTransitions({ ruleId: 'r1', rule: longest, evaluations, states, held, nowMs }).map((due) => {
        const { transition, state } = makeTransition(due, longest);
        states.set(due.subject, state);
        return `${transition.status}#${transition.seq}:${transition.conditionKind}`;
      });
    };
    expect(at(11)).toEqual(['RESOLVED#2:QUEUE_WAITING']);
    expect(at(12)).toEqual(['FIRING#3:LONGEST_WAIT']);
    expect(at(13)).toEqual([]);
  });

  it('resolves nothing while the data may be incomplete (mayResolve false), except for a disabled rule', () => {
    const { states } = run(waiting, [
      [0, 1],
      [10, 1],
    ]);
    const quiet = (r: AlertRule) =>
      dueTransitions({ ruleId: 'r1', rule: r, evaluations: [], states, held: new Map(), nowMs: NOW + 20_000, mayResolve: false });
    expect(quiet(waiting)).toEqual([]);
    expect(quiet({ ...waiting, enabled: false }).map((due) => due.status)).toEqual(['RESOLVED']);
  });

  it('takes the start of a ring from the data: a new evaluator fires without waiting forSeconds again', () => {
    const ringing = rule({ condition: { kind: 'AGENT_RINGING', threshold: 5, windowMinutes: null }, forSeconds: 10 });
    const evaluations = evaluateRule(ringing, snapshot({ agents: [agent('1', 'ringing', NOW - 20_000)] }));
    const due = dueTransitions({ ruleId: 'r1', rule: ringing, evaluations, states: new Map(), held: new Map(), nowMs: NOW });
    expect(due).toMatchObject([{ status: 'FIRING', atMs: NOW - 15_000, expectedSeq: 0 }]);
  });
});

describe('completed-leg window', () => {
  const leg = (overrides: Partial<WindowLeg>): WindowLeg => ({
    telephonySessionId: 's1',
    partyId: 'p1',
    extensionId: '101',
    queueId: 'q1',
    queueCall: true,
    direction: 'Inbound',
    result: 'Answered',
    endedBy: 'agent',
    startMs: NOW - 60_000,
    ringStartMs: NOW - 60_000,
    answerMs: NOW - 50_000,
    endMs: NOW - 1000,
    ...overrides,
  });

  it('counts missed legs, abandoned and offered calls once per key, and the answers within the service level', () => {
    const window = new CompletedLegWindow({ serviceLevelSeconds: 20, maxMinutes: 5 });
    expect(window.add(leg({}), NOW)).toBe(true);
    expect(window.add(leg({}), NOW)).toBe(false); // the same leg again (a re-emission, the seed's copy)
    window.add(leg({ telephonySessionId: 's2', answerMs: NOW - 30_000 }), NOW); // answered after 30 s
    // s3: rang two agents of the queue, the caller hung up: two missed legs, one abandoned call.
    window.add(leg({ telephonySessionId: 's3', result: 'Missed', endedBy: 'customer', answerMs: 0 }), NOW);
    window.add(
      leg({ telephonySessionId: 's3', partyId: 'p2', extensionId: '102', result: 'Missed', endedBy: 'customer', answerMs: 0 }),
      NOW,
    );
    window.add(leg({ telephonySessionId: 's4', direction: 'Outbound', result: 'Missed' }), NOW); // outbound: not counted
    window.add(leg({ telephonySessionId: 's5', result: 'Fax' }), NOW); // no call
    expect(window.counts(['all'], 5, NOW)).toEqual({ missed: 2, abandoned: 1, offered: 3, answeredWithinServiceLevel: 1 });
    expect(window.counts(['q:q1'], 5, NOW)).toEqual({ missed: 2, abandoned: 1, offered: 3, answeredWithinServiceLevel: 1 });
    expect(window.counts(['x:102'], 5, NOW)).toEqual({ missed: 1, abandoned: 1, offered: 1, answeredWithinServiceLevel: 0 });
    expect(window.counts(['q:other'], 5, NOW)).toEqual({ missed: 0, abandoned: 0, offered: 0, answeredWithinServiceLevel: 0 });
  });

  it('counts a leg only while it ended within the window', () => {
    const window = new CompletedLegWindow({ serviceLevelSeconds: 20, maxMinutes: 2 });
    window.add(leg({ result: 'Missed', answerMs: 0, endMs: NOW - 70_000 }), NOW);
    window.add(leg({ telephonySessionId: 's2', result: 'Missed', answerMs: 0, endMs: NOW - 10_000 }), NOW);
    expect(window.add(leg({ telephonySessionId: 's3', result: 'Missed', endMs: NOW - 200_000 }), NOW)).toBe(false);
    expect(window.counts(['all'], 1, NOW).missed).toBe(1);
    expect(window.counts(['all'], 2, NOW).missed).toBe(2);
    expect(window.counts(['all'], 1, NOW + 60_000).missed).toBe(0);
    window.prune(NOW + 100_000); // drops the leg that ended 70 s before NOW, keeps the one 10 s before
    expect(window.counts(['all'], 2, NOW + 60_000).missed).toBe(1);
  });
});

describe('business hours, pulse and summary', () => {
  const hours: BusinessHours = {
    timeZone: 'Europe/Berlin',
    week: {
      monday: [{ from: '09:00', to: '17:00' }],
      tuesday: [],
      wednesday: [],
      thursday: [],
      friday: [],
      saturday: [],
      sunday: [],
    },
    holidays: ['2026-03-09'],
    updatedAtMs: 0,
  };

  it('is open inside the local intervals, closed outside and on holidays, always without hours', () => {
    expect(businessHoursOpen(hours, Date.UTC(2026, 2, 2, 8, 0))).toBe(true); // Monday 09:00 in Berlin
    expect(businessHoursOpen(hours, Date.UTC(2026, 2, 2, 7, 59))).toBe(false);
    expect(businessHoursOpen(hours, Date.UTC(2026, 2, 2, 16, 0))).toBe(false); // 17:00
    expect(businessHoursOpen(hours, Date.UTC(2026, 2, 9, 10, 0))).toBe(false); // a holiday
    expect(businessHoursOpen(hours, Date.UTC(2026, 2, 3, 10, 0))).toBe(false); // Tuesday
    expect(businessHoursOpen(null, NOW)).toBe(true);
  });

  it('says since when it is open: the interval start, or an earlier day open until 24:00', () => {
    const berlinNine = Date.UTC(2026, 2, 2, 8, 0); // Monday 09:00 in Berlin (UTC+1)
    expect(businessOpening(hours, berlinNine + 3600_000)).toEqual({ open: true, sinceMs: berlinNine });
    expect(businessOpening(hours, berlinNine - 60_000)).toEqual({ open: false, sinceMs: null });
    expect(businessOpening(null, NOW)).toEqual({ open: true, sinceMs: null });
    const allWeek = {
      ...hours,
      holidays: [],
      week: { ...hours.week, sunday: [{ from: '20:00', to: '24:00' }], monday: [{ from: '00:00', to: '12:00' }] },
    };
    expect(businessOpening(allWeek, berlinNine)).toEqual({ open: true, sinceMs: Date.UTC(2026, 2, 1, 19, 0) }); // Sunday 20:00
  });

  it('counts silence inside business hours only: from the opening when the last event came before it', () => {
    const deaf = rule({ condition: { kind: 'NO_EVENTS', threshold: 60, windowMinutes: null } });
    const evening = NOW - 12 * 3600_000;
    expect(evaluateRule(deaf, snapshot({ lastEventAtMs: evening, businessOpenSinceMs: NOW - 30_000 }))[0]).toMatchObject({
      holds: false,
      value: 30,
    });
    expect(evaluateRule(deaf, snapshot({ lastEventAtMs: evening, businessOpenSinceMs: NOW - 90_000 }))[0]).toMatchObject({
      holds: true,
      value: 90,
    });
    expect(evaluateRule(deaf, snapshot({ lastEventAtMs: NOW - 70_000, businessOpenSinceMs: NOW - 3600_000 }))[0]).toMatchObject({
      holds: true,
      value: 70,
    });
  });

  it('reads the pulse: the latest event, the largest recent lag, and the workers gone', () => {
    const fields = {
      lastEventAtMs: String(NOW - 500),
      'lag:a': JSON.stringify({ lagMs: 1200, atMs: NOW - 1000 }),
      'lag:b': JSON.stringify({ lagMs: 90_000, atMs: NOW - 40_000 }),
      'lag:c': JSON.stringify({ lagMs: 5, atMs: NOW - 700_000 }),
    };
    expect(readPulse(fields, NOW)).toEqual({ lastEventAtMs: NOW - 500, lagMs: 1200, stale: ['lag:c'] });
    expect(readPulse({}, NOW)).toEqual({ lastEventAtMs: null, lagMs: null, stale: [] });
  });

  it('says what happened in a sentence', () => {
    expect(duration(42)).toBe('42 s');
    expect(duration(185)).toBe('3 min 5 s');
    expect(duration(7800)).toBe('2 h 10 min');
    const facts = {
      conditionKind: 'QUEUE_WAITING' as const,
      status: 'FIRING' as const,
      subject: 'q1',
      subjectName: 'Support',
      value: 7,
      threshold: 5,
      windowMinutes: null,
      forSeconds: 30,
      atMs: NOW,
      firedAtMs: null,
    };
    expect(summaryText(facts)).toBe('Queue Support: 7 calls waiting (threshold 5) for 30 s');
    expect(summaryText({ ...facts, subjectName: 'Sales Queue' })).toBe('Sales Queue: 7 calls waiting (threshold 5) for 30 s');
    expect(summaryText({ ...facts, status: 'RESOLVED', value: 2, atMs: NOW + 90_000, firedAtMs: NOW })).toBe(
      'Resolved after 1 min 30 s: Queue Support: now 2 calls waiting (threshold 5)',
    );
    expect(
      summaryText({
        ...facts,
        conditionKind: 'SERVICE_LEVEL',
        subject: 'all',
        value: 66.666,
        threshold: 80,
        windowMinutes: 15,
        forSeconds: 0,
      }),
    ).toBe('All calls: service level 66.7 % in the last 15 min (threshold 80 %)');
  });
});
