// The API service: GraphQL over live data (Redis) and history (ClickHouse), and the dashboard (service.ts wires it).
import { runService } from '@callpulse/platform';
import { apiEnv } from './config.js';
import { buildApi } from './service.js';

await runService({ name: 'api', env: apiEnv, build: buildApi });
