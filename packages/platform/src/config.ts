// Environment config: one zod schema per service, parsed once at start-up; every bad variable is named.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses env with schema; throws a ConfigError naming each missing or malformed variable. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = env[name];
    if (value === undefined) return `${name}: ${issue.message} (missing)`;
    return `${name}: ${scrub(issue.message, name, value)} (${shownValue(name, value)})`;
  });
  throw new ConfigError(problems);
}

// A variable is a secret when one of the words of its name says so (API_KEYS, RC_CLIENT_SECRET, RC_JWT, ...).
const secretWords = /(^|_)(KEYS?|SECRETS?|TOKENS?|PASSWORDS?|PASSWD|JWTS?|CREDENTIALS?|PRIVATE)(_|$)/i;
// URL parameters whose values are secrets (?password=, ?access_token=, ?api_key=, ...).
const secretParameter = /([?&][^=&#]*(?:key|secret|token|password|passwd|pwd|jwt|credential|signature|sig|auth)[^=&#]*=)[^&#]*/gi;

/** Whether a variable's value must never be printed. */
export const isSecretName = (name: string): boolean => secretWords.test(name);

/**
 * A value as it may be printed: `value hidden, N characters` for a secret variable, else `got "value"` with the
 * password of a URL (everything after the first ":" of the part before the last "@", even when the URL does not
 * parse) and secret URL parameters replaced by `***`.
 */
export function shownValue(name: string, value: string): string {
  if (isSecretName(name)) return `value hidden, ${value.length} characters`;
  return `got "${maskUrlSecrets(value)}"`;
}

function maskUrlSecrets(value: string): string {
  let masked = value;
  const at = masked.lastIndexOf('@');
  if (at !== -1) {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(masked)?.[0] ?? '';
    const userinfo = masked.slice(scheme.length, at);
    const colon = userinfo.indexOf(':');
    if (colon !== -1) masked = `${scheme}${userinfo.slice(0, colon + 1)}***${masked.slice(at)}`;
  }
  return masked.replace(secretParameter, '$1***');
}

/** A validator's message with any copy of a value that must not be printed replaced (zod repeats some values). */
function scrub(message: string, name: string, value: string): string {
  const replacement = isSecretName(name) ? '***' : maskUrlSecrets(value);
  if (value === '' || replacement === value) return message;
  const quoted = message.split(`'${value}'`).join(`'${replacement}'`).split(`"${value}"`).join(`"${replacement}"`);
  return value.length < 4 ? quoted : quoted.split(value).join(replacement);
}

/** parseConfig for a service's main: prints the problems and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodTypeAny>(service: string, schema: S): z.infer<S> {
  try {
    return parseConfig(schema, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${service}: ${err.message}\n`);
    process.exit(78);
  }
}

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** KAFKA_BROKERS: comma-separated host:port list. */
export const kafkaBrokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((raw) => raw.split(',').map((broker) => broker.trim()))
  .refine((brokers) => brokers.length > 0 && brokers.every((broker) => hostPort.test(broker) && Number(broker.split(':')[1]) <= 65535), {
    message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  });

function urlWithProtocols(protocols: string[], example: string) {
  return z.string().refine(
    (raw) => {
      try {
        const url = new URL(raw);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL, e.g. ${example}` },
  );
}

/** REDIS_URL: redis:// or rediss:// URL. */
export const redisUrl = urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379');

/** CLICKHOUSE_URL: http:// or https:// URL of ClickHouse's HTTP interface. */
export const clickhouseUrl = urlWithProtocols(['http:', 'https:'], 'http://127.0.0.1:8123').default('http://127.0.0.1:8123');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const durationMs = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Where and as whom a service reaches ClickHouse (reporting writes, the API reads). */
export const clickhouseEnv = {
  CLICKHOUSE_URL: clickhouseUrl,
  CLICKHOUSE_USER: z.string().min(1).default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a ClickHouse database name: a letter or "_", then letters, digits or "_"')
    .default('callpulse'),
};

/** Variables every service reads. */
export const commonEnv = {
  LOG_LEVEL: logLevel,
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
    .default(''),
};
export { z } from 'zod';
