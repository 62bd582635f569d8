// The call-state service: follows every party leg of the monitored extensions in Redis and emits completed calls
// (service.ts builds it from its parts). Config, build, start, and a graceful stop on SIGTERM: platform's runService.
import { runService } from '@callpulse/platform';
import { callStateEnv } from './config.js';
import { buildCallState } from './service.js';

await runService({ name: 'call-state', env: callStateEnv, build: buildCallState });
