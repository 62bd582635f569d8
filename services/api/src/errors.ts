// The API's own errors, free of GraphQL (graphql/errors.ts turns them into GraphQL errors): an argument the API cannot
// use, and a query it could not answer, with the code clients see (docs/api.md lists the codes).
export class InputError extends Error {
  override name = 'InputError';

  /** argument: the name of the argument at fault, when there is one. */
  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super(message);
  }
}

/** Why a history query was not answered: too slow, ClickHouse away, too many in flight, or beyond the request's budget. */
export type QueryFailureCode = 'QUERY_TIMEOUT' | 'SERVICE_UNAVAILABLE' | 'RATE_LIMITED' | 'QUERY_BUDGET_EXCEEDED';

export class QueryError extends Error {
  override name = 'QueryError';

  constructor(
    message: string,
    readonly code: QueryFailureCode,
  ) {
    super(message);
  }
}
