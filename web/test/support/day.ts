// A believable contact-centre day for the screenshots: every agent's calls of the past hours as completed records
// (legs and session summaries, as call-state emits them, for reporting to store) and each agent's state now as live
// legs (for Redis), one consistent story per agent: calls one after another, a short break between them, most answered
// within a few seconds, some missed or abandoned, a few outbound. Deterministic (seeded).
import type { CompletedLegRecord, CompletedRecord, SessionSummaryRecord } from '@callpulse/contracts';
import type { FeedAgent, LegInput } from './redis-feed.js';

export const dayQueues = [
  { id: '700000001', name: 'Sales Queue' },
  { id: '700000002', name: 'Support Queue' },
  { id: '700000003', name: 'Billing Queue' },
];
const companies = ['Acme Corp', 'Northwind', 'Globex', 'Initech', 'Umbrella Ltd', 'Stark Supply', 'Wayne Freight', 'Hooli', 'Vandelay'];

/** A small seeded random source (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Day {
  records: CompletedRecord[];
  /** Each busy agent's call in progress now. */
  live: LegInput[];
}

interface Call {
  session: string;
  agent: FeedAgent;
  queue: { id: string; name: string } | null;
  caller: { name: string | null; phoneNumber: string };
  outbound: boolean;
  startMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  result: 'Answered' | 'Missed';
  abandoned: boolean;
}

function records(call: Call): CompletedRecord[] {
  const answerMs = call.result === 'Answered' ? call.startMs + call.ringMs : 0;
  const endMs = call.startMs + call.ringMs + call.talkMs + call.holdMs;
  const agentNumber = `+1 555 02${call.agent.extensionNumber.slice(-2)}`;
  const leg: CompletedLegRecord = {
    kind: 'leg',
    schemaVersion: 1,
    version: 1,
    accountId: '100200300',
    telephonySessionId: call.session,
    sessionId: call.session.replace('s-', ''),
    partyId: `${call.session}-p2`,
    extensionId: call.agent.id,
    direction: call.outbound ? 'Outbound' : 'Inbound',
    originType: 'Call',
    fromNumber: call.outbound ? agentNumber : call.caller.phoneNumber,
    fromName: call.outbound ? call.agent.name : (call.caller.name ?? ''),
    fromExtensionId: call.outbound ? call.agent.id : '',
    toNumber: call.outbound ? call.caller.phoneNumber : agentNumber,
    toName: call.outbound ? (call.caller.name ?? '') : call.agent.name,
    toExtensionId: call.outbound ? '' : call.agent.id,
    queueCall: call.queue !== null,
    queueId: call.queue?.id ?? '',
    queueName: call.queue?.name ?? '',
    result: call.result,
    endReason: '',
    endStatus: 'Disconnected',
    // An abandoned call's ring was ended by the caller hanging up (the reports' Abandoned counts those legs).
    endedBy: call.result === 'Answered' || call.abandoned ? 'customer' : 'unknown',
    endedDuringHold: false,
    missedCall: call.result === 'Missed',
    startMs: call.startMs,
    ringStartMs: call.startMs,
    answerMs,
    endMs,
    ringMs: call.ringMs,
    talkMs: call.talkMs,
    holdMs: call.holdMs,
    holdCount: call.holdMs > 0 ? 1 : 0,
    durationMs: endMs - call.startMs,
    parkId: '',
    recorded: false,
    peerTelephonySessionId: '',
    eventCount: 6,
    lastSequence: 6,
  };
  const session: SessionSummaryRecord = {
    kind: 'session',
    schemaVersion: 1,
    version: 1,
    accountId: '100200300',
    telephonySessionId: call.session,
    sessionId: leg.sessionId,
    originType: 'Call',
    direction: leg.direction,
    fromNumber: leg.fromNumber,
    toNumber: leg.toNumber,
    queueId: leg.queueId,
    queueName: leg.queueName,
    startMs: call.startMs - (call.queue ? 1000 : 0),
    endMs,
    durationMs: endMs - call.startMs,
    queueEnterMs: call.queue ? call.startMs - 1000 : 0,
    firstAnswerMs: answerMs,
    waitMs: answerMs > 0 ? call.ringMs + (call.queue ? 1000 : 0) : 0,
    answeredByExtensionId: answerMs > 0 ? call.agent.id : '',
    abandoned: call.abandoned,
    legCount: 1,
    eventCount: 6,
    lastSequence: 6,
  };
  return [leg, session];
}

