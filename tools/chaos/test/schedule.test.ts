// The fault catalogue, --faults parsing, the schedule's timing and the chaos flags: pure code on plain data.
import { describe, expect, it } from 'vitest';
import { parseChaosArgs } from '../src/args.js';
import { fullSchedule, parseFaults, serviceIds, shortFaultNames } from '../src/faults.js';
import { nextStartMs, planSchedule, trafficEndMs } from '../src/schedule.js';

describe('the fault catalogue', () => {
  it('hits every service instance with SIGKILL and SIGTERM once, and every server fault once, taking turns', () => {
    const names = fullSchedule(2).map((fault) => fault.name);
    for (const id of serviceIds(2)) expect(names.filter((name) => name === `kill-${id}` || name === `term-${id}`)).toHaveLength(2);
    for (const name of ['restart-redis', 'kill-redis', 'restart-kafka', 'kill-kafka', 'clickhouse-down', 'stall-kafka', 'stall-redis'])
      expect(names.filter((other) => other === name)).toHaveLength(1);
    expect(names).toHaveLength(2 * 5 + 7);
    // a server fault follows each of the first seven service faults
    expect(names.slice(0, 4)).toEqual(['kill-ingest', 'restart-redis', 'kill-call-state-1', 'restart-kafka']);
    // no worker is hit twice running
    const workerHits = names.filter((name) => name.includes('call-state'));
    workerHits.forEach((name, i) => {
      if (i > 0) expect(name.slice(5)).not.toBe((workerHits[i - 1] as string).slice(5));
    });
    expect(fullSchedule(3).filter((fault) => fault.name.includes('call-state-3'))).toHaveLength(2);
  });

  it('parses a schedule in the order given, with the worker aliases and `all`, and names an unknown fault', () => {
    expect(parseFaults('kill-kafka, kill-call-state,stall-redis', 2).map((fault) => fault.name)).toEqual([
      'kill-kafka',
      'kill-call-state-1',
      'kill-call-state-2',
      'stall-redis',
    ]);
    expect(parseFaults('all', 2)).toEqual(fullSchedule(2));
    expect(parseFaults('clickhouse-down', 2)[0]?.action).toEqual({ kind: 'server-down', server: 'clickhouse', downMs: 30_000 });
    expect(parseFaults('term-api', 2)[0]?.action).toEqual({ kind: 'signal-service', signal: 'SIGTERM', service: 'api' });
    expect(() => parseFaults('kill-postgres', 2)).toThrow(/unknown fault "kill-postgres" \(known: kill-ingest, .*all\)/);
    expect(() => parseFaults(' , ', 2)).toThrow('the schedule names no fault');
    expect(() => parseFaults(shortFaultNames.join(','), 2)).not.toThrow();
  });
});

describe('planSchedule', () => {
  const faults = parseFaults('kill-ingest,clickhouse-down', 2); // estimates 6 s and 38 s
  const timing = { leadMs: 10_000, gapMs: 5000, tailMs: 4000, minTrafficMs: 0 };

  it('starts after the lead, one fault after the other with its estimate and the gap, and lasts for all of them', () => {
    expect(planSchedule(faults, timing)).toEqual({ startsMs: [10_000, 21_000], trafficMs: 10_000 + 11_000 + 43_000 + 4000 });
  });

  it('spreads the faults over a longer --duration', () => {
    const plan = planSchedule(faults, { ...timing, minTrafficMs: 128_000 });
    expect(plan).toEqual({ startsMs: [10_000, 51_000], trafficMs: 128_000 });
  });

  it('waits a gap after a fault that overran its estimate, and keeps the traffic a tail past the last fault', () => {
    const plan = planSchedule(faults, timing);
    expect(nextStartMs(plan, 0, undefined, 5000)).toBe(10_000);
    expect(nextStartMs(plan, 1, 14_000, 5000)).toBe(21_000);
    expect(nextStartMs(plan, 1, 30_000, 5000)).toBe(35_000);
    expect(trafficEndMs(plan, 60_000, 4000)).toBe(68_000);
    expect(trafficEndMs(plan, 90_000, 4000)).toBe(94_000);
  });
});

describe('chaos flags', () => {
  it('defaults to the full schedule, a random seed and the issue traffic; --short to the subset', () => {
    const full = parseChaosArgs([], () => 0.5);
    expect(full).toMatchObject({
      help: false,
      options: {
        seed: 2 ** 30,
        randomSeed: true,
        workers: 2,
        extensions: 400,
        callsPerSecond: 3,
        speed: 60,
        disorder: 0.1,
        duplicates: 0.05,
      },
    });
    if (!('options' in full)) throw new Error('no options');
    expect(full.options.faults).toEqual(fullSchedule(2));
    const short = parseChaosArgs(['--short', '--seed', '7', '--keep', '--json', 'f.json']);
    if (!('options' in short)) throw new Error('no options');
    expect(short.options).toMatchObject({
      seed: 7,
      randomSeed: false,
      short: true,
      extensions: 200,
      callsPerSecond: 1.5,
      keep: true,
      jsonFile: 'f.json',
    });
    expect(short.options.faults.map((fault) => fault.name)).toEqual(shortFaultNames);
  });

  it('takes a schedule, lists the fault names, and names a bad flag', () => {
    const custom = parseChaosArgs(['--faults', 'kill-redis', '--workers', '3', '--duration', '10m', '--gap', '20s']);
    if (!('options' in custom)) throw new Error('no options');
    expect(custom.options).toMatchObject({ workers: 3, minTrafficMs: 600_000, gapMs: 20_000 });
    expect(parseChaosArgs(['--faults', 'list'])).toMatchObject({ listFaults: true });
    expect(parseChaosArgs(['--help'])).toEqual({ help: true });
    expect(() => parseChaosArgs(['--workers', '1'])).toThrow('--workers must be an integer from 2 to 8 (got "1")');
    expect(() => parseChaosArgs(['--faults', 'kill-everything'])).toThrow('--faults: unknown fault "kill-everything"');
    expect(() => parseChaosArgs(['--disorder', '2'])).toThrow('--disorder must be a fraction from 0 to 1');
    expect(() => parseChaosArgs(['--nope'])).toThrow("Unknown option '--nope'");
  });
});
