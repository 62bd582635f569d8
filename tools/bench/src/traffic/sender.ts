// Sends webhooks over keep-alive connections, paced at a fixed rate (a schedule, not a closed loop: a slow answer
// does not slow the sending down, it only adds requests in flight).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchVerificationToken } from '../support/services.js';
import { nowMs } from '../support/stats.js';

export class WebhookSender {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly url: URL;
  failures = 0;
  lastError = '';

  constructor(baseUrl: string) {
    this.url = new URL('/webhooks/ringcentral', baseUrl);
  }

  /** Posts one body; resolves with the status code (0 when the request failed). */
  send(body: string): Promise<number> {
    return new Promise((resolve) => {
      const request = http.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'verification-token': benchVerificationToken,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) this.fail(`status ${response.statusCode}`);
            resolve(response.statusCode ?? 0);
          });
        },
      );
      request.on('error', (err) => {
        this.fail(err.message);
        resolve(0);
      });
      request.end(body);
    });
  }

  private fail(reason: string): void {
    this.failures += 1;
    this.lastError = reason;
  }

  close(): void {
    this.agent.destroy();
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
