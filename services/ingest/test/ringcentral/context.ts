// Shared set-up of the RingCentral tests: a stand-in account, a real Redis with a unique key prefix, and the config.
import { createLogger, createRedis, parseConfig, type Redis, Registry, redisChannels, redisKeys } from '@callpulse/shared';
import { redisUrl, uniqueName } from '../../../../test/support/env.js';
import { type RingCentralConfig, type RingCentralDeps, ringCentralEnvSchema } from '../../src/ringcentral/index.js';
import { type StandIn, type StandInOptions, startStandIn } from '../../src/standin/index.js';

export const fastRetry = { attempts: 4, baseDelayMs: 10, maxDelayMs: 5000 };

export interface TestContext {
  standIn: StandIn;
  redis: Redis;
  prefix: string;
  env: Record<string, string>;
  config(extra?: Record<string, string | undefined>): RingCentralConfig;
  deps(extra?: Record<string, string | undefined>): RingCentralDeps;
  cleanup(): Promise<void>;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.del(...found);
  } while (cursor !== '0');
}

export async function createContext(label: string, options: StandInOptions = {}): Promise<TestContext> {
  const standIn = await startStandIn(options);
  const prefix = `${uniqueName(label)}:`;
  const redis = createRedis(redisUrl);
  const env: Record<string, string> = {
    RC_SERVER_URL: standIn.url,
    RC_CLIENT_ID: standIn.credentials.clientId,
    RC_CLIENT_SECRET: standIn.credentials.clientSecret,
    RC_JWT: standIn.credentials.jwt,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    RC_EXTENSION_EVENT_DEBOUNCE_MS: '20',
  };
  const config = (extra: Record<string, string | undefined> = {}) => parseConfig(ringCentralEnvSchema, { ...env, ...extra });
  return {
    standIn,
    redis,
    prefix,
    env,
    config,
    deps: (extra = {}) => ({
      config: config(extra),
      redis,
      keys: redisKeys(prefix),
      channels: redisChannels(prefix),
      logger: createLogger('test', 'silent'),
      registry: new Registry(),
      retry: fastRetry,
    }),
    async cleanup() {
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await standIn.close();
    },
  };
}
