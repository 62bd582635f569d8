// Long-lived streams (WebSocket connections and SSE subscriptions) per client address, bounded by
// API_MAX_STREAMS_PER_ADDRESS: one client cannot hold every socket of the instance.

export class StreamLimits {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Takes a slot for the address: the function that gives it back (once), or undefined when none is free. */
  acquire(address: string | undefined): (() => void) | undefined {
    const key = address ?? 'unknown';
    const count = this.open.get(key) ?? 0;
    if (count >= this.maxPerAddress) return undefined;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

export const tooManyStreams = (max: number) =>
  `this address already has ${max} open WebSocket connections and SSE subscriptions (API_MAX_STREAMS_PER_ADDRESS)`;
