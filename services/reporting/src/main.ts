// The reporting service: completed calls from Kafka into ClickHouse, with /healthz, /readyz and /metrics. It never
// exits for a dependency: start-up is retried with backoff while Kafka or ClickHouse is unreachable, and /readyz says so.
import { runService } from '@callpulse/platform';
import { reportingEnv } from './config.js';
import { buildReporting } from './service.js';

await runService({ name: 'reporting', env: reportingEnv, build: buildReporting });
