// The call-state service: follows every party leg of the monitored extensions in Redis and emits completed calls.
// Reads the config (exit 78 naming each bad variable), builds the service from its parts, starts it, and stops it
// gracefully on SIGTERM/SIGINT.
import { createLogger, loadConfigOrExit, onShutdown } from '@callpulse/platform';
import { callStateEnv } from './config.js';
import { buildCallState } from './service.js';

const config = loadConfigOrExit('call-state', callStateEnv);
const logger = createLogger('call-state', config.LOG_LEVEL);
const service = buildCallState(config, { logger });
// Registered before start-up, which may wait long for Kafka or Redis: a SIGTERM meanwhile ends the wait cleanly
// (nothing was applied yet), one after start-up stops the service gracefully.
onShutdown(logger, () => service.stop());
await service.start();
logger.info({ port: config.CALL_STATE_PORT }, 'call-state running');
