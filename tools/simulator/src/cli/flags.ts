// Command-line flags on node's util.parseArgs: one table per command gives the parser, the help text and the checks,
// and every bad flag gets an error naming it.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in the help, e.g. N or URL. */
  value?: string;
  description: string;
}

export type FlagTable = Record<string, FlagSpec>;

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses argv against the table (unknown flags and missing values are errors naming the flag). */
export function parseFlags(argv: string[], table: FlagTable, allowPositionals: boolean): ParsedFlags {
  const options = Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, { type: spec.type }]));
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, allowNegative: true, strict: true });
    return { values: values as ParsedFlags['values'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, '').trim());
  }
}

export function helpText(usage: string, about: string, table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return `${usage}\n\n${about}\n\nFlags:\n${rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n')}\n`;
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} needs a value`);
  return value.trim();
}

/** A number flag, checked: `integer`, `min` (inclusive), `max` (inclusive), `above` (exclusive). */
export function numberFlag(
  flags: ParsedFlags,
  name: string,
  rule: { integer?: boolean; min?: number; max?: number; above?: number; what: string },
): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok =
    text !== '' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isSafeInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.above === undefined || value > rule.above);
  if (!ok) throw new UsageError(`--${name} must be ${rule.what} (got "${text}")`);
  return value;
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration like 500ms, 90s, 10m, 1.5h (a bare number is seconds). */
export function durationFlag(flags: ParsedFlags, name: string): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  const value = match ? Number(match[1]) * (units[match[2] ?? 's'] as number) : Number.NaN;
  if (!(value > 0)) throw new UsageError(`--${name} must be a positive duration like 90s, 10m or 1h (got "${text}")`);
  return Math.round(value);
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean | undefined {
  const value = flags.values[name];
  return typeof value === 'boolean' ? value : undefined;
}
