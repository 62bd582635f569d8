// A sleep that ends early when woken (a request finished) or aborted.

export class Waker {
  private wakeUp: (() => void) | undefined;

  wake(): void {
    this.wakeUp?.();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 1000)));
      signal?.addEventListener('abort', done, { once: true });
      this.wakeUp = done;
    });
  }
}
