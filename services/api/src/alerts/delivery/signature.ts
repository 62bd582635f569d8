// The signature of a webhook delivery (docs/alerts.md, "Delivery"): HMAC-SHA256 with the target's secret over
// `${timestamp}.${body}`, hex, as `sha256=<hex>` in x-callpulse-signature, the timestamp (epoch seconds) in
// x-callpulse-timestamp, the transition id in x-callpulse-delivery. Pure; verifySignature is what a receiver runs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { alertWebhookHeaders } from '@callpulse/contracts';

/** `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signBody(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/**
 * The headers of one POST: JSON content, the delivery id, the timestamp, and the signature when the target has a
 * secret (a target without one gets no signature header).
 */
export function deliveryHeaders(options: {
  body: string;
  deliveryId: string;
  secret: string | null;
  nowMs: number;
}): Record<string, string> {
  const timestamp = Math.floor(options.nowMs / 1000);
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'callpulse-alerts/1',
    [alertWebhookHeaders.delivery]: options.deliveryId,
    [alertWebhookHeaders.timestamp]: String(timestamp),
    ...(options.secret ? { [alertWebhookHeaders.signature]: signBody(options.secret, timestamp, options.body) } : {}),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * A receiver's check of one request: the signature matches the raw body and timestamp (compared in constant time),
 * and the timestamp is within `toleranceSeconds` of now (a replayed old request is refused).
 */
export function verifySignature(options: {
  secret: string;
  /** The raw body as received (bytes or text), before any JSON parsing. */
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs?: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { timestamp, signature } = options;
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const ageSeconds = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (ageSeconds > (options.toleranceSeconds ?? 300)) return { ok: false, reason: 'stale' };
  const body = typeof options.body === 'string' ? options.body : options.body.toString('utf8');
  const expected = Buffer.from(signBody(options.secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
