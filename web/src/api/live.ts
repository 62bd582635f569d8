// Live data: every subscription of the app over ONE graphql-ws WebSocket (the key in connection_init, never in the
// URL), reconnecting with backoff; when WebSockets do not get through (a proxy), each subscription falls back to SSE
// over fetch (the key in the Authorization header). The connection's health is a signal: connected, reconnecting or
// stale (no event for a while), with the time of the last event; the app reloads its snapshots after a reconnect.
import { signal } from '@preact/signals';
import { type Client, createClient } from 'graphql-ws';
import { authHeaders } from './http.js';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export const linkState = signal<LinkState>('connecting');
/** Date.now() of the last message received on any subscription (0: none yet). */
export const lastEventAt = signal(0);
/** Bumped at each (re)connection: views subscribe again and reload what they show. */
export const connectionEpoch = signal(0);
export const transport = signal<'websocket' | 'sse'>('websocket');

export interface Sink<T> {
  next: (data: T) => void;
  error?: (message: string) => void;
}

type Unsubscribe = () => void;

let client: Client | undefined;
let currentKey = '';
let wsFailures = 0;

function wsUrl(): string {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Opens (or re-opens with another key) the one WebSocket. */
export function connect(key: string): void {
  if (client && key === currentKey) return;
  client?.dispose();
  currentKey = key;
  linkState.value = 'connecting';
  let connectedOnce = false;
  client = createClient({
    url: wsUrl(),
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && (event as CloseEvent).code === 4401),
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 300 * 2 ** retries) * (0.5 + Math.random() / 2)));
    },
    connectionParams: () => (key ? { authorization: `Bearer ${key}` } : {}),
    on: {
      connected: () => {
        wsFailures = 0;
        linkState.value = 'connected';
        if (connectedOnce) connectionEpoch.value += 1;
        connectedOnce = true;
        lastEventAt.value = Date.now();
      },
      closed: (event) => {
        if ((event as CloseEvent)?.code === 4401) {
          linkState.value = 'refused';
          return;
        }
        if (!connectedOnce) wsFailures += 1;
        // WebSockets never opened (three tries): use SSE instead.
        if (wsFailures >= 3 && transport.value === 'websocket') {
          transport.value = 'sse';
          client?.dispose();
          client = undefined;
          connectionEpoch.value += 1;
          return;
        }
        linkState.value = 'reconnecting';
      },
      message: () => {
        lastEventAt.value = Date.now();
      },
    },
  });
}

export function disconnect(): void {
  client?.dispose();
  client = undefined;
  currentKey = '';
}

/** Subscribes over the WebSocket, or over SSE when WebSockets do not get through. */
export function subscribe<T>(query: string, variables: Record<string, unknown>, sink: Sink<T>): Unsubscribe {
  if (transport.value === 'sse' || !client) return subscribeSse(query, variables, sink);
  return client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.data) sink.next(result.data as T);
        else if (result.errors) sink.error?.(result.errors[0]?.message ?? 'error');
      },
      error: (err) => sink.error?.(err instanceof Error ? err.message : 'subscription failed'),
      complete: () => undefined,
    },
  );
}

/** One subscription as server-sent events over fetch (so the key goes in a header), retried with backoff. */
function subscribeSse<T>(query: string, variables: Record<string, unknown>, sink: Sink<T>): Unsubscribe {
  let stopped = false;
  let controller: AbortController | undefined;
  let retries = 0;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/graphql', {
          method: 'POST',
          signal: controller.signal,
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders(currentKey) },
          body: JSON.stringify({ query, variables }),
        });
        if (response.status === 401) {
          linkState.value = 'refused';
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        linkState.value = 'connected';
        if (retries > 0) connectionEpoch.value += 1;
        retries = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = event
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5))
              .join('\n');
            if (!data.trim()) continue;
            lastEventAt.value = Date.now();
            const message = JSON.parse(data) as { data?: T; errors?: Array<{ message: string }> };
            if (message.data) sink.next(message.data);
            else if (message.errors) sink.error?.(message.errors[0]?.message ?? 'error');
          }
        }
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      linkState.value = 'reconnecting';
      retries += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 300 * 2 ** retries)));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
