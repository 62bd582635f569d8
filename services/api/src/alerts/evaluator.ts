// The alert evaluator of this API instance: while it holds the alertEvaluatorLock lease (renewed every second, 5 s
// expiry; another instance takes over within seconds when the holder dies), it evaluates every rule every tick
// (API_ALERT_TICK_MS) and on every board change and completed leg, from what the API keeps live: the board tracker's
// agents and queues, the completed-leg window (seeded once from ClickHouse at take-over), call-state's pipeline pulse
// and the business hours. Decisions are the pure conditions.ts and holding.ts; each transition is committed by the
// compare-and-set script (commit.ts), so however many instances evaluate, a transition is committed once.
import {
  type AlertInstance,
  type AlertRule,
  alertInstanceSchema,
  type CompletedLegRecord,
  type RedisChannels,
  type RedisKeys,
  windowedConditionKinds,
} from '@callpulse/contracts';
import { createLease, createRedis, type Lease, type Logger, type Redis } from '@callpulse/platform';
import { readBusinessHours } from '../admin/business-hours-store.js';
import { QueryBudget } from '../history/clickhouse-gate.js';
import type { QueryService } from '../history/clickhouse-runner.js';
import type { BoardTracker } from '../live/board-tracker.js';
import { type Fanout, SubscriberTooSlow } from '../live/fanout.js';
import type { LiveTopics } from '../live/live-events.js';
import { businessOpening } from './business-open.js';
import { commitTransition, defineAlertScripts } from './commit.js';
import { type AgentView, type AlertSnapshot, evaluateRule, type QueueView } from './conditions.js';
import type { EvaluatorMetrics } from './evaluator-metrics.js';
import { dueTransitions } from './holding.js';
import { readPulse } from './pulse.js';
import { listAlertRules } from './store.js';
import { makeTransition } from './transition.js';
import { CompletedLegWindow } from './window.js';
import { readWindowSeed } from './window-seed.js';

const boardKinds = new Set(['QUEUE_WAITING', 'LONGEST_WAIT', 'AGENT_RINGING', 'AGENT_ON_HOLD']);
/** Rules are read again at least this often (a change made through another instance). */
const RULES_REFRESH_MS = 1000;
/**
 * States are read again at least this often (a commit of another evaluator during a lease overlap; a commit from a
 * stale state is refused by the script anyway, and that one state read back at once).
 */
const STATES_REFRESH_MS = 30_000;
/** Evaluations start at most this often however many changes arrive. */
const MIN_GAP_MS = 50;
const PRUNE_MS = 5000;
/**
 * After a take-over the window is read back from ClickHouse, which may lack the legs reporting had in flight: it is
 * read once more this long after, and until then a windowed alert may fire but not resolve.
 */
const WINDOW_SETTLE_MS = 10_000;

export interface EvaluatorOptions {
  redisUrl: string;
  keys: RedisKeys;
  channels: RedisChannels;
  logger: Logger;
  tickMs: number;
  serviceLevelSeconds: number;
  runner: QueryService;
  database: string;
  /** The board tracker (started on first use; kept started while the evaluator subscribes to it). */
  board: () => BoardTracker;
  /** This instance's live fan-out, for the completed legs. */
  live: Pick<Fanout<LiveTopics>, 'subscribe'>;
  /** Where the evaluator's metrics go (evaluator-metrics.ts); none: not counted. */
  metrics?: EvaluatorMetrics;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
}

type Closer = { return?: () => Promise<unknown> };

export class AlertEvaluator {
  private redis: Redis | undefined;
  private lease: Lease | undefined;
  private active = false;
  private rules = new Map<string, AlertRule>();
  private states = new Map<string, Map<string, AlertInstance>>();
  private held = new Map<string, Map<string, number>>();
  private readonly window: CompletedLegWindow;
  private seededMinutes = 0;
  private takenOverAtMs = 0;
  private reseeded = false;
  private rulesReadAtMs = 0;
  private statesReadAtMs = 0;
  private prunedAtMs = 0;
  private rulesDirty = true;
  private statesDirty = true;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private lastRunMs = 0;
  private delayed: NodeJS.Timeout | undefined;
  private completed: Closer | undefined;
  private boardFeeds: Closer[] = [];
  /** Transitions this instance committed (for tests and logs). */
  committed = 0;
  private lastErrorLogMs = 0;

