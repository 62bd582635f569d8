// A webhook for the RingCentral tests that keeps ingest's contract without Kafka: the handshake (Validation-Token and
// no body: 200 echoing it, after an optional delay), and notifications verified with a WebhookTokens watcher (the token
// from Verification-Token, or from Validation-Token when there is a body), 200 when accepted, 401 when not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenVerdict, WebhookTokens } from '../../src/ringcentral/webhook-tokens.js';

export interface Received {
  uuid: string | undefined;
  event: string | undefined;
  verdict: TokenVerdict;
}

export interface WebhookDouble {
  url: string;
  received: Received[];
  handshakes: number;
  /** The watcher of the "ingest process" now answering (swapped on a simulated restart). */
  use(tokens: Pick<WebhookTokens, 'verify'>): void;
  handshakeDelayMs: number;
  close(): Promise<void>;
}

export async function startWebhookDouble(): Promise<WebhookDouble> {
  let tokens: Pick<WebhookTokens, 'verify'> = { verify: () => ({ ok: true, via: 'unverified' }) };
  const double: WebhookDouble = {
    url: '',
    received: [],
    handshakes: 0,
    use(next) {
      tokens = next;
    },
    handshakeDelayMs: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const validation = header('validation-token');
      if (validation !== undefined && body.length === 0) {
        double.handshakes++;
        setTimeout(() => {
          response.writeHead(200, { 'Validation-Token': validation, 'Content-Type': 'application/json' });
          response.end();
        }, double.handshakeDelayMs);
        return;
      }
      const verdict = tokens.verify(header('verification-token') ?? validation);
      let parsed: { uuid?: string; event?: string } = {};
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        // recorded without uuid
      }
      double.received.push({ uuid: parsed.uuid, event: parsed.event, verdict });
      response.writeHead(verdict.ok ? 200 : 401);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/ringcentral`;
  return double;
}
