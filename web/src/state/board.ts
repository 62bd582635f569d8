// The live board in the browser: every monitored agent (a plain Map, changed in place), the queues, today's figures
// and the completed-call ticker. Changes are merged into the board as they arrive and announced together in the next
// animation frame, per agent (agentVersion: only the rows of agents that changed re-render) and by one signal
// (boardVersion); lists re-sort and the counts follow once a second (orderVersion), so 2,000 events/s cost a few rows'
// re-render per frame. A change older than the agent's version already shown is skipped; a snapshot replaces the
// whole board (after every reconnect).
import { batch, computed, type Signal, signal } from '@preact/signals';
import { level } from '../thresholds.js';
import type {
  Agent,
  AgentMessage,
  AgentStateName,
  AgentsChange,
  AgentToday,
  CompletedCall,
  Endpoint,
  Leg,
  LegMessage,
  QueueLive,
  TodayStats,
} from '../types.js';
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
 * scavenge even when frames are late) and announces it in the next animation frame. A message is read once: its
 * times are parsed here and its legs' write times only measured, never kept.
 */
export function applyAgents(change: AgentsChange): void {
  const snapshot = change.snapshot;
  if (snapshot) {
    agents.clear();
    snapshotPending = true;
  }
  const received = Date.now();
  const list = change.agents;
  for (let i = 0; i < list.length; i += 1) {
    const next = list[i] as AgentMessage;
    const shown = agents.get(next.extensionId);
    const stale = !snapshot && shown !== undefined && shown.version > next.version;
    if (!snapshot) {
      for (let j = 0; j < next.legs.length; j += 1) {
        const written = Date.parse((next.legs[j] as LegMessage).updatedAt);
        if (Number.isNaN(written)) continue;
        metrics.eventToReceiptMs.push(received - written);
        if (!stale) stamps.push(written);
      }
    }
    if (stale) continue;
    if (shown && !snapshot) mergeAgent(shown, next);
    else agents.set(next.extensionId, agentOf(next));
    changedIds.add(next.extensionId);
  }
  if (metrics.eventToReceiptMs.length > 100_000) metrics.eventToReceiptMs.splice(0, 50_000);
  for (const id of change.removed) {
    agents.delete(id);
    changedIds.add(id);
  }
  metrics.applied += list.length;
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

const timeOf = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** A new leg as the board keeps it (its strings and parties taken from the message, its times parsed). */
function legOf(next: LegMessage): Leg {
  return {
    telephonySessionId: next.telephonySessionId,
    partyId: next.partyId,
    direction: next.direction,
    status: next.status,
    statusAt: Date.parse(next.statusSince),
    startAt: Date.parse(next.startTime),
    from: next.from,
    to: next.to,
    queueId: next.queueId,
    queueName: next.queueName,
    ringMs: next.ringMs,
    talkMs: next.talkMs,
    holdMs: next.holdMs,
  };
}

/** A new agent as the board keeps it (a snapshot's, or one not shown yet). */
export function agentOf(next: AgentMessage): Agent {
  const legs: Leg[] = [];
  for (let i = 0; i < next.legs.length; i += 1) legs.push(legOf(next.legs[i] as LegMessage));
  return {
    extensionId: next.extensionId,
    extensionNumber: next.extensionNumber,
    name: next.name,
    state: next.state,
    sinceAt: timeOf(next.since),
    version: next.version,
    counterpart: next.counterpart,
    legs,
  };
}

/**
 * Copies a party's values that differ. A value equal to the one kept is not copied: the message's copy of it dies in
 * V8's young generation instead of surviving a scavenge (what survives sizes the young generation).
 */
function mergeEndpoint(kept: Endpoint | null, next: Endpoint | null): Endpoint | null {
  if (kept === null || next === null) return next;
  if (kept.phoneNumber !== next.phoneNumber) kept.phoneNumber = next.phoneNumber;
  if (kept.name !== next.name) kept.name = next.name;
  return kept;
}

function mergeLeg(kept: Leg, next: LegMessage): void {
  if (kept.direction !== next.direction) kept.direction = next.direction;
  if (kept.status !== next.status) kept.status = next.status;
  const statusAt = Date.parse(next.statusSince);
  if (kept.statusAt !== statusAt) kept.statusAt = statusAt;
  const startAt = Date.parse(next.startTime);
  if (kept.startAt !== startAt) kept.startAt = startAt;
  kept.from = mergeEndpoint(kept.from, next.from) as Endpoint;
  kept.to = mergeEndpoint(kept.to, next.to) as Endpoint;
  if (kept.queueId !== next.queueId) kept.queueId = next.queueId;
  if (kept.queueName !== next.queueName) kept.queueName = next.queueName;
  kept.ringMs = next.ringMs;
  kept.talkMs = next.talkMs;
  kept.holdMs = next.holdMs;
}

const sameLeg = (a: Leg, b: LegMessage) => a.telephonySessionId === b.telephonySessionId && a.partyId === b.partyId;

/** The agent's legs after a change: the legs kept are changed in place, in the message's order; new ones are added. */
function mergeLegs(kept: Leg[], next: LegMessage[]): Leg[] {
  let same = kept.length === next.length;
  for (let i = 0; same && i < next.length; i += 1) same = sameLeg(kept[i] as Leg, next[i] as LegMessage);
  if (same) {
    for (let i = 0; i < next.length; i += 1) mergeLeg(kept[i] as Leg, next[i] as LegMessage);
    return kept;
  }
  const legs: Leg[] = [];
  for (let i = 0; i < next.length; i += 1) {
    const message = next[i] as LegMessage;
    let old: Leg | undefined;
    for (let k = 0; k < kept.length && old === undefined; k += 1) if (sameLeg(kept[k] as Leg, message)) old = kept[k];
    if (old) mergeLeg(old, message);
    legs.push(old ?? legOf(message));
  }
  return legs;
}

/**
 * Applies an agent's change to the agent shown, in place, field by field (no array or object per field): only the
 * values that changed are kept from the message, so its objects and strings die young in V8's new space, and its
 * times are kept parsed (a number changed in place, not a new string surviving per change). Replacing the agent
 * (2,000 a second, each shown for seconds) moved every agent's whole object graph to the old space.
 */
export function mergeAgent(shown: Agent, next: AgentMessage): void {
  if (shown.extensionNumber !== next.extensionNumber) shown.extensionNumber = next.extensionNumber;
  if (shown.name !== next.name) shown.name = next.name;
  if (shown.state !== next.state) shown.state = next.state;
  const sinceAt = timeOf(next.since);
  if (shown.sinceAt !== sinceAt) shown.sinceAt = sinceAt;
  shown.version = next.version;
  shown.counterpart = mergeEndpoint(shown.counterpart, next.counterpart);
  shown.legs = mergeLegs(shown.legs, next.legs);
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
  const running = Math.max(0, at - leg.statusAt);
  return {
    ringMs: leg.ringMs + (leg.status === 'Ringing' || leg.status === 'Setup' ? running : 0),
    talkMs: leg.talkMs + (leg.status === 'Talking' ? running : 0),
    holdMs: leg.holdMs + (leg.status === 'OnHold' ? running : 0),
  };
}

/** The threshold level of an agent at `at`: a long ring, a long hold or a long call. */
export function agentLevel(agent: Agent, at: number) {
  const since = agent.sinceAt === null ? null : (at - agent.sinceAt) / 1000;
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
