// The call-state domain: pure functions from RingCentral notifications to legs, session summaries and records.

export { type Completeness, sessionCompleteness } from './completeness.js';
export { type CountedLeg, countedLeg, type Emitted, SESSION_EMIT_KEY } from './emitted.js';
export { foldStoredSession } from './fold.js';
export type { Leg, LegTimings } from './leg.js';
export { ANSWERED_ELSEWHERE_SLACK_MS } from './leg-result.js';
export { type LegStatus, legStatuses } from './leg-timeline.js';
export { compareEvents, orderEvents } from './order.js';
export { normaliseNotification, type PartyEndpoint, type PartyEvent, type PartyPeer, partyEventKey } from './party-event.js';
export { foldSession, nonCallOrigins, type SessionState } from './session.js';
export { canonicalStatusCode, knownReasons, knownStatusCodes } from './status.js';
export type { SessionSummary } from './summary.js';
export { applyTimeoutVerdict, effectiveEvents, isSyntheticEnd, TIMEOUT_EVENT_UUID, timeoutEvents } from './timeout.js';
export { toCompletedLegRecord, toSessionSummaryRecord } from './to-records.js';
