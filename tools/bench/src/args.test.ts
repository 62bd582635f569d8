import { describe, expect, it } from 'vitest';
import { ArgsError, parseBenchArgs, partNames } from './args.js';

describe('parseBenchArgs', () => {
  it('runs every part, full size, by default', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false, only: [...partNames], out: undefined, profile: false });
  });

  it('reads --quick, --only (in the suite order), --out and --profile', () => {
    expect(parseBenchArgs(['--quick', '--only', 'memory, ingest', '--out', 'r.json', '--profile'])).toEqual({
      quick: true,
      only: ['ingest', 'memory'],
      out: 'r.json',
      profile: true,
    });
  });

  it('names an unknown part and lists the known ones', () => {
    expect(() => parseBenchArgs(['--only', 'ingest,reportin'])).toThrow(/unknown part "reportin"; known: ingest, call-state/);
  });

  it('refuses unknown options and an empty --out', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(ArgsError);
    expect(() => parseBenchArgs(['--out', ' '])).toThrow(/--out needs a file name/);
  });
});