/**
 * The past `hours` of calls of every agent up to `nowMs`, and what each is doing now: about half talking, a few on
 * hold, a few ringing (one ring and one hold past their thresholds), the rest free since a minute or a few.
 */
export function contactCentreDay(agents: FeedAgent[], nowMs: number, hours = 3, seed = 7): Day {
  const rand = random(seed);
  const between = (min: number, max: number) => Math.round(min + rand() * (max - min));
  const out: Day = { records: [], live: [] };
  let sessions = 0;
  const newCall = (agent: FeedAgent, queue: Call['queue']): Omit<Call, 'startMs' | 'ringMs' | 'talkMs' | 'holdMs'> => {
    sessions += 1;
    const outbound = rand() < 0.1;
    const company = rand() < 0.7 ? (companies[Math.floor(rand() * companies.length)] ?? null) : null;
    const roll = rand();
    const result = outbound || roll < 0.92 ? 'Answered' : 'Missed';
    return {
      session: `s-day-${String(sessions).padStart(5, '0')}`,
      agent,
      queue: outbound ? null : queue,
      caller: { name: company, phoneNumber: `+1 555 01${String(between(10, 99))}` },
      outbound,
      result,
      abandoned: result === 'Missed' && roll > 0.955,
    };
  };
  agents.forEach((agent, i) => {
    const queue = dayQueues[i % dayQueues.length] ?? null;
    // Now: the current call (or the free time since the last one).
    const kind = i % 10;
    let before: number; // the last completed call ended before this
    const current = newCall(agent, queue);
    const counterpart = { name: current.caller.name, phoneNumber: current.caller.phoneNumber };
    const base = {
      extensionId: agent.id,
      session: current.session,
      counterpart,
      queue: current.queue,
      direction: current.outbound ? ('Outbound' as const) : ('Inbound' as const),
    };
    if (kind < 5) {
      const talk = between(30, 780) * 1000;
      const ring = between(3, 14) * 1000;
      out.live.push({
        ...base,
        status: 'Talking',
        startMs: nowMs - talk - ring,
        answerMs: nowMs - talk,
        statusSinceMs: nowMs - talk,
        ringMs: ring,
      });
      before = nowMs - talk - ring;
    } else if (kind === 5 && i < 60) {
      const hold = i === 5 ? 150_000 : between(10, 50) * 1000;
      const talk = between(60, 400) * 1000;
      const ring = between(3, 12) * 1000;
      const start = nowMs - hold - talk - ring;
      out.live.push({
        ...base,
        status: 'OnHold',
        startMs: start,
        answerMs: start + ring,
        statusSinceMs: nowMs - hold,
        ringMs: ring,
        talkMs: talk,
        holdCount: 1,
      });
      before = start;
    } else if (kind === 6 && i < 50) {
      const ring = i === 6 ? 42_000 : between(2, 11) * 1000;
      out.live.push({ ...base, queue, direction: 'Inbound', status: 'Ringing', startMs: nowMs - ring, statusSinceMs: nowMs - ring });
      before = nowMs - ring;
    } else {
      sessions -= 1; // free: no current call
      before = nowMs - between(15, 280) * 1000;
    }
    // Before: calls back to `hours` ago, a short break between them.
    let end = kind >= 7 || (kind === 5 && i >= 60) || (kind === 6 && i >= 50) ? before : before - between(30, 240) * 1000;
    while (end > nowMs - hours * 3600_000) {
      const call = newCall(agent, queue);
      const ringMs = call.result === 'Answered' ? between(2, call.outbound ? 12 : 26) * 1000 : between(20, 32) * 1000;
      const talkMs = call.result === 'Answered' ? between(70, 540) * 1000 : 0;
      const holdMs = call.result === 'Answered' && rand() < 0.2 ? between(15, 90) * 1000 : 0;
      const startMs = end - ringMs - talkMs - holdMs;
      out.records.push(...records({ ...call, startMs, ringMs, talkMs, holdMs }));
      end = startMs - between(30, 300) * 1000;
    }
  });
  return out;
}
