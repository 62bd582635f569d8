// The live agent board (pure): each monitored agent's state, time in state, current call and "idle since the last
// call" from their active legs, and each queue's live figures (calls waiting, the longest wait, agents free) from the
// agents' legs. The state rule is the one call-state applies too (contracts' busiestLeg): talking beats on hold beats
// ringing beats voicemail beats idle; parked and ended legs leave the agent free.
import { type AgentState, busiestLeg, type DirectoryExtension, type LiveLegSnapshot } from '@callpulse/contracts';

/** One monitored agent as the board shows them. Times are epoch ms. */
export interface AgentLive {
  extensionId: string;
  extensionNumber: string | null;
  name: string | null;
  state: AgentState;
  /** Since when the agent is in this state: the busiest leg's status time, or the end of the last call when idle. */
  sinceMs: number | null;
  /** When the agent's last call ended (null: not known, e.g. no call today). */
  idleSinceMs: number | null;
  /** The extension's live version (cp:ext:{id}:live-version): a client keeps the highest it has seen per agent. */
  version: number;
  /** The busiest active leg (the one that sets the state), null when idle. */
  call: LiveLegSnapshot | null;
  /** Every active leg of the agent, oldest first. */
  legs: LiveLegSnapshot[];
}

/** A queue's calls waiting now, from the monitored agents' ringing queue legs. */
export interface QueueLive {
  queueId: string;
  queueName: string | null;
  /** Calls (telephony sessions) ringing this queue's agents that no agent answered yet. */
  waiting: number;
  /** When the longest-waiting of them started (epoch ms), null when none waits. */
  oldestWaitStartMs: number | null;
  /** Monitored agents known to take this queue's calls (seen on one of its calls today) who are idle now. */
  agentsFree: number;
  /** Of those agents, the ones on a call now. */
  agentsBusy: number;
  /** Monitored agents known to take this queue's calls. */
  agentsKnown: number;
}

const byStart = (a: LiveLegSnapshot, b: LiveLegSnapshot) =>
  a.startMs - b.startMs || a.telephonySessionId.localeCompare(b.telephonySessionId) || a.partyId.localeCompare(b.partyId);

/** The agent from their directory entry, active legs, live version and the end of their last call. */
export function agentFromLegs(
  extensionId: string,
  directory: Pick<DirectoryExtension, 'extensionNumber' | 'name'> | undefined,
  activeLegs: LiveLegSnapshot[],
  version: number,
  lastEndMs: number | null,
): AgentLive {
  const legs = activeLegs.filter((leg) => !leg.ended).sort(byStart);
  const { state, leg: call } = busiestLeg(legs);
  return {
    extensionId,
    extensionNumber: directory?.extensionNumber ?? null,
    name: directory?.name ?? null,
    state,
    sinceMs: call ? call.statusSinceMs : lastEndMs,
    idleSinceMs: lastEndMs,
    version,
    call,
    legs,
  };
}

/** The leg is a queue call still ringing its agent, not answered. */
const waitingLeg = (leg: LiveLegSnapshot) =>
  leg.queueId !== null && !leg.ended && leg.answerMs === null && (leg.status === 'Setup' || leg.status === 'Ringing');

/** What is known of a queue beyond its live legs: its name and the agents seen taking its calls. */
export interface QueueMembers {
  name: string | null;
  members: ReadonlySet<string>;
}

/**
 * Each queue's live figures: a session waits in a queue while a monitored agent's leg of it rings for that queue and
 * no agent's leg of it in that queue was answered; it waits since its earliest such leg started. `known` gives each
 * queue's name and the agents known to take its calls. Queues with neither a call waiting nor a known agent are left out.
 */
export function queueFigures(agents: Iterable<AgentLive>, known: ReadonlyMap<string, QueueMembers>): QueueLive[] {
  const byId = new Map<string, AgentLive>();
  const waiting = new Map<string, Map<string, number>>(); // queue -> session -> earliest start
  const answered = new Set<string>(); // `${queue}\n${session}`
  const names = new Map<string, string | null>();
  for (const agent of agents) {
    byId.set(agent.extensionId, agent);
    for (const leg of agent.legs) {
      if (leg.queueId === null) continue;
      if (!names.get(leg.queueId)) names.set(leg.queueId, leg.queueName);
      if (waitingLeg(leg)) {
        const sessions = waiting.get(leg.queueId) ?? new Map<string, number>();
        const start = leg.ringStartMs ?? leg.startMs;
        sessions.set(leg.telephonySessionId, Math.min(sessions.get(leg.telephonySessionId) ?? start, start));
        waiting.set(leg.queueId, sessions);
      } else if (leg.answerMs !== null) {
        answered.add(`${leg.queueId}\n${leg.telephonySessionId}`);
      }
    }
  }
  for (const [queueId, queue] of known) if (!names.get(queueId) && queue.name) names.set(queueId, queue.name);
  const queueIds = new Set([...waiting.keys(), ...known.keys()]);
  const out: QueueLive[] = [];
  for (const queueId of queueIds) {
    let count = 0;
    let oldest: number | null = null;
    for (const [session, start] of waiting.get(queueId) ?? []) {
      if (answered.has(`${queueId}\n${session}`)) continue;
      count += 1;
      oldest = oldest === null ? start : Math.min(oldest, start);
    }
    let free = 0;
    let busy = 0;
    let members = 0;
    for (const id of known.get(queueId)?.members ?? []) {
      const agent = byId.get(id);
      if (!agent) continue; // not monitored
      members += 1;
      if (agent.state === 'idle') free += 1;
      else busy += 1;
    }
    if (count === 0 && members === 0) continue;
    out.push({
      queueId,
      queueName: names.get(queueId) ?? null,
      waiting: count,
      oldestWaitStartMs: oldest,
      agentsFree: free,
      agentsBusy: busy,
      agentsKnown: members,
    });
  }
  return out.sort((a, b) => (a.queueName ?? a.queueId).localeCompare(b.queueName ?? b.queueId) || a.queueId.localeCompare(b.queueId));
}
