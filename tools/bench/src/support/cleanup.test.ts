import { describe, expect, it } from 'vitest';
import { Cleanup, withCleanup } from './cleanup.js';

describe('Cleanup', () => {
  it('undoes newest first, keeps going past a failing step, and runs a step once', async () => {
    const cleanup = new Cleanup();
    const done: string[] = [];
    cleanup.add('a', async () => done.push('a'));
    const runB = cleanup.add('b', async () => done.push('b'));
    cleanup.add('c', async () => {
      throw new Error('c failed');
    });
    cleanup.add('d', async () => done.push('d'));
    await runB();
    await cleanup.runAll();
    await cleanup.runAll();
    expect(done).toEqual(['b', 'd', 'a']);
  });

  it('runs a step added after runAll (a process started after Ctrl-C) at once', async () => {
    const cleanup = new Cleanup();
    await cleanup.runAll();
    const done: string[] = [];
    cleanup.add('late', async () => done.push('late'));
    await cleanup.runAll();
    expect(done).toEqual(['late']);
  });

  it('withCleanup undoes a part also when it throws, and the parent does not undo it again', async () => {
    const root = new Cleanup();
    const done: string[] = [];
    await expect(
      withCleanup(root, async (cleanup) => {
        cleanup.add('child', async () => done.push('child'));
        throw new Error('part failed');
      }),
    ).rejects.toThrow('part failed');
    await root.runAll();
    expect(done).toEqual(['child']);
  });
});
