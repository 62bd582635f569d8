// Shared set-up of the RingCentral tests: a stand-in account, a real Redis with a unique key prefix, and the config.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createLogger, createRedis, parseConfig, type Redis, Registry } from '@callpulse/platform';
import { type StandIn, type StandInOptions, startStandIn } from '@callpulse/testkit/standin';
import { redisUrl, uniqueName } from '../../../../test/support/env.js';
import { type RingCentralConfig, ringCentralEnvSchema } from '../../src/ringcentral/config.js';
import type { RingCentralDeps } from '../../src/ringcentral/connect.js';

export const fastRetry = { attempts: 4, baseDelayMs: 10, maxDelayMs: 5000 };
/** After a 429 without Retry-After the tests wait 0.3-0.5 s instead of RingCentral's 30-60 s. */
export const fastPenalty = { fallbackPenaltyMs: [300, 500] as const };

/**
 * A custom rate-limit plan (RingCentral lets an app's limits be raised) so tests that log in and sync many times are not
 * slowed to RingCentral's defaults; the penalty model and headers stay. Tests of the limits pass their own.
 */
export const roomyPlan = { groups: { light: { limit: 1000 }, medium: { limit: 1000 }, heavy: { limit: 1000 }, auth: { limit: 1000 } } };

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
  const standIn = await startStandIn({ rateLimits: roomyPlan, ...options });
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
      rateLimits: fastPenalty,
      tokenPropagationMs: 50,
    }),
    async cleanup() {
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await standIn.close();
    },
  };
}
