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
    const shown = value === undefined ? 'missing' : `got "${value}"`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
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
