// STUB (made by the evaluator's helper so the schema builds): AlertTarget.delivery and testAlertTarget. The delivery
// helper replaces this file with the real resolvers (delivery state from Redis, a test POST).
import type { AlertTarget } from '@callpulse/contracts';
import type { ApiDeps } from '../../graphql/context.js';

export function deliveryResolvers(_deps: ApiDeps) {
  return {
    AlertTarget: {
      delivery: (_target: AlertTarget) => ({
        failing: false,
        failures: 0,
        lastError: null,
        lastAttemptAt: null,
        lastSuccessAt: null,
        pending: 0,
      }),
    },
    Mutation: {
      testAlertTarget: async () => false,
    },
  };
}
