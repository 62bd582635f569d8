// The party status codes and reasons of RingCentral's spec (CallStatusInfo), as lists: call-state's rules name them,
// the tests run every one through ingest and call-state (packages/testkit/src/fixtures.ts).

/** `CallStatusInfo.code` of RingCentral's spec, in its order. Live payloads also send `Voicemail`; the guide `VMScreening`. */
export const rcStatusCodes = [
  'Setup',
  'Proceeding',
  'Answered',
  'Disconnected',
  'Gone',
  'Parked',
  'Hold',
  'VoiceMail',
  'FaxReceive',
  'Tds',
  'VoiceMailScreening',
] as const;
export type RcStatusCode = (typeof rcStatusCodes)[number];

/** Spellings seen outside the spec's enum: in live payloads (`Voicemail`) and in the guide's table (`VMScreening`). */
export const rcOtherStatusSpellings = ['Voicemail', 'VMScreening'] as const;

/** `CallStatusInfo.reason` of RingCentral's spec, in its order. */
export const rcStatusReasons = [
  'Pickup',
  'Supervising',
  'TakeOver',
  'Timeout',
  'BlindTransfer',
  'RccTransfer',
  'AttendedTransfer',
  'CallerInputRedirect',
  'CallFlip',
  'ParkLocation',
  'DtmfTransfer',
  'AgentAnswered',
  'AgentDropped',
  'Rejected',
  'Cancelled',
  'InternalError',
  'NoAnswer',
  'TargetBusy',
  'InvalidNumber',
  'InternationalDisabled',
  'DestinationBlocked',
  'NotEnoughFunds',
  'NoSuchUser',
  'CallPark',
  'CallRedirected',
  'CallReplied',
  'CallSwitch',
  'CallFinished',
  'CallDropped',
  'Voicemail',
] as const;
export type RcStatusReason = (typeof rcStatusReasons)[number];
