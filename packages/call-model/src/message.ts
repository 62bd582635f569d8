// Kafka message -> party events. A message that is not a telephony notification is reported, never thrown,
// so one bad message cannot stall its partition. Event times are checked against when ingest received the webhook
// (header callpulse-received-at), with the same bounds ingest applies.
import { checkTelephonyNotification, headers } from '@callpulse/contracts';
import type { KafkaMessage } from '@callpulse/platform';
import { normaliseNotification, type PartyEvent } from '../domain/index.js';

export type Decoded = { ok: true; events: PartyEvent[] } | { ok: false; error: string };

export function decodeMessage(message: KafkaMessage): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  const receivedAt = Number(message.headers?.[headers.receivedAt]?.toString() ?? Number.NaN);
  const checked = checkTelephonyNotification(parsed, Number.isFinite(receivedAt) ? { receivedAtMs: receivedAt } : {});
  if (!checked.ok) return checked;
  try {
    return { ok: true, events: normaliseNotification(checked.value) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
