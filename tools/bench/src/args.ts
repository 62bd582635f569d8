// Command-line options of the bench, checked with a clear message for each bad one.
import { parseArgs } from 'node:util';

export const partNames = [
  'ingest',
  'call-state',
  'end-to-end',
  'capacity',
  'stalled-subscriber',
  'reporting',
  'history',
  'memory',
  'dashboard',
  'alerts',
] as const;
export type PartName = (typeof partNames)[number];

export interface BenchArgs {
  quick: boolean;
  only: PartName[];
  out: string | undefined;
  profile: boolean;
  /** The capacity part's steps, when given (its defaults otherwise). */
  capacity: CapacityArgs;
}

export interface CapacityArgs {
  /** Target events/s of the steps, increasing. */
  rates?: number[];
  /** How long each step is held. */
  stepSeconds?: number;
}

export const usage = `usage: npm run bench -- [--quick] [--only ${partNames.join(',')}] [--out FILE] [--profile]
  --quick    a short version of every part (under five minutes in all)
  --only     run only the named parts, comma-separated
  --out      also write the results (machine, figures, notes) as JSON to FILE
  --profile  run the services with --cpu-prof and print where their CPU time went
  --capacity-rates 1000,2000,...  the capacity part's steps in events/s, increasing (it stops at the first not held)
  --capacity-step-seconds N       how long the capacity part holds each step (default 40, 10 with --quick)`;

export class ArgsError extends Error {}

export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new ArgsError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const only = values.only === undefined ? [...partNames] : values.only.split(',').map((name) => name.trim());
  const unknown = only.filter((name) => !(partNames as readonly string[]).includes(name));
  if (unknown.length > 0 || only.length === 0) {
    throw new ArgsError(
      `--only: unknown part ${unknown.map((name) => `"${name}"`).join(', ') || '(empty)'}; known: ${partNames.join(', ')}`,
    );
  }
  if (values.out !== undefined && values.out.trim() === '') throw new ArgsError('--out needs a file name');
  return {
    quick: values.quick ?? false,
    only: partNames.filter((name) => only.includes(name)),
    out: values.out,
    profile: values.profile ?? false,
    capacity: capacityArgs(values['capacity-rates'], values['capacity-step-seconds']),
  };
}

function capacityArgs(rates: string | undefined, stepSeconds: string | undefined): CapacityArgs {
  const capacity: CapacityArgs = {};
  if (rates !== undefined) {
    const parsed = rates.split(',').map((rate) => Number(rate.trim()));
    const increasing = parsed.every((rate, index) => index === 0 || rate > (parsed[index - 1] ?? 0));
    if (parsed.length === 0 || !parsed.every((rate) => Number.isInteger(rate) && rate > 0) || !increasing) {
      throw new ArgsError(`--capacity-rates needs increasing whole events/s, comma-separated (e.g. 1000,2000,3000), got "${rates}"`);
    }
    capacity.rates = parsed;
  }
  if (stepSeconds !== undefined) {
    const seconds = Number(stepSeconds);
    if (!Number.isFinite(seconds) || seconds < 5)
      throw new ArgsError(`--capacity-step-seconds needs a number of at least 5, got "${stepSeconds}"`);
    capacity.stepSeconds = seconds;
  }
  return capacity;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean' },
      'capacity-rates': { type: 'string' },
      'capacity-step-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
