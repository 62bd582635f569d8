// The live points of the past hour from before this API instance sampled them (pure), rebuilt from the calls: the
// completed legs and sessions counted per instant by ClickHouse (live-backfill.ts), plus the legs still in progress
// (from Redis), which were ringing, talking or waiting since their times. The state rule is the board's (the busiest
// leg wins: talking, ringing, voicemail); the completed legs' hold is counted as talking (only its total is stored).
import type { AgentLive } from './agent-board.js';
import type { LivePoint } from './kpi-points.js';

/** What ClickHouse counted at one instant from the completed calls. */
export interface CompletedAt {
  atMs: number;
  /** Agents with a completed leg talking then. */
  talking: number;
  /** Agents with one ringing or talking. */
  ringingOrTalking: number;
  /** Agents with one ringing, talking or in voicemail. */
  busy: number;
  /** Distinct calls among those legs. */
  calls: number;
  /** Queue calls waiting then, and the longest wait. */
  waiting: number;
  longestWaitMs: number;
}

const TALKING = 3;
const RINGING = 2;
const VOICEMAIL = 1;

/** A leg in progress at `atMs`: 3 talking (or on hold), 2 ringing, 1 voicemail, 0 not yet started or none of these. */
function phaseAt(leg: AgentLive['legs'][number], atMs: number): number {
  if (leg.startMs > atMs) return 0;
  if (leg.answerMs !== null && atMs >= leg.answerMs) return TALKING;
  if (leg.status === 'Voicemail' && atMs >= leg.statusSinceMs) return VOICEMAIL;
  const ringFrom = leg.ringStartMs ?? leg.startMs;
  return atMs >= ringFrom ? RINGING : 0;
}

/**
 * The live points at `instants` from the completed calls counted there and the legs in progress now. `agents` is every
 * monitored agent now (their number is taken as the past hour's).
 */
export function backfillPoints(instants: readonly number[], completed: readonly CompletedAt[], agents: readonly AgentLive[]): LivePoint[] {
  const byTime = new Map(completed.map((row) => [row.atMs, row]));
  return instants.map((atMs) => {
    const done = byTime.get(atMs);
    let talking = done?.talking ?? 0;
    let ringing = (done?.ringingOrTalking ?? 0) - (done?.talking ?? 0);
    let voicemail = (done?.busy ?? 0) - (done?.ringingOrTalking ?? 0);
    const calls = new Set<string>();
    const waiting = new Map<string, number>(); // queue call -> waiting since
    for (const agent of agents) {
      let phase = 0;
      for (const leg of agent.legs) {
        const legPhase = phaseAt(leg, atMs);
        if (leg.startMs <= atMs) calls.add(leg.telephonySessionId);
        phase = Math.max(phase, legPhase);
        if (leg.queueId !== null && legPhase === RINGING) {
          const since = leg.ringStartMs ?? leg.startMs;
          waiting.set(leg.telephonySessionId, Math.min(waiting.get(leg.telephonySessionId) ?? since, since));
        }
      }
      if (phase === TALKING) talking += 1;
      else if (phase === RINGING) ringing += 1;
      else if (phase === VOICEMAIL) voicemail += 1;
    }
    let longestWaitMs = done?.longestWaitMs ?? 0;
    for (const since of waiting.values()) longestWaitMs = Math.max(longestWaitMs, atMs - since);
    const total = agents.length;
    // An agent on a completed and a live leg at once counts twice: never more busy agents than agents.
    let excess = Math.max(0, talking + ringing + voicemail - total);
    const cut = (count: number) => {
      const less = Math.min(count, excess);
      excess -= less;
      return count - less;
    };
    voicemail = cut(voicemail);
    ringing = cut(ringing);
    talking = cut(talking);
    return {
      atMs,
      agents: total,
      idle: total - talking - ringing - voicemail,
      ringing,
      talking,
      onHold: 0,
      voicemail,
      activeCalls: (done?.calls ?? 0) + calls.size,
      waiting: (done?.waiting ?? 0) + waiting.size,
      longestWaitMs,
    };
  });
}
