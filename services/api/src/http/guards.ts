// The origin policy (origins.ts) applied to every HTTP request (a fastify hook) and to WebSocket upgrades: a Host the
// API does not answer gets 421, a foreign Origin 403, before any route or GraphQL runs.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { hostAllowed, type OriginPolicy, originAllowed } from '../auth/origins.js';

export interface Refusal {
  status: 403 | 421;
  message: string;
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Why a request with these headers is refused, or undefined when it may be answered. */
export function refusal(policy: OriginPolicy, headers: IncomingHttpHeaders): Refusal | undefined {
  const host = single(headers.host);
  if (!hostAllowed(policy, host)) {
    return {
      status: 421,
      message: 'without API_KEYS this API answers only requests to localhost, 127.0.0.1 or [::1] (and API_ALLOWED_HOSTS)',
    };
  }
  const origin = single(headers.origin);
  if (!originAllowed(policy, origin, host)) {
    return { status: 403, message: 'requests from this Origin are refused: same origin or an origin of API_CORS_ORIGINS only' };
  }
  return undefined;
}

export function addRequestGuards(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const refused = refusal(policy, request.headers);
    if (refused) return reply.code(refused.status).send({ error: refused.message });
  });
}

const reasons = { 403: 'Forbidden', 421: 'Misdirected Request' } as const;

/** The raw HTTP answer refusing a WebSocket upgrade. */
export function refusedUpgrade(refused: Refusal): string {
  const body = JSON.stringify({ error: refused.message });
  return (
    `HTTP/1.1 ${refused.status} ${reasons[refused.status]}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
