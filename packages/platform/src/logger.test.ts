// Log lines carry no secrets (headers, tokens, passwords, keys, JWTs) and no personal data (numbers, names, bodies).
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger.js';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger('test', 'info', { write: (line: string) => lines.push(line) });
  write(logger);
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string);
}

const secret = 'S3CRET-value';
const personal = '+14155550100';

describe('log redaction', () => {
  it('keeps the service name and ordinary fields', () => {
    const line = logged((logger) => logger.info({ topic: 'callpulse.telephony-sessions', count: 3 }, 'hello'));
    expect(line).toMatchObject({ service: 'test', name: 'test', topic: 'callpulse.telephony-sessions', count: 3, msg: 'hello' });
  });

  it.each([
    ['an authorization header of a request', { req: { headers: { authorization: `Bearer ${secret}` } } }],
    ['an authorization header', { headers: { authorization: `Bearer ${secret}`, Authorization: secret } }],
    ['a cookie', { headers: { cookie: secret }, request: { headers: { cookie: secret } } }],
    ['a Verification-Token header', { req: { headers: { 'verification-token': secret } }, headers: { 'Verification-Token': secret } }],
    ['a password', { password: secret, clickhouse: { password: secret } }],
    ['a token', { token: secret, accessToken: secret, refresh_token: secret, rc: { access_token: secret, verificationToken: secret } }],
    ['a secret', { secret, clientSecret: secret, rc: { client_secret: secret } }],
    ['a JWT', { jwt: secret, credentials: { jwt: secret } }],
    ['an API key', { apiKey: secret, apiKeys: [secret], auth: { api_key: secret, privateKey: secret } }],
    [
      'configuration variables',
      {
        config: {
          API_KEYS: `admin:${secret}`,
          RC_JWT: secret,
          RC_CLIENT_SECRET: secret,
          RC_WEBHOOK_VERIFICATION_TOKEN: secret,
          CLICKHOUSE_PASSWORD: secret,
        },
      },
    ],
  ])('redacts %s', (_what, fields) => {
    const line = logged((logger) => logger.warn(fields, 'something'));
    expect(JSON.stringify(line)).not.toContain(secret);
    expect(JSON.stringify(line)).toContain('[redacted]');
  });

  it.each([
    ['a phone number', { phoneNumber: personal, party: { phoneNumber: personal } }],
    ['a party', { from: { phoneNumber: personal, name: 'Ada Lovelace' }, to: { phoneNumber: personal } }],
    ['a nested party', { party: { from: { phoneNumber: personal }, to: personal } }],
    ['a nested name', { party: { name: 'Ada Lovelace' } }],
    ['parties in a list', { parties: [{ from: { phoneNumber: personal, name: 'Ada Lovelace' } }] }],
    ['a body', { body: `{"from":{"phoneNumber":"${personal}","name":"Ada Lovelace"}}` }],
    ['a nested body', { notification: { body: { parties: [{ to: { phoneNumber: personal } }] } } }],
    ['raw bytes', { raw: Buffer.from(personal).toString('base64'), request: { raw: personal } }],
  ])('redacts personal data: %s', (_what, fields) => {
    const line = JSON.stringify(logged((logger) => logger.warn(fields, 'something')));
    expect(line).not.toContain(personal);
    expect(line).not.toContain(Buffer.from(personal).toString('base64'));
    expect(line).not.toContain('Ada Lovelace');
  });

  it('redacts in child loggers too', () => {
    const line = logged((logger) => logger.child({ component: 'rc' }).info({ rc: { jwt: secret }, phoneNumber: personal }, 'login'));
    expect(line).toMatchObject({ component: 'rc', rc: { jwt: '[redacted]' }, phoneNumber: '[redacted]' });
  });
});

describe('redact', () => {
  it("reaches an error's own fields and keeps its message and stack", () => {
    const err = Object.assign(new Error('request failed'), {
      status: 401,
      response: { headers: { authorization: `Bearer ${secret}` }, body: { phoneNumber: personal } },
    });
    const line = logged((logger) => logger.error({ err }, 'failed'));
    expect(JSON.stringify(line)).not.toMatch(new RegExp(`${secret}|\\${personal}`));
    expect(line.err).toMatchObject({ type: 'Error', message: 'request failed', status: 401, response: { body: '[redacted]' } });
    expect((line.err as { stack: string }).stack).toContain('request failed');
  });

  it('logs what is not an error under err as it is', () => {
    expect(logged((logger) => logger.warn({ err: 'plain text' }, 'odd')).err).toBe('plain text');
    expect(logged((logger) => logger.warn({ err: null }, 'odd')).err).toBeNull();
  });

  it('returns the same object when nothing is redacted and never changes the caller', () => {
    const clean = { topic: 't', nested: { list: [1, { a: 2 }] } };
    expect(redact(clean)).toBe(clean);
    const dirty = { nested: { list: [{ token: secret }] } };
    expect(redact(dirty)).toEqual({ nested: { list: [{ token: '[redacted]' }] } });
    expect(dirty.nested.list[0]?.token).toBe(secret);
  });

  it('stops at a cycle instead of looping', () => {
    const cyclic: Record<string, unknown> = { token: secret };
    cyclic.self = cyclic;
    expect(redact(cyclic).token).toBe('[redacted]');
  });
});
