// An outbox transition as a row of ClickHouse's alert_transitions (packages/contracts' alertTransitionsColumns), pure.
import type { AlertTransition, AlertTransitionsRow } from '@callpulse/contracts';

/** DateTime columns as epoch seconds (how the writers insert them in JSONEachRow). */
export type AlertTransitionInsertRow = Omit<AlertTransitionsRow, 'at' | 'inserted_at'> & { at: number; inserted_at: number };

export function transitionRow(transition: AlertTransition, outboxId: string, insertedAtSeconds: number): AlertTransitionInsertRow {
  return {
    id: transition.id,
    rule_id: transition.ruleId,
    rule_name: transition.ruleName,
    severity: transition.severity,
    condition_kind: transition.conditionKind,
    subject: transition.subject,
    subject_name: transition.subjectName ?? '',
    status: transition.status,
    seq: transition.seq,
    value: transition.value !== null && Number.isFinite(transition.value) ? transition.value : null,
    threshold: transition.threshold,
    at: Math.floor(transition.atMs / 1000),
    at_ms: Math.max(0, Math.floor(transition.atMs)),
    fired_at_ms: transition.firedAtMs === null ? 0 : Math.max(0, Math.floor(transition.firedAtMs)),
    summary: transition.summary,
    target_ids: transition.targetIds,
    outbox_id: outboxId,
    inserted_at: insertedAtSeconds,
  };
}
