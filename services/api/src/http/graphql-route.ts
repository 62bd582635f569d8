// POST/GET /graphql on fastify, handed to yoga (queries, mutations, SSE subscriptions) after the API key check:
// a missing or wrong key gets 401 and no data. CORS preflights (OPTIONS) carry no key and pass to yoga. An SSE
// subscription takes one of its address's stream slots (stream-limits.ts) while it is open; none free: 429.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKey, type Caller, resolveCaller } from '../auth/api-keys.js';
import type { ApiYoga } from '../graphql/yoga.js';
import { type StreamLimits, tooManyStreams } from './stream-limits.js';

export const unauthorizedBody = {
  errors: [{ message: 'missing or wrong API key: send Authorization: Bearer <key>', extensions: { code: 'UNAUTHENTICATED' } }],
};

const wantsEventStream = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/event-stream');

export function addGraphqlRoute(
  app: FastifyInstance,
  yoga: ApiYoga,
  options: { keys: readonly ApiKey[]; streams: StreamLimits; maxStreamsPerAddress: number },
): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller: Caller | undefined =
      request.method === 'OPTIONS' ? { role: 'local', id: 'local' } : resolveCaller(options.keys, request.headers.authorization);
    if (caller === undefined) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="callpulse"').send(unauthorizedBody);
    }
    if (wantsEventStream(request)) {
      const release = options.streams.acquire(request.socket.remoteAddress);
      if (!release) {
        return reply.code(429).send({
          errors: [{ message: tooManyStreams(options.maxStreamsPerAddress), extensions: { code: 'RATE_LIMITED' } }],
        });
      }
      reply.raw.once('close', release);
    }
    const response = await yoga.handleNodeRequestAndResponse(request, reply, { role: caller.role, caller: caller.id });
    response.headers.forEach((value, key) => {
      reply.header(key, value);
    });
    reply.status(response.status);
    reply.send(response.body);
    return reply;
  };
  app.route({ url: yoga.graphqlEndpoint, method: ['GET', 'POST', 'OPTIONS'], handler });
}
