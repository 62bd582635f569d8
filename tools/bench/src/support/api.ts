// The API service from the bench's side: whether it is built (the parts that need it fall back when it is not), its
// GraphQL endpoint, and one GraphQL request over HTTP.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './env.js';

export const graphqlPath = process.env.BENCH_API_GRAPHQL_PATH ?? '/graphql';

export async function apiAvailable(): Promise<boolean> {
  if (process.env.BENCH_WITHOUT_API === '1') return false;
  return existsSync(resolve(repoRoot, 'services/api/dist/main.js'));
}

/** POSTs a GraphQL query; returns `data`, or throws with the errors the API answered. */
export async function graphqlRequest<T>(apiUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(new URL(graphqlPath, apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: Array<{ message: string }> };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the API answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length || body.data === undefined) {
    throw new Error(`the API answered ${response.status}: ${body.errors?.map((error) => error.message).join('; ') ?? 'no data'}`);
  }
  return body.data;
}
