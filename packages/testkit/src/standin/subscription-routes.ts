// The stand-in's subscription endpoints: create (with the webhook handshake), list, get, update (PUT), renew, delete.
// Answers are SubscriptionInfo as RingCentral sends it: `uri`, status Active or Blacklisted, `disabledFilters` when the
// app lacks a permission, and never the verification token. More than 30 subscriptions: 403 SUB-505.
import type { FastifyReply } from 'fastify';
import { DEFAULT_EXPIRES_IN_S, MAX_EXPIRES_IN_S, MAX_SUBSCRIPTIONS, SubscriptionLimitError } from './account.js';
import { type Routes, rcError } from './replies.js';
import { handshake } from './webhook.js';

const validFilters = (filters: unknown): filters is string[] =>
  Array.isArray(filters) && filters.length > 0 && filters.every((f) => typeof f === 'string' && f.startsWith('/restapi/'));

const validExpiresIn = (value: number) => Number.isInteger(value) && value > 0 && value <= MAX_EXPIRES_IN_S;

export const subscriptionRoutes: Routes = (app, account, options) => {
  app.post('/restapi/v1.0/subscription', async (request, reply) => {
    const body = (request.body ?? {}) as { eventFilters?: unknown; deliveryMode?: Record<string, unknown>; expiresIn?: unknown };
    const filters = body.eventFilters;
    if (!validFilters(filters)) return rcError(reply, 400, 'CMN-101', 'Parameter [eventFilters] value is invalid');
    const mode = body.deliveryMode ?? {};
    if (mode.transportType !== 'WebHook' || typeof mode.address !== 'string' || mode.address === '') {
      return rcError(reply, 400, 'CMN-101', 'Parameter [deliveryMode] value is invalid');
    }
    const expiresIn = body.expiresIn === undefined ? DEFAULT_EXPIRES_IN_S : Number(body.expiresIn);
    if (!validExpiresIn(expiresIn)) return rcError(reply, 400, 'CMN-101', 'Parameter [expiresIn] value is invalid');
    const verificationToken = typeof mode.verificationToken === 'string' ? mode.verificationToken : undefined;
    if (account.subscriptions.size >= MAX_SUBSCRIPTIONS) return rcError(reply, 403, 'SUB-505', 'Subscriptions limit exceeded');
    if (options.validateWebhooks) {
      const answer = await handshake(mode.address);
      if (!answer.ok) return rcError(reply, 400, 'SUB-525', `WebHook server response is invalid: ${answer.reason}`);
    }
    try {
      return account.view(account.createSubscription({ eventFilters: filters, address: mode.address, verificationToken, expiresIn }));
    } catch (err) {
      if (err instanceof SubscriptionLimitError) return rcError(reply, 403, 'SUB-505', 'Subscriptions limit exceeded');
      throw err;
    }
  });

  app.get('/restapi/v1.0/subscription', async () => ({
    uri: `${options.baseUrl()}/restapi/v1.0/subscription`,
    records: [...account.subscriptions.values()].map((subscription) => account.view(subscription)),
  }));

  const missingSubscription = (reply: FastifyReply, id: string) => rcError(reply, 404, 'SUB-507', `Subscription [${id}] is not found`);

  app.get<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id', async (request, reply) => {
    const subscription = account.subscriptions.get(request.params.id);
    return subscription ? account.view(subscription) : missingSubscription(reply, request.params.id);
  });

  // updateSubscription: new filters and/or lifetime; an empty body renews with the default lifetime.
  app.put<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id', async (request, reply) => {
    const subscription = account.subscriptions.get(request.params.id);
    if (!subscription) return missingSubscription(reply, request.params.id);
    const body = (request.body ?? {}) as { eventFilters?: unknown; expiresIn?: unknown };
    if (body.eventFilters !== undefined && !validFilters(body.eventFilters)) {
      return rcError(reply, 400, 'CMN-101', 'Parameter [eventFilters] value is invalid');
    }
    const expiresIn = body.expiresIn === undefined ? DEFAULT_EXPIRES_IN_S : Number(body.expiresIn);
    if (!validExpiresIn(expiresIn)) return rcError(reply, 400, 'CMN-101', 'Parameter [expiresIn] value is invalid');
    if (body.eventFilters !== undefined) account.setFilters(subscription, body.eventFilters);
    return account.view(account.renewSubscription(subscription.id, Date.now(), expiresIn) ?? subscription);
  });

  app.post<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id/renew', async (request, reply) => {
    const subscription = account.subscriptions.get(request.params.id);
    if (!subscription) return missingSubscription(reply, request.params.id);
    return account.view(account.renewSubscription(request.params.id) ?? subscription);
  });

  app.delete<{ Params: { id: string } }>('/restapi/v1.0/subscription/:id', async (request, reply) => {
    if (!account.deleteSubscription(request.params.id)) return missingSubscription(reply, request.params.id);
    return reply.code(204).send();
  });
};
