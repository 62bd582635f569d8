// One Redis subscriber connection per API instance: the live channels of call-state (leg changes, completed legs,
// summary changes) and the directory channel, fanned out to this instance's GraphQL subscribers through an in-process
// fan-out with a bounded queue per subscriber (fanout.ts). Every instance subscribes to every channel, so whichever
// instance a client is connected to delivers it. The same connection carries the one-off reply channels of admin commands.
import type { CompletedLegRecord, LiveLegSnapshot, LiveSummary, RedisChannels, RedisKeys } from '@callpulse/contracts';
import type { Logger, Redis } from '@callpulse/platform';
import type { ApiMetrics } from '../metrics.js';
import { Fanout } from './fanout.js';
import { readLiveSummary } from './summary.js';

export type LiveTopics = { leg: LiveLegSnapshot; completed: CompletedLegRecord; summary: LiveSummary };

export class LiveEvents {
  readonly fanout: Fanout<LiveTopics>;
  private summarySubscribers = 0;
  private summaryRun: Promise<void> | undefined;
  private summaryDirty = false;
  private lastSummary = '';
  private readonly waiting = new Map<string, (message: string) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly channels: RedisChannels,
    private readonly metrics: ApiMetrics,
    private readonly logger: Logger,
    /** Queued messages per subscriber beyond which it is dropped (API_SUBSCRIBER_BUFFER). */
    subscriberBuffer: number,
  ) {
    this.fanout = new Fanout<LiveTopics>({
      limit: subscriberBuffer,
      onError: (err, topic) => this.logger.error({ err, topic }, 'delivering a live message to a subscriber failed'),
    });
  }

  async start(): Promise<void> {
    this.subscriber.on('pmessage', (pattern: string, _channel: string, message: string) => this.onPattern(pattern, message));
    this.subscriber.on('message', (channel: string, message: string) => this.onChannel(channel, message));
    await this.subscriber.psubscribe(this.channels.legChangedPattern, this.channels.legCompletedPattern);
    await this.subscriber.subscribe(this.channels.summaryChanged, this.channels.directoryChanged);
  }

  private onPattern(pattern: string, message: string): void {
    try {
      if (pattern === this.channels.legChangedPattern) {
        this.metrics.liveMessages.inc({ kind: 'leg' });
        // Parsed only for a subscriber (activeCallChanged): with none on this instance, every leg message costs a count.
        if (this.fanout.count('leg') > 0) this.fanout.publish('leg', JSON.parse(message) as LiveLegSnapshot);
        this.summaryMayHaveChanged();
      } else if (pattern === this.channels.legCompletedPattern) {
        this.metrics.liveMessages.inc({ kind: 'completed' });
        this.fanout.publish('completed', JSON.parse(message) as CompletedLegRecord);
      }
    } catch (err) {
      this.logger.warn({ err, pattern }, 'ignoring a live message that is not JSON');
    }
  }

  private onChannel(channel: string, message: string): void {
    const waiter = this.waiting.get(channel);
    if (waiter) {
      waiter(message);
      return;
    }
    if (channel === this.channels.summaryChanged || channel === this.channels.directoryChanged) {
      this.metrics.liveMessages.inc({ kind: channel === this.channels.summaryChanged ? 'summary' : 'directory' });
      this.summaryMayHaveChanged();
    }
  }

  /** Counts a liveSummaryChanged subscriber; the returned function uncounts it. */
  watchSummary(): () => void {
    // Nobody watched: the last published summary may be stale, so the next one is published whatever it is.
    if (this.summarySubscribers === 0) this.lastSummary = '';
    this.summarySubscribers += 1;
    return () => {
      this.summarySubscribers -= 1;
    };
  }

  /** Recomputes the summary (one run at a time, changes during a run trigger one more) and publishes it when it differs. */
  summaryMayHaveChanged(): void {
    if (this.summarySubscribers === 0) return;
    if (this.summaryRun) {
      this.summaryDirty = true;
      return;
    }
    this.summaryRun = (async () => {
      do {
        this.summaryDirty = false;
        const summary = await readLiveSummary(this.redis, this.keys);
        const text = JSON.stringify(summary);
        if (text !== this.lastSummary) {
          this.lastSummary = text;
          this.fanout.publish('summary', summary);
        }
      } while (this.summaryDirty);
    })()
      .catch((err) => this.logger.error({ err }, 'recomputing the live summary failed'))
      .finally(() => {
        this.summaryRun = undefined;
      });
  }

  /**
   * Subscribes to `channel`, runs `send`, and resolves with the first message on it, or undefined after timeoutMs
   * (at once when `send` says nobody will answer).
   */
  async request(channel: string, send: () => Promise<boolean>, timeoutMs: number): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<string | undefined>((resolve) => {
      this.waiting.set(channel, resolve);
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      await this.subscriber.subscribe(channel);
      if (!(await send())) return undefined;
      return await answer;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(channel);
      await this.subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    await this.summaryRun;
    this.subscriber.disconnect();
  }
}