  constructor(private readonly options: EvaluatorOptions) {
    this.window = new CompletedLegWindow({ serviceLevelSeconds: options.serviceLevelSeconds, maxMinutes: 1 });
  }

  /** Starts competing for the lease (its own Redis connection, with the commit script defined first). */
  start(): void {
    if (this.lease) return;
    const redis = createRedis(this.options.redisUrl);
    defineAlertScripts(redis);
    redis.on('error', () => undefined); // the lease reports its errors
    this.redis = redis;
    this.lease = createLease(redis, this.options.keys.alertEvaluatorLock, {
      ttlMs: this.options.leaseTtlMs ?? 5000,
      renewMs: this.options.leaseRenewMs ?? 1000,
      onAcquired: () => this.takeOver(),
      onLost: () => this.standDown('lost the lease'),
      onError: (err) => this.options.logger.warn({ err: err.message }, 'alerts: taking or renewing the evaluator lease failed'),
    });
    this.lease.start();
  }

  async stop(): Promise<void> {
    await this.lease?.stop();
    this.lease = undefined;
    this.standDown('stopping');
    await this.running?.catch(() => undefined);
    await this.redis?.quit().catch(() => this.redis?.disconnect());
    this.redis = undefined;
  }

  /** A rule or target changed through this instance: read them at the next evaluation, which runs now. */
  rulesChanged(): void {
    this.rulesDirty = true;
    this.kick();
  }

  /** Whether this instance evaluates now. */
  get evaluating(): boolean {
    return this.active && (this.lease?.held() ?? false);
  }

  private takeOver(): void {
    const { logger, tickMs } = this.options;
    logger.info('alerts: this instance evaluates the rules');
    this.active = true;
    this.options.metrics?.evaluating.set(1);
    this.rulesDirty = true;
    this.statesDirty = true;
    this.held.clear();
    this.window.clear();
    this.seededMinutes = 0;
    this.takenOverAtMs = Date.now();
    this.reseeded = false;
    this.follow(
      'completed',
      () => this.options.live.subscribe('completed'),
      (record) => {
        if (this.window.add(record as CompletedLegRecord, Date.now())) this.kick();
      },
    );
    this.timer = setInterval(() => this.kick(), tickMs);
    this.timer.unref();
    this.kick();
  }

  private standDown(why: string): void {
    if (!this.active) return;
    this.options.logger.info({ why }, 'alerts: this instance no longer evaluates the rules');
    this.active = false;
    this.options.metrics?.evaluating.set(0);
    clearInterval(this.timer);
    clearTimeout(this.delayed);
    this.delayed = undefined;
    void this.completed?.return?.();
    this.completed = undefined;
    this.unfollowBoard();
    this.held.clear();
    this.window.clear();
  }

  /** Reads an iterator until it ends, subscribing again when it was dropped for falling behind. */
  private follow(which: 'completed' | 'board', open: () => AsyncIterableIterator<unknown>, onValue: (value: unknown) => void): void {
    const iterator = open();
    if (which === 'completed') this.completed = iterator;
    else this.boardFeeds.push(iterator);
    void (async () => {
      for await (const value of iterator) {
        if (value instanceof SubscriberTooSlow) {
          if (!this.active) return;
          if (which === 'completed') this.follow(which, open, onValue);
          else this.unfollowBoard(); // subscribed again at the next evaluation
          return;
        }
        onValue(value);
      }
    })().catch((err: unknown) => this.options.logger.warn({ err: (err as Error).message }, 'alerts: reading a live feed failed'));
  }

  private followBoard(): void {
    if (this.boardFeeds.length > 0) return;
    const tracker = this.options.board();
    const noop = () => undefined;
    this.follow(
      'board',
      () => tracker.subscribeAgents(noop),
      () => this.kick(),
    );
    this.follow(
      'board',
      () => tracker.subscribeQueues(noop),
      () => this.kick(),
    );
  }

  private unfollowBoard(): void {
    for (const feed of this.boardFeeds.splice(0)) void feed.return?.();
  }

