// One party's change in one notification, normalised: the unit the fold works on. Plain JSON (stored in Redis).
import type { Direction, RcCallParty, RcParty, TelephonyNotification } from '@callpulse/contracts';
import { canonicalStatusCode } from './status.js';

export interface PartyEndpoint {
  phoneNumber: string | null;
  name: string | null;
  extensionId: string | null;
}

export interface PartyPeer {
  sessionId: string | null;
  telephonySessionId: string | null;
  partyId: string | null;
}

export interface PartyEvent {
  notificationUuid: string;
  telephonySessionId: string;
  /** The legacy numeric session id, '' when absent. */
  sessionId: string;
  sequence: number;
  /** `body.eventTime` as epoch ms: when the change happened, never when it arrived. */
  eventTimeMs: number;
  originType: string | null;
  accountId: string | null;
  partyId: string;
  /** The party's own extension; null for PSTN and other outside parties. */
  extensionId: string | null;
  direction: Direction | null;
  from: PartyEndpoint;
  to: PartyEndpoint;
  /** Canonical spelling (see status.ts); unknown codes as sent. */
  statusCode: string;
  /** The code exactly as RingCentral sent it. */
  rawStatusCode: string;
  reason: string | null;
  missedCall: boolean;
  queueCall: boolean;
  /** For a queue member's party: the queue's extension id (`to.extensionId`) and its name (`uiCallInfo` QueueName). */
  queueId: string | null;
  queueName: string | null;
  /** `park.id`, else `status.parkData` (the park extension, *8xx, of a call parked on a park extension). */
  parkId: string | null;
  recordings: Array<{ id: string; active: boolean }>;
  peer: PartyPeer | null;
  /** The party's microphone is muted (live board only). Absent in events stored before it was read. */
  muted?: boolean;
  /** The party is not connected to the session's voice conference (e.g. a parked or consulting party). */
  standAlone?: boolean;
  /** `Host` or `Participant` of a server-side conference; null otherwise. */
  conferenceRole?: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

function endpoint(value: RcCallParty | undefined): PartyEndpoint {
  return { phoneNumber: text(value?.phoneNumber), name: text(value?.name), extensionId: text(value?.extensionId) };
}

function queueName(party: RcParty): string | null {
  for (const info of [party.uiCallInfo?.primary, party.uiCallInfo?.additional]) {
    if (info?.type?.toLowerCase() === 'queuename' && text(info.value)) return text(info.value);
  }
  return null;
}

function peer(party: RcParty): PartyPeer | null {
  const value = party.status.peerId;
  if (!value) return null;
  const result = { sessionId: text(value.sessionId), telephonySessionId: text(value.telephonySessionId), partyId: text(value.partyId) };
  return result.sessionId || result.telephonySessionId || result.partyId ? result : null;
}

function direction(value: unknown): Direction | null {
  if (typeof value !== 'string') return null;
  const lowered = value.toLowerCase();
  return lowered === 'inbound' ? 'Inbound' : lowered === 'outbound' ? 'Outbound' : null;
}

/** Parses `body.eventTime`; throws naming the notification when it is not an ISO-8601 time. */
function eventTimeMs(notification: TelephonyNotification): number {
  const ms = Date.parse(notification.body.eventTime);
  if (Number.isNaN(ms)) {
    throw new Error(
      `notification ${notification.uuid}: body.eventTime ${JSON.stringify(notification.body.eventTime)} is not an ISO-8601 time`,
    );
  }
  return ms;
}

/** One event per entry of `body.parties`, in the order sent. Expects a notification that passed `checkTelephonyNotification`. */
export function normaliseNotification(notification: TelephonyNotification): PartyEvent[] {
  const { body } = notification;
  const timeMs = eventTimeMs(notification);
  return body.parties.map((party): PartyEvent => {
    const queueCall = party.queueCall === true;
    return {
      notificationUuid: notification.uuid,
      telephonySessionId: body.telephonySessionId,
      sessionId: text(body.sessionId) ?? '',
      sequence: body.sequence,
      eventTimeMs: timeMs,
      originType: text(body.origin?.type),
      accountId: text(party.accountId),
      partyId: party.id,
      extensionId: text(party.extensionId),
      direction: direction(party.direction),
      from: endpoint(party.from),
      to: endpoint(party.to),
      statusCode: canonicalStatusCode(party.status.code),
      rawStatusCode: party.status.code,
      reason: text(party.status.reason),
      missedCall: party.missedCall === true,
      queueCall,
      queueId: queueCall ? text(party.to?.extensionId) : null,
      queueName: queueName(party),
      parkId: text(party.park?.id) ?? text(party.status.parkData),
      recordings: (party.recordings ?? []).map((recording) => ({ id: String(recording.id), active: recording.active === true })),
      peer: peer(party),
      muted: party.muted === true,
      standAlone: party.standAlone === true,
      conferenceRole: text(party.conferenceRole),
    };
  });
}

/** The notification uuid of the reaper's synthetic ends (timeout.ts). */
export const SYNTHETIC_END_UUID = 'callpulse-reaper-timeout';

/**
 * The dedupe key of an event within its session: one party's change at one sequence number. The reaper's synthetic
 * ends have a namespace of their own, so they never shadow a real event that comes later with the same sequence.
 */
export function partyEventKey(event: Pick<PartyEvent, 'sequence' | 'partyId' | 'notificationUuid'>): string {
  return event.notificationUuid === SYNTHETIC_END_UUID
    ? `timeout:${event.partyId}:${event.sequence}`
    : `${event.sequence}:${event.partyId}`;
}
