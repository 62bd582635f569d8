// runService: the exit-code contract of every service (78 bad config, 1 start-up failure, 0 after a graceful stop)
// and the stop on SIGTERM, also while start-up still waits.
import { describe, expect, it } from 'vitest';
import { ConfigError, commonEnv, z } from './config.js';
import { runService, type Service } from './service-main.js';
import type { ProcessHost } from './shutdown.js';

const env = z.object({ ...commonEnv, NEEDED: z.string().regex(/^\d+$/, 'must be digits') });

function fakeHost(vars: Record<string, string>) {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  const exits: number[] = [];
  let stderr = '';
  const lines: Record<string, unknown>[] = [];
  let exited: (code: number) => void = () => undefined;
  const exitedOnce = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const host: ProcessHost = {
    env: { LOG_LEVEL: 'info', ...vars },
    once: (signal, handler) => handlers.set(signal, handler),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
    writeError: (text) => {
      stderr += text;
    },
    log: { write: (line: string) => lines.push(JSON.parse(line)) },
  };
  return {
    host,
    exits,
    exited: exitedOnce,
    stderr: () => stderr,
    messages: () => lines.map((line) => line.msg),
    signal: (name: NodeJS.Signals) => handlers.get(name)?.(name),
  };
}

function fakeService(overrides: Partial<Service> = {}) {
  const calls: string[] = [];
  const service: Service = {
    start: async () => {
      calls.push('start');
    },
    stop: async () => {
      calls.push('stop');
    },
    ready: async () => true,
    ...overrides,
  };
  return { service, calls };
}

describe('runService', () => {
  it('exits 78 naming the bad variable, without building the service', async () => {
    const fake = fakeHost({ NEEDED: 'abc' });
    let built = false;
    const build = () => {
      built = true;
      return fakeService().service;
    };
    await runService({ name: 'svc', env, build }, fake.host);
    expect(fake.exits).toEqual([78]);
    expect(fake.stderr()).toBe('svc: invalid configuration:\n  - NEEDED: must be digits (got "abc")\n');
    expect(built).toBe(false);
  });

  it('exits 78 for a configuration problem start-up finds (a ConfigError)', async () => {
    const fake = fakeHost({ NEEDED: '1' });
    const { service } = fakeService({
      start: async () => {
        throw new ConfigError(['SPOOL_DIR: is used by another process']);
      },
    });
    await runService({ name: 'svc', env, build: () => service }, fake.host);
    expect(fake.exits).toEqual([78]);
    expect(fake.stderr()).toContain('svc: invalid configuration:\n  - SPOOL_DIR: is used by another process');
  });

  it('exits 1 and logs the failure by name when start-up fails otherwise', async () => {
    const fake = fakeHost({ NEEDED: '1' });
    const { service } = fakeService({
      start: async () => {
        throw new Error('migration 0003 was changed');
      },
    });
    await runService({ name: 'svc', env, build: () => service }, fake.host);
    expect(fake.exits).toEqual([1]);
    expect(fake.messages()).toContain('svc could not start');
  });

  it('starts, then stops on SIGTERM and exits 0', async () => {
    const fake = fakeHost({ NEEDED: '1' });
    const { service, calls } = fakeService();
    await runService({ name: 'svc', env, build: () => service }, fake.host);
    expect(calls).toEqual(['start']);
    expect(fake.messages()).toContain('svc started');
    fake.signal('SIGTERM');
    expect(await fake.exited).toBe(0);
    expect(calls).toEqual(['start', 'stop']);
  });

  it('stops a start-up that still waits, without calling its end a failure', async () => {
    const fake = fakeHost({ NEEDED: '1' });
    let giveUp: (err: Error) => void = () => undefined;
    const { service, calls } = fakeService({
      start: () =>
        new Promise<void>((_resolve, reject) => {
          giveUp = reject;
        }),
      stop: async () => {
        calls.push('stop');
        giveUp(new Error('stopped while waiting for Kafka'));
      },
    });
    const running = runService({ name: 'svc', env, build: () => service }, fake.host);
    await new Promise((resolve) => setImmediate(resolve));
    fake.signal('SIGINT');
    expect(await fake.exited).toBe(0);
    await running;
    expect(calls).toEqual(['stop']);
    expect(fake.exits).toEqual([0]);
    expect(fake.messages()).not.toContain('svc could not start');
  });

  it('exits 1 when stopping fails', async () => {
    const fake = fakeHost({ NEEDED: '1' });
    const { service } = fakeService({
      stop: async () => {
        throw new Error('commit failed');
      },
    });
    await runService({ name: 'svc', env, build: () => service }, fake.host);
    fake.signal('SIGTERM');
    expect(await fake.exited).toBe(1);
    expect(fake.messages()).toContain('shutdown failed');
  });
});
