// The executable schema: the SDL of type-defs.ts with the resolvers over the service's dependencies.
import { createSchema } from 'graphql-yoga';
import { agentNamesOf } from '../directory/agent-names.js';
import type { CallNode } from '../history/call-node.js';
import { alertResolvers } from './alert-resolvers.js';
import type { ApiContext, ApiDeps } from './context.js';
import { mutationResolvers } from './mutation-resolvers.js';
import { queryResolvers } from './query-resolvers.js';
import { subscriptionResolvers } from './subscription-resolvers.js';
import { typeDefs } from './type-defs.js';

export function createApiSchema(deps: ApiDeps) {
  const alerts = alertResolvers(deps);
  return createSchema<ApiContext>({
    typeDefs,
    resolvers: {
      Query: { ...queryResolvers(deps), ...alerts.Query },
      Mutation: { ...mutationResolvers(deps), ...alerts.Mutation },
      Subscription: { ...subscriptionResolvers(deps), ...alerts.Subscription },
      AlertRule: alerts.AlertRule,
      AlertTarget: alerts.AlertTarget,
      // The directory's entry of the leg's extension: one Redis read for the whole page (directory/agent-names.ts).
      Call: {
        agent: (call: CallNode, _: unknown, context: ApiContext) => agentNamesOf(context, deps.redis, deps.keys).load(call.extensionId),
      },
    },
  });
}
