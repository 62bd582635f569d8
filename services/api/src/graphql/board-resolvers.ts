// Resolvers of the live board (board-type-defs.ts): me, agentStates, queueLive, todayStats, kpiHistory and their
// subscriptions. The board, today's cache and the KPI history are made with the schema, one per API instance, and
// stopped with it (stopBoard); the board and today's cache start on first use, the KPI history's sampler at once (so
// a dashboard opened later sees the past hour).
import type { LiveLegSnapshot } from '@callpulse/contracts';
import { QueryBudget } from '../history/clickhouse-gate.js';
import { checkTimeZone, isoInstant, isoInstantOrNull } from '../history/time-range.js';
import type { TodayFigures } from '../history/today-stats.js';
import { activeCallFromSnapshot } from '../live/active-calls.js';
import type { AgentLive, QueueLive } from '../live/agent-board.js';
import { backfillPoints } from '../live/backfill-points.js';
import { type AgentsChange, BoardTracker } from '../live/board-tracker.js';
import { SubscriberTooSlow } from '../live/fanout.js';
import { KpiHistory, type KpiHistoryMessage } from '../live/kpi-history.js';
import { LIVE_STEP_MS, type LivePoint, TODAY_STEP_MS, type TodayPoint } from '../live/kpi-points.js';
import { readCompletedAt } from '../live/live-backfill.js';
import { TodayStats } from '../live/today-cache.js';
import { readTodayHistory } from '../live/today-history.js';
import type { ApiContext, ApiDeps } from './context.js';
import { tooSlow } from './errors.js';

interface Board {
  tracker: BoardTracker;
  today: TodayStats;
  history: KpiHistory;
}

const boards = new WeakMap<ApiDeps, Board>();

function boardOf(deps: ApiDeps): Board {
  let board = boards.get(deps);
  if (!board) {
    const { config } = deps;
    const tracker = new BoardTracker({
      redisUrl: config.REDIS_URL,
      redis: deps.redis,
      keys: deps.keys,
      channels: deps.channels,
      runner: deps.runner,
      database: config.CLICKHOUSE_DATABASE,
      logger: deps.logger,
      subscriberBuffer: config.API_SUBSCRIBER_BUFFER,
    });
    board = {
      tracker,
      today: new TodayStats({
        runner: deps.runner,
        live: deps.live,
        database: config.CLICKHOUSE_DATABASE,
        serviceLevelSeconds: config.API_SERVICE_LEVEL_SECONDS,
        subscriberBuffer: config.API_SUBSCRIBER_BUFFER,
      }),
      history: new KpiHistory({
        sampleLive: (nowMs) => tracker.livePoint(nowMs),
        backfill: async (instants, nowMs) => {
          const runner = deps.runner.scoped({ caller: 'kpi-history', budget: new QueryBudget(2) });
          const [completed, now] = await Promise.all([
            readCompletedAt(runner, config.CLICKHOUSE_DATABASE, instants, nowMs),
            tracker.currentAgents(),
          ]);
          return backfillPoints(instants, completed, now.agents);
        },
        readToday: (timeZone, nowMs) =>
          readTodayHistory(
            deps.runner.scoped({ caller: 'kpi-history', budget: new QueryBudget(1) }),
            config.CLICKHOUSE_DATABASE,
            timeZone,
            config.API_SERVICE_LEVEL_SECONDS,
            nowMs,
          ),
        logger: deps.logger,
        subscriberBuffer: config.API_SUBSCRIBER_BUFFER,
      }),
    };
    boards.set(deps, board);
  }
  return board;
}

/** The instance's board tracker (the alert evaluator reads it; it starts on first use). */
export function liveBoardOf(deps: ApiDeps): BoardTracker {
  return boardOf(deps).tracker;
}

export async function stopBoard(deps: ApiDeps): Promise<void> {
  const board = boards.get(deps);
  if (!board) return;
  board.history.stop();
  board.today.stop();
  await board.tracker.stop();
}

function counterpart(extensionId: string, leg: LiveLegSnapshot | null) {
  if (!leg) return null;
  if (leg.direction === 'Outbound') return leg.to;
  if (leg.direction === 'Inbound') return leg.from;
  return leg.from.extensionId === extensionId ? leg.to : leg.from;
}

/** Each agent's GraphQL node, made once however many dashboards receive it. */
const nodes = new WeakMap<AgentLive, ReturnType<typeof makeAgentNode>>();

export function agentNode(agent: AgentLive) {
  let node = nodes.get(agent);
  if (!node) {
    node = makeAgentNode(agent);
    nodes.set(agent, node);
  }
  return node;
}

