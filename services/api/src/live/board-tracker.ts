// The live agent board of this API instance: every monitored agent's state and legs, and every queue's live figures,
// kept in memory from call-state's Redis channels and pushed to the agentStatesChanged / queueLiveChanged subscribers.
//
// It starts on first use (a query or a subscription) and stops after a while unused, so an API nobody watches does no
// work for it. Started, it reads the monitored agents' active legs from Redis once (and again after a Redis
// reconnect, a directory change and every RESYNC_MS), and ClickHouse once for "idle since" and the queues' known
// agents (board-seed.ts; again every SEED_MS, never per event). Each leg message marks its extension; within FLUSH_MS
// the marked extensions' legs are read back from Redis in one pipeline (the legs of an extension change together, in
// one call-state script, so the board never shows half a change), and the agents that changed are published in one
// message. The cost of a dashboard is then one in-memory fan-out per flush, whatever the number of dashboards.
import type { DirectoryExtension, LiveLegSnapshot, RedisChannels, RedisKeys } from '@callpulse/contracts';
import { createSubscriber, type Logger, type Redis, readExtensions } from '@callpulse/platform';
import { QueryBudget } from '../history/clickhouse-gate.js';
import type { QueryService } from '../history/clickhouse-runner.js';
import { type AgentLive, agentFromLegs, type QueueLive, type QueueMembers, queueFigures } from './agent-board.js';
import { readBoardSeed } from './board-seed.js';
import { Fanout, type SubscriberTooSlow } from './fanout.js';
import { type LivePoint, livePointOf } from './kpi-points.js';
import { readMonitored } from './monitored.js';

export interface AgentsChange {
  /** true: `agents` is every monitored agent (the first message, and after a resync); false: only the changed ones. */
  snapshot: boolean;
  agents: AgentLive[];
  /** Agents no longer monitored. */
  removed: string[];
  atMs: number;
}

export type BoardTopics = { agents: AgentsChange; queues: QueueLive[] };

export interface BoardOptions {
  redisUrl: string;
  redis: Redis;
  keys: RedisKeys;
  channels: RedisChannels;
  runner: QueryService;
  database: string;
  logger: Logger;
  subscriberBuffer: number;
  flushMs?: number;
  resyncMs?: number;
  seedMs?: number;
  idleStopMs?: number;
}

const CHUNK = 1000;

export class BoardTracker {
  readonly fanout: Fanout<BoardTopics>;
  private subscriber: Redis | undefined;
  private starting: Promise<void> | undefined;
  private agents = new Map<string, AgentLive>();
  private lastJson = new Map<string, string>();
  private directory = new Map<string, DirectoryExtension>();
  private allMonitored = false;
  private lastEndMs = new Map<string, number>();
  private queues = new Map<string, QueueMembers & { members: Set<string> }>();
  private queueSnapshot: QueueLive[] = [];
  private queueJson = '';
  private dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private resyncing: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastUsedMs = 0;
  /** Started and read: the board in memory is current. */
  private running = false;
  private readonly flushMs: number;

  constructor(private readonly options: BoardOptions) {
    this.flushMs = options.flushMs ?? 50;
    this.fanout = new Fanout<BoardTopics>({
      limit: options.subscriberBuffer,
      onError: (err, topic) => options.logger.error({ err, topic }, 'delivering a board message to a subscriber failed'),
    });
  }

  /** Every monitored agent now (starts the board when it is not running). */
  async agentList(): Promise<AgentLive[]> {
    await this.use();
    return [...this.agents.values()];
  }

  async queueList(): Promise<QueueLive[]> {
    await this.use();
    return this.queueSnapshot;
  }

  /**
   * Every monitored agent now, for the KPI history: from memory while the board runs, else from one read of their
   * legs in Redis (without starting the board, so an API nobody watches keeps only this cost).
   */
  async currentAgents(): Promise<{ agents: AgentLive[]; queues: QueueLive[] }> {
    if (this.running) return { agents: [...this.agents.values()], queues: this.queueSnapshot };
    const { ids } = await readMonitored(this.options.redis, this.options.keys);
    const agents = await this.readAgents(ids);
    return { agents, queues: queueFigures(agents, new Map()) };
  }

