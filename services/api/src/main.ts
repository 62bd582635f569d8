// Entry point: config from the environment (exit 78 naming each bad variable), start, graceful stop on SIGTERM.
import { createLogger, loadConfigOrExit, onShutdown } from '@callpulse/platform';
import { startApi } from './app.js';
import { apiEnv } from './config.js';

const config = loadConfigOrExit('api', apiEnv);
const logger = createLogger('api', config.LOG_LEVEL);
const api = await startApi(config, { logger });
onShutdown(logger, api.stop);
