// RingCentral notifications as they arrive on the webhook: their types, and the check that a body is a
// telephony-session notification we can process. See ../../../docs/call-model.md and README "Webhook".

export interface RcCallParty {
  phoneNumber?: string;
  name?: string;
  extensionId?: string;
  deviceId?: string;
}

export interface RcPartyStatus {
  code: string;
  reason?: string;
  description?: string;
  rcc?: boolean;
  peerId?: { sessionId?: string; telephonySessionId?: string; partyId?: string };
  parkData?: string;
  mobilePickupData?: unknown;
}

export interface RcParty {
  id: string;
  accountId?: string;
  extensionId?: string;
  direction?: 'Inbound' | 'Outbound';
  from?: RcCallParty;
  to?: RcCallParty;
  status: RcPartyStatus;
  park?: { id?: string };
  missedCall?: boolean;
  standAlone?: boolean;
  muted?: boolean;
  queueCall?: boolean;
  conferenceRole?: string;
  ringOutRole?: string;
  ringMeRole?: string;
  recordings?: Array<{ id: string; active?: boolean }>;
  uiCallInfo?: { primary?: { type?: string; value?: string }; additional?: { type?: string; value?: string } };
  [extra: string]: unknown;
}

export interface TelephonySessionBody {
  sequence: number;
  sessionId?: string;
  telephonySessionId: string;
  serverId?: string;
  eventTime: string;
  origin?: { type?: string };
  parties: RcParty[];
  [extra: string]: unknown;
}

export interface TelephonyNotification {
  uuid: string;
  event: string;
  timestamp?: string;
  subscriptionId?: string;
  ownerId?: string;
  body: TelephonySessionBody;
}

/** What a webhook body is, by its `event`. */
export type NotificationKind = 'telephony-session' | 'extension-list' | 'subscription-renewal' | 'other';

export function classifyEvent(event: string): NotificationKind {
  if (/\/telephony\/sessions(\?|$)/.test(event)) return 'telephony-session';
  if (/\/account\/[^/]+\/extension(\?|$)/.test(event)) return 'extension-list';
  if (/\/subscription\/[^/]+(\?|$)/.test(event) || /subscription/i.test(event)) return 'subscription-renewal';
  return 'other';
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks the envelope every RingCentral notification has: `uuid`, `event` and an object `body`. */
export function checkEnvelope(value: unknown): Checked<{ uuid: string; event: string; body: Record<string, unknown> }> {
  if (!isObject(value)) return { ok: false, error: 'body must be a JSON object' };
  if (!isNonEmptyString(value.uuid)) return { ok: false, error: '`uuid` is missing or not a non-empty string' };
  if (!isNonEmptyString(value.event)) return { ok: false, error: '`event` is missing or not a non-empty string' };
  if (!isObject(value.body)) return { ok: false, error: '`body` is missing or not an object' };
  return { ok: true, value: { uuid: value.uuid, event: value.event, body: value.body } };
}

/** How far before its receipt a telephony event may have happened: older is not a live call (and would make durations absurd). */
export const EVENT_TIME_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** How far after its receipt a telephony event may claim to have happened (clock skew). */
export const EVENT_TIME_MAX_AHEAD_MS = 60 * 60 * 1000;

export interface NotificationCheckOptions {
  /**
   * When ingest received the notification (epoch ms; the `callpulse-received-at` header). When given, `body.eventTime`
   * must lie within EVENT_TIME_MAX_AGE_MS before and EVENT_TIME_MAX_AHEAD_MS after it, which keeps every duration
   * derived from one session's events far below 2^31 ms (a GraphQL Int).
   */
  receivedAtMs?: number;
}

/**
 * Checks that a parsed webhook body is a telephony-session notification with every field the pipeline relies on,
 * each of the type the pipeline reads it as. The error names the first field that is missing or malformed.
 */
export function checkTelephonyNotification(value: unknown, options: NotificationCheckOptions = {}): Checked<TelephonyNotification> {
  const envelope = checkEnvelope(value);
  if (!envelope.ok) return envelope;
  const body = envelope.value.body;
  if (!isNonEmptyString(body.telephonySessionId)) {
    return { ok: false, error: '`body.telephonySessionId` is missing or not a non-empty string' };
  }
  if (typeof body.sequence !== 'number' || !Number.isSafeInteger(body.sequence) || body.sequence < 0) {
    return { ok: false, error: '`body.sequence` is missing or not a non-negative safe integer' };
  }
  const eventTimeMs = isNonEmptyString(body.eventTime) ? Date.parse(body.eventTime) : Number.NaN;
  if (Number.isNaN(eventTimeMs)) {
    return { ok: false, error: '`body.eventTime` is missing or not an ISO-8601 time' };
  }
  const { receivedAtMs } = options;
  if (receivedAtMs !== undefined && Number.isFinite(receivedAtMs)) {
    if (eventTimeMs < receivedAtMs - EVENT_TIME_MAX_AGE_MS) {
      return { ok: false, error: '`body.eventTime` is more than 7 days before the notification was received' };
    }
    if (eventTimeMs > receivedAtMs + EVENT_TIME_MAX_AHEAD_MS) {
      return { ok: false, error: '`body.eventTime` is more than 1 hour after the notification was received' };
    }
  }
  if (!Array.isArray(body.parties) || body.parties.length === 0) {
    return { ok: false, error: '`body.parties` is missing or not a non-empty array' };
  }
  for (const [index, party] of body.parties.entries()) {
    const error = checkParty(party, `body.parties[${index}]`);
    if (error) return { ok: false, error };
  }
  return { ok: true, value: value as TelephonyNotification };
}

/** The error naming a party's first malformed field, or undefined. Optional fields are checked only when present. */
function checkParty(party: unknown, path: string): string | undefined {
  if (!isObject(party)) return `\`${path}\` is not an object`;
  if (!isNonEmptyString(party.id)) return `\`${path}.id\` is missing or not a non-empty string`;
  if (!isObject(party.status) || !isNonEmptyString(party.status.code)) {
    return `\`${path}.status.code\` is missing or not a non-empty string`;
  }
  const { recordings, uiCallInfo } = party;
  if (recordings !== undefined && recordings !== null) {
    if (!Array.isArray(recordings)) return `\`${path}.recordings\` is not an array`;
    for (const [at, recording] of recordings.entries()) {
      if (!isObject(recording)) return `\`${path}.recordings[${at}]\` is not an object`;
      const { id } = recording;
      if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
        return `\`${path}.recordings[${at}].id\` is not a string or number`;
      }
    }
  }
  if (isObject(uiCallInfo)) {
    for (const part of ['primary', 'additional'] as const) {
      const info = uiCallInfo[part];
      if (isObject(info) && info.type !== undefined && info.type !== null && typeof info.type !== 'string') {
        return `\`${path}.uiCallInfo.${part}.type\` is not a string`;
      }
    }
  }
  return undefined;
}
