// Which agents are free: an agent taken for a call stays busy until its last leg of that call ends (event time), so no
// extension is in two calls at once unless the scenario itself means it (concurrent-calls rings one agent twice).
import TinyQueue from 'tinyqueue';
import type { Random } from './random.js';

interface Busy {
  extensionId: string;
  untilMs: number;
}

export class AgentPool {
  private readonly free: string[];
  private readonly busy = new TinyQueue<Busy>([], (a, b) => a.untilMs - b.untilMs);
  private readonly taken = new Set<string>();

  constructor(extensionIds: readonly string[]) {
    this.free = [...extensionIds];
  }

  get freeCount(): number {
    return this.free.length;
  }

  /** `count` distinct free agents at `nowMs`, chosen at random, or undefined when fewer are free. */
  take(count: number, nowMs: number, random: Random): string[] | undefined {
    this.release(nowMs);
    if (this.free.length < count) return undefined;
    const chosen: string[] = [];
    for (let i = 0; i < count; i++) {
      const index = random.int(0, this.free.length - 1);
      const last = this.free.pop() as string;
      const extensionId = index < this.free.length ? (this.free[index] as string) : last;
      if (index < this.free.length) this.free[index] = last;
      chosen.push(extensionId);
      this.taken.add(extensionId);
    }
    return chosen;
  }

  /** Marks a taken agent busy until `untilMs` (its last leg's end); it becomes free again after that. */
  holdUntil(extensionId: string, untilMs: number): void {
    if (!this.taken.delete(extensionId)) throw new Error(`agent ${extensionId} was not taken`);
    this.busy.push({ extensionId, untilMs });
  }

  private release(nowMs: number): void {
    for (let next = this.busy.peek(); next !== undefined && next.untilMs <= nowMs; next = this.busy.peek()) {
      this.busy.pop();
      this.free.push(next.extensionId);
    }
  }
}
