// The executable schema: the SDL of type-defs.ts with the resolvers over the service's dependencies.
import { createSchema } from 'graphql-yoga';
import type { ApiContext, ApiDeps } from './context.js';
import { mutationResolvers } from './mutation-resolvers.js';
import { queryResolvers } from './query-resolvers.js';
import { subscriptionResolvers } from './subscription-resolvers.js';
import { typeDefs } from './type-defs.js';

export function createApiSchema(deps: ApiDeps) {
  return createSchema<ApiContext>({
    typeDefs,
    resolvers: {
      Query: queryResolvers(deps),
      Mutation: mutationResolvers(deps),
      Subscription: subscriptionResolvers(deps),
    },
  });
}
