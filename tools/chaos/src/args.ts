// `npm run chaos -- [flags]`: the flags, their help and the options of a run (the full schedule by default, --short a
// representative subset in four to five minutes).
import { booleanFlag, durationFlag, type FlagTable, helpText, numberFlag, parseFlags, stringFlag, UsageError } from '@callpulse/simulator';
import { type Fault, faultNames, fullSchedule, parseFaults, shortFaultNames } from './faults.js';

export interface ChaosOptions {
  seed: number;
  /** Whether the seed was chosen at random (printed so the run can be repeated). */
  randomSeed: boolean;
  short: boolean;
  faults: Fault[];
  workers: number;
  extensions: number;
  /** Calls per wall-clock second (the simulator's rate is this / speed). */
  callsPerSecond: number;
  speed: number;
  disorder: number;
  duplicates: number;
  /** Stop after this many calls (undefined: as long as the schedule needs). */
  calls: number | undefined;
  /** The traffic lasts at least this long (wall clock); the faults are spread over it. */
  minTrafficMs: number;
  leadMs: number;
  gapMs: number;
  tailMs: number;
  /** call-state's CALL_STATE_GRACE_MS, given to the workers and to verify. */
  graceMs: number;
  drainTimeoutMs: number;
  partitions: number;
  /** The run folder (default: a new one under the system's temporary folder). */
  dir: string | undefined;
  keep: boolean;
  jsonFile: string | undefined;
  maxRows: number;
}

export const chaosFlags: FlagTable = {
  seed: {
    type: 'string',
    value: 'N',
    description: 'seed of the traffic (default: a random one, printed; the same seed gives the same calls)',
  },
  short: { type: 'boolean', description: 'four to five minutes: a representative subset of the faults, 200 agents, 1.5 calls/s' },
  faults: {
    type: 'string',
    value: 'LIST',
    description: 'the schedule, comma-separated, in order (default: every fault; `--faults list` shows the names)',
  },
  calls: { type: 'string', value: 'N', description: 'stop the traffic after N calls (default: as long as the schedule needs)' },
  duration: {
    type: 'string',
    value: 'TIME',
    description: 'let the traffic run at least TIME (wall clock), the faults spread over it, e.g. 15m',
  },
  workers: { type: 'string', value: 'N', description: 'call-state workers, 2-8 (default 2)' },
  extensions: { type: 'string', value: 'N', description: 'agents of the simulated account (default 400; 200 with --short)' },
  rate: { type: 'string', value: 'R', description: 'calls per wall-clock second (default 3; 1.5 with --short)' },
  speed: { type: 'string', value: 'X', description: 'simulated seconds per wall-clock second (default 60)' },
  disorder: { type: 'string', value: 'F', description: 'fraction of events delivered after later ones (default 0.1)' },
  duplicates: { type: 'string', value: 'F', description: 'fraction of events delivered twice (default 0.05)' },
  gap: { type: 'string', value: 'TIME', description: 'recovery gap after each fault (default 10s; 4s with --short)' },
  grace: { type: 'string', value: 'TIME', description: "call-state's CALL_STATE_GRACE_MS, also verify's (default 3000ms)" },
  'drain-timeout': { type: 'string', value: 'TIME', description: 'longest wait for the pipeline to drain at the end (default 3m)' },
  dir: { type: 'string', value: 'DIR', description: 'run folder: truth, every process log, the servers (default: a new temporary one)' },
  keep: { type: 'boolean', description: 'keep the run folder (default: removed after a passing run; logs kept after a failing one)' },
  json: { type: 'string', value: 'FILE', description: 'also write the figures as JSON to FILE' },
  'max-rows': { type: 'string', value: 'N', description: 'differences and amendments listed at most (default 30)' },
  help: { type: 'boolean', description: 'show this help' },
};

const usage = 'Usage: npm run chaos -- [flags]';
const about =
  'Starts a private pipeline (own Kafka, Redis and ClickHouse servers on free ports, ingest, call-state workers,\n' +
  'reporting and api), plays simulated traffic with disorder and duplicates, applies a schedule of faults one at a\n' +
  'time (services and servers killed, terminated, restarted, stalled), restarts what died like a process supervisor,\n' +
  'then verifies ClickHouse against the truth. Prints one table; exits 1 on any lost, doubled or wrong leg or session\n' +
  'or unplanned process exit, 2 when the run itself could not be carried out. See docs/reliability.md.';

export const chaosHelp = helpText(usage, about, chaosFlags);

export type ChaosCommand = { help: true } | { listFaults: true; names: string[] } | { help: false; options: ChaosOptions };

export function parseChaosArgs(argv: string[], random: () => number = Math.random): ChaosCommand {
  const flags = parseFlags(argv, chaosFlags, false);
  if (booleanFlag(flags, 'help')) return { help: true };
  const short = booleanFlag(flags, 'short') === true;
  const workers = numberFlag(flags, 'workers', { integer: true, min: 2, max: 8, what: 'an integer from 2 to 8' }) ?? 2;
  const faultsText = stringFlag(flags, 'faults');
  if (faultsText === 'list') return { listFaults: true, names: faultNames(workers) };
  let faults: Fault[];
  try {
    faults =
      faultsText !== undefined
        ? parseFaults(faultsText, workers)
        : short
          ? parseFaults(shortFaultNames.join(','), workers)
          : fullSchedule(workers);
  } catch (err) {
    throw new UsageError(`--faults: ${(err as Error).message}`);
  }
  const seedFlag = numberFlag(flags, 'seed', { integer: true, min: 0, what: 'a non-negative integer' });
  const fraction = { min: 0, max: 1, what: 'a fraction from 0 to 1' };
  const options: ChaosOptions = {
    seed: seedFlag ?? Math.floor(random() * 2 ** 31),
    randomSeed: seedFlag === undefined,
    short,
    faults,
    workers,
    extensions:
      numberFlag(flags, 'extensions', { integer: true, min: 3, max: 10_000, what: 'an integer from 3 to 10000' }) ?? (short ? 200 : 400),
    callsPerSecond: numberFlag(flags, 'rate', { above: 0, max: 100, what: 'a positive number of calls per second' }) ?? (short ? 1.5 : 3),
    speed: numberFlag(flags, 'speed', { above: 0, what: 'a positive number' }) ?? 60,
    disorder: numberFlag(flags, 'disorder', fraction) ?? 0.1,
    duplicates: numberFlag(flags, 'duplicates', fraction) ?? 0.05,
    calls: numberFlag(flags, 'calls', { integer: true, min: 1, what: 'a positive integer' }),
    minTrafficMs: durationFlag(flags, 'duration') ?? 0,
    leadMs: short ? 6000 : 15_000,
    gapMs: durationFlag(flags, 'gap') ?? (short ? 4000 : 10_000),
    tailMs: short ? 5000 : 10_000,
    graceMs: durationFlag(flags, 'grace') ?? 3000,
    drainTimeoutMs: durationFlag(flags, 'drain-timeout') ?? 180_000,
    partitions: 6,
    dir: stringFlag(flags, 'dir'),
    keep: booleanFlag(flags, 'keep') === true,
    jsonFile: stringFlag(flags, 'json'),
    maxRows: numberFlag(flags, 'max-rows', { integer: true, min: 1, what: 'a positive integer' }) ?? 30,
  };
  return { help: false, options };
}
