// One simulated call: a scenario of the library with agents, people and durations drawn for it, its notifications and
// its ground truth.
import { type BuiltScenario, buildScenario, type ScenarioName, type ScenarioParams } from '@callpulse/testkit/scenarios';
import type { TruthLeg, TruthLine, TruthNoCall, TruthSession } from '../truth.js';
import type { SimulatedAccount } from './account.js';
import type { AgentPool } from './agent-pool.js';
import { drawDurations, scaleDurations } from './durations.js';
import { agentsNeeded } from './mix.js';
import type { Random } from './random.js';

export interface PlannedCall {
  index: number;
  scenario: ScenarioName;
  /** Epoch ms of the call's first event. */
  startMs: number;
  /** What the call was built from: buildScenario(scenario, params) gives `built` again. */
  params: Partial<ScenarioParams>;
  built: BuiltScenario;
  truth: TruthLine[];
}

export interface CallContext {
  account: SimulatedAccount;
  pool: AgentPool;
  random: Random;
  speed: number;
  maxDeliveryDelayMs: number;
}

/** Plans call `index` of `scenario` at `startMs`; undefined when not enough agents are free then. */
export function planCall(context: CallContext, index: number, scenario: ScenarioName, startMs: number): PlannedCall | undefined {
  const { account, pool, random, speed } = context;
  const agents = pool.take(agentsNeeded(scenario), startMs, random);
  if (!agents) return undefined;
  const queue = random.pick(account.queues);
  const params: Partial<ScenarioParams> = {
    seed: random.int(1, 2 ** 31 - 1),
    startMs,
    accountId: account.accountId,
    agentExtensionIds: agents,
    queueExtensionId: queue.id,
    queueName: queue.name,
    ivrExtensionId: account.ivrExtensionId,
    customerNumber: `+1555${random.int(2_000_000, 9_999_999)}`,
    companyNumber: account.companyNumber,
    ...scaleDurations(drawDurations(random), speed),
    maxDeliveryDelayMs: context.maxDeliveryDelayMs,
  };
  const built = buildScenario(scenario, params);
  const lastEventMs = Math.max(...built.notifications.map(({ notification }) => Date.parse(notification.body.eventTime)));
  for (const agent of agents) {
    const ends = built.expectedLegs.filter((leg) => leg.extensionId === agent).map((leg) => leg.endMs);
    pool.holdUntil(agent, ends.length > 0 ? Math.max(...ends) : lastEventMs);
  }
  return { index, scenario, startMs, params, built, truth: truthOf(built, index) };
}

/** The truth lines of a built scenario: its legs (with the end reason its last event gives) and its summaries. */
export function truthOf(built: BuiltScenario, call: number): TruthLine[] {
  const lastEvents = new Map<string, { sequence: number; reason: string | undefined }>();
  for (const { notification } of built.notifications) {
    const { body } = notification;
    for (const party of body.parties) {
      const key = `${body.telephonySessionId}|${party.id}`;
      if ((lastEvents.get(key)?.sequence ?? -1) < body.sequence)
        lastEvents.set(key, { sequence: body.sequence, reason: party.status.reason });
    }
  }
  const legs = built.expectedLegs.map((leg): TruthLeg => {
    const reason = lastEvents.get(`${leg.telephonySessionId}|${leg.partyId}`)?.reason;
    return { type: 'leg', call, scenario: built.name, ...leg, ...(reason ? { endReason: reason } : {}) };
  });
  const sessions = built.expectedSummaries.map((summary): TruthSession => ({ type: 'session', call, scenario: built.name, ...summary }));
  const noCalls = (built.sessionsWithoutRecords ?? []).map(
    (telephonySessionId): TruthNoCall => ({ type: 'no-call', call, scenario: built.name, telephonySessionId }),
  );
  return [...legs, ...sessions, ...noCalls];
}
