// graphql-yoga with the limits (graphql-armor: depth, aliases, directives, tokens; our own cost rule, cost.ts),
// operation metrics (and a BAD_USER_INPUT code on request errors), CORS for the allowed origins only, and the caller's role, key id and ClickHouse budget in the
// context. The API's own errors (InputError, QueryError) become GraphQL errors with their codes (errors.ts); other errors
// that are not GraphQLErrors are masked ("Unexpected error.") and logged.

import { useGraphQlJit } from '@envelop/graphql-jit';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { type DocumentNode, GraphQLError, getOperationAST, type OperationDefinitionNode } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import type { Role } from '../auth/api-keys.js';
import { corsOrigin, type OriginPolicy } from '../auth/origins.js';
import { QueryBudget } from '../history/clickhouse-gate.js';
import { DEFAULT_PAGE_SIZE } from '../paging/cursor.js';
import { clickhouseBudgetRule } from './clickhouse-budget-rule.js';
import type { ApiContext, ApiDeps } from './context.js';
import { costRule } from './cost.js';
import { apiGraphQLError } from './errors.js';
import { createApiSchema } from './schema.js';

export interface ServerContext {
  role: Role;
  /** The caller's key id (per-key limits). */
  caller: string;
}

/** The cost limit and the ClickHouse budget, checked before an operation runs. */
function costPlugin(deps: ApiDeps): Plugin {
  const cost = costRule({
    maxCost: deps.config.API_MAX_COST,
    maxPageSize: deps.config.API_MAX_PAGE_SIZE,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  });
  const budget = clickhouseBudgetRule(deps.config.API_CLICKHOUSE_QUERIES_PER_REQUEST);
  return {
    onValidate: ({ addValidationRule }) => {
      addValidationRule(cost);
      addValidationRule(budget);
    },
  };
}

type Result = { errors?: ReadonlyArray<GraphQLError> };

const withoutCode = (error: GraphQLError) => error.path === undefined && error.extensions?.code === undefined;

/**
 * The API's own errors get their codes (errors.ts), before they are counted. Errors of the request as a whole (no
 * path: a variable of the wrong type or out of range) carry no code from graphql-js; they are the client's, so they
 * get BAD_USER_INPUT like the resolvers' argument errors.
 */
function withErrorCodes<R extends Result>(result: R): R {
  if (!result.errors?.some((error) => withoutCode(error) || apiGraphQLError(error))) return result;
  const errors = result.errors.map((error) => {
    const own = apiGraphQLError(error);
    if (own) return own;
    if (!withoutCode(error)) return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      originalError: error.originalError,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
    });
  });
  return { ...result, errors };
}

function metricsPlugin(deps: ApiDeps): Plugin {
  const count = (type: string, errors: ReadonlyArray<Error & { extensions?: Record<string, unknown> }> | undefined) => {
    deps.metrics.operations.inc({ type, outcome: errors?.length ? 'error' : 'ok' });
    for (const error of errors ?? []) deps.metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL') });
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        const operation = (args.document as DocumentNode).definitions.find(
          (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
        );
        const type = operation?.operation ?? 'query';
        if (!('errors' in result)) {
          count(type, undefined);
          return;
        }
        const coded = withErrorCodes(result);
        if (coded !== result) setResult(coded);
        count(type, coded.errors);
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!('errors' in result)) {
          count('subscription', undefined);
          return;
        }
        const coded = withErrorCodes(result);
        if (coded !== result) setResult(coded);
        count('subscription', coded.errors);
      },
    }),
    onValidate:
      () =>
      ({ valid, result }) => {
        if (!valid) count('invalid', result);
      },
  };
}

export function createApiYoga(deps: ApiDeps, policy: OriginPolicy) {
  const { config, logger } = deps;
  const yogaLogger = logger.child({ component: 'graphql' });
  return createYoga<ServerContext, ApiContext>({
    schema: createApiSchema(deps),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { subscriptionsProtocol: 'WS' },
    // The API's own errors anywhere (also those ending a subscription's stream) keep their message and code.
    maskedErrors: { maskError: (error, message, isDev) => apiGraphQLError(error) ?? maskError(error, message, isDev) },
    logging: {
      debug: () => undefined,
      info: (...args: unknown[]) => yogaLogger.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => yogaLogger.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => yogaLogger.error({ args }, 'yoga'),
    },
    // No CORS headers at all unless the request's Origin is allowed (http/origins.ts).
    cors: (request) => {
      const origin = corsOrigin(policy, request.headers.get('origin'));
      return origin === undefined
        ? false
        : { origin: [origin], credentials: false, methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['authorization', 'content-type'] };
    },
    context: ({ role, caller }) => ({
      role,
      caller,
      queries: { caller, budget: new QueryBudget(config.API_CLICKHOUSE_QUERIES_PER_REQUEST) },
    }),
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: config.API_MAX_DEPTH },
        costLimit: { enabled: false },
        maxAliases: { n: config.API_MAX_ALIASES },
        maxDirectives: { n: 20 },
        maxTokens: { n: 2000 },
      }),
      costPlugin(deps),
      metricsPlugin(deps),
      // Operations compiled to JavaScript once and cached: on 10,000 callStats groups graphql-js' generic executor
      // took about as long as the ClickHouse query. Not subscriptions: its subscribe gives a subscription's `subscribe`
      // resolver no arguments (todayStatsChanged(timeZone:) answered UTC; envelop issue 2008).
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== 'subscription' }),
    ],
  });
}

export type ApiYoga = ReturnType<typeof createApiYoga>;
