// POST/GET /graphql on fastify, handed to yoga (queries, mutations, SSE subscriptions) after the API key check:
// a missing or wrong key gets 401 and no data. CORS preflights (OPTIONS) carry no key and pass to yoga.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKey, resolveRole } from '../auth/api-keys.js';
import type { ApiYoga } from '../graphql/yoga.js';

export const unauthorizedBody = {
  errors: [{ message: 'missing or wrong API key: send Authorization: Bearer <key>', extensions: { code: 'UNAUTHENTICATED' } }],
};

export function addGraphqlRoute(app: FastifyInstance, yoga: ApiYoga, keys: readonly ApiKey[]): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const role = request.method === 'OPTIONS' ? 'local' : resolveRole(keys, request.headers.authorization);
    if (role === undefined) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="callpulse"').send(unauthorizedBody);
    }
    const response = await yoga.handleNodeRequestAndResponse(request, reply, { role });
    response.headers.forEach((value, key) => {
      reply.header(key, value);
    });
    reply.status(response.status);
    reply.send(response.body);
    return reply;
  };
  app.route({ url: yoga.graphqlEndpoint, method: ['GET', 'POST', 'OPTIONS'], handler });
}
