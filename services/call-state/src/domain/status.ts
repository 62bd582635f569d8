// RingCentral party status codes and reasons, compared case-insensitively. Unknown codes are kept as sent.

/** The status codes RingCentral documents, in the spelling this project uses (`Voicemail`, as live payloads send). */
export const knownStatusCodes = [
  'Setup',
  'Proceeding',
  'Answered',
  'Disconnected',
  'Gone',
  'Parked',
  'Hold',
  'Voicemail',
  'VoiceMailScreening',
  'FaxReceive',
  'Tds',
] as const;
export type KnownStatusCode = (typeof knownStatusCodes)[number];

const canonicalByLowerCase = new Map<string, KnownStatusCode>(knownStatusCodes.map((code) => [code.toLowerCase(), code]));

/** `VoiceMail`, `Voicemail` and `VOICEMAIL` all become `Voicemail`; a code RingCentral adds later is returned unchanged. */
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

const has = (set: Set<string>, reason: string | null) => reason !== null && set.has(reason.toLowerCase());

export const reasonMeans = {
  transfer: (reason: string | null) => has(transferReasons, reason),
  answeredElsewhere: (reason: string | null) => has(answeredElsewhereReasons, reason),
  rejected: (reason: string | null) => has(rejectedReasons, reason),
  busy: (reason: string | null) => has(busyReasons, reason),
  failed: (reason: string | null) => has(failedReasons, reason),
  park: (reason: string | null) => has(parkReasons, reason),
  voicemail: (reason: string | null) => reason !== null && reason.toLowerCase() === 'voicemail',
};
