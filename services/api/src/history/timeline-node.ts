// A call's explanation (the call model's explainSession) as the API shows it (GraphQL type CallTimeline): times as
// ISO-8601 in the asked time zone beside their epoch ms, the facts of each rule as name and value. Pure.
import type {
  EndedByDecision,
  ExplainedEvent,
  Facts,
  LegExplanation,
  Phase,
  PhaseMark,
  PhaseSum,
  ResultDecision,
  SessionExplanation,
} from '@callpulse/call-model';
import { isoInZone } from './time-range.js';

export interface TimelineEventNode {
  sequence: number;
  time: string;
  timeMs: number;
  partyId: string;
  extensionId: string | null;
  direction: string | null;
  status: string;
  rawStatus: string;
  reason: string | null;
  synthetic: boolean;
  afterEnd: boolean;
}

export interface PhaseMarkNode {
  sequence: number;
  time: string;
  timeMs: number;
  partyId: string;
  status: string;
  own: boolean;
}

export interface TimelinePhaseNode {
  kind: Phase['kind'];
  from: PhaseMarkNode;
  to: PhaseMarkNode | null;
  ms: number;
}

export interface PhaseSumNode {
  ms: number;
  phases: TimelinePhaseNode[];
  rule: string;
}

export interface RuleFactNode {
  name: string;
  /** The fact as text (numbers in decimal, true/false); null when the fact is that nothing is known. */
  value: string | null;
}

export interface RuleNode {
  rule: string;
  says: string;
  facts: RuleFactNode[];
}

export interface LegTimelineNode {
  partyId: string;
  extensionId: string;
  direction: string | null;
  ended: boolean;
  events: TimelineEventNode[];
  phases: TimelinePhaseNode[];
  figures: {
    startTime: string;
    ringStartTime: string | null;
    answerTime: string | null;
    endTime: string | null;
    ringMs: number;
    talkMs: number;
    holdMs: number;
    holdCount: number;
    parkMs: number;
    durationMs: number;
    result: string | null;
    endedBy: string | null;
    endStatus: string | null;
    endReason: string | null;
    endedDuringHold: boolean;
  };
  ring: PhaseSumNode;
  talk: PhaseSumNode;
  hold: PhaseSumNode;
  park: PhaseSumNode;
  duration: { ms: number; from: PhaseMarkNode; to: PhaseMarkNode; rule: string };
  result: (RuleNode & { result: string; order: number | null }) | null;
  endedBy: (RuleNode & { endedBy: string }) | null;
}

export interface CallTimelineNode {
  telephonySessionId: string;
  timeZone: string;
  events: TimelineEventNode[];
  legs: LegTimelineNode[];
}

export function timelineNode(explanation: SessionExplanation, timeZone: string): CallTimelineNode {
  const time = (ms: number) => isoInZone(ms, timeZone);
  const timeOrNull = (ms: number | null) => (ms === null ? null : time(ms));
  const event = (e: ExplainedEvent): TimelineEventNode => ({
    sequence: e.sequence,
    time: time(e.eventTimeMs),
    timeMs: e.eventTimeMs,
    partyId: e.partyId,
    extensionId: e.extensionId,
    direction: e.direction,
    status: e.statusCode,
    rawStatus: e.rawStatusCode,
    reason: e.reason,
    synthetic: e.synthetic,
    afterEnd: e.afterEnd,
  });
  const mark = (m: PhaseMark): PhaseMarkNode => ({
    sequence: m.sequence,
    time: time(m.ms),
    timeMs: m.ms,
    partyId: m.partyId,
    status: m.code,
    own: m.own,
  });
  const phase = (p: Phase): TimelinePhaseNode => ({ kind: p.kind, from: mark(p.from), to: p.to ? mark(p.to) : null, ms: p.ms });
  const sum = (s: PhaseSum): PhaseSumNode => ({ ms: s.ms, phases: s.phases.map(phase), rule: s.says });
  const facts = (f: Facts): RuleFactNode[] =>
    Object.entries(f).map(([name, value]) => ({ name, value: value === null ? null : String(value) }));
  const result = (d: ResultDecision | null) => d && { result: d.result, rule: d.rule, order: d.order, says: d.says, facts: facts(d.facts) };
  const endedBy = (d: EndedByDecision | null) => d && { endedBy: d.endedBy, rule: d.rule, says: d.says, facts: facts(d.facts) };
  const leg = (l: LegExplanation): LegTimelineNode => ({
    partyId: l.partyId,
    extensionId: l.extensionId,
    direction: l.direction,
    ended: l.ended,
    events: l.events.map(event),
    phases: l.phases.map(phase),
    figures: {
      startTime: time(l.figures.startMs),
      ringStartTime: timeOrNull(l.figures.ringStartMs),
      answerTime: timeOrNull(l.figures.answerMs),
      endTime: timeOrNull(l.figures.endMs),
      ringMs: l.figures.ringMs,
      talkMs: l.figures.talkMs,
      holdMs: l.figures.holdMs,
      holdCount: l.figures.holdCount,
      parkMs: l.figures.parkMs,
      durationMs: l.figures.durationMs,
      result: l.figures.result,
      endedBy: l.figures.endedBy,
      endStatus: l.figures.endStatus,
      endReason: l.figures.endReason,
      endedDuringHold: l.figures.endedDuringHold,
    },
    ring: sum(l.ring),
    talk: sum(l.talk),
    hold: sum(l.hold),
    park: sum(l.park),
    duration: { ms: l.duration.ms, from: mark(l.duration.from), to: mark(l.duration.to), rule: l.duration.says },
    result: result(l.result),
    endedBy: endedBy(l.endedBy),
  });
  return {
    telephonySessionId: explanation.telephonySessionId,
    timeZone,
    events: explanation.events.map(event),
    legs: explanation.legs.map(leg),
  };
}
