// The delivery's part of the GraphQL schema (types in graphql/alert-type-defs.ts): AlertTarget.delivery, read from
// Redis (the target's delivery state, and the transitions after its cursor addressed to it), and the admin mutation
// testAlertTarget, which POSTs a test body (body.ts) to the target now, signed like a transition: true on a 2xx,
// otherwise an error that names what went wrong (a status, a timeout, a connection error; never a body).
import type { AlertTarget } from '@callpulse/contracts';
import { GraphQLError } from 'graphql';
import { testBody } from '../alerts/delivery/body.js';
import { postBody } from '../alerts/delivery/post.js';
import { deliveryHeaders } from '../alerts/delivery/signature.js';
import { countPending, freshState, readDeliveryState } from '../alerts/delivery/state.js';
import { readAlertTarget } from '../alerts/store.js';
import { isoInstantOrNull } from '../history/time-range.js';
import { type ApiContext, type ApiDeps, requireAdmin } from './context.js';
import { badInput } from './errors.js';

/** What AlertTarget resolvers get: the stored target, its secret left out (alert-resolvers' targetNode). */
type TargetParent = Pick<AlertTarget, 'id' | 'createdAtMs'>;

export function deliveryResolvers(deps: ApiDeps) {
  const { redis, keys } = deps;
  return {
    AlertTarget: {
      delivery: async (target: TargetParent) => {
        const state = (await readDeliveryState(redis, keys.alertDelivery(target.id))) ?? freshState(target);
        const pending = await countPending(redis, keys.alertOutbox, target.id, state.cursor);
        return {
          failing: state.failing,
          failures: state.failures,
          lastError: state.lastError,
          lastAttemptAt: isoInstantOrNull(state.lastAttemptAtMs),
          lastSuccessAt: isoInstantOrNull(state.lastSuccessAtMs),
          pending,
        };
      },
    },
    Mutation: {
      testAlertTarget: async (_: unknown, args: { id: string }, context: ApiContext) => {
        requireAdmin(context);
        const target = await readAlertTarget({ redis, keys, logger: deps.logger }, args.id);
        if (!target) throw badInput(`no alert target with id ${JSON.stringify(args.id)}`, 'id');
        const nowMs = Date.now();
        const { id, body } = testBody(target, nowMs);
        const outcome = await postBody({
          url: target.url,
          body,
          headers: deliveryHeaders({ body, deliveryId: id, secret: target.secret, nowMs }),
          timeoutMs: deps.config.API_ALERT_DELIVERY_TIMEOUT_MS,
        });
        deps.logger.info(
          { targetId: target.id, ok: outcome.ok, status: outcome.status, ...(outcome.ok ? {} : { error: outcome.error }) },
          'alert target tested',
        );
        if (outcome.ok) return true;
        throw new GraphQLError(`the target did not accept the test: ${outcome.error}`, {
          extensions: { code: 'ALERT_TARGET_FAILED', status: outcome.status },
        });
      },
    },
  };
}
