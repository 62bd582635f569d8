// What RingCentral does towards a webhook address, as strictly as its guides describe it: the Validation-Token handshake
// on create (POST, Content-Type: application/json, no body; exactly 200 within 3 s, the header echoed, the whole answer
// at most 1,024 bytes with its headers, else SUB-525 and no subscription), and notification delivery (the token in
// Verification-Token or, as the current guide says, Validation-Token; an answer other than 200, a timeout or an
// oversized answer is a failed delivery, which gets the subscription blacklisted).
// Sources: ringcentral-api-docs docs/notifications/webhooks/creating-webhooks.md, receiving.md, troubleshooting.md;
// grokify/rchooks (blacklist reasons "Read timed out", "Webhook response exceeds max size. Read bytes count: [1024]").
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const WEBHOOK_TIMEOUT_MS = 3000;
export const MAX_RESPONSE_BYTES = 1024;

export type TokenHeader = 'Verification-Token' | 'Validation-Token';

export interface Exchange {
  /** The HTTP status, or 0 when there was no complete answer. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Bytes of the answer: status line, header lines and body. */
  bytes: number;
  /** Why the exchange failed, in RingCentral's words where known; undefined when it was a 200 within the limits. */
  failure?: string;
}

/** POSTs once and measures the answer; never throws. */
export function exchange(
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      finish({ status: 0, headers: {}, bytes: 0, failure: 'invalid address' });
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = Buffer.from(body, 'utf8');
    const req = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) }, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, headers: {}, bytes: 0, failure: 'I/O operation is failed. Details: [Read timed out]' });
    }, timeoutMs);
    req.on('error', (err) =>
      finish({
        status: 0,
        headers: {},
        bytes: 0,
        failure: `I/O operation is failed. Details: [${(err as NodeJS.ErrnoException).code ?? err.message}]`,
      }),
    );
    req.on('response', (response) => {
      // Status line and header lines as they came on the wire (HTTP/1.1 framing: CRLF after each, one after the last).
      let bytes = `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage ?? ''}\r\n`.length + 2;
      for (let i = 0; i < response.rawHeaders.length; i += 2) {
        bytes += Buffer.byteLength(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}\r\n`);
      }
      const status = response.statusCode ?? 0;
      const oversized = () => ({
        status,
        headers: response.headers,
        bytes,
        failure: `Webhook response exceeds max size. Read bytes count: [${MAX_RESPONSE_BYTES}]`,
      });
      if (bytes > MAX_RESPONSE_BYTES) {
        response.destroy();
        finish(oversized());
        return;
      }
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_RESPONSE_BYTES) {
          response.destroy();
          finish(oversized());
        }
      });
      response.on('end', () =>
        finish({
          status,
          headers: response.headers,
          bytes,
          failure: status === 200 ? undefined : `Webhook responses with code: [${status}], reason: [${response.statusMessage ?? ''}]`,
        }),
      );
      response.on('error', () => finish({ status: 0, headers: {}, bytes, failure: 'I/O operation is failed. Details: [Read timed out]' }));
    });
    req.end(payload);
  });
}

/** The handshake on create: ok when answered exactly 200 within 3 s, echoing the token, at most 1,024 bytes in all. */
export async function handshake(address: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const token = randomUUID();
  const answer = await exchange(address, { 'Validation-Token': token, 'Content-Type': 'application/json' }, '');
  if (answer.failure) return { ok: false, reason: answer.failure };
  if (answer.headers['validation-token'] !== token) return { ok: false, reason: 'Validation-Token header is missing or different' };
  return { ok: true };
}

/** POSTs one notification as RingCentral does; the exchange tells whether it was delivered. */
export function deliver(
  address: string,
  notification: unknown,
  verificationToken: string | undefined,
  tokenHeader: TokenHeader,
): Promise<Exchange> {
  return exchange(
    address,
    {
      'Content-Type': 'application/json; charset=UTF-8',
      Accept: 'application/json',
      'User-Agent': 'RingCentral-Webhook/8.3',
      ...(verificationToken ? { [tokenHeader]: verificationToken } : {}),
    },
    JSON.stringify(notification),
  );
}
