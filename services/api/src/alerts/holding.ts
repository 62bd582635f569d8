// When an alert changes (pure): from each subject's evaluation, the alert's committed state and since when its
// condition holds, the transitions due now. An alert fires once its condition has held for the rule's forSeconds and
// resolves once it stops holding; a condition that stops holding before forSeconds fires nothing (flapping). A rule
// disabled or deleted resolves its firing alerts, and so does a rule whose condition changed kind while they fired.
// The evaluator commits what this decides (commit.ts).
import type { AlertInstance, AlertRule, AlertStatus } from '@callpulse/contracts';
import type { SubjectEvaluation } from './conditions.js';

export interface DueTransition {
  ruleId: string;
  subject: string;
  subjectName: string | null;
  status: AlertStatus;
  value: number | null;
  /** FIRING: when the condition began to hold; RESOLVED: when it was seen to stop (now). */
  atMs: number;
  /** The state's seq the commit expects to find (compare-and-set); the transition's seq is this + 1. */
  expectedSeq: number;
  /** The state it replaces (RESOLVED: the firing one, which names the rule as it was when it fired). */
  previous: AlertInstance | null;
}

export interface HoldingInput {
  ruleId: string;
  /** The rule, or null when it was deleted; a disabled rule is treated like a deleted one. */
  rule: AlertRule | null;
  /** Each subject now (empty for a deleted or disabled rule). */
  evaluations: readonly SubjectEvaluation[];
  /** The committed state of each of the rule's alerts, by subject. */
  states: ReadonlyMap<string, AlertInstance>;
  /** Since when each subject's condition holds (epoch ms), as seen so far: updated in place. */
  held: Map<string, number>;
  nowMs: number;
  /**
   * false: the data may be incomplete (a window still being read back after a take-over), so an alert that seems to
   * stop holding is not resolved yet; it may still fire. A disabled or deleted rule resolves whatever this says.
   */
  mayResolve?: boolean;
}

/** The transitions due for one rule now; updates `held` (subjects that stopped holding are forgotten). */
export function dueTransitions(input: HoldingInput): DueTransition[] {
  const { rule, ruleId, states, held, nowMs } = input;
  const active = rule?.enabled === true;
  const mayResolve = !active || input.mayResolve !== false;
  const due: DueTransition[] = [];
  const seen = new Set<string>();
  if (active) {
    for (const evaluation of input.evaluations) {
      seen.add(evaluation.subject);
      const state = states.get(evaluation.subject) ?? null;
      const firing = state?.status === 'FIRING';
      // The rule's condition changed kind while it fired: that alert resolves; the new condition fires on its own.
      const changed = firing && state?.lastTransition != null && state.lastTransition.conditionKind !== rule.condition.kind;
      if (changed && mayResolve) {
        due.push(transition(ruleId, evaluation, 'RESOLVED', nowMs, state));
        continue;
      }
      if (!evaluation.holds) {
        held.delete(evaluation.subject);
        if (firing && mayResolve) due.push(transition(ruleId, evaluation, 'RESOLVED', nowMs, state));
        continue;
      }
      const known = held.get(evaluation.subject);
      const since = Math.min(known ?? nowMs, evaluation.heldSinceMs ?? nowMs);
      held.set(evaluation.subject, since);
      if (!firing && nowMs - since >= rule.forSeconds * 1000) due.push(transition(ruleId, evaluation, 'FIRING', since, state));
    }
  }
  // Firing alerts whose subject is no longer evaluated (an agent no longer in scope, a rule disabled or deleted).
  for (const [subject, state] of states) {
    if (seen.has(subject)) continue;
    held.delete(subject);
    if (state.status !== 'FIRING' || !mayResolve) continue;
    const subjectName = state.lastTransition?.subjectName ?? null;
    due.push(transition(ruleId, { subject, subjectName, holds: false, value: null, heldSinceMs: null }, 'RESOLVED', nowMs, state));
  }
  if (!active) held.clear();
  return due;
}

function transition(
  ruleId: string,
  evaluation: SubjectEvaluation,
  status: AlertStatus,
  atMs: number,
  previous: AlertInstance | null,
): DueTransition {
  return {
    ruleId,
    subject: evaluation.subject,
    subjectName: evaluation.subjectName ?? previous?.lastTransition?.subjectName ?? null,
    status,
    value: evaluation.value,
    atMs,
    expectedSeq: previous?.seq ?? 0,
    previous,
  };
}
