// Which extensions produce legs: the Redis set of monitored extensions, kept in memory and refreshed when the directory
// changes. Until a directory or a monitored set exists at all (webhook-only deployments without RingCentral
// credentials), every extension is.
import type { RedisChannels, RedisKeys } from '@callpulse/contracts';
import { type Logger, type Redis, readMonitoredState } from '@callpulse/platform';

export class MonitoredExtensions {
  private ids = new Set<string>();
  private all = true;
  /** Bumped whenever the monitored set changes, so a fold made under an older set is not reused. */
  version = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly channels: RedisChannels,
    private readonly logger: Logger,
  ) {}

  readonly isMonitored = (extensionId: string): boolean => this.all || this.ids.has(extensionId);

  async start(refreshIntervalMs: number): Promise<void> {
    await this.refresh();
    await this.subscriber.subscribe(this.channels.directoryChanged);
    this.subscriber.on('message', (channel) => {
      if (channel === this.channels.directoryChanged)
        this.refresh().catch((err) => this.logger.error({ err }, 'refreshing monitored extensions failed'));
    });
    this.timer = setInterval(() => this.refresh().catch(() => undefined), refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const { all, members } = await readMonitoredState(this.redis, this.keys);
    if (all !== this.all || !all) {
      this.logger.debug(
        all ? 'no directory and no monitored set in Redis: every extension is monitored' : `monitoring ${members.length} extensions`,
      );
    }
    const ids = new Set(members);
    const changed = all !== this.all || ids.size !== this.ids.size || members.some((id) => !this.ids.has(id));
    this.all = all;
    this.ids = ids;
    if (changed) this.version += 1;
  }
}
