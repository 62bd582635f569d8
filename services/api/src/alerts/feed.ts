// The alertChanged subscription's source in this API instance: one subscriber connection to the Redis channel the
// commit script publishes on, opened at the first subscriber, fanned out with the bounded queue per subscriber that
// drops a client that stopped reading (live/fanout.ts).
import { type AlertTransition, alertTransitionSchema } from '@callpulse/contracts';
import { createSubscriber, type Logger, type Redis } from '@callpulse/platform';
import { Fanout, type SubscriberTooSlow } from '../live/fanout.js';

export class AlertFeed {
  readonly fanout: Fanout<{ alert: AlertTransition }>;
  private subscriber: Redis | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly options: { redisUrl: string; channel: string; logger: Logger; subscriberBuffer: number }) {
    this.fanout = new Fanout({
      limit: options.subscriberBuffer,
      onError: (err, topic) => options.logger.error({ err, topic }, 'delivering an alert to a subscriber failed'),
    });
  }

  /** Subscribes to the channel once (later calls wait for the same subscription). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const subscriber = createSubscriber(this.options.redisUrl);
      this.subscriber = subscriber;
      subscriber.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'alerts: channel connection error'));
      subscriber.on('message', (_channel: string, message: string) => {
        try {
          this.fanout.publish('alert', alertTransitionSchema.parse(JSON.parse(message)));
        } catch (err) {
          this.options.logger.warn({ err: (err as Error).message }, 'alerts: ignoring a message that is no transition');
        }
      });
      await subscriber.subscribe(this.options.channel);
    })().catch((err: unknown) => {
      this.starting = undefined;
      this.subscriber?.disconnect();
      this.subscriber = undefined;
      throw err;
    });
    return this.starting;
  }

  async subscribe(options: {
    onClose: () => void;
    onDrop: () => void;
  }): Promise<AsyncIterableIterator<AlertTransition | SubscriberTooSlow>> {
    await this.start();
    return this.fanout.subscribe('alert', options);
  }

  stop(): void {
    this.starting = undefined;
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
