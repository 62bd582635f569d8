// POST /webhooks/ringcentral: RingCentral's validation handshake, verification, and at-least-once hand-off to
// Kafka. 200 is answered only after Kafka acknowledged the write; a malformed body is dead-lettered with its reason.

import type { Logger } from '@callpulse/shared';
import { headers as headerNames, type Topics } from '@callpulse/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type BatchingProducer, KafkaUnavailableError } from '../kafka/batching-producer.js';
import type { IngestMetrics } from '../metrics.js';
import { type Intake, interpretWebhook } from './intake.js';

export const webhookPath = '/webhooks/ringcentral';

export interface WebhookDeps {
  producer: BatchingProducer;
  topics: Topics;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  verificationToken: string | undefined;
  retryAfterSeconds: number;
  /** Called after a non-telephony notification (extension list change, renewal reminder) was produced. */
  onOtherEvent?: (intake: Extract<Intake, { action: 'other-event' }>) => void;
}

export async function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): Promise<void> {
  // The body is kept as raw bytes: produced exactly as received, and dead-lettered as received when malformed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes }, (_request, body, done) => done(null, body));

  const unavailable = (reply: FastifyReply, err: Error) => {
    deps.metrics.requests.inc({ outcome: 'unavailable' });
    deps.metrics.kafkaReachable.set(0);
    return reply.code(503).header('retry-after', String(deps.retryAfterSeconds)).send({ error: err.message });
  };

  app.post(webhookPath, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const intake = interpretWebhook(raw, request.headers, deps.verificationToken);
    const receivedAt = String(Date.now());

    switch (intake.action) {
      case 'handshake':
        deps.metrics.requests.inc({ outcome: 'handshake' });
        return reply.code(200).header('validation-token', intake.validationToken).send();
      case 'unauthorized':
        deps.metrics.requests.inc({ outcome: 'unauthorized' });
        return reply.code(401).send({ error: intake.error });
      case 'dead-letter':
        try {
          await deps.producer.send(deps.topics.ingestDeadLetter, {
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.deadLetterReason]: intake.error },
          });
          deps.metrics.deadLettered.inc();
        } catch (err) {
          // Kafka is down: the body cannot be parked, so it is logged whole and the sender is told to retry.
          deps.logger.error({ err, reason: intake.error, body: raw.toString('base64') }, 'could not dead-letter a malformed webhook');
          return unavailable(reply, err as Error);
        }
        deps.metrics.requests.inc({ outcome: 'dead-lettered' });
        return reply.code(400).send({ error: intake.error });
      case 'other-event':
        try {
          await deps.producer.send(deps.topics.rcEvents, {
            key: intake.kind,
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.notificationUuid]: intake.uuid },
          });
        } catch (err) {
          return unavailable(reply, err as Error);
        }
        deps.metrics.requests.inc({ outcome: 'other-event' });
        deps.onOtherEvent?.(intake);
        return reply.code(200).send();
      case 'telephony':
        try {
          await deps.producer.send(deps.topics.telephonySessions, {
            key: intake.notification.body.telephonySessionId,
            value: raw,
            headers: { [headerNames.receivedAt]: receivedAt, [headerNames.notificationUuid]: intake.notification.uuid },
          });
        } catch (err) {
          if (!(err instanceof KafkaUnavailableError)) deps.logger.error({ err }, 'unexpected produce failure');
          return unavailable(reply, err as Error);
        }
        deps.metrics.requests.inc({ outcome: 'accepted' });
        deps.metrics.kafkaReachable.set(1);
        return reply.code(200).send();
    }
  });
}
