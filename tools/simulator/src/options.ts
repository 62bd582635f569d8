// The simulator's options: defaults, and one check per option with an error naming it.
import { MAX_EXTENSIONS } from './traffic/account.js';
import { defaultMix, type ScenarioMix } from './traffic/mix.js';

export interface SimulationOptions {
  /** The ingest webhook. */
  url: string;
  /** Verification-Token header (RC_WEBHOOK_VERIFICATION_TOKEN); undefined sends none. */
  token: string | undefined;
  /** Agents (monitored users) of the simulated account; queues and an IVR menu come on top. */
  extensions: number;
  accountId: string;
  /** Stop after this many calls (undefined: no limit). */
  calls: number | undefined;
  /** Stop starting calls after this much simulated time (undefined: no limit). */
  durationMs: number | undefined;
  /** Calls per simulated second (Poisson). */
  rate: number;
  /** Simulated seconds per wall-clock second: durations and event times are compressed by it. */
  speed: number;
  disorder: number;
  duplicates: number;
  /** Webhook requests in flight at most. */
  concurrency: number;
  /** Drives every call; default a new one per run (printed in the summary and the truth file). */
  seed: number;
  scenarios: ScenarioMix;
  label: string;
  /** Where the ground truth goes (JSON lines); undefined: not written. */
  truthFile: string | undefined;
  seedDirectory: boolean;
  redisUrl: string;
  redisPrefix: string;
  /** Epoch ms of simulated time 0 (default: when the run starts). */
  startMs: number | undefined;
  /** Attempts per notification before it counts as an error (503s honour Retry-After; others back off up to 5 s). */
  maxAttempts: number;
  /** Upper bound of a notification's delivery delay after its event (the scenario library's parameter). */
  maxDeliveryDelayMs: number;
  /** Plain progress lines every this many ms when the output is not a terminal. */
  progressIntervalMs: number;
  live: boolean;
}

export const defaultOptions: SimulationOptions = {
  url: 'http://127.0.0.1:3000/webhooks/ringcentral',
  token: undefined,
  extensions: 200,
  accountId: '100200300',
  calls: undefined,
  durationMs: undefined,
  rate: 1,
  speed: 1,
  disorder: 0,
  duplicates: 0,
  concurrency: 16,
  seed: 0,
  scenarios: defaultMix,
  label: 'simulated',
  truthFile: undefined,
  seedDirectory: true,
  redisUrl: 'redis://127.0.0.1:6379',
  redisPrefix: 'cp:',
  startMs: undefined,
  maxAttempts: 50,
  maxDeliveryDelayMs: 400,
  progressIntervalMs: 10_000,
  live: false,
};

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const positive = (value: number) => Number.isFinite(value) && value > 0;
const fraction = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;
const positiveInteger = (value: number) => Number.isSafeInteger(value) && value > 0;

/** Fills defaults; live mode plays in real time (speed 1) with no end. Throws naming the first bad option. */
export function resolveOptions(given: Partial<SimulationOptions>): SimulationOptions {
  // A fresh seed per run by default: the same seed gives the same session ids, which a pipeline treats as the same calls.
  const options: SimulationOptions = { ...defaultOptions, ...given, seed: given.seed ?? Math.floor(Math.random() * 2 ** 31) };
  if (options.live) {
    check(given.speed === undefined || given.speed === 1, 'speed: live mode plays in real time (speed 1)');
    options.speed = 1;
    if (given.label === undefined) options.label = 'LIVE SIMULATED TRAFFIC';
  }
  check(/^https?:\/\/[^/]+/.test(options.url), `url must be an http:// or https:// URL, got "${options.url}"`);
  check(
    Number.isInteger(options.extensions) && options.extensions >= 3 && options.extensions <= MAX_EXTENSIONS,
    `extensions must be an integer from 3 to ${MAX_EXTENSIONS}, got ${options.extensions}`,
  );
  check(options.calls === undefined || positiveInteger(options.calls), `calls must be a positive integer, got ${options.calls}`);
  check(options.durationMs === undefined || positive(options.durationMs), `duration must be positive, got ${options.durationMs} ms`);
  check(positive(options.rate), `rate must be a positive number of calls per second, got ${options.rate}`);
  check(positive(options.speed), `speed must be a positive number, got ${options.speed}`);
  check(fraction(options.disorder), `disorder must be a fraction from 0 to 1, got ${options.disorder}`);
  check(fraction(options.duplicates), `duplicates must be a fraction from 0 to 1, got ${options.duplicates}`);
  check(positiveInteger(options.concurrency), `concurrency must be a positive integer, got ${options.concurrency}`);
  check(Number.isSafeInteger(options.seed), `seed must be an integer, got ${options.seed}`);
  check(options.scenarios.length > 0, 'scenarios must name at least one scenario');
  check(options.label.trim() !== '', 'label must not be empty');
  check(/^rediss?:\/\/./.test(options.redisUrl), `redis-url must be a redis:// or rediss:// URL, got "${options.redisUrl}"`);
  check(options.startMs === undefined || positive(options.startMs), `startMs must be a positive epoch ms, got ${options.startMs}`);
  check(positiveInteger(options.maxAttempts), `max-attempts must be a positive integer, got ${options.maxAttempts}`);
  check(
    Number.isSafeInteger(options.maxDeliveryDelayMs) && options.maxDeliveryDelayMs >= 0,
    'maxDeliveryDelayMs must be a non-negative integer',
  );
  check(
    positiveInteger(options.progressIntervalMs),
    `progress-interval must be a positive number of ms, got ${options.progressIntervalMs}`,
  );
  return options;
}
