// A message of the telephony-sessions topic -> party events. A message that is not a telephony notification is
// reported, never thrown, so one bad message cannot stall its partition. Event times are checked against when ingest
// received the webhook (header callpulse-received-at), with the same bounds ingest applies. Pure: the message is any
// object with kafkajs' shape of a value and headers (call-state's consumer, ingest's fuzzer).
import { checkTelephonyNotification, headers } from '@callpulse/contracts';
import { normaliseNotification, type PartyEvent } from './party-event.js';

export type Decoded = { ok: true; events: PartyEvent[] } | { ok: false; error: string };

type HeaderValue = Buffer | string | Array<Buffer | string> | undefined;

/** What the decoder reads of a Kafka message (kafkajs' KafkaMessage has this shape). */
export interface TelephonyMessage {
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

export function decodeMessage(message: TelephonyMessage): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value?.toString() ?? '');
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
