// Test clients of the API: GraphQL over HTTP, over SSE (yoga's "distinct connections" mode) and over WebSocket
// (graphql-ws), and a reader of one Prometheus metric.
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: the tests read responses loosely and assert on them
export type Json = any;

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<T = Record<string, Json>>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; key?: string } = {},
): Promise<GqlResult<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: response.status, ...body };
}

export interface StreamClient<T> {
  /** Every data payload received so far. */
  received: T[];
  close: () => void;
}

/** Subscribes over SSE; resolves once the response headers arrived (status in `status`). */
export async function sseSubscribe<T = Record<string, Json>>(
  url: string,
  query: string,
  key?: string,
): Promise<StreamClient<T> & { status: number }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const received: T[] = [];
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (data !== '') received.push((JSON.parse(data) as { data: T }).data);
          end = buffer.indexOf('\n\n');
        }
      }
    })().catch(() => undefined);
  }
  return { status: response.status, received, close: () => controller.abort() };
}

export function wsClient(url: string, key?: string): Client & { closedWith: Array<{ code: number; reason: string }> } {
  const closedWith: Array<{ code: number; reason: string }> = [];
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => closedWith.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
  return Object.assign(client, { closedWith });
}

/** Subscribes over an open graphql-ws client, collecting data payloads and errors. */
export function wsSubscribe<T = Record<string, Json>>(client: Client, query: string): StreamClient<T> & { errors: unknown[] } {
  const received: T[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe<T>(
    { query },
    {
      next: (value) => {
        if (value.data) received.push(value.data as T);
        if (value.errors) errors.push(...value.errors);
      },
      error: (err) => errors.push(err),
      complete: () => undefined,
    },
  );
  return { received, errors, close: dispose };
}

/** The value of the sample of metric `name` whose labels contain `labels` (e.g. 'field="callCompleted"'), 0 when absent. */
export async function metricValue(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
