// The alerts of one API instance, made with its dependencies: the alertChanged feed (opened at the first subscriber)
// and the evaluator (started with the service, competing for the lease). The resolvers and service.ts reach them here.

import { AlertEvaluator } from '../alerts/evaluator.js';
import { createEvaluatorMetrics } from '../alerts/evaluator-metrics.js';
import { AlertFeed } from '../alerts/feed.js';
import { liveBoardOf } from './board-resolvers.js';
import type { ApiDeps } from './context.js';

export interface AlertRuntime {
  feed: AlertFeed;
  evaluator: AlertEvaluator;
  /** A rule or target changed through this instance. */
  rulesChanged: () => void;
}

const runtimes = new WeakMap<ApiDeps, AlertRuntime>();

export function alertsOf(deps: ApiDeps): AlertRuntime {
  let runtime = runtimes.get(deps);
  if (!runtime) {
    const { config } = deps;
    const evaluator = new AlertEvaluator({
      redisUrl: config.REDIS_URL,
      keys: deps.keys,
      channels: deps.channels,
      logger: deps.logger,
      tickMs: config.API_ALERT_TICK_MS,
      serviceLevelSeconds: config.API_SERVICE_LEVEL_SECONDS,
      runner: deps.runner,
      database: config.CLICKHOUSE_DATABASE,
      board: () => liveBoardOf(deps),
      live: deps.live.fanout,
      metrics: createEvaluatorMetrics(deps.metrics.registry),
    });
    runtime = {
      evaluator,
      feed: new AlertFeed({
        redisUrl: config.REDIS_URL,
        channel: deps.channels.alertChanged,
        logger: deps.logger,
        subscriberBuffer: config.API_SUBSCRIBER_BUFFER,
      }),
      rulesChanged: () => evaluator.rulesChanged(),
    };
    runtimes.set(deps, runtime);
  }
  return runtime;
}

/** Starts the evaluator (unless API_ALERT_EVALUATOR=0). */
export function startAlerts(deps: ApiDeps): void {
  if (deps.config.API_ALERT_EVALUATOR) alertsOf(deps).evaluator.start();
}

export async function stopAlerts(deps: ApiDeps): Promise<void> {
  const runtime = runtimes.get(deps);
  if (!runtime) return;
  runtime.feed.stop();
  await runtime.evaluator.stop();
}
