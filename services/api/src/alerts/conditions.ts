// The alert conditions (pure): from a plain snapshot of what the API sees live (the board's agents and queues, the
// completed-leg window, call-state's pipeline pulse, whether business hours are open, now) and one rule, each subject
// of the rule with whether its condition holds and the value measured. docs/alerts.md, "Conditions", says the same.
import type { AgentState, AlertRule } from '@callpulse/contracts';

export interface AgentView {
  extensionId: string;
  name: string | null;
  state: AgentState;
  /** Since when the agent is in this state (epoch ms), null when not known. */
  sinceMs: number | null;
  /** The queue of the call that sets the state, null when none. */
  queueId: string | null;
}

export interface QueueView {
  queueId: string;
  queueName: string | null;
  waiting: number;
  /** When the longest-waiting call started waiting (epoch ms), null when none waits. */
  oldestWaitStartMs: number | null;
}

/** Counts of completed legs in a window (window.ts). */
export interface WindowCounts {
  /** Legs with result Missed. */
  missed: number;
  /** Calls whose caller hung up while a queue leg rang them (no agent answered). */
  abandoned: number;
  /** Inbound calls answered or not answered (each call once). */
  offered: number;
  /** Of those, answered within the service level. */
  answeredWithinServiceLevel: number;
}

export interface AlertSnapshot {
  nowMs: number;
  agents: readonly AgentView[];
  queues: readonly QueueView[];
  /** Sums the window's counts of the given keys (`all`, `q:<queueId>`, `x:<extensionId>`) over the last `minutes`. */
  window: (keys: readonly string[], minutes: number) => WindowCounts;
  /** When ingest received the latest telephony event (epoch ms), null when none is known. */
  lastEventAtMs: number | null;
  /** The largest delay (apply time - eventTime) of the workers' recent batches, null when none is recent. */
  lagMs: number | null;
  /** Inside business hours now (always true when none are set). */
  businessHoursOpen: boolean;
  /** When the current opening began (epoch ms): silence before it does not count; null: always open, or closed. */
  businessOpenSinceMs?: number | null;
}

export interface SubjectEvaluation {
  /** A queue id, an extension id, `all`, `extensions` or `pipeline`. */
  subject: string;
  subjectName: string | null;
  holds: boolean;
  /** The measured value (count, seconds or percent as the condition), null when there is nothing to measure. */
  value: number | null;
  /** When the condition began to hold, when the data tells it (a ring or a wait that passed its threshold); else null. */
  heldSinceMs: number | null;
}

/** The window key of a rule's scope: every leg, one queue's, or each agent's. */
export function windowKeys(scope: AlertRule['scope']): string[] {
  if (scope.kind === 'QUEUE') return [`q:${scope.queueId}`];
  if (scope.kind === 'EXTENSIONS') return scope.extensionIds.map((id) => `x:${id}`);
  return ['all'];
}

function scopeSubject(scope: AlertRule['scope']): string {
  if (scope.kind === 'QUEUE') return scope.queueId ?? 'queue';
  if (scope.kind === 'EXTENSIONS') return 'extensions';
  return 'all';
}

function agentsInScope(rule: AlertRule, agents: readonly AgentView[]): AgentView[] {
  const { scope } = rule;
  if (scope.kind === 'EXTENSIONS') {
    const wanted = new Set(scope.extensionIds);
    return agents.filter((agent) => wanted.has(agent.extensionId));
  }
  if (scope.kind === 'QUEUE') return agents.filter((agent) => agent.queueId === scope.queueId);
  return [...agents];
}

function queuesInScope(rule: AlertRule, queues: readonly QueueView[]): QueueView[] {
  const { scope } = rule;
  if (scope.kind !== 'QUEUE') return [...queues];
  const queue = queues.find((candidate) => candidate.queueId === scope.queueId);
  return [queue ?? { queueId: scope.queueId ?? '', queueName: null, waiting: 0, oldestWaitStartMs: null }];
}

