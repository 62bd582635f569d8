// `npm run verify -- truth.jsonl [flags]`: the flags, their help and their translation into verify options.
import { kafkaBrokers } from '@callpulse/platform';
import type { VerifyOptions } from '../verify/run.js';
import { durationFlag, type FlagTable, helpText, numberFlag, type ParsedFlags, parseFlags, stringFlag, UsageError } from './flags.js';

export const verifyFlags: FlagTable = {
  'clickhouse-url': {
    type: 'string',
    value: 'URL',
    description: 'ClickHouse HTTP interface (default $CLICKHOUSE_URL or http://127.0.0.1:8123)',
  },
  'clickhouse-user': { type: 'string', value: 'USER', description: 'ClickHouse user (default $CLICKHOUSE_USER or default)' },
  'clickhouse-password': { type: 'string', value: 'PASSWORD', description: 'its password (default $CLICKHOUSE_PASSWORD or empty)' },
  database: { type: 'string', value: 'DB', description: 'reporting database (default $CLICKHOUSE_DATABASE or callpulse)' },
  'kafka-brokers': { type: 'string', value: 'LIST', description: 'host:port list (default $KAFKA_BROKERS or 127.0.0.1:9092)' },
  'topic-prefix': { type: 'string', value: 'P', description: 'topic prefix of the pipeline (default $KAFKA_TOPIC_PREFIX or none)' },
  'call-state-group': {
    type: 'string',
    value: 'ID',
    description: 'call-state consumer group (default $CALL_STATE_GROUP_ID or callpulse-call-state)',
  },
  'reporting-group': {
    type: 'string',
    value: 'ID',
    description: 'reporting consumer group (default $REPORTING_GROUP_ID or callpulse-reporting)',
  },
  'redis-url': {
    type: 'string',
    value: 'URL',
    description: 'Redis of call-state, for pending emissions (default $REDIS_URL or redis://127.0.0.1:6379)',
  },
  'redis-prefix': { type: 'string', value: 'P', description: 'its key prefix (default $REDIS_KEY_PREFIX or cp:)' },
  'no-redis': { type: 'boolean', description: 'do not look at pending emissions in Redis' },
  timeout: { type: 'string', value: 'TIME', description: 'longest wait for the pipeline to drain, e.g. 2m (default 120s)' },
  settle: {
    type: 'string',
    value: 'TIME',
    description: 'how long rows must stay unchanged to count as drained (default 4s; above CALL_STATE_GRACE_MS)',
  },
  grace: {
    type: 'string',
    value: 'TIME',
    description:
      "call-state's grace: amended legs of sessions delivered later than this count apart (default $CALL_STATE_GRACE_MS or 3000ms)",
  },
  'first-versions': {
    type: 'string',
    value: 'FROM',
    description: 'where earlier versions of amended legs are read: legs-log (default) or topic (exact; reads completed-calls)',
  },
  'max-rows': { type: 'string', value: 'N', description: 'differences printed at most (default 50)' },
  json: { type: 'boolean', description: 'print the report as JSON instead of tables' },
  help: { type: 'boolean', description: 'show this help' },
};

const usage = 'Usage: npm run verify -- TRUTH_FILE [flags]';
const about =
  'Waits until the pipeline has handled everything sent before it started (other traffic may keep flowing), then\n' +
  'compares legs_latest and sessions_latest in ClickHouse with the ground truth written by\n' +
  '`npm run simulate -- --truth FILE` and reports amended legs. Exits 1 on any difference (2 when the pipeline did not\n' +
  'drain in time).';

export const verifyHelp = helpText(usage, about, verifyFlags);

export type VerifyCommand =
  | { help: true }
  | { help: false; truthFile: string; options: Partial<VerifyOptions>; json: boolean; maxRows: number };

function graceOf(flags: ParsedFlags, env: NodeJS.ProcessEnv): number | undefined {
  const flag = durationFlag(flags, 'grace');
  if (flag !== undefined) return flag;
  const text = env.CALL_STATE_GRACE_MS;
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`CALL_STATE_GRACE_MS must be a whole number of ms (got "${text}")`);
  return Number(text);
}

export function parseVerifyArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): VerifyCommand {
  const flags = parseFlags(argv, verifyFlags, true);
  if (flags.values.help === true) return { help: true };
  const [truthFile, ...rest] = flags.positionals;
  if (truthFile === undefined) throw new UsageError('missing the truth file (the first argument), e.g. npm run verify -- truth.jsonl');
  if (rest.length > 0) throw new UsageError(`one truth file only (also got ${rest.join(' ')})`);
  const clickhouseUrl = stringFlag(flags, 'clickhouse-url') ?? (env.CLICKHOUSE_URL || undefined);
  if (clickhouseUrl !== undefined && !/^https?:\/\/[^/]+/.test(clickhouseUrl)) {
    throw new UsageError(`--clickhouse-url must be an http:// or https:// URL (got "${clickhouseUrl}")`);
  }
  const brokersText = stringFlag(flags, 'kafka-brokers') ?? (env.KAFKA_BROKERS || undefined);
  const brokers = brokersText === undefined ? undefined : kafkaBrokers.safeParse(brokersText);
  if (brokers && !brokers.success)
    throw new UsageError(`--kafka-brokers must be a comma-separated list of host:port (got "${brokersText}")`);
  const database = stringFlag(flags, 'database') ?? (env.CLICKHOUSE_DATABASE || undefined);
  if (database !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(database))
    throw new UsageError(`--database must be a ClickHouse database name (got "${database}")`);
  const redisUrl = stringFlag(flags, 'redis-url') ?? (env.REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl))
    throw new UsageError(`--redis-url must be a redis:// URL (got "${redisUrl}")`);
  const options: Partial<VerifyOptions> = {};
  const set = <K extends keyof VerifyOptions>(key: K, value: VerifyOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('clickhouseUrl', clickhouseUrl);
  set('clickhouseUser', stringFlag(flags, 'clickhouse-user') ?? (env.CLICKHOUSE_USER || undefined));
  set('clickhousePassword', (flags.values['clickhouse-password'] as string | undefined) ?? env.CLICKHOUSE_PASSWORD);
  set('database', database);
  set('kafkaBrokers', brokers?.success ? brokers.data : undefined);
  set('topicPrefix', (flags.values['topic-prefix'] as string | undefined) ?? env.KAFKA_TOPIC_PREFIX);
  set('callStateGroup', stringFlag(flags, 'call-state-group') ?? (env.CALL_STATE_GROUP_ID || undefined));
  set('reportingGroup', stringFlag(flags, 'reporting-group') ?? (env.REPORTING_GROUP_ID || undefined));
  set('redisUrl', redisUrl);
  if (flags.values['no-redis'] === true) options.redisUrl = undefined;
  set('redisPrefix', (flags.values['redis-prefix'] as string | undefined) ?? env.REDIS_KEY_PREFIX);
  set('timeoutMs', durationFlag(flags, 'timeout'));
  set('settleMs', durationFlag(flags, 'settle'));
  set('graceMs', graceOf(flags, env));
  const firstVersions = stringFlag(flags, 'first-versions');
  if (firstVersions !== undefined && firstVersions !== 'legs-log' && firstVersions !== 'topic')
    throw new UsageError(`--first-versions must be legs-log or topic (got "${firstVersions}")`);
  set('firstVersions', firstVersions);
  const maxRows = numberFlag(flags, 'max-rows', { integer: true, min: 1, what: 'a positive integer' }) ?? 50;
  return { help: false, truthFile, options, json: flags.values.json === true, maxRows };
}
