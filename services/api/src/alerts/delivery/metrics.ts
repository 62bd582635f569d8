// The delivery's Prometheus metrics, on the API's registry: attempts by result, transitions stored in ClickHouse,
// failing targets, and the transitions waiting per target (counted from Redis when scraped, by the lease holder).
import { Counter, Gauge, type Registry } from '@callpulse/platform';

export interface DeliveryMetrics {
  deliveries: Counter<'result'>;
  stored: Counter;
  failingTargets: Gauge;
  pending: Gauge<'target'>;
}

export function createDeliveryMetrics(registry: Registry, pendingByTarget: () => Promise<Map<string, number>>): DeliveryMetrics {
  return {
    deliveries: new Counter({
      name: 'callpulse_api_alert_deliveries_total',
      help: 'Alert deliveries attempted by this instance, by result (delivered: a 2xx answer; failed: any other answer, a timeout or a connection error)',
      labelNames: ['result'],
      registers: [registry],
    }),
    stored: new Counter({
      name: 'callpulse_api_alert_transitions_stored_total',
      help: 'Alert transitions inserted into ClickHouse (alert_transitions) by this instance',
      registers: [registry],
    }),
    failingTargets: new Gauge({
      name: 'callpulse_api_alert_failing_targets',
      help: 'Alert targets marked failing (3 or more consecutive failed deliveries); 0 in instances not delivering',
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'callpulse_api_alert_delivery_pending',
      help: 'Alert transitions not yet delivered, by target id (only the instance delivering reports them)',
      labelNames: ['target'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [target, pending] of await pendingByTarget().catch(() => new Map<string, number>())) this.set({ target }, pending);
      },
    }),
  };
}
