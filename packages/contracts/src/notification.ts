// RingCentral notifications as they arrive on the webhook: their types, and the check that a body is a
// telephony-session notification the pipeline can use. RingCentral's spec marks every field optional: the check
// requires only what the pipeline needs and gives a view of the rest (the raw body is kept as received).
// See ../../../docs/call-model.md and README "Ingest: the webhook".

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
  /** As sent, or derived from the session and sequence when missing (see derivedNotificationUuid). */
  uuid: string;
  /** As sent; '' when the notification had none (it was recognised by its body). */
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

/** A WebHook notification's envelope as the pipeline reads it: `uuid` and `event` when sent (strings), and the object `body`. */
export interface Envelope {
  uuid: string | undefined;
  event: string | undefined;
  body: Record<string, unknown>;
}

/** The envelope keys of RingCentral's mobile-push transports (APNs, FCM): a body published for them is not a WebHook one. */
const MOBILE_PUSH_KEYS = ['pn_apns', 'pn_gcm'] as const;

/** Reads the envelope: only a JSON object with an object `body` is a notification; `uuid` and `event` may be missing. */
export function readEnvelope(value: unknown): Checked<Envelope> {
  if (!isObject(value)) return { ok: false, error: 'body must be a JSON object' };
  if (!isObject(value.body)) {
    const push = MOBILE_PUSH_KEYS.find((key) => isObject(value[key]));
    if (push) return { ok: false, error: `\`${push}\`: a mobile-push envelope, not a WebHook notification (no top-level \`body\`)` };
    return { ok: false, error: '`body` is missing or not an object' };
  }
  return {
    ok: true,
    value: {
      uuid: isNonEmptyString(value.uuid) ? value.uuid : undefined,
      event: isNonEmptyString(value.event) ? value.event : undefined,
      body: value.body,
    },
  };
}

/** The envelope with `uuid` and `event` required (the check before ingest read the body's shape too); kept for callers. */
export function checkEnvelope(value: unknown): Checked<{ uuid: string; event: string; body: Record<string, unknown> }> {
  const envelope = readEnvelope(value);
  if (!envelope.ok) return envelope;
  const { uuid, event, body } = envelope.value;
  if (uuid === undefined) return { ok: false, error: '`uuid` is missing or not a non-empty string' };
  if (event === undefined) return { ok: false, error: '`event` is missing or not a non-empty string' };
  return { ok: true, value: { uuid, event, body } };
}

/**
 * What a notification is: by its `event` when that is one RingCentral documents, else by its body (a
 * `telephonySessionId` or `parties`: a telephony session; `extensions[]` or a flat `{extensionId, eventType}`: an
 * extension-list change). Every field is optional in the spec, `event` too.
 */
export function notificationKind(envelope: Pick<Envelope, 'event' | 'body'>): NotificationKind {
  const byEvent = envelope.event === undefined ? 'other' : classifyEvent(envelope.event);
  if (byEvent !== 'other') return byEvent;
  const { body } = envelope;
  if ('telephonySessionId' in body || Array.isArray(body.parties)) return 'telephony-session';
  if (Array.isArray(body.extensions) || ('extensionId' in body && 'eventType' in body)) return 'extension-list';
  return 'other';
}

/**
 * The uuid of a telephony notification sent without one: stable (a redelivery gets the same), and the same key as
 * call-state's own dedupe of a party's change (`sequence:partyId` within the session). Never a RingCentral uuid.
 */
