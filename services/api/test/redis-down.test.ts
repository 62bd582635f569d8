// The API starts while Redis is down (a restart of both, a bad boot order): it listens, /readyz answers quickly that
// Redis is not connected, and it becomes ready once Redis is there, without a restart.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateStack, privateStack } from '../../../test/support/private-stack.js';
import { freePort, type ServiceProcess, startServiceProcess, waitForHttpOk } from '../../../test/support/service-process.js';
import { waitFor } from '../../../test/support/wait.js';

let stack: PrivateStack;
let api: ServiceProcess;
let port: number;

beforeAll(async () => {
  stack = await privateStack(['redis']);
  port = await freePort();
  // The database only has to exist (reporting creates the real one): 'default' always does.
  api = startServiceProcess('api', { API_PORT: String(port), REDIS_URL: stack.redisUrl, CLICKHOUSE_DATABASE: 'default' });
}, 60000);

afterAll(async () => {
  await api?.stop();
  await stack?.destroy();
});

it('listens while Redis is down and becomes ready when it comes', { timeout: 120000 }, async () => {
  const url = `http://127.0.0.1:${port}/readyz`;
  const reason = await waitFor(
    async () => {
      const started = Date.now();
      const response = await fetch(url).catch(() => undefined);
      if (!response) return undefined;
      expect(Date.now() - started).toBeLessThan(5000);
      return response.status === 503 ? ((await response.json()) as { reason: string }).reason : undefined;
    },
    { what: 'the API to listen and say Redis is not there', timeoutMs: 30000 },
  );
  expect(reason).toMatch(/^Redis/);
  expect(api.output()).not.toContain('Unhandled error event');
  await stack.up();
  await waitForHttpOk(url, 60000);
  expect(api.child.exitCode).toBeNull();
});
