// RingCentral party status codes and reasons, compared case-insensitively. Unknown codes are kept as sent. The spec's
// lists are contracts' (rc-status.ts).
import { type RcStatusCode, rcStatusCodes, rcStatusReasons } from '@callpulse/contracts';

/** The status codes RingCentral documents, in the spelling this project uses (`Voicemail`, as live payloads send). */
export type KnownStatusCode = Exclude<RcStatusCode, 'VoiceMail'> | 'Voicemail';
export const knownStatusCodes: readonly KnownStatusCode[] = rcStatusCodes.map((code) => (code === 'VoiceMail' ? 'Voicemail' : code));

const canonicalByLowerCase = new Map<string, KnownStatusCode>([
  ...knownStatusCodes.map((code): [string, KnownStatusCode] => [code.toLowerCase(), code]),
  // RingCentral's status-code table in the guide spells it so; the spec says VoiceMailScreening.
  ['vmscreening', 'VoiceMailScreening'],
]);

/**
 * `VoiceMail`, `Voicemail` and `VOICEMAIL` all become `Voicemail`, `VMScreening` becomes `VoiceMailScreening`; a code
 * RingCentral adds later is returned unchanged.
 */
export function canonicalStatusCode(code: string): string {
  return canonicalByLowerCase.get(code.trim().toLowerCase()) ?? code;
}

/** Codes after which a party is gone from the session. */
export function isTerminalCode(code: string): boolean {
  return code === 'Disconnected' || code === 'Gone';
}

const lower = (values: string[]) => new Set(values.map((value) => value.toLowerCase()));

/** `status.reason` values that mean the leg was handed to someone else. */
const transferReasons = lower(['BlindTransfer', 'AttendedTransfer', 'RccTransfer', 'DtmfTransfer', 'CallFlip', 'CallSwitch']);
/** Reasons that mean a ringing leg stopped because someone else took the call. */
const answeredElsewhereReasons = lower(['AgentAnswered', 'Pickup', 'TakeOver', 'CallReplied']);
const rejectedReasons = lower(['Rejected']);
const busyReasons = lower(['TargetBusy']);
const failedReasons = lower([
  'InternalError',
  'InvalidNumber',
  'InternationalDisabled',
  'DestinationBlocked',
  'NotEnoughFunds',
  'NoSuchUser',
]);
const parkReasons = lower(['CallPark', 'ParkLocation']);
/** The call was routed on while it rang: forwarded elsewhere, or the caller keyed in another extension. */
const redirectReasons = lower(['CallRedirected', 'CallerInputRedirect']);
/** A supervisor's party leaving for the monitored call (monitoring, barge, whisper). */
const supervisionReasons = lower(['Supervising']);

/**
 * Every reason of RingCentral's spec (CallStatusInfo.reason) and what the result rules make of it (docs/call-model.md,
 * "Result of an ended leg"). Reasons not named by a rule end a leg like no reason at all: its events decide.
 */
export const knownReasons = rcStatusReasons;

const has = (set: Set<string>, reason: string | null) => reason !== null && set.has(reason.toLowerCase());

export const reasonMeans = {
  transfer: (reason: string | null) => has(transferReasons, reason),
  answeredElsewhere: (reason: string | null) => has(answeredElsewhereReasons, reason),
  rejected: (reason: string | null) => has(rejectedReasons, reason),
  busy: (reason: string | null) => has(busyReasons, reason),
  failed: (reason: string | null) => has(failedReasons, reason),
  park: (reason: string | null) => has(parkReasons, reason),
  redirect: (reason: string | null) => has(redirectReasons, reason),
  supervision: (reason: string | null) => has(supervisionReasons, reason),
  voicemail: (reason: string | null) => reason !== null && reason.toLowerCase() === 'voicemail',
};
