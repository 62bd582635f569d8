// The history views' API calls: one query per request (the API allows a few ClickHouse queries per request), the key
// as a Bearer header through the typed fetch helper; the CSV export fetched with the key in the header and saved.
import { authHeaders, gql } from '../api/http.js';
import { apiKey } from '../state/auth.js';

export function ask<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  return gql<T>(apiKey.value, query, variables);
}

/** Fetches GET /export/calls.csv?query with the key in the Authorization header and saves it as a file. */
export async function downloadCsv(query: string): Promise<void> {
  const response = await fetch(`/export/calls.csv?${query}`, { headers: authHeaders(apiKey.value) });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { errors?: Array<{ message: string }> };
    throw new Error(body.errors?.[0]?.message ?? `the export answered HTTP ${response.status}`);
  }
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'calls.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
