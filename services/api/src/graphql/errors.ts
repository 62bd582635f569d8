// GraphQL errors the clients can act on: bad arguments, missing rights, and failures of a backend. The API's own
// errors (../errors.ts: InputError, QueryError) become GraphQL errors here, and only here.
import { GraphQLError } from 'graphql';
import { InputError, QueryError } from '../errors.js';

export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
}

/** A subscription ended because its client fell more than `limit` messages behind. */
export function tooSlow(limit: number): GraphQLError {
  return new GraphQLError(
    `subscription ended: this client fell more than ${limit} messages behind (it does not read fast enough); subscribe again`,
    { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } },
  );
}

/** The extensions of one of the API's own errors; undefined for any other error. */
function extensionsOf(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof InputError) return { code: 'BAD_USER_INPUT', ...(error.argument ? { argument: error.argument } : {}) };
  if (error instanceof QueryError) return { code: error.code };
  return undefined;
}

/**
 * A GraphQL error in place of one of the API's own errors, thrown as it is or wrapped by graphql-js (a resolver's
 * error, with its path): the same message, the code clients see, and the path kept. undefined for any other error
 * (which stays as it is, or is masked as unexpected).
 */
export function apiGraphQLError(error: unknown): GraphQLError | undefined {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const extensions = extensionsOf(original);
  if (!extensions) return undefined;
  if (!(error instanceof GraphQLError)) return new GraphQLError((error as Error).message, { extensions });
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, ...extensions },
  });
}
