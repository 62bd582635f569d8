// @callpulse/call-model: the call model, pure (no I/O): RingCentral notifications to party events, the order-free
// session fold (leg timelines, result and endedBy rules, the session summary), completeness, timeouts, records, and
// the explanation of each figure. call-state runs it on live traffic; the API explains a stored call with it.

export { type Completeness, sessionCompleteness, uncertainStarts } from './completeness.js';
export {
  PARTY_EVENTS_KIND,
  PARTY_EVENTS_PER_RECORD,
  PARTY_EVENTS_SCHEMA_VERSION,
  type PartyEventsRecord,
  partyEventSchema,
  partyEventsRecordSchema,
  partyEventsRecords,
} from './events-record.js';
export {
  type ExplainedEvent,
  explainSession,
  type LegExplanation,
  type LegFigures,
  type PhaseSum,
  phaseRules,
  type SessionExplanation,
} from './explain.js';
export { foldStoredSession, foldStoredSessionFrom, type OrderedFold } from './fold.js';
export type { Leg, LegTimings } from './leg.js';
export { ANSWERED_ELSEWHERE_SLACK_MS, type EndedByDecision, type Facts, type ResultDecision } from './leg-result.js';
export { type LegStatus, legStatuses, type Phase, type PhaseKind, type PhaseMark, phaseKinds } from './leg-timeline.js';
export { type Decoded, decodeMessage, type TelephonyMessage } from './message.js';
export { compareEvents, orderEvents } from './order.js';
export type { Moment } from './parties.js';
export { normaliseNotification, type PartyEndpoint, type PartyEvent, type PartyPeer, partyEventKey } from './party-event.js';
export { foldSession, nonCallOrigins, type SessionState } from './session.js';
export { canonicalStatusCode, knownReasons, knownStatusCodes } from './status.js';
export type { SessionSummary } from './summary.js';
export { applyTimeoutVerdict, effectiveEvents, isSyntheticEnd, TIMEOUT_EVENT_UUID, timeoutEvents } from './timeout.js';
export { toCompletedLegRecord, toSessionSummaryRecord } from './to-records.js';
