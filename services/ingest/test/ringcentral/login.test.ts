// Login and configuration: the JWT flow against the stand-in, a refused JWT, no credentials, partial credentials.
import { ConfigError, parseConfig } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ringCentralEnvSchema } from '../../src/ringcentral/config.js';
import { connectRingCentral, startRingCentral } from '../../src/ringcentral/connect.js';
import { RingCentralLoginError } from '../../src/ringcentral/platform.js';
import { createContext, type TestContext } from './context.js';

describe('RingCentral login and config', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createContext('rclogin');
  });
  afterAll(async () => ctx?.cleanup());

  it('logs in with the JWT grant and basic client auth, and revokes the token on stop', async () => {
    const handle = await connectRingCentral(ctx.deps());
    expect((await handle?.status())?.loggedIn).toBe(true);
    await handle?.stop();
    const paths = ctx.standIn.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(paths).toContain('POST /restapi/oauth/token 200');
    expect(paths).toContain('POST /restapi/oauth/revoke 200');
  });

  it('a refused JWT is a clear error naming the variables to check, not retried', async () => {
    const before = ctx.standIn.requests.length;
    const error = await connectRingCentral(ctx.deps({ RC_JWT: 'not-the-jwt' })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RingCentralLoginError);
    expect((error as Error).message).toMatch(
      /login \(JWT flow\) at http:\/\/127\.0\.0\.1:\d+ failed: .*400 \[OAU-213\] Token is not valid/,
    );
    expect((error as Error).message).toContain('RC_JWT');
    expect(ctx.standIn.requests.slice(before).filter((r) => r.path === '/restapi/oauth/token')).toHaveLength(1);
  });

  it('a wrong client secret is a clear error too', async () => {
    await expect(connectRingCentral(ctx.deps({ RC_CLIENT_SECRET: 'wrong' }))).rejects.toThrow(/401 \[OAU-123\] Invalid client/);
  });

  it('without credentials start returns undefined (webhook-only) and calls nothing', async () => {
    const before = ctx.standIn.requests.length;
    const deps = ctx.deps({ RC_CLIENT_ID: '', RC_CLIENT_SECRET: '', RC_JWT: '' });
    expect(await startRingCentral(deps)).toBeUndefined();
    expect(ctx.standIn.requests.length).toBe(before);
  });

  it('partial credentials are a config error naming each missing variable', () => {
    const error = (() => {
      try {
        parseConfig(ringCentralEnvSchema, { RC_CLIENT_ID: 'id' });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(2);
    expect((error as ConfigError).problems[0]).toMatch(/^RC_CLIENT_SECRET: is required when any of/);
    expect((error as ConfigError).problems[1]).toMatch(/^RC_JWT: is required/);
  });

  it('names malformed variables and applies defaults', () => {
    expect(() =>
      parseConfig(ringCentralEnvSchema, { RC_WEBHOOK_ADDRESS: 'not a url', RC_SUBSCRIPTION_EXPIRES_IN: '999999999999' }),
    ).toThrow(/RC_WEBHOOK_ADDRESS: must be an http:\/\/ or https:\/\/ URL[\s\S]*RC_SUBSCRIPTION_EXPIRES_IN/);
    expect(() => parseConfig(ringCentralEnvSchema, { RC_SUBSCRIPTION_EXPIRES_IN: '3600', RC_SUBSCRIPTION_RENEW_BEFORE_S: '7200' })).toThrow(
      /RC_SUBSCRIPTION_RENEW_BEFORE_S: must be below RC_SUBSCRIPTION_EXPIRES_IN/,
    );
    expect(parseConfig(ringCentralEnvSchema, {})).toMatchObject({
      RC_SERVER_URL: 'https://platform.ringcentral.com',
      RC_SUBSCRIPTION_EXPIRES_IN: 315360000,
      RC_DIRECTORY_SYNC_INTERVAL_MS: 3600000,
      REDIS_KEY_PREFIX: 'cp:',
    });
  });
});