  /** The board's figures now (a point of the KPI history). */
  async livePoint(nowMs = Date.now()): Promise<LivePoint> {
    if (this.running) return livePointOf(this.agents.values(), this.queueSnapshot, nowMs);
    const { agents, queues } = await this.currentAgents();
    return livePointOf(agents, queues, nowMs);
  }

  /** The whole board first, then each change. */
  subscribeAgents(onClose: () => void): AsyncIterableIterator<AgentsChange | SubscriberTooSlow> {
    this.lastUsedMs = Date.now();
    return this.fanout.subscribe('agents', {
      first: async () => ({ snapshot: true, agents: await this.agentList(), removed: [], atMs: Date.now() }),
      onClose,
    });
  }

  subscribeQueues(onClose: () => void): AsyncIterableIterator<QueueLive[] | SubscriberTooSlow> {
    this.lastUsedMs = Date.now();
    return this.fanout.subscribe('queues', { first: () => this.queueList(), onClose });
  }

  private async use(): Promise<void> {
    this.lastUsedMs = Date.now();
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      void this.stop();
      throw err;
    });
    await this.starting;
  }

  private async start(): Promise<void> {
    const { options } = this;
    const subscriber = createSubscriber(options.redisUrl);
    this.subscriber = subscriber;
    subscriber.on('error', (err: Error) => options.logger.warn({ err: err.message }, 'board: live channel connection error'));
    subscriber.on('pmessage', (_pattern: string, _channel: string, message: string) => this.onLeg(message));
    subscriber.on('message', (channel: string) => {
      if (channel === options.channels.directoryChanged) void this.resync();
    });
    // After a reconnect messages may have been lost: read everything again.
    let first = true;
    subscriber.on('ready', () => {
      if (!first) void this.resync();
      first = false;
    });
    await subscriber.psubscribe(options.channels.legChangedPattern);
    await subscriber.subscribe(options.channels.directoryChanged);
    await Promise.all([this.readAll(), this.seed()]);
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.timers.push(timer);
    };
    this.running = true;
    every(options.resyncMs ?? 30_000, () => void this.resync());
    every(options.seedMs ?? 300_000, () => void this.seed());
    const idleStopMs = options.idleStopMs ?? 300_000;
    every(Math.min(60_000, idleStopMs), () => {
      const watched = this.fanout.count('agents') + this.fanout.count('queues') > 0;
      if (!watched && Date.now() - this.lastUsedMs > idleStopMs) {
        options.logger.info('board: unused, stopping until the next use');
        void this.stop();
      }
    });
    options.logger.info({ agents: this.agents.size }, 'board: started');
  }

  /** "Idle since" and the queues' known agents, from ClickHouse; the board works without them while it is away. */
  private async seed(): Promise<void> {
    try {
      const runner = this.options.runner.scoped({ caller: 'live-board', budget: new QueryBudget(1) });
      const seed = await readBoardSeed(runner, this.options.database);
      for (const [id, end] of seed.lastEndMs) if (end > (this.lastEndMs.get(id) ?? 0)) this.lastEndMs.set(id, end);
      // The past day's queue members replace what was known (so members of long ago drop out); names are kept.
      for (const [queueId, queue] of seed.queues) queue.name ??= this.queues.get(queueId)?.name ?? null;
      this.queues = seed.queues;
      for (const id of seed.lastEndMs.keys()) if (this.agents.has(id)) this.dirty.add(id);
      this.scheduleFlush();
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'board: reading idle-since times from ClickHouse failed');
    }
  }

  private onLeg(message: string): void {
    let leg: LiveLegSnapshot;
    try {
      leg = JSON.parse(message) as LiveLegSnapshot;
    } catch {
      return;
    }
    if (leg.ended && leg.endMs !== null && leg.endMs > (this.lastEndMs.get(leg.extensionId) ?? 0)) {
      this.lastEndMs.set(leg.extensionId, leg.endMs);
    }
    if (leg.queueId !== null) {
      const queue = this.queues.get(leg.queueId) ?? { name: leg.queueName, members: new Set<string>() };
      if (!queue.name) queue.name = leg.queueName;
      queue.members.add(leg.extensionId);
      this.queues.set(leg.queueId, queue);
    }
    if (!this.agents.has(leg.extensionId) && !this.allMonitored) return;
    this.dirty.add(leg.extensionId);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.dirty.size === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = (this.flushing ?? Promise.resolve()).then(() => this.flush());
    }, this.flushMs);
  }

  /** Reads the legs and live versions of the given agents in one pipeline per chunk. */
  private async readAgents(ids: string[]): Promise<AgentLive[]> {
    const { redis, keys } = this.options;
    const out: AgentLive[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const pipeline = redis.pipeline();
      for (const id of part) {
        pipeline.hvals(keys.extensionActiveLegs(id));
        pipeline.get(keys.extensionLiveVersion(id));
      }
      const results = (await pipeline.exec()) ?? [];
      part.forEach((id, index) => {
        const [legsErr, legs] = results[index * 2] ?? [new Error('no reply')];
        const [versionErr, version] = results[index * 2 + 1] ?? [new Error('no reply')];
        if (legsErr) throw legsErr;
        if (versionErr) throw versionErr;
        const snapshots = (legs as string[]).map((value) => JSON.parse(value) as LiveLegSnapshot);
        out.push(agentFromLegs(id, this.directory.get(id), snapshots, Number(version ?? 0), this.lastEndMs.get(id) ?? null));
      });
    }
    return out;
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    if (ids.length === 0) return;
    try {
      const changed: AgentLive[] = [];
      for (const agent of await this.readAgents(ids)) {
        if (!this.agents.has(agent.extensionId) && !this.allMonitored) continue; // removed meanwhile
        const json = JSON.stringify(agent);
        if (this.lastJson.get(agent.extensionId) === json) continue;
        const previous = this.agents.get(agent.extensionId);
        if (previous && previous.version > agent.version) continue; // an older read
        this.agents.set(agent.extensionId, agent);
        this.lastJson.set(agent.extensionId, json);
        changed.push(agent);
      }
      if (changed.length > 0) this.fanout.publish('agents', { snapshot: false, agents: changed, removed: [], atMs: Date.now() });
      this.publishQueues();
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'board: reading changed agents failed; resyncing');
      for (const id of ids) this.dirty.add(id);
      setTimeout(() => this.scheduleFlush(), 1000).unref();
    }
  }

  private publishQueues(): void {
    const queues = queueFigures(this.agents.values(), this.queues);
    const json = JSON.stringify(queues);
    if (json === this.queueJson) return;
    this.queueJson = json;
    this.queueSnapshot = queues;
    this.fanout.publish('queues', queues);
  }

  /** Reads the monitored set, the directory and every agent again; publishes a snapshot when it differs. */
  resync(): Promise<void> {
    this.resyncing ??= this.readAll()
      .catch((err: Error) => this.options.logger.warn({ err: err.message }, 'board: reading the agents from Redis failed'))
      .finally(() => {
        this.resyncing = undefined;
      });
    return this.resyncing;
  }

  private async readAll(): Promise<void> {
    const { redis, keys } = this.options;
    const monitored = await readMonitored(redis, keys);
    const extensions = await readExtensions(redis, keys, monitored.ids);
    this.allMonitored = monitored.all;
    this.directory = new Map(extensions.map((extension) => [extension.id, extension]));
    const agents = await this.readAgents(monitored.ids);
    const next = new Map(agents.map((agent) => [agent.extensionId, agent]));
    const removed = [...this.agents.keys()].filter((id) => !next.has(id));
    let differs = removed.length > 0 || next.size !== this.agents.size;
    for (const agent of agents) {
      const json = JSON.stringify(agent);
      if (this.lastJson.get(agent.extensionId) !== json) differs = true;
      this.lastJson.set(agent.extensionId, json);
    }
    for (const id of removed) this.lastJson.delete(id);
    this.agents = next;
    if (differs) this.fanout.publish('agents', { snapshot: true, agents, removed, atMs: Date.now() });
    this.publishQueues();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.starting = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.disconnect();
    await this.flushing?.catch(() => undefined);
    this.agents.clear();
    this.lastJson.clear();
    this.dirty.clear();
  }
}
