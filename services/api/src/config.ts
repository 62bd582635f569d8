// The API service's environment, validated once at start-up (every variable: docs/api.md, "Configuration").
import { clickhouseEnv, logLevel, port, positiveInt, redisUrl, z } from '@callpulse/shared';
import { type ApiKey, parseApiKeys } from './auth/api-keys.js';

const apiKeys = z
  .string()
  .default('')
  .transform((raw, ctx): ApiKey[] => {
    try {
      return parseApiKeys(raw);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      return z.NEVER;
    }
  });

export const apiEnv = z.object({
  LOG_LEVEL: logLevel,
  API_PORT: port(4000),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  /** `role:key` pairs separated by commas, roles `admin` or `viewer`; empty: loopback only, read-only. */
  API_KEYS: apiKeys,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('cp:'),
  ...clickhouseEnv,
  API_MAX_PAGE_SIZE: positiveInt(500),
  API_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  API_MAX_RANGE_DAYS: positiveInt(366),
  API_SERVICE_LEVEL_SECONDS: z.coerce.number().int().nonnegative().default(20),
  API_MAX_DEPTH: positiveInt(8),
  API_MAX_COST: positiveInt(5000),
  API_MAX_ALIASES: positiveInt(15),
  API_ADMIN_COMMAND_TIMEOUT_MS: positiveInt(10000),
});

export type ApiConfig = z.infer<typeof apiEnv>;
