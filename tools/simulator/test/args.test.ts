// Command-line parsing of simulate and verify: values land in the options, and every bad flag is named.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/flags.js';
import { parseSimulateArgs, simulateHelp } from '../src/cli/simulate-args.js';
import { parseVerifyArgs, verifyHelp } from '../src/cli/verify-args.js';

const simulate = (...argv: string[]) => parseSimulateArgs(argv, {});
const verify = (...argv: string[]) => parseVerifyArgs(argv, {});

describe('simulate flags', () => {
  it('turns flags into options', () => {
    const command = simulate(
      '--extensions',
      '500',
      '--calls',
      '100',
      '--rate',
      '2.5',
      '--speed',
      '60',
      '--disorder',
      '0.1',
      '--duplicates',
      '0.05',
      '--concurrency',
      '8',
      '--seed',
      '42',
      '--scenarios',
      'inbound-missed:3,queue-answered',
      '--truth',
      'out.jsonl',
      '--no-seed-directory',
      '--duration',
      '10m',
      '--label',
      'load',
      '--token',
      'secret',
    );
    expect(command).toEqual({
      help: false,
      options: {
        extensions: 500,
        calls: 100,
        rate: 2.5,
        speed: 60,
        disorder: 0.1,
        duplicates: 0.05,
        concurrency: 8,
        seed: 42,
        scenarios: [
          { name: 'inbound-missed', weight: 3 },
          { name: 'queue-answered', weight: 14 },
        ],
        truthFile: 'out.jsonl',
        seedDirectory: false,
        durationMs: 600_000,
        label: 'load',
        token: 'secret',
      },
    });
  });

  it('takes the token and Redis from the environment when no flag gives them', () => {
    const command = parseSimulateArgs([], {
      RC_WEBHOOK_VERIFICATION_TOKEN: 'from-env',
      REDIS_URL: 'redis://cache:6379',
      REDIS_KEY_PREFIX: 'x:',
    });
    expect(command).toEqual({ help: false, options: { token: 'from-env', redisUrl: 'redis://cache:6379', redisPrefix: 'x:' } });
  });

  it('has live mode, and refuses a speed with it', () => {
    expect(simulate('--live')).toEqual({ help: false, options: { live: true } });
    expect(() => simulate('--live', '--speed', '10')).toThrow('--speed cannot be combined with --live');
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--rate'], "Option '--rate <value>' argument missing"],
    [['--rate', 'fast'], '--rate must be a positive number of calls per second (got "fast")'],
    [['--rate', '0'], '--rate must be a positive number'],
    [['--extensions', '20001'], '--extensions must be an integer from 3 to 20000 (got "20001")'],
    [['--extensions', '2.5'], '--extensions must be an integer'],
    [['--calls=-3'], '--calls must be a positive integer (got "-3")'],
    [['--disorder', '1.5'], '--disorder must be a fraction from 0 to 1 (got "1.5")'],
    [['--duplicates', 'x'], '--duplicates must be a fraction'],
    [['--duration', '10 minutes'], '--duration must be a positive duration like 90s, 10m or 1h (got "10 minutes")'],
    [['--speed=-1'], '--speed must be a positive number (got "-1")'],
    [['--speed', '-1'], "Option '--speed' argument is ambiguous"],
    [['--scenarios', 'inbound-missed,nope'], '--scenarios unknown scenario "nope"; known: inbound-answered-two-holds'],
    [['--scenarios', 'inbound-missed:0'], '--scenarios weight of inbound-missed must be a positive number, got "0"'],
    [['--scenarios', 'inbound-missed,inbound-missed'], '--scenarios names inbound-missed twice'],
    [['--url', 'localhost:3000'], '--url must be an http:// or https:// URL (got "localhost:3000")'],
    [['--redis-url', 'http://x'], '--redis-url must be a redis:// URL'],
    [['extra'], "Unexpected argument 'extra'"],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => simulate(...argv)).toThrow(UsageError);
    expect(() => simulate(...argv)).toThrow(message);
  });

  it('lists every flag in --help', () => {
    expect(simulate('--help')).toEqual({ help: true });
    for (const flag of [
      '--url',
      '--extensions',
      '--calls',
      '--duration',
      '--rate',
      '--speed',
      '--disorder',
      '--duplicates',
      '--truth',
      '--seed',
    ]) {
      expect(simulateHelp).toContain(flag);
    }
    expect(simulateHelp).toContain('--concurrency');
    expect(simulateHelp).toContain('--scenarios');
    expect(simulateHelp).toContain('--label');
    expect(simulateHelp).toContain('--live');
  });
});

describe('verify flags', () => {
  it('turns flags into options', () => {
    const command = verify(
      'truth.jsonl',
      '--clickhouse-url',
      'http://ch:8123',
      '--database',
      'callpulse_test',
      '--kafka-brokers',
      'k1:9092,k2:9092',
      '--topic-prefix',
      'load.',
      '--timeout',
      '2m',
      '--settle',
      '5s',
      '--grace',
      '2500ms',
      '--no-redis',
    );
    expect(command).toEqual({
      help: false,
      truthFile: 'truth.jsonl',
      json: false,
      maxRows: 50,
      options: {
        clickhouseUrl: 'http://ch:8123',
        database: 'callpulse_test',
        kafkaBrokers: ['k1:9092', 'k2:9092'],
        topicPrefix: 'load.',
        timeoutMs: 120_000,
        settleMs: 5000,
        graceMs: 2500,
        redisUrl: undefined,
      },
    });
  });

  it.each([
    [[], 'missing the truth file (the first argument)'],
    [['a.jsonl', 'b.jsonl'], 'one truth file only (also got b.jsonl)'],
    [['t.jsonl', '--timeout', 'soon'], '--timeout must be a positive duration'],
    [['t.jsonl', '--kafka-brokers', 'nohost'], '--kafka-brokers must be a comma-separated list of host:port (got "nohost")'],
    [['t.jsonl', '--clickhouse-url', 'ch:8123'], '--clickhouse-url must be an http:// or https:// URL'],
    [['t.jsonl', '--database', 'bad-name'], '--database must be a ClickHouse database name (got "bad-name")'],
    [['t.jsonl', '--max-rows', '0'], '--max-rows must be a positive integer'],
    [['t.jsonl', '--grace', 'later'], '--grace must be a positive duration'],
    [['t.jsonl', '--nope'], "Unknown option '--nope'"],
  ])('rejects %j naming what is wrong', (argv, message) => {
    expect(() => verify(...argv)).toThrow(UsageError);
    expect(() => verify(...argv)).toThrow(message);
  });

  it('takes the grace from CALL_STATE_GRACE_MS like the service, and names a malformed one', () => {
    expect(parseVerifyArgs(['t.jsonl'], { CALL_STATE_GRACE_MS: '4500' })).toMatchObject({ options: { graceMs: 4500 } });
    expect(parseVerifyArgs(['t.jsonl', '--grace', '1s'], { CALL_STATE_GRACE_MS: '4500' })).toMatchObject({ options: { graceMs: 1000 } });
    expect(() => parseVerifyArgs(['t.jsonl'], { CALL_STATE_GRACE_MS: '3s' })).toThrow(
      'CALL_STATE_GRACE_MS must be a whole number of ms (got "3s")',
    );
  });

  it('lists every flag in --help', () => {
    expect(verify('--help')).toEqual({ help: true });
    for (const flag of ['--clickhouse-url', '--database', '--kafka-brokers', '--topic-prefix', '--timeout', '--grace', '--help'])
      expect(verifyHelp).toContain(flag);
  });
});
