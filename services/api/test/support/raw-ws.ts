// A bare graphql-ws (graphql-transport-ws) client on `ws`, for the tests that misbehave on purpose: it can stop reading
// its socket (a stalled subscriber), send frames of any size, or never send connection_init.
import WebSocket from 'ws';
import type { Json } from './client.js';

export interface RawSocket {
  socket: WebSocket;
  /** Every message received, parsed. */
  messages: Json[];
  closed: Promise<{ code: number; reason: string }>;
  /** Sends connection_init and waits for connection_ack. */
  init: (payload?: Record<string, unknown>) => Promise<void>;
  subscribe: (id: string, query: string, variables?: Record<string, unknown>) => void;
  /** Stops reading the TCP socket: the kernel buffers fill and the server can no longer send. */
  stall: () => void;
  resume: () => void;
}

export function wsUrl(url: string): string {
  return `${url.replace(/^http/, 'ws')}/graphql`;
}

/** Opens a socket (resolves on open, rejects with the HTTP status when the upgrade is refused). */
export function openRawSocket(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers });
    const messages: Json[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolveClosed) =>
      socket.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString() })),
    );
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    socket.on('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.on('error', (err) => reject(err));
    socket.on('open', () => {
      const tcp = (socket as unknown as { _socket: import('node:net').Socket })._socket;
      resolve({
        socket,
        messages,
        closed,
        init: async (payload = {}) => {
          socket.send(JSON.stringify({ type: 'connection_init', payload }));
          const deadline = Date.now() + 10000;
          while (!messages.some((message) => message.type === 'connection_ack')) {
            if (Date.now() > deadline || socket.readyState !== WebSocket.OPEN) throw new Error('no connection_ack');
            await new Promise((wake) => setTimeout(wake, 20));
          }
        },
        subscribe: (id, query, variables = {}) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
        stall: () => tcp.pause(),
        resume: () => tcp.resume(),
      });
    });
  });
}
