// POST /webhooks/ringcentral: RingCentral's handshake, verification, and the at-least-once hand-off. RingCentral
// blacklists a webhook that does not answer 200 and never redelivers, so every genuine delivery is answered 200 once
// it is safe (acknowledged by Kafka or fsynced in the local spool): a notification the pipeline can use goes to its
// topic, any other genuine body to the dead-letter topic with a reason naming the field. Other RingCentral events
// (extension list changes, renewal reminders) are answered 200 and handed to the RingCentral side. Only a forged request gets
// 401, a body over the hard cap 413, and a spool that cannot take the record (full or failing) while Kafka cannot
// either 503. Nothing of a body is ever logged (personal data): sizes, reasons and uuids only.

import { deadLetterHeaders, headers as headerNames, type Topics } from '@callpulse/contracts';
import type { Logger } from '@callpulse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestMetrics } from '../metrics.js';
import type { Delivered, HandOff } from '../spool/hand-off.js';
import type { SpoolRecord } from '../spool/segment-file.js';
import { type Intake, interpretWebhook } from './intake.js';
import { type AcceptedTokens, unverifiedReason } from './verify.js';

export const webhookPath = '/webhooks/ringcentral';

/**
 * The largest body read at all: the most one Kafka message takes (as INGEST_BODY_LIMIT_BYTES at most). A genuine
 * body between INGEST_BODY_LIMIT_BYTES and this is read in full and dead-lettered; RingCentral's are a few KB.
 */
export const BODY_HARD_CAP_BYTES = 1_000_000;

export interface WebhookDeps {
  handOff: HandOff;
  topics: Topics;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  /** RC_WEBHOOK_VERIFICATION_TOKEN; several during a rotation overlap; undefined: every request is taken as genuine. */
  verificationToken: AcceptedTokens;
  /** Retry-After of the 503 answered when neither Kafka nor the spool can take a record. */
  retryAfterSeconds: number;
  /** Called with a non-telephony notification (extension list change, renewal reminder); it is kept nowhere else. */
  onOtherEvent?: (intake: Extract<Intake, { action: 'other-event' }>) => void;
}

export function bodyHardCapBytes(bodyLimitBytes: number): number {
  return Math.max(bodyLimitBytes, BODY_HARD_CAP_BYTES);
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // The body is kept as raw bytes: produced exactly as received, and dead-lettered as received when unusable.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyHardCapBytes(deps.bodyLimitBytes) }, (_request, body, done) =>
    done(null, body),
  );

  /**
   * A forged sender that announces a body over the limit is refused before the body is parsed or kept. The body's
   * bytes are still drained (and dropped) so the connection can close cleanly: closing a socket with unread bytes
   * makes the kernel reset it, and the client may lose the 401 that was already sent.
   */
  const refuseForgedLargeBody = async (request: FastifyRequest, reply: FastifyReply) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > deps.bodyLimitBytes)) return;
    const unverified = unverifiedReason(request.headers, deps.verificationToken);
    if (unverified === undefined) return;
    deps.metrics.requests.inc({ outcome: 'unauthorized' });
    request.raw.resume();
    return reply.code(401).header('connection', 'close').send({ error: unverified });
  };

  /** Hands the record to Kafka or the spool and says which; undefined once it answered 503 (neither could take it). */
  const keep = async (reply: FastifyReply, record: Omit<SpoolRecord, 'spooledAtMs'>, what: string): Promise<Delivered | undefined> => {
    try {
      const to = await deps.handOff.deliver(record);
      if (to === 'spool') deps.metrics.spooled.inc();
      return to;
    } catch (err) {
      deps.logger.error({ reason: (err as Error).message, bytes: record.value.length }, `could not hand off ${what}; answering 503`);
      deps.metrics.requests.inc({ outcome: 'unavailable' });
      reply
        .code(503)
        .header('retry-after', String(deps.retryAfterSeconds))
        .send({ error: (err as Error).message });
      return undefined;
    }
  };

  app.post(webhookPath, { onRequest: refuseForgedLargeBody }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const receivedAtMs = Date.now();
    const receivedAt = String(receivedAtMs);
    const intake = interpretWebhook(raw, request.headers, deps.verificationToken, receivedAtMs, deps.bodyLimitBytes);

    switch (intake.action) {
      case 'handshake':
        // Exactly 200, the token echoed, no body: RingCentral allows at most 1,024 bytes with the headers.
        deps.metrics.requests.inc({ outcome: 'handshake' });
        return reply.code(200).header('validation-token', intake.validationToken).header('content-type', 'application/json').send();
      case 'unauthorized':
        deps.metrics.requests.inc({ outcome: 'unauthorized' });
        return reply.code(401).send({ error: intake.error });
      case 'dead-letter': {
        const record = {
          topic: deps.topics.ingestDeadLetter,
          key: null,
          value: raw,
          headers: deadLetterHeaders({ reason: intake.error, receivedAt }),
        };
        if ((await keep(reply, record, 'a webhook body to the dead-letter topic')) === undefined) return reply;
        deps.metrics.deadLettered.inc();
        deps.metrics.requests.inc({ outcome: 'dead-lettered' });
        deps.logger.warn({ reason: intake.error, bytes: raw.length }, 'dead-lettered a genuine webhook body the pipeline cannot use');
        return reply.code(200).send({ deadLettered: intake.error });
      }
      case 'other-event':
        // Nothing downstream reads these: an extension change goes to the directory (which confirms it with
        // RingCentral, and the scheduled sync repairs one that was missed); ingest renews its subscription itself.
        deps.metrics.requests.inc({ outcome: 'other-event' });
        deps.onOtherEvent?.(intake);
        return reply.code(200).send();
      case 'telephony': {
        const { notification, notes } = intake;
        const record = {
          topic: deps.topics.telephonySessions,
          key: Buffer.from(notification.body.telephonySessionId),
          value: raw,
          headers: { [headerNames.receivedAt]: receivedAt, [headerNames.notificationUuid]: notification.uuid },
        };
        const to = await keep(reply, record, 'a telephony notification');
        if (to === undefined) return reply;
        deps.metrics.requests.inc({ outcome: to === 'spool' ? 'spooled' : 'accepted' });
        if (notes.length > 0) deps.logger.warn({ uuid: notification.uuid, notes }, 'kept a notification the call model reads in part');
        return reply.code(200).send();
      }
    }
  });
}
