// How much ClickHouse work callers may start: a budget of queries per GraphQL request (aliases cannot multiply it), and
// a gate of at most `total` queries of this instance in flight and `perKey` of one API key; a query waits up to
// `waitMs` for a slot (first come, first served), then fails with RATE_LIMITED. ClickHouse's own concurrency is shared
// with reporting's inserts, so one viewer must not be able to fill it.
import { QueryError } from '../errors.js';

export class QueryBudget {
  private used = 0;

  constructor(readonly max: number) {}

  /** Counts one query of the request; throws a client error once the budget is spent. */
  take(name: string): void {
    if (this.used >= this.max) {
      throw new QueryError(
        `the ${name} query is beyond this request's budget of ${this.max} ClickHouse queries (API_CLICKHOUSE_QUERIES_PER_REQUEST); ` +
          'send the fields in separate requests',
        'QUERY_BUDGET_EXCEEDED',
      );
    }
    this.used += 1;
  }
}

interface Waiter {
  key: string;
  grant: () => void;
}

export class ClickHouseGate {
  private running = 0;
  private readonly byKey = new Map<string, number>();
  private waiters: Waiter[] = [];

  constructor(
    private readonly total: number,
    private readonly perKey: number,
    private readonly waitMs: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private free(key: string): boolean {
    return this.running < this.total && (this.byKey.get(key) ?? 0) < this.perKey;
  }

  private take(key: string): () => void {
    this.running += 1;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.byKey.get(key) ?? 1) - 1;
      if (left <= 0) this.byKey.delete(key);
      else this.byKey.set(key, left);
      this.wake();
    };
  }

  /** Grants waiting queries in arrival order, skipping those whose key has no slot left. */
  private wake(): void {
    for (let i = 0; i < this.waiters.length && this.running < this.total; ) {
      const waiter = this.waiters[i] as Waiter;
      if (this.free(waiter.key)) {
        this.waiters.splice(i, 1);
        waiter.grant();
      } else i += 1;
    }
  }

  /** A slot for one query of `key`: resolves with the function that gives it back. */
  acquire(key: string): Promise<() => void> {
    if (this.free(key) && !this.waiters.some((waiter) => waiter.key === key)) return Promise.resolve(this.take(key));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        key,
        grant: () => {
          clearTimeout(timer);
          resolve(this.take(key));
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        reject(
          new QueryError(
            `too many ClickHouse queries in flight (at most ${this.perKey} per API key and ${this.total} per API instance); ` +
              `none finished within ${this.waitMs} ms: retry later`,
            'RATE_LIMITED',
          ),
        );
      }, this.waitMs);
      this.waiters.push(waiter);
    });
  }
}
