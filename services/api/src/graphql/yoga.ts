// graphql-yoga with the limits (graphql-armor: depth, cost, aliases, directives, tokens), operation metrics, and the
// caller's role in the context. Errors that are not GraphQLErrors are masked ("Unexpected error.") and logged.

import { useGraphQlJit } from '@envelop/graphql-jit';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Role } from '../auth/api-keys.js';
import type { ApiContext, ApiDeps } from './context.js';
import { createApiSchema } from './schema.js';

export interface ServerContext {
  role: Role;
}

function metricsPlugin(deps: ApiDeps): Plugin {
  const count = (type: string, errors: ReadonlyArray<Error & { extensions?: Record<string, unknown> }> | undefined) => {
    deps.metrics.operations.inc({ type, outcome: errors?.length ? 'error' : 'ok' });
    for (const error of errors ?? []) deps.metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL') });
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        const operation = (args.document as DocumentNode).definitions.find(
          (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
        );
        const type = operation?.operation ?? 'query';
        if ('errors' in result) count(type, result.errors);
        else count(type, undefined);
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result }) => {
        count('subscription', 'errors' in result ? result.errors : undefined);
      },
    }),
    onValidate:
      () =>
      ({ valid, result }) => {
        if (!valid) count('invalid', result);
      },
  };
}

export function createApiYoga(deps: ApiDeps) {
  const { config, logger } = deps;
  const yogaLogger = logger.child({ component: 'graphql' });
  return createYoga<ServerContext, ApiContext>({
    schema: createApiSchema(deps),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { subscriptionsProtocol: 'WS' },
    logging: {
      debug: () => undefined,
      info: (...args: unknown[]) => yogaLogger.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => yogaLogger.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => yogaLogger.error({ args }, 'yoga'),
    },
    context: ({ role }) => ({ role }),
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: config.API_MAX_DEPTH },
        costLimit: { maxCost: config.API_MAX_COST },
        maxAliases: { n: config.API_MAX_ALIASES },
        maxDirectives: { n: 20 },
        maxTokens: { n: 2000 },
      }),
      metricsPlugin(deps),
      // Operations compiled to JavaScript once and cached: on 10,000 callStats groups graphql-js' generic executor
      // took about as long as the ClickHouse query.
      useGraphQlJit(),
    ],
  });
}

export type ApiYoga = ReturnType<typeof createApiYoga>;
