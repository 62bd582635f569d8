// What to do with one webhook request, decided on plain data (no I/O). A request without a body that carries
// Validation-Token is RingCentral's subscription handshake; any request with a body is a notification, whatever its
// headers. A notification that is not RingCentral's (a token is configured and none presented matches) is refused;
// every genuine one is kept: routed to its topic, or dead-lettered with the reason when the pipeline cannot use it.
import {
  checkTelephonyNotification,
  type NotificationKind,
  notificationKind,
  readEnvelope,
  type TelephonyNotification,
} from '@callpulse/contracts';
import { type AcceptedTokens, type Headers, header, unverifiedReason } from './verify.js';

export type Intake =
  | { action: 'handshake'; validationToken: string }
  | { action: 'unauthorized'; error: string }
  | { action: 'dead-letter'; error: string }
  /** `notes`: what the pipeline's view left out or filled in (a skipped party, a derived uuid), for the log. */
  | { action: 'telephony'; notification: TelephonyNotification; notes: string[] }
  | {
      action: 'other-event';
      kind: Exclude<NotificationKind, 'telephony-session'>;
      uuid: string | undefined;
      event: string | undefined;
      body: Record<string, unknown>;
    };

/**
 * `receivedAtMs` (when the request arrived) bounds `body.eventTime` (see checkTelephonyNotification); a genuine body
 * over `bodyLimitBytes` is dead-lettered unread. Every error names the field, never the content: it goes to logs,
 * metrics, the answer and the dead-letter reason header.
 */
export function interpretWebhook(
  raw: Buffer,
  headers: Headers,
  verificationToken: AcceptedTokens,
  receivedAtMs?: number,
  bodyLimitBytes = Number.POSITIVE_INFINITY,
): Intake {
  const validationToken = header(headers, 'validation-token');
  if (raw.length === 0 && validationToken !== undefined) return { action: 'handshake', validationToken };

  const unverified = unverifiedReason(headers, verificationToken);
  if (unverified !== undefined) return { action: 'unauthorized', error: unverified };

  if (raw.length > bodyLimitBytes) {
    return { action: 'dead-letter', error: `body is larger than INGEST_BODY_LIMIT_BYTES (${raw.length} > ${bodyLimitBytes} bytes)` };
  }
  if (raw.length === 0) return { action: 'dead-letter', error: 'body is empty (and no Validation-Token: not a handshake)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { action: 'dead-letter', error: `body is not valid JSON${jsonErrorPosition(err as Error)}` };
  }
  const envelope = readEnvelope(parsed);
  if (!envelope.ok) return { action: 'dead-letter', error: envelope.error };

  const kind = notificationKind(envelope.value);
  if (kind !== 'telephony-session') return { action: 'other-event', kind, ...envelope.value };
  const checked = checkTelephonyNotification(parsed, { receivedAtMs });
  if (!checked.ok) return { action: 'dead-letter', error: checked.error };
  return { action: 'telephony', notification: checked.value, notes: checked.notes };
}

/** Where JSON.parse gave up, without the snippet of the body V8 puts in some of its messages (personal data). */
function jsonErrorPosition(err: Error): string {
  const position = /at position (\d+)/.exec(err.message)?.[1];
  if (position !== undefined) return ` (at position ${position})`;
  return /end of JSON input/.test(err.message) ? ' (it ends too early)' : '';
}
