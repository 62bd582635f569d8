// The health routes: /readyz tells callers only the summary of a reason, the detail goes to the log once per change.
import Fastify, { type FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { addHealthRoutes, type ReadinessCheck } from './health.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function healthApp(ready: ReadinessCheck, showDetail?: (request: FastifyRequest) => boolean) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test', 'info', { write: (line: string) => lines.push(JSON.parse(line)) });
  const app = Fastify();
  apps.push(app);
  addHealthRoutes(app, { registry: new Registry(), ready, logger, showDetail });
  const readyz = async (headers: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'GET', url: '/readyz', headers });
    return { status: response.statusCode, body: response.json() };
  };
  return { app, lines, readyz };
}

const detail = 'connect ECONNREFUSED 10.1.2.3:9092 (broker kafka-0.internal, user callpulse)';

describe('/readyz', () => {
  it('answers 200 when ready', async () => {
    const { readyz } = healthApp(async () => true);
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('gives callers only the summary before ": "', async () => {
    const { readyz } = healthApp(async () => `Kafka unreachable: ${detail}`);
    const answer = await readyz();
    expect(answer).toEqual({ status: 503, body: { status: 'not ready', reason: 'Kafka unreachable' } });
    expect(JSON.stringify(answer)).not.toContain('10.1.2.3');
  });

  it('gives a reason without detail as it is', async () => {
    const { readyz } = healthApp(async () => 'not yet a member of the consumer group');
    expect((await readyz()).body).toEqual({ status: 'not ready', reason: 'not yet a member of the consumer group' });
  });

  it('gives the whole reason to callers showDetail accepts', async () => {
    const { readyz } = healthApp(
      async () => `Kafka unreachable: ${detail}`,
      (request) => request.headers.authorization === 'Bearer admin-key',
    );
    expect((await readyz({ authorization: 'Bearer admin-key' })).body).toEqual({
      status: 'not ready',
      reason: `Kafka unreachable: ${detail}`,
    });
    expect((await readyz({ authorization: 'Bearer wrong' })).body).toEqual({ status: 'not ready', reason: 'Kafka unreachable' });
  });

  it('hides the text of a check that throws', async () => {
    const { readyz, lines } = healthApp(async () => {
      throw new Error(`redis://:hunter2@redis:6379 ${detail}`);
    });
    const answer = await readyz();
    expect(answer).toEqual({ status: 503, body: { status: 'not ready', reason: 'readiness check failed' } });
    expect(JSON.stringify(lines)).toContain(detail);
  });

  it('logs the detail once per change, not per probe, and when it is ready again', async () => {
    let reason: true | string = `Kafka unreachable: ${detail}`;
    const { readyz, lines } = healthApp(async () => reason);
    for (let probe = 0; probe < 5; probe += 1) await readyz();
    reason = 'Kafka unreachable: timeout after 2500 ms';
    await readyz();
    await readyz();
    reason = true;
    await readyz();
    await readyz();
    reason = 'Kafka unreachable: timeout after 2500 ms';
    await readyz();
    expect(lines.map((line) => [line.level, line.msg, line.reason])).toEqual([
      [40, 'not ready', `Kafka unreachable: ${detail}`],
      [40, 'not ready', 'Kafka unreachable: timeout after 2500 ms'],
      [30, 'ready', undefined],
      [40, 'not ready', 'Kafka unreachable: timeout after 2500 ms'],
    ]);
  });

  it('does not log the first ready answer', async () => {
    const { readyz, lines } = healthApp(async () => true);
    await readyz();
    expect(lines).toEqual([]);
  });
});

describe('/healthz and /metrics', () => {
  it('answer without authentication', async () => {
    const { app } = healthApp(async () => true);
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/metrics')).statusCode).toBe(200);
  });
});
