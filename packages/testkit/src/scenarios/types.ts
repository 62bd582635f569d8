// What a scenario is given and what it gives back: RingCentral-shaped notifications plus the ground truth.
import type { Direction, EndedBy, LegResult, TelephonyNotification } from '@callpulse/contracts';

export interface ScenarioParams {
  /** Drives every id and every duration not given below. */
  seed: number;
  /** Epoch ms of the call's first event. */
  startMs: number;
  accountId: string;
  /** Monitored agents' extension ids; scenarios use the first one to three. */
  agentExtensionIds: string[];
  queueExtensionId: string;
  queueName: string;
  ivrExtensionId: string;
  customerNumber: string;
  companyNumber: string;
  /** Durations in ms; drawn from the seed when not given. */
  ringMs: number;
  talkMs: number;
  holdMs: number;
  ivrMs: number;
  queueWaitMs: number;
  parkMs: number;
  voicemailMs: number;
  /** Who hangs up where the scenario leaves it open. */
  endedBy: 'agent' | 'customer';
  /** Upper bound of the delay between an event and its delivery (sendAtMs - eventTime). */
  maxDeliveryDelayMs: number;
}

export interface TimedNotification {
  /** When a simulator should deliver it (epoch ms): its eventTime plus a small delivery delay. */
  sendAtMs: number;
  notification: TelephonyNotification;
}

/** The intended outcome of one leg (times in epoch ms, 0 when absent; durations in ms). */
export interface ExpectedLeg {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  direction: Direction;
  result: LegResult;
  endedBy: EndedBy;
  endedDuringHold: boolean;
  startMs: number;
  answerMs: number;
  endMs: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  durationMs: number;
}

export interface ExpectedSummary {
  telephonySessionId: string;
  direction: Direction;
  startMs: number;
  endMs: number;
  queueId: string;
  queueEnterMs: number;
  firstAnswerMs: number;
  waitMs: number;
  answeredByExtensionId: string;
  abandoned: boolean;
  legCount: number;
}

export interface BuiltScenario {
  name: string;
  monitoredExtensionIds: string[];
  /** Every notification of every session of the scenario, ordered by sendAtMs. */
  notifications: TimedNotification[];
  expectedLegs: ExpectedLeg[];
  expectedSummaries: ExpectedSummary[];
  /** Sessions of the scenario that must give no record at all (no call: a greeting recording, ...). */
  sessionsWithoutRecords?: string[];
}
