// What to do with one webhook request, decided on plain data (no I/O): answer the validation handshake, refuse
// an unverified sender, dead-letter a malformed body, or route a notification to its topic.
import {
  checkEnvelope,
  checkTelephonyNotification,
  classifyEvent,
  type NotificationKind,
  type TelephonyNotification,
} from '@callpulse/shared';
import { tokensMatch } from './verify.js';

export type Intake =
  | { action: 'handshake'; validationToken: string }
  | { action: 'unauthorized'; error: string }
  | { action: 'dead-letter'; error: string }
  | { action: 'telephony'; notification: TelephonyNotification }
  | { action: 'other-event'; kind: Exclude<NotificationKind, 'telephony-session'>; uuid: string; event: string; body: unknown };

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function interpretWebhook(raw: Buffer, headers: Headers, verificationToken: string | undefined): Intake {
  const validationToken = header(headers, 'validation-token');
  if (validationToken !== undefined) return { action: 'handshake', validationToken };

  if (verificationToken !== undefined) {
    const presented = header(headers, 'verification-token');
    if (presented === undefined) return { action: 'unauthorized', error: 'missing Verification-Token header' };
    if (!tokensMatch(presented, verificationToken)) return { action: 'unauthorized', error: 'Verification-Token does not match' };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { action: 'dead-letter', error: `body is not valid JSON: ${(err as Error).message}` };
  }
  const envelope = checkEnvelope(parsed);
  if (!envelope.ok) return { action: 'dead-letter', error: envelope.error };

  const kind = classifyEvent(envelope.value.event);
  if (kind !== 'telephony-session') {
    return { action: 'other-event', kind, uuid: envelope.value.uuid, event: envelope.value.event, body: envelope.value.body };
  }
  const notification = checkTelephonyNotification(parsed);
  if (!notification.ok) return { action: 'dead-letter', error: notification.error };
  return { action: 'telephony', notification: notification.value };
}
