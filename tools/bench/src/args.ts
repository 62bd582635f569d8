// Command-line options of the bench, checked with a clear message for each bad one.
import { parseArgs } from 'node:util';

export const partNames = [
  'ingest',
  'call-state',
  'end-to-end',
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
}

export const usage = `usage: npm run bench -- [--quick] [--only ${partNames.join(',')}] [--out FILE] [--profile]
  --quick    a short version of every part (under five minutes in all)
  --only     run only the named parts, comma-separated
  --out      also write the results (machine, figures, notes) as JSON to FILE
  --profile  run the services with --cpu-prof and print where their CPU time went`;

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
  };
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
      help: { type: 'boolean', short: 'h' },
    },
  });
}
