// RingCentral environment: a zod fragment the ingest service merges into its schema, plus the cross-field check
// (credentials all or none, renewal threshold below the subscription's lifetime).
import { durationMs, redisUrl } from '@callpulse/platform';
import { z } from 'zod';

/** The documented maximum lifetime of a webhook subscription: 10 years. */
export const MAX_WEBHOOK_EXPIRES_IN_S = 315360000;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const httpUrl = (example: string) =>
  z.string().refine(
    (raw) => {
      try {
        const url = new URL(raw);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: `must be an http:// or https:// URL, e.g. ${example}` },
  );

export const ringCentralEnv = {
  RC_SERVER_URL: httpUrl('https://platform.ringcentral.com')
    .default('https://platform.ringcentral.com')
    .transform((raw) => raw.replace(/\/+$/, '')),
  RC_CLIENT_ID: optionalText,
  RC_CLIENT_SECRET: optionalText,
  RC_JWT: optionalText,
  RC_WEBHOOK_ADDRESS: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .pipe(httpUrl('https://ingest.example.com/webhooks/ringcentral').optional()),
  RC_WEBHOOK_VERIFICATION_TOKEN: optionalText,
  RC_WEBHOOK_TOKEN_OVERLAP_S: z.coerce.number().int().min(0).max(86400).default(300),
  RC_SUBSCRIPTION_EXPIRES_IN: z.coerce.number().int().min(60).max(MAX_WEBHOOK_EXPIRES_IN_S).default(MAX_WEBHOOK_EXPIRES_IN_S),
  RC_SUBSCRIPTION_RENEW_BEFORE_S: z.coerce.number().int().positive().default(86400),
  RC_SUBSCRIPTION_CHECK_INTERVAL_MS: durationMs(15 * 60 * 1000),
  RC_DIRECTORY_SYNC_INTERVAL_MS: durationMs(60 * 60 * 1000),
  RC_EXTENSION_EVENT_DEBOUNCE_MS: durationMs(2000),
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('cp:'),
};

const fragment = z.object(ringCentralEnv);
export type RingCentralConfig = z.infer<typeof fragment>;

export const credentialVariables = ['RC_CLIENT_ID', 'RC_CLIENT_SECRET', 'RC_JWT'] as const;

/** The variables of a partial set of credentials that are missing: [] when all or none are set. */
export function missingCredentials(config: Pick<RingCentralConfig, (typeof credentialVariables)[number]>): string[] {
  const missing = credentialVariables.filter((name) => config[name] === undefined);
  return missing.length === credentialVariables.length ? [] : missing;
}

/** superRefine check for any schema that includes the fragment; adds one issue per bad variable. */
export function checkRingCentralEnv(config: RingCentralConfig, ctx: z.RefinementCtx): void {
  for (const name of missingCredentials(config)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [name],
      message: `is required when any of ${credentialVariables.join(', ')} is set (RingCentral JWT login needs all three)`,
    });
  }
  if (config.RC_SUBSCRIPTION_RENEW_BEFORE_S >= config.RC_SUBSCRIPTION_EXPIRES_IN) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['RC_SUBSCRIPTION_RENEW_BEFORE_S'],
      message: `must be below RC_SUBSCRIPTION_EXPIRES_IN (${config.RC_SUBSCRIPTION_EXPIRES_IN} s), or every check renews`,
    });
  }
}

/** The fragment alone with its check, for the CLI and tests. */
export const ringCentralEnvSchema = fragment.superRefine(checkRingCentralEnv);

export interface RingCentralCredentials {
  server: string;
  clientId: string;
  clientSecret: string;
  jwt: string;
}

/** The credentials when all three are set, else undefined (webhook-only). */
export function credentialsOf(config: RingCentralConfig): RingCentralCredentials | undefined {
  const { RC_CLIENT_ID: clientId, RC_CLIENT_SECRET: clientSecret, RC_JWT: jwt } = config;
  if (clientId === undefined || clientSecret === undefined || jwt === undefined) return undefined;
  return { server: config.RC_SERVER_URL, clientId, clientSecret, jwt };
}
