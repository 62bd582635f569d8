// Metrics of the RingCentral side, registered once per registry.
import { Counter, Gauge, type Registry } from '@callpulse/platform';

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createRcMetrics(registry: Registry) {
  return {
    directoryExtensions: once(
      registry,
      'callpulse_rc_directory_extensions',
      () =>
        new Gauge({
          name: 'callpulse_rc_directory_extensions',
          help: 'Extensions in the directory after the last sync',
          registers: [registry],
        }),
    ),
    monitoredExtensions: once(
      registry,
      'callpulse_rc_monitored_extensions',
      () =>
        new Gauge({
          name: 'callpulse_rc_monitored_extensions',
          help: 'Monitored extensions after the last directory change',
          registers: [registry],
        }),
    ),
    directorySyncs: once(
      registry,
      'callpulse_rc_directory_syncs_total',
      () =>
        new Counter({
          name: 'callpulse_rc_directory_syncs_total',
          help: 'Directory syncs by result',
          labelNames: ['result'] as const,
          registers: [registry],
        }),
    ),
    apiRetries: once(
      registry,
      'callpulse_rc_api_retries_total',
      () =>
        new Counter({
          name: 'callpulse_rc_api_retries_total',
          help: 'RingCentral API calls retried, by the status that caused it',
          labelNames: ['status'] as const,
          registers: [registry],
        }),
    ),
    rateLimitPauses: once(
      registry,
      'callpulse_rc_rate_limit_pauses_total',
      () =>
        new Counter({
          name: 'callpulse_rc_rate_limit_pauses_total',
          help: 'RingCentral rate-limit groups paused, by group and cause (rate-limited: a 429; budget-used: nothing remained)',
          labelNames: ['group', 'cause'] as const,
          registers: [registry],
        }),
    ),
    subscriptionDisabledFilters: once(
      registry,
      'callpulse_rc_subscription_disabled_filters',
      () =>
        new Gauge({
          name: 'callpulse_rc_subscription_disabled_filters',
          help: 'Filters of our subscription that RingCentral disabled (e.g. telephony sessions without CallControl); 0 when healthy',
          registers: [registry],
        }),
    ),
    subscriptionActions: once(
      registry,
      'callpulse_rc_subscription_actions_total',
      () =>
        new Counter({
          name: 'callpulse_rc_subscription_actions_total',
          help: 'Subscription checks by outcome (created, reused, renewed, recreated, locked, ...)',
          labelNames: ['action'] as const,
          registers: [registry],
        }),
    ),
  };
}

export type RcMetrics = ReturnType<typeof createRcMetrics>;
