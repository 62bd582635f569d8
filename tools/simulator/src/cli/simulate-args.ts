// `npm run simulate -- ...`: the flags, their help and their translation into simulation options.
import type { SimulationOptions } from '../options.js';
import { MAX_EXTENSIONS } from '../traffic/account.js';
import { parseScenarioMix } from '../traffic/mix.js';
import { booleanFlag, durationFlag, type FlagTable, helpText, numberFlag, parseFlags, stringFlag, UsageError } from './flags.js';

export const simulateFlags: FlagTable = {
  url: { type: 'string', value: 'URL', description: 'ingest webhook (default http://127.0.0.1:3000/webhooks/ringcentral)' },
  token: { type: 'string', value: 'TOKEN', description: 'Verification-Token to send (default $RC_WEBHOOK_VERIFICATION_TOKEN)' },
  extensions: { type: 'string', value: 'N', description: `agents of the simulated account, 3-${MAX_EXTENSIONS} (default 200)` },
  calls: { type: 'string', value: 'N', description: 'stop after N calls' },
  duration: { type: 'string', value: 'TIME', description: 'stop starting calls after TIME of simulated traffic, e.g. 90s, 10m, 1h' },
  rate: { type: 'string', value: 'R', description: 'calls per simulated second, Poisson arrivals (default 1)' },
  speed: {
    type: 'string',
    value: 'X',
    description: 'time scale: 60 plays an hour in a minute; durations and event times shrink by X (default 1)',
  },
  disorder: { type: 'string', value: 'F', description: 'fraction of events delayed past later events of the same call (default 0)' },
  duplicates: { type: 'string', value: 'F', description: 'fraction of events sent twice (default 0)' },
  concurrency: { type: 'string', value: 'N', description: 'webhook requests in flight at most (default 16)' },
  seed: {
    type: 'string',
    value: 'N',
    description: 'seed of every random choice (default: a new one per run; reusing one on the same pipeline reuses session ids)',
  },
  scenarios: {
    type: 'string',
    value: 'LIST',
    description: 'scenario mix: a,b,c (their default weights) or a:3,b:1 (default: all, realistic mix)',
  },
  label: { type: 'string', value: 'TEXT', description: 'name of the run in its output and truth file (default "simulated")' },
  truth: { type: 'string', value: 'FILE', description: 'write the ground truth (JSON lines) of every delivered call to FILE' },
  'seed-directory': {
    type: 'boolean',
    description: 'write the simulated directory to Redis and monitor its agents (default on; --no-seed-directory)',
  },
  'redis-url': { type: 'string', value: 'URL', description: 'Redis of the pipeline (default $REDIS_URL or redis://127.0.0.1:6379)' },
  'redis-prefix': { type: 'string', value: 'P', description: 'its key prefix (default $REDIS_KEY_PREFIX or cp:)' },
  'account-id': { type: 'string', value: 'ID', description: 'RingCentral account id in the payloads (default 100200300)' },
  'max-attempts': { type: 'string', value: 'N', description: 'attempts per notification before it counts as an error (default 50)' },
  'progress-interval': { type: 'string', value: 'TIME', description: 'plain progress line interval when not on a terminal (default 10s)' },
  live: { type: 'boolean', description: 'demo mode: real time (speed 1), event times = now, until Ctrl-C; clearly labelled simulated' },
  help: { type: 'boolean', description: 'show this help' },
};

const usage = 'Usage: npm run simulate -- [flags]';
const about =
  'Plays simulated RingCentral telephony-session traffic of an account into the ingest webhook. Without --calls or\n' +
  '--duration it runs until Ctrl-C. Rates and durations are in simulated time; wall time is simulated time / speed.';

export const simulateHelp = helpText(usage, about, simulateFlags);

export type SimulateCommand = { help: true } | { help: false; options: Partial<SimulationOptions> };

export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SimulateCommand {
  const flags = parseFlags(argv, simulateFlags, false);
  if (booleanFlag(flags, 'help')) return { help: true };
  const options: Partial<SimulationOptions> = {};
  const set = <K extends keyof SimulationOptions>(key: K, value: SimulationOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  const url = stringFlag(flags, 'url');
  if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http:// or https:// URL (got "${url}")`);
  set('url', url);
  set('token', stringFlag(flags, 'token') ?? (env.RC_WEBHOOK_VERIFICATION_TOKEN || undefined));
  set(
    'extensions',
    numberFlag(flags, 'extensions', { integer: true, min: 3, max: MAX_EXTENSIONS, what: `an integer from 3 to ${MAX_EXTENSIONS}` }),
  );
  set('calls', numberFlag(flags, 'calls', { integer: true, min: 1, what: 'a positive integer' }));
  set('durationMs', durationFlag(flags, 'duration'));
  set('rate', numberFlag(flags, 'rate', { above: 0, what: 'a positive number of calls per second' }));
  set('speed', numberFlag(flags, 'speed', { above: 0, what: 'a positive number' }));
  set('disorder', numberFlag(flags, 'disorder', { min: 0, max: 1, what: 'a fraction from 0 to 1' }));
  set('duplicates', numberFlag(flags, 'duplicates', { min: 0, max: 1, what: 'a fraction from 0 to 1' }));
  set('concurrency', numberFlag(flags, 'concurrency', { integer: true, min: 1, what: 'a positive integer' }));
  set('seed', numberFlag(flags, 'seed', { integer: true, what: 'an integer' }));
  const scenarios = stringFlag(flags, 'scenarios');
  if (scenarios !== undefined) {
    try {
      options.scenarios = parseScenarioMix(scenarios);
    } catch (err) {
      throw new UsageError(`--scenarios ${(err as Error).message}`);
    }
  }
  set('label', stringFlag(flags, 'label'));
  set('truthFile', stringFlag(flags, 'truth'));
  set('seedDirectory', booleanFlag(flags, 'seed-directory'));
  const redisUrl = stringFlag(flags, 'redis-url') ?? (env.REDIS_URL || undefined);
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl))
    throw new UsageError(`--redis-url must be a redis:// URL (got "${redisUrl}")`);
  set('redisUrl', redisUrl);
  set('redisPrefix', flags.values['redis-prefix'] !== undefined ? String(flags.values['redis-prefix']) : env.REDIS_KEY_PREFIX);
  set('accountId', stringFlag(flags, 'account-id'));
  set('maxAttempts', numberFlag(flags, 'max-attempts', { integer: true, min: 1, what: 'a positive integer' }));
  set('progressIntervalMs', durationFlag(flags, 'progress-interval'));
  const live = booleanFlag(flags, 'live');
  if (live) {
    if (options.speed !== undefined && options.speed !== 1)
      throw new UsageError('--speed cannot be combined with --live (live plays in real time)');
    options.live = true;
  }
  return { help: false, options };
}
