// How a party event is stored in its session's events hash: a compact JSON array (every field by position, no field
// names; the session's own telephonySessionId left out, it is in the key), about a third of the event's JSON object.
// Lossless: decode(encode(event)) has every field of the event, in normaliseNotification's order (the emitter sends
// the stored events on as they are). Values stored as JSON objects by earlier releases are still read: a rolling
// upgrade meets sessions stored before it. Pure.
import type { PartyEndpoint, PartyEvent, PartyPeer } from '@callpulse/call-model';

/** The first element of a stored array: the layout below. */
export const EVENT_CODEC_VERSION = 1;

// Bits of the flags element.
const MISSED_CALL = 1;
const QUEUE_CALL = 2;
const MUTED_SET = 4;
const MUTED = 8;
const STAND_ALONE_SET = 16;
const STAND_ALONE = 32;
const CONFERENCE_ROLE_SET = 64;

type Text = string | null;

/**
 * [version, telephonySessionId (null: the session's own), notificationUuid, sessionId, sequence, eventTimeMs, originType,
 * accountId, partyId, extensionId, direction, from phoneNumber, name, extensionId, to phoneNumber, name, extensionId,
 * statusCode, rawStatusCode (null: the same as statusCode), reason, flags, queueId, queueName, parkId, recordings
 * ([id, active 0/1, ...]), peer ([sessionId, telephonySessionId, partyId] or null), conferenceRole]
 */
type Stored = [
  number,
  Text,
  string,
  string,
  number,
  number,
  Text,
  Text,
  string,
  Text,
  PartyEvent['direction'],
  Text,
  Text,
  Text,
  Text,
  Text,
  Text,
  string,
  Text,
  Text,
  number,
  Text,
  Text,
  Text,
  Array<string | number>,
  [Text, Text, Text] | null,
  Text,
];

/** The stored form of an event of the session `telephonySessionId`. */
export function encodeEvent(event: PartyEvent, telephonySessionId: string): string {
  const { from, to, peer } = event;
  let flags = 0;
  if (event.missedCall) flags |= MISSED_CALL;
  if (event.queueCall) flags |= QUEUE_CALL;
  if (event.muted !== undefined) flags |= event.muted ? MUTED_SET | MUTED : MUTED_SET;
  if (event.standAlone !== undefined) flags |= event.standAlone ? STAND_ALONE_SET | STAND_ALONE : STAND_ALONE_SET;
  if (event.conferenceRole !== undefined) flags |= CONFERENCE_ROLE_SET;
  const recordings: Array<string | number> = [];
  for (const recording of event.recordings) recordings.push(recording.id, recording.active ? 1 : 0);
  const stored: Stored = [
    EVENT_CODEC_VERSION,
    event.telephonySessionId === telephonySessionId ? null : event.telephonySessionId,
    event.notificationUuid,
    event.sessionId,
    event.sequence,
    event.eventTimeMs,
    event.originType,
    event.accountId,
    event.partyId,
    event.extensionId,
    event.direction,
    from.phoneNumber,
    from.name,
    from.extensionId,
    to.phoneNumber,
    to.name,
    to.extensionId,
    event.statusCode,
    event.rawStatusCode === event.statusCode ? null : event.rawStatusCode,
    event.reason,
    flags,
    event.queueId,
    event.queueName,
    event.parkId,
    recordings,
    peer === null ? null : [peer.sessionId, peer.telephonySessionId, peer.partyId],
    event.conferenceRole ?? null,
  ];
  return JSON.stringify(stored);
}

const endpoint = (phoneNumber: Text, name: Text, extensionId: Text): PartyEndpoint => ({ phoneNumber, name, extensionId });

function fromStored(s: Stored, telephonySessionId: string): PartyEvent {
  const flags = s[20];
  const recordings: Array<{ id: string; active: boolean }> = [];
  const stored = s[24];
  for (let i = 0; i < stored.length; i += 2) recordings.push({ id: String(stored[i]), active: stored[i + 1] === 1 });
  const peer = s[25];
  const event: PartyEvent = {
    notificationUuid: s[2],
    telephonySessionId: s[1] ?? telephonySessionId,
    sessionId: s[3],
    sequence: s[4],
    eventTimeMs: s[5],
    originType: s[6],
    accountId: s[7],
    partyId: s[8],
    extensionId: s[9],
    direction: s[10],
    from: endpoint(s[11], s[12], s[13]),
    to: endpoint(s[14], s[15], s[16]),
    statusCode: s[17],
    rawStatusCode: s[18] ?? s[17],
    reason: s[19],
    missedCall: (flags & MISSED_CALL) !== 0,
    queueCall: (flags & QUEUE_CALL) !== 0,
    queueId: s[21],
    queueName: s[22],
    parkId: s[23],
    recordings,
    peer: peer === null ? null : ({ sessionId: peer[0], telephonySessionId: peer[1], partyId: peer[2] } satisfies PartyPeer),
  };
  // Optional fields only when the event had them (events stored before they were read lack them).
  if (flags & MUTED_SET) event.muted = (flags & MUTED) !== 0;
  if (flags & STAND_ALONE_SET) event.standAlone = (flags & STAND_ALONE) !== 0;
  if (flags & CONFERENCE_ROLE_SET) event.conferenceRole = s[26];
  return event;
}

/** The event a stored value holds: the compact array, or the JSON object earlier releases stored. */
export function decodeEvent(value: string, telephonySessionId: string): PartyEvent {
  const parsed = JSON.parse(value) as Stored | PartyEvent;
  if (!Array.isArray(parsed)) return parsed;
  if (parsed[0] !== EVENT_CODEC_VERSION) {
    throw new Error(`a stored event of session ${telephonySessionId} has layout ${String(parsed[0])}, not ${EVENT_CODEC_VERSION}`);
  }
  return fromStored(parsed, telephonySessionId);
}