  /** Runs an evaluation now, or right after the one running (never two at once, at most one per MIN_GAP_MS). */
  private kick(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const waitMs = this.lastRunMs + MIN_GAP_MS - Date.now();
    if (waitMs > 0) {
      this.delayed ??= setTimeout(() => {
        this.delayed = undefined;
        this.kick();
      }, waitMs);
      return;
    }
    this.lastRunMs = Date.now();
    const stopTimer = this.options.metrics?.runSeconds.startTimer();
    this.running = this.evaluate()
      .then(() => {
        stopTimer?.();
      })
      .catch((err: unknown) => {
        // Once per 10 s at most: with Redis away every run fails the same way.
        if (Date.now() - this.lastErrorLogMs < 10_000) return;
        this.lastErrorLogMs = Date.now();
        this.options.logger.error({ err }, 'alerts: an evaluation failed (logged at most every 10 s)');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async readStates(redis: Redis): Promise<void> {
    const states = new Map<string, Map<string, AlertInstance>>();
    for (const json of Object.values(await redis.hgetall(this.options.keys.alertStates))) {
      try {
        const state = alertInstanceSchema.parse(JSON.parse(json));
        const byRule = states.get(state.ruleId) ?? new Map<string, AlertInstance>();
        byRule.set(state.subject, state);
        states.set(state.ruleId, byRule);
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message }, 'alerts: a stored alert state does not read; skipped');
      }
    }
    this.states = states;
  }

  private setState(ruleId: string, subject: string, state: AlertInstance | null): void {
    const byRule = this.states.get(ruleId) ?? new Map<string, AlertInstance>();
    if (state) byRule.set(subject, state);
    else byRule.delete(subject);
    this.states.set(ruleId, byRule);
  }

  private async evaluate(): Promise<void> {
    const redis = this.redis;
    if (!redis || !this.evaluating) return;
    const { keys, logger } = this.options;
    const startMs = Date.now();
    if (this.rulesDirty || startMs - this.rulesReadAtMs >= RULES_REFRESH_MS) {
      this.rulesDirty = false;
      const rules = await listAlertRules({ redis, keys, logger });
      this.rules = new Map(rules.map((rule) => [rule.id, rule]));
      this.rulesReadAtMs = startMs;
    }
    if (this.statesDirty || startMs - this.statesReadAtMs >= STATES_REFRESH_MS) {
      this.statesDirty = false;
      await this.readStates(redis);
      this.statesReadAtMs = startMs;
    }
    const enabled = [...this.rules.values()].filter((rule) => rule.enabled);
    const kinds = new Set(enabled.map((rule) => rule.condition.kind));
    const needsBoard = enabled.some((rule) => boardKinds.has(rule.condition.kind));
    if (needsBoard) this.followBoard();
    else this.unfollowBoard();
    await this.seedWindow(enabled, startMs);

    let lastEventAtMs: number | null = null;
    let lagMs: number | null = null;
    // The pulse and the business hours are read together (one round trip: every evaluation waits for it).
    const [pulseFields, hours] = await Promise.all([
      kinds.has('NO_EVENTS') || kinds.has('EVENTS_LATE') ? redis.hgetall(keys.pipelinePulse) : undefined,
      kinds.has('NO_EVENTS') ? readBusinessHours(redis, keys, logger) : undefined,
    ]);
    if (pulseFields) {
      const pulse = readPulse(pulseFields, Date.now());
      ({ lastEventAtMs, lagMs } = pulse);
      // Not waited for: a field that stays is found stale again at the next evaluation.
      if (pulse.stale.length > 0) void redis.hdel(keys.pipelinePulse, ...pulse.stale).catch(() => undefined);
    }
    const opening = hours === undefined ? { open: true, sinceMs: null } : businessOpening(hours, Date.now());
    let agents: AgentView[] = [];
    let queues: QueueView[] = [];
    if (needsBoard) {
      const tracker = this.options.board();
      const [agentList, queueList] = await Promise.all([tracker.agentList(), tracker.queueList()]);
      agents = agentList.map((agent) => ({
        extensionId: agent.extensionId,
        name: agent.name,
        state: agent.state,
        sinceMs: agent.sinceMs,
        queueId: agent.call?.queueId ?? null,
      }));
      queues = queueList;
    }
    const nowMs = Date.now();
    if (nowMs - this.prunedAtMs >= PRUNE_MS) {
      this.window.prune(nowMs);
      this.prunedAtMs = nowMs;
    }
    const snapshot: AlertSnapshot = {
      nowMs,
      agents,
      queues,
      window: (windowKeys, minutes) => this.window.counts(windowKeys, minutes, nowMs),
      lastEventAtMs,
      lagMs,
      businessHoursOpen: opening.open,
      businessOpenSinceMs: opening.sinceMs,
    };
    const ruleIds = new Set([...this.rules.keys(), ...this.states.keys()]);
    for (const ruleId of ruleIds) {
      if (!this.evaluating) return;
      const rule = this.rules.get(ruleId) ?? null;
      const states = this.states.get(ruleId) ?? new Map<string, AlertInstance>();
      const held = this.held.get(ruleId) ?? new Map<string, number>();
      this.held.set(ruleId, held);
      const evaluations = rule?.enabled ? evaluateRule(rule, snapshot) : [];
      const windowed = rule !== null && windowedConditionKinds.includes(rule.condition.kind);
      const mayResolve = !windowed || (this.reseeded && nowMs - this.takenOverAtMs >= WINDOW_SETTLE_MS);
      for (const due of dueTransitions({ ruleId, rule, evaluations, states, held, nowMs, mayResolve })) {
        const { transition, state } = makeTransition(due, rule);
        const outcome = await commitTransition(redis, keys, this.options.channels, due.expectedSeq, transition, state);
        if (outcome.committed) {
          this.committed += 1;
          this.options.metrics?.transitions.inc({ status: transition.status });
          this.setState(ruleId, due.subject, state);
          logger.info(
            { ruleId, subject: due.subject, status: transition.status, seq: transition.seq, value: transition.value },
            'alerts: transition committed',
          );
        } else {
          // Another evaluator moved the alert meanwhile: take its state and decide again at the next evaluation.
          this.options.metrics?.refused.inc();
          this.setState(ruleId, due.subject, outcome.current);
          this.statesDirty = true;
        }
      }
      if (rule === null) await this.forget(redis, ruleId);
    }
    if (this.again === false && Date.now() - startMs > 1000) {
      logger.warn({ ms: Date.now() - startMs, rules: this.rules.size }, 'alerts: a slow evaluation');
    }
  }

  /** A deleted rule whose alerts are all resolved: its states go. */
  private async forget(redis: Redis, ruleId: string): Promise<void> {
    const states = this.states.get(ruleId);
    if (!states || [...states.values()].some((state) => state.status === 'FIRING')) return;
    const fields = [...states.values()].map((state) => `${state.ruleId}|${state.subject}`);
    if (fields.length > 0) await redis.hdel(this.options.keys.alertStates, ...fields);
    this.states.delete(ruleId);
    this.held.delete(ruleId);
  }

  /**
   * Reads the window's past from ClickHouse when a rule needs more minutes than were read, and once more
   * WINDOW_SETTLE_MS after the take-over (legs counted already are skipped).
   */
  private async seedWindow(enabled: AlertRule[], nowMs: number): Promise<void> {
    const windowedRules = enabled.filter((rule) => windowedConditionKinds.includes(rule.condition.kind));
    const minutes = Math.max(1, ...windowedRules.map((rule) => rule.condition.windowMinutes ?? 1));
    this.window.maxMinutes = Math.max(this.window.maxMinutes, minutes);
    const again = !this.reseeded && nowMs - this.takenOverAtMs >= WINDOW_SETTLE_MS;
    if (again) this.reseeded = true;
    if (windowedRules.length === 0 || (minutes <= this.seededMinutes && !again)) return;
    this.seededMinutes = Math.max(this.seededMinutes, minutes);
    try {
      const runner = this.options.runner.scoped({ caller: 'alerts', budget: new QueryBudget(1) });
      const legs = await readWindowSeed(runner, this.options.database, nowMs - minutes * 60_000);
      let added = 0;
      for (const leg of legs) if (this.window.add(leg, nowMs)) added += 1;
      this.options.logger.info({ minutes, legs: legs.length, added }, 'alerts: completed-leg window seeded from ClickHouse');
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'alerts: seeding the completed-leg window from ClickHouse failed; counting from now',
      );
    }
  }
}
