// What the bench must undo, undone in reverse order: at the end of a part, on error, and on Ctrl-C.

type Undo = { what: string; run: () => Promise<unknown> };

export class Cleanup {
  private readonly undos: Undo[] = [];
  private readonly late: Promise<void>[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  /**
   * Registers an undo step; returns a function that runs it now (once) and removes it from the list. Once runAll was
   * called (Ctrl-C), a new step runs at once: a process started after the interruption is stopped straight away.
   */
  add(what: string, run: () => Promise<unknown>): () => Promise<void> {
    const undo: Undo = { what, run };
    if (this.closed) {
      this.late.push(runOne(undo));
      return async () => undefined;
    }
    this.undos.push(undo);
    return async () => {
      const index = this.undos.indexOf(undo);
      if (index === -1) return;
      this.undos.splice(index, 1);
      await runOne(undo);
    };
  }

  /**
   * Runs every registered step, newest first; a failing step is reported and the others still run. A second call while
   * one is running waits for the same run; every call also waits for steps that came late.
   */
  async runAll(): Promise<void> {
    this.closed = true;
    this.running ??= (async () => {
      while (this.undos.length > 0) {
        const undo = this.undos.pop();
        if (undo) await runOne(undo);
      }
    })().finally(() => {
      this.running = undefined;
    });
    await this.running;
    await Promise.all(this.late);
  }
}

async function runOne(undo: Undo): Promise<void> {
  try {
    await undo.run();
  } catch (err) {
    process.stderr.write(`[bench] cleanup "${undo.what}" failed: ${(err as Error).message}\n`);
  }
}

/** Runs `body` with its own Cleanup, which always runs afterwards (also when `body` throws or on Ctrl-C). */
export async function withCleanup<T>(parent: Cleanup, body: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  parent.add('part resources', () => cleanup.runAll());
  try {
    return await body(cleanup);
  } finally {
    await cleanup.runAll();
  }
}
