// The call-state service: follows every party leg of the monitored extensions in Redis and emits completed calls.
import { createLogger, loadConfigOrExit, onShutdown } from '@callpulse/shared';
import { callStateEnv } from './config.js';
import { startCallState } from './service.js';

const config = loadConfigOrExit('call-state', callStateEnv);
const logger = createLogger('call-state', config.LOG_LEVEL);
const service = await startCallState(config, logger);
logger.info({ port: config.CALL_STATE_PORT }, 'call-state running');
onShutdown(logger, () => service.stop());
