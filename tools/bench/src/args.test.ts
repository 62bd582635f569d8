import { describe, expect, it } from 'vitest';
import { ArgsError, parseBenchArgs, partNames } from './args.js';

describe('parseBenchArgs', () => {
  it('runs every part, full size, by default', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false, only: [...partNames], out: undefined, profile: false, capacity: {} });
  });

  it('reads --quick, --only (in the suite order), --out and --profile', () => {
    expect(parseBenchArgs(['--quick', '--only', 'memory, ingest', '--out', 'r.json', '--profile'])).toEqual({
      quick: true,
      only: ['ingest', 'memory'],
      out: 'r.json',
      profile: true,
      capacity: {},
    });
  });

  it("reads the capacity part's steps, and names a bad one", () => {
    expect(parseBenchArgs(['--only', 'capacity', '--capacity-rates', '500, 1500,4000', '--capacity-step-seconds', '20'])).toMatchObject({
      only: ['capacity'],
      capacity: { rates: [500, 1500, 4000], stepSeconds: 20 },
    });
    expect(() => parseBenchArgs(['--capacity-rates', '2000,1000'])).toThrow(/--capacity-rates needs increasing whole events\/s/);
    expect(() => parseBenchArgs(['--capacity-rates', '1000,fast'])).toThrow(ArgsError);
    expect(() => parseBenchArgs(['--capacity-step-seconds', '2'])).toThrow(/--capacity-step-seconds needs a number of at least 5/);
  });

  it('names an unknown part and lists the known ones', () => {
    expect(() => parseBenchArgs(['--only', 'ingest,reportin'])).toThrow(/unknown part "reportin"; known: ingest, call-state/);
  });

  it('refuses unknown options and an empty --out', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(ArgsError);
    expect(() => parseBenchArgs(['--out', ' '])).toThrow(/--out needs a file name/);
  });
});
