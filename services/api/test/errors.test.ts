// The API's own errors become GraphQL errors in graphql/ only: the code clients see, the argument, and the path of
// the field that failed; any other error is left alone (masked as unexpected later).
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InputError, QueryError } from '../src/errors.js';
import { apiGraphQLError } from '../src/graphql/errors.js';

describe('apiGraphQLError', () => {
  it('gives a bad argument BAD_USER_INPUT with the argument', () => {
    const error = apiGraphQLError(new InputError('from must be before to', 'from'));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error?.message).toBe('from must be before to');
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'from' });
  });

  it('keeps the path of a resolver error that graphql-js wrapped, and gives it the query failure code', () => {
    const original = new QueryError('the calls query took longer than the limit of 10000 ms', 'QUERY_TIMEOUT');
    const located = new GraphQLError(original.message, { path: ['calls'], originalError: original });
    const error = apiGraphQLError(located);
    expect(error?.path).toEqual(['calls']);
    expect(error?.extensions.code).toBe('QUERY_TIMEOUT');
    expect(error?.originalError).toBeUndefined(); // a GraphQL error of its own: yoga does not mask it
  });

  it('leaves other errors alone', () => {
    expect(apiGraphQLError(new Error('boom'))).toBeUndefined();
    expect(apiGraphQLError(new GraphQLError('wrapped', { originalError: new TypeError('x') }))).toBeUndefined();
  });
});