/** Each subject of the rule now. A subject that is not listed (an agent gone idle, a queue empty) does not hold. */
export function evaluateRule(rule: AlertRule, snapshot: AlertSnapshot): SubjectEvaluation[] {
  const { kind, threshold } = rule.condition;
  const thresholdMs = threshold * 1000;
  const { nowMs } = snapshot;
  switch (kind) {
    case 'QUEUE_WAITING':
      return queuesInScope(rule, snapshot.queues).map((queue) => ({
        subject: queue.queueId,
        subjectName: queue.queueName,
        holds: queue.waiting > threshold,
        value: queue.waiting,
        heldSinceMs: null,
      }));
    case 'LONGEST_WAIT':
      return queuesInScope(rule, snapshot.queues).map((queue) => {
        const waitedMs = queue.oldestWaitStartMs === null ? null : Math.max(0, nowMs - queue.oldestWaitStartMs);
        const holds = waitedMs !== null && waitedMs > thresholdMs;
        return {
          subject: queue.queueId,
          subjectName: queue.queueName,
          holds,
          value: waitedMs === null ? 0 : waitedMs / 1000,
          heldSinceMs: holds && queue.oldestWaitStartMs !== null ? queue.oldestWaitStartMs + thresholdMs : null,
        };
      });
    case 'AGENT_RINGING':
    case 'AGENT_ON_HOLD': {
      const state: AgentState = kind === 'AGENT_RINGING' ? 'ringing' : 'onHold';
      return agentsInScope(rule, snapshot.agents).map((agent) => {
        const inState = agent.state === state && agent.sinceMs !== null;
        const forMs = inState && agent.sinceMs !== null ? Math.max(0, nowMs - agent.sinceMs) : 0;
        const holds = inState && forMs > thresholdMs;
        return {
          subject: agent.extensionId,
          subjectName: agent.name,
          holds,
          value: forMs / 1000,
          heldSinceMs: holds && agent.sinceMs !== null ? agent.sinceMs + thresholdMs : null,
        };
      });
    }
    case 'MISSED_CALLS':
    case 'ABANDONED_CALLS':
    case 'SERVICE_LEVEL': {
      const counts = snapshot.window(windowKeys(rule.scope), rule.condition.windowMinutes ?? 1);
      const subject = { subject: scopeSubject(rule.scope), subjectName: null, heldSinceMs: null };
      if (kind === 'MISSED_CALLS') return [{ ...subject, holds: counts.missed > threshold, value: counts.missed }];
      if (kind === 'ABANDONED_CALLS') return [{ ...subject, holds: counts.abandoned > threshold, value: counts.abandoned }];
      if (counts.offered === 0) return [{ ...subject, holds: false, value: null }];
      const percent = (100 * counts.answeredWithinServiceLevel) / counts.offered;
      return [{ ...subject, holds: percent < threshold, value: percent }];
    }
    case 'NO_EVENTS': {
      // Silence counts inside business hours only: from the last event, or from the opening when that came later.
      const from = snapshot.lastEventAtMs === null ? null : Math.max(snapshot.lastEventAtMs, snapshot.businessOpenSinceMs ?? 0);
      const silentMs = from === null ? null : Math.max(0, nowMs - from);
      return [
        {
          subject: 'pipeline',
          subjectName: null,
          holds: snapshot.businessHoursOpen && silentMs !== null && silentMs > thresholdMs,
          value: silentMs === null ? null : silentMs / 1000,
          heldSinceMs: null,
        },
      ];
    }
    case 'EVENTS_LATE':
      return [
        {
          subject: 'pipeline',
          subjectName: null,
          holds: snapshot.lagMs !== null && snapshot.lagMs > thresholdMs,
          value: snapshot.lagMs === null ? null : snapshot.lagMs / 1000,
          heldSinceMs: null,
        },
      ];
  }
}
