// A private pipeline for the browser tests and the bench: the built services (reporting, call-state, ingest, api) as
// child processes with their own topic prefix, Redis key prefix and ClickHouse database; the API on a fixed port so
// it can be stopped and started again at the same address.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createRedis } from '@callpulse/platform';
import { cleanUp, type Isolation, isolation, type Started, startService } from '../../../services/api/test/support/processes.js';
import { redisUrl } from '../../../test/support/env.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';

export interface Pipeline {
  iso: Isolation;
  ingest: Started;
  apiUrl: string;
  apiPort: number;
  startApi: () => Promise<void>;
  stopApi: () => Promise<void>;
  /** Adds an extension to the directory and the monitored set, and says so on the directory channel. */
  addAgent: (extension: { id: string; extensionNumber: string; name: string }) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startPipeline(name: string, apiEnv: Record<string, string>): Promise<Pipeline> {
  const iso = isolation(name);
  const services: Started[] = [];
  for (const service of ['reporting', 'call-state', 'ingest'] as const) services.push(await startService(service, iso));
  const ingest = services[2] as Started;
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  let api: ServiceProcess | undefined;
  const startApi = async () => {
    api = startServiceProcess('api', { ...iso.env, API_PORT: String(apiPort), ...apiEnv });
    try {
      await waitForHttpOk(`${apiUrl}/readyz`, 60000);
    } catch (err) {
      throw new Error(`api did not become ready: ${(err as Error).message}\n${api.output()}`);
    }
  };
  const stopApi = async () => {
    await api?.stop();
    api = undefined;
  };
  await startApi();
  const prefix = iso.env.REDIS_KEY_PREFIX as string;
  return {
    iso,
    ingest,
    apiUrl,
    apiPort,
    startApi,
    stopApi,
    addAgent: async (extension) => {
      const redis = createRedis(redisUrl);
      try {
        const keys = redisKeys(prefix);
        await redis.hset(keys.extensions, extension.id, JSON.stringify({ ...extension, type: 'User', status: 'Enabled' }));
        await redis.sadd(keys.monitoredExtensions, extension.id);
        await redis.publish(redisChannels(prefix).directoryChanged, JSON.stringify({ source: 'test' }));
      } finally {
        redis.disconnect();
      }
    },
    stop: async () => {
      await stopApi();
      for (const service of services.reverse()) await service.process.stop();
      await cleanUp(iso);
    },
  };
}
