// Posts notifications to the ingest webhook as RingCentral does (keep-alive connections, node:http: about three times
// the request rate of fetch), and says whether to retry each one.
import http from 'node:http';
import https from 'node:https';

export type PostOutcome =
  | { kind: 'accepted' }
  /** Try again; `afterMs` when the server said when (Retry-After), else the caller backs off. */
  | { kind: 'retry'; afterMs: number | undefined; reason: string }
  | { kind: 'rejected'; reason: string };

export interface WebhookTarget {
  url: string;
  /** Sent as `Verification-Token` when set. */
  token: string | undefined;
}

export interface WebhookClient {
  post(body: string, signal?: AbortSignal): Promise<PostOutcome>;
  close(): void;
}

/** Retry-After as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** What a webhook answer means for the notification. */
export function outcomeOf(status: number, retryAfter: string | undefined, text: string): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  const reason = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (status === 503 || status === 429) return { kind: 'retry', afterMs: retryAfterMs(retryAfter) ?? 1000, reason };
  if (status >= 500) return { kind: 'retry', afterMs: undefined, reason };
  return { kind: 'rejected', reason };
}

export function createWebhookClient(target: WebhookTarget, maxSockets: number): WebhookClient {
  const url = new URL(target.url);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets });
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json' };
  if (target.token) baseHeaders['verification-token'] = target.token;

  const post = (body: string, signal?: AbortSignal) =>
    new Promise<PostOutcome>((resolve, reject) => {
      const headers = { ...baseHeaders, 'content-length': String(Buffer.byteLength(body)) };
      const request = transport.request(url, { method: 'POST', agent, headers, signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => resolve({ kind: 'retry', afterMs: undefined, reason: `response failed: ${err.message}` }));
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve(
            outcomeOf(
              response.statusCode ?? 0,
              Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
              Buffer.concat(chunks).toString('utf8'),
            ),
          );
        });
      });
      request.on('error', (err: NodeJS.ErrnoException) => {
        if (signal?.aborted) reject(err);
        else resolve({ kind: 'retry', afterMs: undefined, reason: `request failed: ${err.code ?? err.message}` });
      });
      request.end(body);
    });

  return { post, close: () => agent.destroy() };
}
