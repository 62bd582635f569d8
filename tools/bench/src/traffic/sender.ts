// Sends webhooks over keep-alive connections, paced at a fixed rate (a schedule, not a closed loop: a slow answer
// does not slow the sending down, it only adds requests waiting). The connections are an undici Pool driven through
// dispatch(): a request waiting for a free connection costs a queue slot, not an http.ClientRequest, so the load
// generator's own CPU stays flat when ingest falls behind (node:http's Agent keeps its waiting requests in an array it
// shift()s, which cost the bench a seventh of its CPU at a backlog of thousands, CPU the pipeline under test then lacked).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, Pool } from 'undici';
import { benchVerificationToken } from '../support/services.js';
import { nowMs } from '../support/stats.js';

const PATH = '/webhooks/ringcentral';

export class WebhookSender {
  private readonly pool: Pool;
  private readonly headers: Record<string, string> = {
    'content-type': 'application/json',
    'verification-token': benchVerificationToken,
  };
  failures = 0;
  lastError = '';

  constructor(
    baseUrl: string,
    private readonly connections = 256,
  ) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  }

  /**
   * Opens every connection before the clock starts (a GET /healthz on each at once), as a webhook sender that has been
   * delivering for a while has them. A busy Node server accepts one connection per event-loop turn (libuv since
   * v1.45, libuv/libuv#3696), so connections opened mid-run by a sender falling behind wait seconds in the kernel's
   * accept queue, and every webhook sent on them with them: that is a start-up transient, not the pipeline's latency.
   */
  async open(): Promise<void> {
    const statuses = await Promise.all(Array.from({ length: this.connections }, () => this.request('GET', '/healthz')));
    const failed = statuses.filter((status) => status !== 200).length;
    if (failed > 0) throw new Error(`${failed} of ${this.connections} connections did not open: ${this.lastError}`);
  }

  /** Posts one body; resolves with the status code (0 when the request failed). */
  send(body: string): Promise<number> {
    return this.request('POST', PATH, body);
  }

  private request(method: 'GET' | 'POST', path: string, body?: string): Promise<number> {
    return new Promise((resolve) => {
      let status = 0;
      const handler: Dispatcher.DispatchHandler = {
        // Its presence selects undici's controller API (the onConnect/onHeaders one is deprecated).
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode) => {
          status = statusCode;
        },
        onResponseData: () => undefined,
        onResponseEnd: () => {
          if (status !== 200) this.fail(`status ${status}`);
          resolve(status);
        },
        onResponseError: (_controller, err) => {
          this.fail(err.message);
          resolve(0);
        },
      };
      this.pool.dispatch({ origin: undefined, path, method, headers: body === undefined ? undefined : this.headers, body }, handler);
    });
  }

  private fail(reason: string): void {
    this.failures += 1;
    this.lastError = reason;
  }

  close(): void {
    void this.pool.destroy().catch(() => undefined);
  }
}

/**
 * Calls send(item, index) for each item at `ratePerSecond` on a fixed schedule from the start, and resolves when
 * every send has settled. `behindMs` is how far the schedule slipped at worst (the bench process itself lagging).
 */
export async function sendAtRate<T>(
  items: readonly T[],
  ratePerSecond: number,
  send: (item: T, index: number) => Promise<unknown>,
): Promise<{ seconds: number; behindMs: number }> {
  const start = nowMs();
  let next = 0;
  let behindMs = 0;
  let inFlight = 0;
  let allSettled: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    allSettled = resolve;
  });
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0 && next === items.length) allSettled();
  };
  while (next < items.length) {
    const elapsed = nowMs() - start;
    const due = Math.min(items.length, Math.floor((elapsed / 1000) * ratePerSecond) + 1);
    if (due > next) behindMs = Math.max(behindMs, elapsed - (next / ratePerSecond) * 1000);
    for (; next < due; next += 1) {
      inFlight += 1;
      send(items[next] as T, next).then(done, done);
    }
    await sleep(1);
  }
  if (inFlight > 0) await settled;
  return { seconds: (nowMs() - start) / 1000, behindMs };
}
