// Writes the live board into Redis the way call-state does (an extension's active legs, its live version, the agent
// state, and the leg message on its channel), for the screenshots and the bench: many agents and a steady event rate
// without a whole pipeline. Leg snapshots carry updatedAtMs = when they were written, so the page can measure the
// time from the event to the screen.
import { type AgentState, type LiveLegSnapshot, redisChannels, redisKeys } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';

export interface FeedAgent {
  id: string;
  extensionNumber: string;
  name: string;
}

export const firstNames = [
  'Dana',
  'Marco',
  'Priya',
  'Tom',
  'Aisha',
  'Lena',
  'Omar',
  'Sofia',
  'Jonas',
  'Mei',
  'Lucas',
  'Nadia',
  'Erik',
  'Grace',
  'Ravi',
  'Hana',
  'Diego',
  'Chloe',
  'Sam',
  'Yuki',
];
export const lastNames = [
  'Whitfield',
  'Ruiz',
  'Nair',
  'Becker',
  'Khan',
  'Novak',
  'Haddad',
  'Rossi',
  'Berg',
  'Chen',
  'Martin',
  'Petrova',
  'Lund',
  'Okafor',
  'Iyer',
  'Sato',
  'Lopez',
  'Dubois',
  'Frost',
  'Tanaka',
];

export function feedAgents(count: number, firstId = 620_000_001): FeedAgent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: String(firstId + index),
    extensionNumber: String(2001 + index),
    name: `${firstNames[index % firstNames.length]} ${lastNames[Math.floor(index / firstNames.length) % lastNames.length]}${index >= 400 ? ` ${Math.floor(index / 400) + 1}` : ''}`,
  }));
}

export async function seedAgents(redis: Redis, prefix: string, agents: FeedAgent[]): Promise<void> {
  const keys = redisKeys(prefix);
  for (let i = 0; i < agents.length; i += 1000) {
    const part = agents.slice(i, i + 1000);
    await redis.hset(
      keys.extensions,
      Object.fromEntries(part.map((agent) => [agent.id, JSON.stringify({ ...agent, type: 'User', status: 'Enabled' })])),
    );
    await redis.sadd(keys.monitoredExtensions, ...part.map((agent) => agent.id));
  }
  await redis.publish(redisChannels(prefix).directoryChanged, JSON.stringify({ reason: 'feed' }));
}

const agentStateOf: Record<string, AgentState> = {
  Setup: 'ringing',
  Ringing: 'ringing',
  Talking: 'talking',
  OnHold: 'onHold',
  Voicemail: 'voicemail',
};

export interface LegInput {
  extensionId: string;
  session: string;
  status: LiveLegSnapshot['status'];
  startMs: number;
  statusSinceMs: number;
  answerMs?: number | null;
  direction?: 'Inbound' | 'Outbound';
  counterpart?: { name: string | null; phoneNumber: string | null };
  queue?: { id: string; name: string } | null;
  ringMs?: number;
  talkMs?: number;
  holdMs?: number;
  holdCount?: number;
  ended?: boolean;
}

export function snapshot(input: LegInput, nowMs = Date.now()): LiveLegSnapshot {
  const direction = input.direction ?? 'Inbound';
  const other = { phoneNumber: input.counterpart?.phoneNumber ?? '+15550100', name: input.counterpart?.name ?? null, extensionId: null };
  const self = { phoneNumber: null, name: null, extensionId: input.extensionId };
  return {
    telephonySessionId: input.session,
    partyId: `${input.session}-p`,
    extensionId: input.extensionId,
    accountId: '100200300',
    direction,
    status: input.status,
    statusCode: input.status,
    statusSinceMs: input.statusSinceMs,
    from: direction === 'Inbound' ? other : self,
    to: direction === 'Inbound' ? self : other,
    queueId: input.queue?.id ?? null,
    queueName: input.queue?.name ?? null,
    startMs: input.startMs,
    ringStartMs: input.startMs,
    answerMs: input.answerMs ?? null,
    endMs: input.ended ? nowMs : null,
    ringMs: input.ringMs ?? 0,
    talkMs: input.talkMs ?? 0,
    holdMs: input.holdMs ?? 0,
    holdCount: input.holdCount ?? 0,
    ended: input.ended ?? false,
    result: input.ended ? 'Answered' : null,
    endedBy: null,
    lastSequence: 1,
    muted: false,
    conferenceRole: null,
    updatedAtMs: nowMs,
  };
}

/** Writes legs (one active leg per agent at most) as call-state's live board does, in one pipeline. */
export async function writeLegs(redis: Redis, prefix: string, legs: LiveLegSnapshot[]): Promise<void> {
  const keys = redisKeys(prefix);
  const channels = redisChannels(prefix);
  const pipeline = redis.pipeline();
  for (const leg of legs) {
    const field = `${leg.telephonySessionId}:${leg.partyId}`;
    if (leg.ended) {
      pipeline.del(keys.extensionActiveLegs(leg.extensionId));
      pipeline.hset(keys.agentStates, leg.extensionId, 'idle');
    } else {
      pipeline.del(keys.extensionActiveLegs(leg.extensionId));
      pipeline.hset(keys.extensionActiveLegs(leg.extensionId), field, JSON.stringify(leg));
      pipeline.hset(keys.agentStates, leg.extensionId, agentStateOf[leg.status] ?? 'idle');
    }
    pipeline.incr(keys.extensionLiveVersion(leg.extensionId));
    pipeline.publish(channels.legChanged(leg.extensionId), JSON.stringify(leg));
  }
  await pipeline.exec();
}
