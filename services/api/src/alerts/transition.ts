// A due transition made whole (pure): the AlertTransition committed and delivered (its id, seq, the rule's name and
// targets, the sentence) and the alert's new state.
import type { AlertInstance, AlertRule, AlertTransition } from '@callpulse/contracts';
import type { DueTransition } from './holding.js';
import { summaryText } from './summary-text.js';

/** The transition and the state that follows it. `rule` null: the rule was deleted (its firing transition names it). */
export function makeTransition(due: DueTransition, rule: AlertRule | null): { transition: AlertTransition; state: AlertInstance } {
  const fired = due.previous?.lastTransition ?? null;
  const seq = due.expectedSeq + 1;
  // A resolve is of the alert that fired: its condition and threshold, whatever the rule says now.
  const resolvesFired = due.status === 'RESOLVED' && fired !== null;
  const conditionKind = (resolvesFired ? fired?.conditionKind : rule?.condition.kind) ?? fired?.conditionKind ?? 'QUEUE_WAITING';
  const threshold = (resolvesFired ? fired?.threshold : rule?.condition.threshold) ?? fired?.threshold ?? 0;
  const firedAtMs = due.status === 'RESOLVED' && fired?.status === 'FIRING' ? fired.atMs : null;
  const transition: AlertTransition = {
    id: `${due.ruleId}:${due.subject}:${seq}`,
    ruleId: due.ruleId,
    ruleName: rule?.name ?? fired?.ruleName ?? due.ruleId,
    severity: rule?.severity ?? fired?.severity ?? 'WARNING',
    conditionKind,
    subject: due.subject,
    subjectName: due.subjectName,
    status: due.status,
    seq,
    value: due.value,
    threshold,
    atMs: due.atMs,
    firedAtMs,
    summary: summaryText({
      conditionKind,
      status: due.status,
      subject: due.subject,
      subjectName: due.subjectName,
      value: due.value,
      threshold,
      windowMinutes: rule?.condition.windowMinutes ?? null,
      forSeconds: rule?.forSeconds ?? 0,
      atMs: due.atMs,
      firedAtMs,
    }),
    targetIds: rule?.targetIds ?? fired?.targetIds ?? [],
  };
  return { transition, state: { ruleId: due.ruleId, subject: due.subject, status: due.status, seq, lastTransition: transition } };
}
