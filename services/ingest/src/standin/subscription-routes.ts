// The stand-in's subscription endpoints: create (with the optional webhook handshake), list, get, renew, delete.
import type { FastifyReply } from 'fastify';
import { DEFAULT_EXPIRES_IN_S, MAX_EXPIRES_IN_S } from './account.js';
import { type Routes, rcError } from './replies.js';
import { handshake } from './webhook.js';

export const subscriptionRoutes: Routes = (app, account, options) => {
  app.post('/restapi/v1.0/subscription', async (request, reply) => {
    const body = (request.body ?? {}) as { eventFilters?: unknown; deliveryMode?: Record<string, unknown>; expiresIn?: unknown };
    const filters = body.eventFilters;
    if (!Array.isArray(filters) || filters.length === 0 || !filters.every((f) => typeof f === 'string')) {
      return rcError(reply, 400, 'CMN-101', 'Parameter [eventFilters] value is invalid');
    }
    const mode = body.deliveryMode ?? {};
    if (mode.transportType !== 'WebHook' || typeof mode.address !== 'string' || mode.address === '') {
      return rcError(reply, 400, 'CMN-101', 'Parameter [deliveryMode] value is invalid');
    }
    const expiresIn = body.expiresIn === undefined ? DEFAULT_EXPIRES_IN_S : Number(body.expiresIn);
    if (!Number.isInteger(expiresIn) || expiresIn <= 0 || expiresIn > MAX_EXPIRES_IN_S) {
      return rcError(reply, 400, 'CMN-101', 'Parameter [expiresIn] value is invalid');
    }
    const verificationToken = typeof mode.verificationToken === 'string' ? mode.verificationToken : undefined;
    if (options.validateWebhooks && !(await handshake(mode.address))) {
      return rcError(reply, 400, 'SUB-525', 'WebHook responds with incorrect HTTP status or Validation-Token');
    }
    try {
      return account.view(
        account.createSubscription({ eventFilters: filters as string[], address: mode.address, verificationToken, expiresIn }),
      );
    } catch (err) {
      return rcError(reply, 400, 'SUB-406', (err as Error).message);
    }
  });

  app.get('/restapi/v1.0/subscription', async () => ({
    uri: `${options.baseUrl()}/restapi/v1.0/subscription`,
    records: [...account.subscriptions.values()].map((subscription) => account.view(subscription)),
  }));

  const missingSubscription = (reply: FastifyReply) => rcError(reply, 404, 'SUB-507', 'Subscription not found');

  app.get<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id', async (request, reply) => {
    const subscription = account.subscriptions.get(request.params.id);
    return subscription ? account.view(subscription) : missingSubscription(reply);
  });

  app.post<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id/renew', async (request, reply) => {
    const subscription = account.subscriptions.get(request.params.id);
    if (!subscription) return missingSubscription(reply);
    if (subscription.status === 'Blacklisted') return rcError(reply, 400, 'SUB-528', 'Subscription is blacklisted; create a new one');
    return account.view(account.renewSubscription(request.params.id) ?? subscription);
  });

  app.delete<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id', async (request, reply) => {
    if (!account.subscriptions.delete(request.params.id)) return missingSubscription(reply);
    return reply.code(204).send();
  });
};
