// POST /webhooks/ringcentral: RingCentral's validation handshake, verification, and the at-least-once hand-off:
// 200 only once the notification is acknowledged by Kafka or fsynced in the local spool. A malformed body is
// dead-lettered (to Kafka or the spool, bound for the dead-letter topic) with a reason naming the field. The only
// 503 is a spool that cannot take the record (full or failing) while Kafka cannot either.
// Nothing of a body is ever logged (personal data): sizes, reasons and uuids only.

import type { Logger } from '@callpulse/shared';
import { headers as headerNames, type Topics } from '@callpulse/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { IngestMetrics } from '../metrics.js';
import type { HandOff } from '../spool/hand-off.js';
import { type Intake, interpretWebhook } from './intake.js';

export const webhookPath = '/webhooks/ringcentral';

export interface WebhookDeps {
  handOff: HandOff;
  topics: Topics;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  verificationToken: string | undefined;
  /** Retry-After of the 503 answered when neither Kafka nor the spool can take a record. */
  retryAfterSeconds: number;
  /** Called after a non-telephony notification (extension list change, renewal reminder) was handed off. */
  onOtherEvent?: (intake: Extract<Intake, { action: 'other-event' }>) => void;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // The body is kept as raw bytes: produced exactly as received, and dead-lettered as received when malformed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes }, (_request, body, done) => done(null, body));

  const unavailable = (reply: FastifyReply, err: Error, what: string, bytes: number) => {
    deps.logger.error({ reason: err.message, bytes }, `could not hand off ${what}; answering 503`);
    deps.metrics.requests.inc({ outcome: 'unavailable' });
    return reply.code(503).header('retry-after', String(deps.retryAfterSeconds)).send({ error: err.message });
  };

  app.post(webhookPath, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const receivedAtMs = Date.now();
    const receivedAt = String(receivedAtMs);
    const intake = interpretWebhook(raw, request.headers, deps.verificationToken, receivedAtMs);

    switch (intake.action) {
      case 'handshake':
        deps.metrics.requests.inc({ outcome: 'handshake' });
        return reply.code(200).header('validation-token', intake.validationToken).send();
      case 'unauthorized':
        deps.metrics.requests.inc({ outcome: 'unauthorized' });
        return reply.code(401).send({ error: intake.error });
      case 'dead-letter': {
        let to: string;
        try {
          to = await deps.handOff.deliver({
            topic: deps.topics.ingestDeadLetter,
            key: null,
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.deadLetterReason]: intake.error },
          });
        } catch (err) {
          return unavailable(reply, err as Error, 'a malformed webhook to the dead-letter topic', raw.length);
        }
        if (to === 'spool') deps.metrics.spooled.inc();
        deps.metrics.deadLettered.inc();
        deps.metrics.requests.inc({ outcome: 'dead-lettered' });
        deps.logger.debug({ reason: intake.error, bytes: raw.length }, 'dead-lettered a malformed webhook');
        return reply.code(400).send({ error: intake.error });
      }
      case 'other-event': {
        let to: string;
        try {
          to = await deps.handOff.deliver({
            topic: deps.topics.rcEvents,
            key: Buffer.from(intake.kind),
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.notificationUuid]: intake.uuid },
          });
        } catch (err) {
          return unavailable(reply, err as Error, `a ${intake.kind} event`, raw.length);
        }
        if (to === 'spool') deps.metrics.spooled.inc();
        deps.metrics.requests.inc({ outcome: to === 'spool' ? 'spooled' : 'other-event' });
        deps.onOtherEvent?.(intake);
        return reply.code(200).send();
      }
      case 'telephony': {
        let to: string;
        try {
          to = await deps.handOff.deliver({
            topic: deps.topics.telephonySessions,
            key: Buffer.from(intake.notification.body.telephonySessionId),
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.notificationUuid]: intake.notification.uuid },
          });
        } catch (err) {
          return unavailable(reply, err as Error, 'a telephony notification', raw.length);
        }
        if (to === 'spool') deps.metrics.spooled.inc();
        deps.metrics.requests.inc({ outcome: to === 'spool' ? 'spooled' : 'accepted' });
        return reply.code(200).send();
      }
    }
  });
}
