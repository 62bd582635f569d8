// The call-state service: follows every party leg of the monitored extensions in Redis and emits completed calls.
import { createLogger, loadConfigOrExit, onShutdown } from '@callpulse/platform';
import { callStateEnv } from './config.js';
import { startCallState } from './service.js';

const config = loadConfigOrExit('call-state', callStateEnv);
const logger = createLogger('call-state', config.LOG_LEVEL);
// Registered before start-up, which may wait long for Kafka or Redis: a SIGTERM meanwhile ends the wait cleanly
// (nothing was applied yet), one after start-up stops the service gracefully.
let service: Awaited<ReturnType<typeof startCallState>> | undefined;
onShutdown(logger, async () => {
  await service?.stop();
});
service = await startCallState(config, logger);
logger.info({ port: config.CALL_STATE_PORT }, 'call-state running');
