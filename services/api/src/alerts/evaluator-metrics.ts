// The alert evaluator's Prometheus metrics, on the API's registry: whether this instance evaluates, the transitions it
// committed (and the commits the script refused: another evaluator moved the alert first), and how long a run takes.
import { Counter, Gauge, Histogram, type Registry } from '@callpulse/platform';

export interface EvaluatorMetrics {
  evaluating: Gauge<string>;
  transitions: Counter<'status'>;
  refused: Counter<string>;
  runSeconds: Histogram<string>;
}

export function createEvaluatorMetrics(registry: Registry): EvaluatorMetrics {
  return {
    evaluating: new Gauge({
      name: 'callpulse_api_alert_evaluating',
      help: '1 while this instance holds the alert evaluator lease and evaluates the rules',
      registers: [registry],
    }),
    transitions: new Counter({
      name: 'callpulse_api_alert_transitions_total',
      help: 'Alert transitions this instance committed, by status (FIRING, RESOLVED)',
      labelNames: ['status'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'callpulse_api_alert_commits_refused_total',
      help: 'Alert commits the compare-and-set refused because the alert had moved (another evaluator committed first)',
      registers: [registry],
    }),
    runSeconds: new Histogram({
      name: 'callpulse_api_alert_evaluation_seconds',
      help: 'Duration of one evaluation of every rule',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
