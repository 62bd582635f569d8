// The live board in the browser: every monitored agent (a plain Map, changed in place), the queues, today's figures
// and the completed-call ticker. Changes are merged into the board as they arrive and announced together in the next
// animation frame, per agent (agentVersion: only the rows of agents that changed re-render) and by one signal
// (boardVersion); lists re-sort and the counts follow once a second (orderVersion), so 2,000 events/s cost a few rows'
// re-render per frame. A change older than the agent's version already shown is skipped; a snapshot replaces the
// whole board (after every reconnect).
import { batch, computed, type Signal, signal } from '@preact/signals';
import { level } from '../thresholds.js';
import type { Agent, AgentStateName, AgentsChange, AgentToday, CompletedCall, Leg, QueueLive, TodayStats } from '../types.js';
import { thresholds } from './settings.js';

export const agents = new Map<string, Agent>();
/** Bumped once per frame in which the board changed. */
export const boardVersion = signal(0);
/** Bumped at most every ORDER_MS while the board changes: lists re-filter and re-sort and counts follow it; rows follow agentVersion. */
export const orderVersion = signal(0);
const ORDER_MS = 1000;
export const boardLoaded = signal(false);
export const queues = signal<QueueLive[]>([]);
export const today = signal<TodayStats | undefined>(undefined);
export const completed = signal<CompletedCall[]>([]);

/** Measurements for the bench (read by the page test through window.__callpulse). */
export const metrics = { eventToScreenMs: [] as number[], eventToReceiptMs: [] as number[], updateFrameMs: [] as number[], applied: 0 };

/** One version per agent ever shown, bumped in the frame that changed it (at most one per monitored agent). */
const agentVersions = new Map<string, Signal<number>>();

/** The version of one agent's row: a row reads it to re-render only when its agent changes (or a snapshot arrives). */
export function agentVersion(id: string): Signal<number> {
  let version = agentVersions.get(id);
  if (!version) {
    version = signal(0);
    agentVersions.set(id, version);
  }
  return version;
}

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

/** What arrived since the last frame: the agents changed (their rows re-render in the frame) and the legs' write times. */
let changedIds = new Set<string>();
let snapshotPending = false;
let stamps: number[] = [];

/**
 * Applies a change to the board at once (merged into the agents shown, so the message is garbage before V8's next
 * scavenge even when frames are late) and announces it in the next animation frame.
 */
export function applyAgents(change: AgentsChange): void {
  if (!change.snapshot) {
    const received = Date.now();
    for (const agent of change.agents)
      for (const leg of agent.legs) if (leg.updatedAt) metrics.eventToReceiptMs.push(received - Date.parse(leg.updatedAt));
    if (metrics.eventToReceiptMs.length > 100_000) metrics.eventToReceiptMs.splice(0, 50_000);
  }
  if (change.snapshot) {
    agents.clear();
    snapshotPending = true;
  }
  for (const agent of change.agents) {
    parseTimes(agent);
    const shown = agents.get(agent.extensionId);
    if (!change.snapshot && shown && shown.version > agent.version) continue;
    if (shown && !change.snapshot) mergeAgent(shown, agent);
    else agents.set(agent.extensionId, agent);
    changedIds.add(agent.extensionId);
    if (!change.snapshot) for (const leg of agent.legs) if (leg.updatedAt) stamps.push(Date.parse(leg.updatedAt));
  }
  for (const id of change.removed) {
    agents.delete(id);
    changedIds.add(id);
  }
  metrics.applied += change.agents.length;
  if (frame === 0) frame = requestAnimationFrame(flush);
}

function flush(frameStart: number): void {
  frame = 0;
  const changed = changedIds;
  const snapshot = snapshotPending;
  const shownStamps = stamps;
  changedIds = new Set();
  snapshotPending = false;
  stamps = [];
  batch(() => {
    boardLoaded.value = true;
    boardVersion.value += 1;
    for (const id of snapshot ? agentVersions.keys() : changed) {
      const version = agentVersions.get(id);
      if (version) version.value += 1;
    }
  });
  scheduleOrder(snapshot);
  // On screen once this frame is painted: the next task after the frame's rendering.
  afterFrame(() => {
    const painted = Date.now();
    metrics.updateFrameMs.push(performance.now() - frameStart);
    for (const stamp of shownStamps) metrics.eventToScreenMs.push(painted - stamp);
    if (metrics.eventToScreenMs.length > 100_000) metrics.eventToScreenMs.splice(0, 50_000);
    if (metrics.updateFrameMs.length > 100_000) metrics.updateFrameMs.splice(0, 50_000);
  });
}

const sameLeg = (a: Leg, b: Leg) => a.telephonySessionId === b.telephonySessionId && a.partyId === b.partyId;

/**
 * Copies into `kept` the fields of `next` that differ (objects field by field), keeping what did not change. A for-in
 * loop: Object.entries would allocate an array per field, 2,000 agents a second.
 */
function mergeFields(kept: object, next: object): void {
  const target = kept as Record<string, unknown>;
  const source = next as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    const old = target[key];
    if (value === old) continue;
    if (key === 'legs') target.legs = mergeLegs(old as Leg[], value as Leg[]);
    else if (value && old && typeof value === 'object' && typeof old === 'object') mergeFields(old, value);
    else target[key] = value;
  }
}

function mergeLegs(kept: Leg[], next: Leg[]): Leg[] {
  if (kept.length === next.length && kept.every((leg, i) => sameLeg(leg, next[i] as Leg))) {
    for (const [i, leg] of kept.entries()) mergeFields(leg, next[i] as Leg);
    return kept;
  }
  return next.map((leg) => {
    const old = kept.find((candidate) => sameLeg(candidate, leg));
    if (!old) return leg;
    mergeFields(old, leg);
    return old;
  });
}

/**
 * Applies an agent's change to the agent shown, in place: only the values that changed are kept from the message, so
 * its objects and strings die young in V8's new space. Replacing the agent (2,000 a second, each shown for seconds)
 * moved every agent's whole object graph to the old space, which grew by megabytes a second between collections.
 */
export function mergeAgent(shown: Agent, next: Agent): void {
  mergeFields(shown, next);
}

let afterFrameChannel: MessageChannel | undefined;
const afterFrameQueue: Array<() => void> = [];

/**
 * Runs `callback` in the first task after the current frame's rendering: a message on ONE channel kept for the page's
 * life (messages arrive in the order sent, one per queued callback). A channel per frame, never closed, held about
 * 4 KB of the renderer's memory each until a full collection, outside the JS heap (60 a second).
 */
function afterFrame(callback: () => void): void {
  if (!afterFrameChannel) {
    afterFrameChannel = new MessageChannel();
    afterFrameChannel.port1.onmessage = () => afterFrameQueue.shift()?.();
  }
  afterFrameQueue.push(callback);
  afterFrameChannel.port2.postMessage(0);
}

export function resetBoard(): void {
  agents.clear();
  batch(() => {
    boardLoaded.value = false;
    boardVersion.value += 1;
    orderVersion.value += 1;
    for (const version of agentVersions.values()) version.value += 1;
  });
}

export const stateOrder: AgentStateName[] = ['ringing', 'talking', 'onHold', 'voicemail', 'idle'];

export const stateLabels: Record<AgentStateName, string> = {
  idle: 'Available',
  ringing: 'Ringing',
  talking: 'On call',
  onHold: 'On hold',
  voicemail: 'Voicemail',
};

/** Agents by state and distinct calls in progress (every ORDER_MS: a figure changing 60 times a second cannot be read). */
export const counts = computed(() => {
  orderVersion.value;
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
