// The live board in the browser: every monitored agent (a plain Map, changed in place), the queues, today's figures
// and the completed-call ticker. Changes arriving between two frames are applied together in one animation frame and
// announced by one signal (boardVersion), so 2,000 events/s cost one re-render of what shows per frame. A change older
// than the agent's version already shown is skipped; a snapshot replaces the whole board (after every reconnect).
import { computed, signal } from '@preact/signals';
import { level } from '../thresholds.js';
import type { Agent, AgentStateName, AgentsChange, AgentToday, CompletedCall, Leg, QueueLive, TodayStats } from '../types.js';
import { thresholds } from './settings.js';

export const agents = new Map<string, Agent>();
/** Bumped once per frame in which the board changed. */
export const boardVersion = signal(0);
/** Bumped at most every ORDER_MS while the board changes: lists re-filter and re-sort on it, rows follow boardVersion. */
export const orderVersion = signal(0);
const ORDER_MS = 250;
export const boardLoaded = signal(false);
export const queues = signal<QueueLive[]>([]);
export const today = signal<TodayStats | undefined>(undefined);
export const completed = signal<CompletedCall[]>([]);

/** Measurements for the bench (read by the page test through window.__callpulse). */
export const metrics = { eventToScreenMs: [] as number[], eventToReceiptMs: [] as number[], updateFrameMs: [] as number[], applied: 0 };

let pending: AgentsChange[] = [];
let frame = 0;
let orderTimer: ReturnType<typeof setTimeout> | undefined;
let lastOrder = 0;

/** Times parsed once, so sorting and ticking never parse dates. */
function parseTimes(agent: Agent): void {
  agent.sinceAt = agent.since === null ? null : Date.parse(agent.since);
  for (const leg of agent.legs) {
    leg.startAt = Date.parse(leg.startTime);
    leg.statusAt = Date.parse(leg.statusSince);
  }
}

function scheduleOrder(now: boolean): void {
  if (orderTimer !== undefined) return;
  const wait = now ? 0 : Math.max(0, lastOrder + ORDER_MS - Date.now());
  orderTimer = setTimeout(() => {
    orderTimer = undefined;
    lastOrder = Date.now();
    orderVersion.value += 1;
  }, wait);
}

export function applyAgents(change: AgentsChange): void {
  if (!change.snapshot) {
    const received = Date.now();
    for (const agent of change.agents)
      for (const leg of agent.legs) if (leg.updatedAt) metrics.eventToReceiptMs.push(received - Date.parse(leg.updatedAt));
    if (metrics.eventToReceiptMs.length > 100_000) metrics.eventToReceiptMs.splice(0, 50_000);
  }
  for (const agent of change.agents) parseTimes(agent);
  pending.push(change);
  if (frame === 0) frame = requestAnimationFrame(flush);
}

function flush(frameStart: number): void {
  frame = 0;
  const changes = pending;
  pending = [];
  const stamps: number[] = [];
  for (const change of changes) {
    if (change.snapshot) agents.clear();
    for (const agent of change.agents) {
      const shown = agents.get(agent.extensionId);
      if (!change.snapshot && shown && shown.version > agent.version) continue;
      agents.set(agent.extensionId, agent);
      if (!change.snapshot) for (const leg of agent.legs) if (leg.updatedAt) stamps.push(Date.parse(leg.updatedAt));
    }
    for (const id of change.removed) agents.delete(id);
    metrics.applied += change.agents.length;
  }
  const snapshot = changes.some((change) => change.snapshot);
  boardLoaded.value = true;
  boardVersion.value += 1;
  scheduleOrder(snapshot);
  // On screen once this frame is painted: the next task after the frame's rendering.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const painted = Date.now();
    metrics.updateFrameMs.push(performance.now() - frameStart);
    for (const stamp of stamps) metrics.eventToScreenMs.push(painted - stamp);
    if (metrics.eventToScreenMs.length > 100_000) metrics.eventToScreenMs.splice(0, 50_000);
    if (metrics.updateFrameMs.length > 100_000) metrics.updateFrameMs.splice(0, 50_000);
  };
  channel.port2.postMessage(0);
}

