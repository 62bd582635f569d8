// Configuration errors name every bad variable and never print a secret: secret values are hidden, URL passwords masked.
import { describe, expect, it } from 'vitest';
import { ConfigError, clickhouseUrl, kafkaBrokers, parseConfig, redisUrl, shownValue, z } from './config.js';

function problemsOf(schema: z.ZodTypeAny, env: Record<string, string | undefined>): string {
  try {
    parseConfig(schema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const mustFail = z.string().refine(() => false, { message: 'is wrong' });

describe('configuration errors', () => {
  it('show the value of an ordinary variable and name it', () => {
    const message = problemsOf(z.object({ KAFKA_BROKERS: kafkaBrokers }), { KAFKA_BROKERS: 'nohost' });
    expect(message).toContain('KAFKA_BROKERS: must be a comma-separated list');
    expect(message).toContain('(got "nohost")');
  });

  it('say "missing" for a missing variable', () => {
    expect(problemsOf(z.object({ NEEDED: z.string() }), {})).toContain('NEEDED: Required (missing)');
  });

  it.each([
    'API_KEYS',
    'RC_CLIENT_SECRET',
    'RC_JWT',
    'RC_WEBHOOK_VERIFICATION_TOKEN',
    'CLICKHOUSE_PASSWORD',
    'CLICKHOUSE_BI_PASSWORD',
    'SOME_API_KEY',
    'GITHUB_TOKEN',
    'GOOGLE_CREDENTIALS',
    'rc_jwt',
  ])('hide the value of the secret %s and give its length', (name) => {
    const secret = 'admin:s3cr3t-Value,viewer:an0ther';
    const message = problemsOf(z.object({ [name]: mustFail }), { [name]: secret });
    expect(message).toContain(`${name}: is wrong (value hidden, ${secret.length} characters)`);
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain('an0ther');
  });

  it('hide every key of a malformed API_KEYS', () => {
    const apiKeys = z.string().transform((raw, ctx) => {
      if (!raw.split(',').every((entry) => /^(admin|viewer):.+$/.test(entry))) ctx.addIssue({ code: 'custom', message: 'entry 2 is bad' });
      return raw;
    });
    const message = problemsOf(z.object({ API_KEYS: apiKeys }), { API_KEYS: 'admin:K1-secret,root:K2-secret' });
    expect(message).toBe('invalid configuration:\n  - API_KEYS: entry 2 is bad (value hidden, 30 characters)');
  });

  it('scrub a secret value that a validator repeats in its message', () => {
    const message = problemsOf(z.object({ RC_JWT: z.enum(['a', 'b']) }), { RC_JWT: 'eyJhbGciOi.secret.part' });
    expect(message).toBe(
      "invalid configuration:\n  - RC_JWT: Invalid enum value. Expected 'a' | 'b', received '***' (value hidden, 22 characters)",
    );
    expect(problemsOf(z.object({ RC_JWT: z.enum(['a', 'b']) }), { RC_JWT: 'xy' })).not.toContain('xy');
  });

  it('scrub a URL password that a validator repeats in its message', () => {
    const message = problemsOf(z.object({ REDIS_URL: z.enum(['a']) }), { REDIS_URL: 'redis://:hunter2@redis' });
    expect(message).toContain('received \'redis://:***@redis\' (got "redis://:***@redis")');
  });

  it('mask the password of a REDIS_URL with the wrong protocol', () => {
    const message = problemsOf(z.object({ REDIS_URL: redisUrl }), { REDIS_URL: 'http://user:hunter2@redis:6379/0' });
    expect(message).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(message).toContain('(got "http://user:***@redis:6379/0")');
    expect(message).not.toContain('hunter2');
  });

  it('mask the password of a URL that does not even parse', () => {
    const message = problemsOf(z.object({ REDIS_URL: redisUrl }), { REDIS_URL: 'redis//:hunter2@' });
    expect(message).toContain('(got "redis//:***@")');
    expect(message).not.toContain('hunter2');
  });

  it('mask the password of a URL without its scheme', () => {
    expect(shownValue('REDIS_URL', 'default:hunter2@redis:6379')).toBe('got "default:***@redis:6379"');
    expect(shownValue('REDIS_URL', 'redis:/:hunter2@redis')).toBe('got "redis:***@redis"');
  });

  it('mask a CLICKHOUSE_URL password that holds "@" and "/"', () => {
    const message = problemsOf(z.object({ CLICKHOUSE_URL: clickhouseUrl }), { CLICKHOUSE_URL: 'ftp://default:p@ss/w0rd@clickhouse:8123' });
    expect(message).toContain('(got "ftp://default:***@clickhouse:8123")');
    expect(message).not.toContain('p@ss');
    expect(message).not.toContain('w0rd');
  });

  it('mask passwords, tokens and keys given as URL parameters', () => {
    const message = problemsOf(z.object({ CLICKHOUSE_URL: clickhouseUrl }), {
      CLICKHOUSE_URL: 'ftp://clickhouse:8123/?user=bi&password=hunter2&access_token=t0k3n&api_key=k3y#x',
    });
    expect(message).toContain('(got "ftp://clickhouse:8123/?user=bi&password=***&access_token=***&api_key=***#x")');
    expect(message).not.toMatch(/hunter2|t0k3n|k3y/);
  });

  it('mask the password of any value that is a URL, whatever the variable is called', () => {
    expect(shownValue('RC_WEBHOOK_ADDRESS', 'https://me:pw-123@ingest.example.com/hook')).toBe(
      'got "https://me:***@ingest.example.com/hook"',
    );
    expect(shownValue('SOMETHING', 'amqp://guest:guest-pw@host')).toBe('got "amqp://guest:***@host"');
  });

  it('leave a URL without credentials as it is', () => {
    expect(shownValue('REDIS_URL', 'redis://redis:6379')).toBe('got "redis://redis:6379"');
    expect(shownValue('RC_SERVER_URL', 'https://platform.ringcentral.com')).toBe('got "https://platform.ringcentral.com"');
  });

  it('hide a secret URL variable entirely', () => {
    expect(shownValue('RC_JWT', 'https://x:y@z')).toBe('value hidden, 13 characters');
  });
});
