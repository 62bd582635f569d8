// A service refuses to start on a malformed address, naming the variable; and the webhook is safe by default: no
// verification token, no listening beyond loopback (unless deliberately allowed).
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { freePort, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { isLoopbackHost } from '../src/config.js';

describe('ingest configuration', () => {
  it.each([
    ['KAFKA_BROKERS', 'kafka-without-port', /KAFKA_BROKERS: must be a comma-separated list of host:port.*got "kafka-without-port"/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL.*got "localhost:6379"/],
    ['INGEST_PORT', 'eighty', /INGEST_PORT: Expected number, received nan.*got "eighty"/],
  ])('exits non-zero when %s is malformed, naming it', async (name, value, message) => {
    const service = startServiceProcess('ingest', { [name]: value });
    expect(await service.exited).toBe(78);
    expect(service.output()).toMatch(message);
  });

  it('names every malformed variable in one message', async () => {
    const service = startServiceProcess('ingest', { KAFKA_BROKERS: 'nope', REDIS_URL: 'nope' });
    expect(await service.exited).toBe(78);
    expect(service.output()).toContain('KAFKA_BROKERS');
    expect(service.output()).toContain('REDIS_URL');
  });
});

describe('where the webhook listens', () => {
  const outsideAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  it('knows the loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'ingest.example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses a non-loopback INGEST_HOST without RC_WEBHOOK_VERIFICATION_TOKEN, naming the opt-out', async () => {
    const service = startServiceProcess('ingest', { INGEST_HOST: '0.0.0.0', RC_WEBHOOK_VERIFICATION_TOKEN: '' });
    expect(await service.exited).toBe(78);
    expect(service.output()).toMatch(/INGEST_HOST: listens beyond loopback but RC_WEBHOOK_VERIFICATION_TOKEN is not set/);
    expect(service.output()).toContain('INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1');
  });

  it('listens on loopback only when no token is set', async () => {
    const port = await freePort();
    const service = startServiceProcess('ingest', { INGEST_PORT: String(port), RC_WEBHOOK_VERIFICATION_TOKEN: '' });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/healthz`);
      expect(service.output()).toMatch(/"host":"127\.0\.0\.1".*listens on loopback only/);
      if (outsideAddress) await expect(fetch(`http://${outsideAddress}:${port}/healthz`)).rejects.toThrow();
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it.each([
    ['with a verification token', { RC_WEBHOOK_VERIFICATION_TOKEN: 'a-token' }],
    ['with INGEST_ALLOW_UNVERIFIED_WEBHOOKS=1', { INGEST_HOST: '0.0.0.0', INGEST_ALLOW_UNVERIFIED_WEBHOOKS: '1' }],
  ])('listens on every interface %s', async (_label, env) => {
    const port = await freePort();
    const service = startServiceProcess('ingest', { INGEST_PORT: String(port), ...env });
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/healthz`);
      if (outsideAddress) expect((await fetch(`http://${outsideAddress}:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});
