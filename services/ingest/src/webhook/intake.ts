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

/**
 * `receivedAtMs` (when the request arrived) bounds `body.eventTime` (see checkTelephonyNotification). Every error names
 * the field, never the content: it goes to logs, metrics and the dead-letter reason header.
 */
export function interpretWebhook(raw: Buffer, headers: Headers, verificationToken: string | undefined, receivedAtMs?: number): Intake {
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
    return { action: 'dead-letter', error: `body is not valid JSON${jsonErrorPosition(err as Error)}` };
  }
  const envelope = checkEnvelope(parsed);
  if (!envelope.ok) return { action: 'dead-letter', error: envelope.error };

  const kind = classifyEvent(envelope.value.event);
  if (kind !== 'telephony-session') {
    return { action: 'other-event', kind, uuid: envelope.value.uuid, event: envelope.value.event, body: envelope.value.body };
  }
  const notification = checkTelephonyNotification(parsed, { receivedAtMs });
  if (!notification.ok) return { action: 'dead-letter', error: notification.error };
  return { action: 'telephony', notification: notification.value };
}

/** Where JSON.parse gave up, without the snippet of the body V8 puts in some of its messages (personal data). */
function jsonErrorPosition(err: Error): string {
  const position = /at position (\d+)/.exec(err.message)?.[1];
  if (position !== undefined) return ` (at position ${position})`;
  return /end of JSON input/.test(err.message) ? ' (it ends too early)' : '';
}