function makeAgentNode(agent: AgentLive) {
  return {
    extensionId: agent.extensionId,
    extensionNumber: agent.extensionNumber,
    name: agent.name,
    state: agent.state,
    since: isoInstantOrNull(agent.sinceMs),
    idleSince: isoInstantOrNull(agent.idleSinceMs),
    version: agent.version,
    call: agent.call && activeCallFromSnapshot(agent.call),
    counterpart: counterpart(agent.extensionId, agent.call),
    legs: agent.legs.map(activeCallFromSnapshot),
  };
}

export function queueNode(queue: QueueLive) {
  return {
    queueId: queue.queueId,
    queueName: queue.queueName,
    waiting: queue.waiting,
    longestWaitSince: isoInstantOrNull(queue.oldestWaitStartMs),
    agentsFree: queue.agentsFree,
    agentsBusy: queue.agentsBusy,
    agentsKnown: queue.agentsKnown,
  };
}

/** Each point's GraphQL node, made once however many dashboards receive it. */
const pointNodes = new WeakMap<LivePoint | TodayPoint, Record<string, unknown>>();

function pointNode<P extends LivePoint | TodayPoint>(point: P) {
  let node = pointNodes.get(point);
  if (!node) {
    const { atMs, ...figures } = point;
    node = { at: isoInstant(atMs), ...figures };
    pointNodes.set(point, node);
  }
  return node;
}

export function historyNode(message: KpiHistoryMessage) {
  return {
    timeZone: message.timeZone,
    snapshot: message.snapshot,
    liveStepSeconds: LIVE_STEP_MS / 1000,
    todayStepSeconds: TODAY_STEP_MS / 1000,
    live: message.live.map(pointNode),
    today: message.today.map(pointNode),
  };
}

export function todayNode(today: TodayFigures) {
  const { fromMs, updatedAtMs, ...rest } = today;
  return { ...rest, since: isoInstant(fromMs), updatedAt: isoInstant(updatedAtMs) };
}

const delivered =
  <T, R>(map: (value: T) => R) =>
  (payload: T | SubscriberTooSlow): R => {
    if (payload instanceof SubscriberTooSlow) throw tooSlow(payload.limit);
    return map(payload);
  };

export function boardQueryResolvers(deps: ApiDeps) {
  // Made with the schema, i.e. when the API starts: the KPI history samples from now on.
  boardOf(deps).history.start();
  return {
    me: (_: unknown, __: unknown, context: ApiContext) => ({ role: context.role }),
    agentStates: async () => (await boardOf(deps).tracker.agentList()).map(agentNode),
    queueLive: async () => (await boardOf(deps).tracker.queueList()).map(queueNode),
    todayStats: async (_: unknown, args: { timeZone?: string | null }) =>
      todayNode(await boardOf(deps).today.get(checkTimeZone(args.timeZone))),
    kpiHistory: async (_: unknown, args: { timeZone?: string | null }) =>
      historyNode(await boardOf(deps).history.get(checkTimeZone(args.timeZone))),
  };
}

export function boardSubscriptionResolvers(deps: ApiDeps) {
  const counted = (field: string) => {
    deps.metrics.subscriptions.inc({ field });
    return () => deps.metrics.subscriptions.dec({ field });
  };
  return {
    agentStatesChanged: {
      subscribe: () => boardOf(deps).tracker.subscribeAgents(counted('agentStatesChanged')),
      resolve: delivered((change: AgentsChange) => ({
        snapshot: change.snapshot,
        agents: change.agents.map(agentNode),
        removed: change.removed,
        at: isoInstant(change.atMs),
      })),
    },
    queueLiveChanged: {
      subscribe: () => boardOf(deps).tracker.subscribeQueues(counted('queueLiveChanged')),
      resolve: delivered((queues: QueueLive[]) => queues.map(queueNode)),
    },
    todayStatsChanged: {
      subscribe: (_: unknown, args: { timeZone?: string | null }) => {
        const zone = checkTimeZone(args.timeZone);
        return boardOf(deps).today.subscribe(zone, counted('todayStatsChanged'));
      },
      resolve: delivered(todayNode),
    },
    kpiHistoryChanged: {
      subscribe: (_: unknown, args: { timeZone?: string | null }) => {
        const zone = checkTimeZone(args.timeZone);
        return boardOf(deps).history.subscribe(zone, counted('kpiHistoryChanged'));
      },
      resolve: delivered(historyNode),
    },
  };
}