export function resetBoard(): void {
  agents.clear();
  boardLoaded.value = false;
  boardVersion.value += 1;
  orderVersion.value += 1;
}

export const stateOrder: AgentStateName[] = ['ringing', 'talking', 'onHold', 'voicemail', 'idle'];

export const stateLabels: Record<AgentStateName, string> = {
  idle: 'Available',
  ringing: 'Ringing',
  talking: 'On call',
  onHold: 'On hold',
  voicemail: 'Voicemail',
};

/** Agents by state and distinct calls in progress. */
export const counts = computed(() => {
  boardVersion.value;
  const byState: Record<AgentStateName, number> = { idle: 0, ringing: 0, talking: 0, onHold: 0, voicemail: 0 };
  const sessions = new Set<string>();
  for (const agent of agents.values()) {
    byState[agent.state] += 1;
    for (const leg of agent.legs) sessions.add(leg.telephonySessionId);
  }
  return { byState, total: agents.size, activeCalls: sessions.size };
});

export const todayByAgent = computed(() => {
  const map = new Map<string, AgentToday>();
  for (const agent of today.value?.agents ?? []) map.set(agent.extensionId, agent);
  return map;
});

export const waitingTotal = computed(() => queues.value.reduce((sum, queue) => sum + queue.waiting, 0));
/** Epoch ms the longest-waiting call started to wait (null: none waits). */
export const oldestWait = computed(() => {
  let oldest: number | null = null;
  for (const queue of queues.value) {
    if (queue.longestWaitSince === null) continue;
    const at = Date.parse(queue.longestWaitSince);
    oldest = oldest === null ? at : Math.min(oldest, at);
  }
  return oldest;
});

const endOf = (call: CompletedCall) => Date.parse(call.endTime ?? call.startTime);
const keyOf = (call: CompletedCall) => `${call.telephonySessionId}:${call.partyId}`;

/** Adds calls to the ticker: each leg once, the latest ended first, at most 40. */
export function addCompleted(...calls: CompletedCall[]): void {
  const byKey = new Map(completed.value.map((call) => [keyOf(call), call]));
  for (const call of calls) byKey.set(keyOf(call), call);
  completed.value = [...byKey.values()].sort((a, b) => endOf(b) - endOf(a)).slice(0, 40);
}

/** Ring, talk and hold so far of a leg at `at` (the running phase grows from the status time). */
export function legTimes(leg: Leg, at: number): { ringMs: number; talkMs: number; holdMs: number } {
  const running = Math.max(0, at - (leg.statusAt ?? Date.parse(leg.statusSince)));
  return {
    ringMs: leg.ringMs + (leg.status === 'Ringing' || leg.status === 'Setup' ? running : 0),
    talkMs: leg.talkMs + (leg.status === 'Talking' ? running : 0),
    holdMs: leg.holdMs + (leg.status === 'OnHold' ? running : 0),
  };
}

/** The threshold level of an agent at `at`: a long ring, a long hold or a long call. */
export function agentLevel(agent: Agent, at: number) {
  const sinceAt = agent.sinceAt ?? (agent.since === null ? null : Date.parse(agent.since));
  const since = sinceAt === null ? null : (at - sinceAt) / 1000;
  const limits = thresholds.value;
  switch (agent.state) {
    case 'ringing':
      return level(since, limits.ring);
    case 'onHold':
      return level(since, limits.hold);
    case 'talking': {
      const leg = agent.legs.find((candidate) => candidate.status === 'Talking') ?? agent.legs[0];
      if (!leg) return 'ok';
      const t = legTimes(leg, at);
      return level((t.talkMs + t.holdMs) / 1000, limits.call);
    }
    default:
      return 'ok';
  }
}