export function derivedNotificationUuid(telephonySessionId: string, sequence: number): string {
  return `derived:${telephonySessionId}:${sequence}`;
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
 * A usable notification comes with `notes`: what the view leaves out or fills in (a skipped party, a derived uuid),
 * each naming the field, never its content.
 */
export type CheckedNotification = { ok: true; value: TelephonyNotification; notes: string[] } | { ok: false; error: string };

/**
 * Checks that a parsed webhook body is a telephony-session notification the pipeline can use, and gives the view the
 * pipeline reads. Required: `body.telephonySessionId` (the Kafka key), `body.sequence` (a non-negative safe integer:
 * order and dedupe), `body.eventTime` (ISO-8601, within the bounds) and at least one party with `id` and
 * `status.code`. Everything else is optional, as in RingCentral's spec, and kept as sent. In the view:
 * - a missing `uuid` is derived from the session and sequence (derivedNotificationUuid);
 * - a party without `id` or `status.code` is left out (the others are used);
 * - an optional field the call model reads but that has the wrong type (`recordings`, `uiCallInfo.*.type`) is left out.
 * The view is the parsed value itself when nothing was left out or filled in. The error names the first field the
 * pipeline cannot do without.
 */
export function checkTelephonyNotification(value: unknown, options: NotificationCheckOptions = {}): CheckedNotification {
  const envelope = readEnvelope(value);
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
  if (!Array.isArray(body.parties) || body.parties.length === 0) return { ok: false, error: '`body.parties` is missing or empty' };

  const notes: string[] = [];
  let changed = false;
  const parties: RcParty[] = [];
  let firstProblem: string | undefined;
  for (const [index, party] of body.parties.entries()) {
    const path = `body.parties[${index}]`;
    const problem = partyProblem(party, path);
    if (problem) {
      firstProblem ??= problem;
      notes.push(`${problem}: party skipped`);
      changed = true;
      continue;
    }
    const view = partyView(party as Record<string, unknown>, path, notes);
    if (view !== party) changed = true;
    parties.push(view as RcParty);
  }
  if (parties.length === 0) return { ok: false, error: `${firstProblem} (no party the pipeline can use)` };

  let uuid = envelope.value.uuid;
  if (uuid === undefined) {
    uuid = derivedNotificationUuid(body.telephonySessionId, body.sequence);
    notes.unshift('`uuid` is missing or not a non-empty string: derived from `body.telephonySessionId` and `body.sequence`');
    changed = true;
  }
  const event = envelope.value.event ?? '';
  if (event !== (value as Record<string, unknown>).event) changed = true;
  if (!changed) return { ok: true, value: value as TelephonyNotification, notes };
  const viewed = { ...(value as Record<string, unknown>), uuid, event, body: { ...body, parties } };
  return { ok: true, value: viewed as unknown as TelephonyNotification, notes };
}

/** What makes a party unusable (no `id`, no `status.code`), naming the field; undefined when usable. */
function partyProblem(party: unknown, path: string): string | undefined {
  if (!isObject(party)) return `\`${path}\` is not an object`;
  if (!isNonEmptyString(party.id)) return `\`${path}.id\` is missing or not a non-empty string`;
  if (!isObject(party.status) || !isNonEmptyString(party.status.code))
    return `\`${path}.status.code\` is missing or not a non-empty string`;
  return undefined;
}

/**
 * The party as the call model may read it: optional fields it reads whose type is wrong are left out (with a note),
 * so a malformed detail never costs the party's change. The party itself when nothing is left out.
 */
function partyView(party: Record<string, unknown>, path: string, notes: string[]): Record<string, unknown> {
  let view = party;
  const { recordings, uiCallInfo } = party;
  if (recordings !== undefined && recordings !== null) {
    if (!Array.isArray(recordings)) {
      notes.push(`\`${path}.recordings\` is not an array: left out`);
      view = { ...view, recordings: undefined };
    } else {
      const kept = recordings.filter((recording, at) => {
        if (!isObject(recording)) {
          notes.push(`\`${path}.recordings[${at}]\` is not an object: left out`);
          return false;
        }
        const { id } = recording;
        if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') {
          notes.push(`\`${path}.recordings[${at}].id\` is not a string or number: left out`);
          return false;
        }
        return true;
      });
      if (kept.length !== recordings.length) view = { ...view, recordings: kept };
    }
  }
  if (isObject(uiCallInfo)) {
    let info = uiCallInfo;
    for (const part of ['primary', 'additional'] as const) {
      const entry = uiCallInfo[part];
      if (isObject(entry) && entry.type !== undefined && entry.type !== null && typeof entry.type !== 'string') {
        notes.push(`\`${path}.uiCallInfo.${part}.type\` is not a string: left out`);
        info = { ...info, [part]: undefined };
      }
    }
    if (info !== uiCallInfo) view = { ...view, uiCallInfo: info };
  }
  return view;
}
