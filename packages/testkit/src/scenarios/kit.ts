// What every scenario uses: the people in the call, small gaps between related events, hang-ups and ground truth.
import type { RcCallParty } from '@callpulse/contracts';
import type { Random } from './random.js';
import { CallScript, type Party, type World } from './script.js';
import type { ExpectedLeg, ExpectedSummary, ScenarioParams } from './types.js';

export interface Kit {
  params: ScenarioParams;
  random: Random;
  /** A few ms to a few tens of ms: the spacing RingCentral shows between related events. */
  gap(): number;
  /** A new telephony session; `origin` is its `body.origin.type` (default Call). */
  script(origin?: string): CallScript;
  customer: RcCallParty;
  company: RcCallParty;
  agent(extensionId: string): RcCallParty;
}

export function createKit(params: ScenarioParams, random: Random): Kit {
  const world: World = {
    random,
    accountId: params.accountId,
    subscriptionId: `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-9${random.hex(3)}-${random.hex(12)}`,
    maxDeliveryDelayMs: params.maxDeliveryDelayMs,
  };
  return {
    params,
    random,
    gap: () => random.int(4, 60),
    script: (origin) => new CallScript(world, origin),
    customer: { phoneNumber: params.customerNumber, name: 'Casey Caller' },
    company: { phoneNumber: params.companyNumber },
    agent: (extensionId) => ({ phoneNumber: extensionId.slice(-3), name: `Agent ${extensionId.slice(-3)}`, extensionId }),
  };
}

export interface Side {
  script: CallScript;
  party: Party;
}

/** The side that hangs up leaves at endMs, the other a gap later (each in its own session). Returns both end times. */
export function hangUp(kit: Kit, endMs: number, agent: Side, customer: Side, endedBy: 'agent' | 'customer') {
  const later = endMs + kit.gap();
  const agentEndMs = endedBy === 'agent' ? endMs : later;
  const customerEndMs = endedBy === 'agent' ? later : endMs;
  const [first, second] = endedBy === 'agent' ? [agent, customer] : [customer, agent];
  first.script.emit(endMs, first.party, 'Disconnected');
  second.script.emit(later, second.party, 'Disconnected');
  return { agentEndMs, customerEndMs };
}

type LegFacts = Pick<ExpectedLeg, 'result' | 'endedBy' | 'startMs' | 'endMs'> & Partial<ExpectedLeg>;

export function expectLeg(script: CallScript, party: Party, facts: LegFacts): ExpectedLeg {
  const extensionId = party.spec.extensionId;
  if (!extensionId) throw new Error(`party ${party.id} has no extension: it cannot be a leg`);
  return {
    telephonySessionId: script.telephonySessionId,
    partyId: party.id,
    extensionId,
    direction: party.spec.direction,
    endedDuringHold: false,
    answerMs: 0,
    ringMs: 0,
    talkMs: 0,
    holdMs: 0,
    holdCount: 0,
    ...facts,
    durationMs: facts.endMs - facts.startMs,
  };
}

type SummaryFacts = Pick<ExpectedSummary, 'direction' | 'startMs' | 'endMs' | 'legCount'> & Partial<ExpectedSummary>;

export function expectSummary(script: CallScript, facts: SummaryFacts): ExpectedSummary {
  const firstAnswerMs = facts.firstAnswerMs ?? 0;
  const queueEnterMs = facts.queueEnterMs ?? 0;
  return {
    telephonySessionId: script.telephonySessionId,
    queueId: '',
    queueEnterMs,
    firstAnswerMs,
    waitMs: firstAnswerMs === 0 ? 0 : firstAnswerMs - (queueEnterMs || facts.startMs),
    answeredByExtensionId: '',
    abandoned: false,
    ...facts,
  };
}
