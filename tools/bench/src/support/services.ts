// The built services as child processes, each with the env that isolates it (topic prefix, key prefix, group,
// database) and a free port; resolved once /readyz answers 200.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Child, freePort, startChild, waitUntilReady } from './children.js';
import type { BenchContext } from './context.js';
import { repoRoot } from './env.js';

export interface Isolation {
  topicPrefix: string;
  redisPrefix: string;
  /** ClickHouse database (reporting, api). */
  database?: string;
}

export interface RunningService {
  child: Child;
  port: number;
  url: string;
}

const scripts = {
  ingest: 'services/ingest/dist/main.js',
  'call-state': 'services/call-state/dist/main.js',
  reporting: 'services/reporting/dist/main.js',
  api: 'services/api/dist/main.js',
} as const;

export type ServiceName = keyof typeof scripts;

/** BENCH_<NAME>_SCRIPT (e.g. BENCH_CALL_STATE_SCRIPT=/tmp/candidate/dist/main.js) runs another build: A/B a candidate fix. */
function scriptOf(name: ServiceName): string {
  return process.env[`BENCH_${name.toUpperCase().replace('-', '_')}_SCRIPT`] || scripts[name];
}

/** The V8 flags every service runs with in production (services/node-flags.json), and the profiler's with --profile. */
function nodeArgs(context: BenchContext, name: string): string[] {
  const flags = JSON.parse(readFileSync(resolve(repoRoot, 'services/node-flags.json'), 'utf8')) as string[];
  if (!context.profileDir) return flags;
  return [...flags, '--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

function envFor(name: ServiceName, port: number, isolation: Isolation, label: string): Record<string, string> {
  const common = { KAFKA_TOPIC_PREFIX: isolation.topicPrefix, REDIS_KEY_PREFIX: isolation.redisPrefix };
  switch (name) {
    case 'ingest':
      return { ...common, INGEST_PORT: String(port), INGEST_HOST: '127.0.0.1', RC_WEBHOOK_VERIFICATION_TOKEN: benchVerificationToken };
    case 'call-state':
      return { ...common, CALL_STATE_PORT: String(port), CALL_STATE_GROUP_ID: `${isolation.topicPrefix}call-state${label}` };
    case 'reporting':
      return {
        ...common,
        REPORTING_PORT: String(port),
        REPORTING_GROUP_ID: `${isolation.topicPrefix}reporting`,
        CLICKHOUSE_DATABASE: required(isolation.database, 'reporting'),
      };
    case 'api':
      return { ...common, API_PORT: String(port), API_HOST: '127.0.0.1', CLICKHOUSE_DATABASE: required(isolation.database, 'api') };
  }
}

function required(value: string | undefined, service: string): string {
  if (value === undefined) throw new Error(`${service} needs a ClickHouse database in its isolation`);
  return value;
}

/** The Verification-Token the bench's ingest expects and its webhooks present. */
export const benchVerificationToken = 'bench-verification-token';

/** The group id call-state runs with for a given label (several labels = several independent groups). */
export function callStateGroupId(isolation: Isolation, label = ''): string {
  return `${isolation.topicPrefix}call-state${label}`;
}

export async function startService(
  context: BenchContext,
  name: ServiceName,
  isolation: Isolation,
  options: { label?: string; env?: Record<string, string>; script?: string } = {},
): Promise<RunningService> {
  const port = await freePort();
  const label = options.label ?? '';
  const child = startChild({
    name: `${name}${label}`,
    script: options.script ?? scriptOf(name),
    env: { ...envFor(name, port, isolation, label), ...options.env },
    nodeArgs: nodeArgs(context, `${name}${label}`),
    cleanup: context.cleanup,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}/readyz`, 90000);
  return { child, port, url };
}
