// Start-up in the shape every service shares (platform's runService): a bad variable is named and the worker exits 78;
// while Kafka is unreachable it waits (health served, not ready), and a SIGTERM meanwhile stops it cleanly (exit 0).
import { describe, expect, it } from 'vitest';
import { freePort, startServiceProcess } from '../../../../test/support/service-process.js';
import { waitFor } from '../../../../test/support/wait.js';
import { isolated } from './support.js';

describe('call-state start-up', () => {
  it('names a bad variable and exits 78', async () => {
    const worker = startServiceProcess('call-state', { ...isolated('badconfig').env, CALL_STATE_CHUNK_SIZE: 'many' });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain('CALL_STATE_CHUNK_SIZE');
  });

  it('serves its health but is not ready while Kafka is unreachable, and stops on SIGTERM meanwhile with 0', {
    timeout: 60000,
  }, async () => {
    const [port, nobody] = [await freePort(), await freePort()];
    const worker = startServiceProcess('call-state', {
      ...isolated('nokafka').env,
      CALL_STATE_PORT: String(port),
      KAFKA_BROKERS: `127.0.0.1:${nobody}`,
    });
    const readyz = await waitFor(() => fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined), {
      what: 'the health server',
    });
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: 'not ready', reason: 'starting' });
    expect(await worker.stop('SIGTERM')).toBe(0); // 1 if stop() failed or outlasted its 30 s
    expect(worker.output()).not.toContain('could not start');
  });
});
