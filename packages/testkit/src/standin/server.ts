// The stand-in's HTTP app: RingCentral's body parsing, fault injection, user-level rate limits (with the X-Rate-Limit
// headers), token check and request log, then the routes.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { RecordedRequest, StandInAccount } from './account.js';
import { accountRoutes } from './account-routes.js';
import { oauthRoutes } from './oauth-routes.js';
import { groupOf } from './rate-limits.js';
import { type RouteOptions, rcError } from './replies.js';
import { subscriptionRoutes } from './subscription-routes.js';

export function buildStandInApp(account: StandInAccount, options: RouteOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const records = new WeakMap<FastifyRequest, RecordedRequest>();
  app.removeContentTypeParser('application/json');
  // RingCentral (unlike fastify's default) accepts an empty body with Content-Type: application/json, as the SDK sends on DELETE.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('request body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.addHook('onRequest', async (request, reply) => {
    const url = new URL(request.url, 'http://standin');
    const record: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
    };
    account.requests.push(record);
    records.set(request, record);
    const fault = account.takeFault(request.method, url.pathname);
    if (fault?.status === 429) {
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      return rcError(reply, 429, 'CMN-301', 'Request rate exceeded');
    }
    if (fault?.status === 503) {
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      return rcError(reply, 503, 'CMN-211', 'Service Temporary Unavailable');
    }
    const group = groupOf(request.method, url.pathname);
    record.group = group;
    const admission = group ? account.rateLimits?.admit(group) : undefined;
    if (admission) {
      for (const [name, value] of Object.entries(admission.headers)) reply.header(name, value);
      if (!admission.admitted) {
        if (account.rateLimits?.retryAfter) reply.header('Retry-After', String(admission.retryAfterSeconds));
        return rcError(reply, 429, 'CMN-301', 'Request rate exceeded');
      }
    }
    if (url.pathname.startsWith('/restapi/v1.0/')) {
      const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!token) return rcError(reply, 401, 'AGW-401', 'Authorization header is not specified');
      if (!account.validAccessToken(token)) return rcError(reply, 401, 'TokenInvalid', 'Access token corrupted or expired');
    }
  });
  app.addHook('preHandler', async (request) => {
    const record = records.get(request);
    if (record && request.body !== undefined && !record.path.startsWith('/restapi/oauth/')) record.body = request.body;
  });
  app.addHook('onResponse', async (request, reply) => {
    const record = records.get(request);
    if (record) record.status = reply.statusCode;
  });

  for (const routes of [oauthRoutes, accountRoutes, subscriptionRoutes]) routes(app, account, options);
  return app;
}
