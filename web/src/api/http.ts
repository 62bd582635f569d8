// The small typed fetch helper for queries and mutations: POST /graphql with the key as a Bearer header (never in the
// URL). A 401 is an AuthError (wrong or missing key); GraphQL errors become an ApiError with the first error's code.

export class AuthError extends Error {}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function authHeaders(key: string): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

export async function gql<T>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders(key) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('the API does not answer', 'NETWORK');
  }
  if (response.status === 401) throw new AuthError('this API key is not valid');
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!response.ok || body.data === undefined) throw new ApiError(`the API answered HTTP ${response.status}`, String(response.status));
  return body.data;
}
