// GraphQL over WebSocket (graphql-ws protocol, subprotocol graphql-transport-ws) on /graphql of the same server.
// The key comes in the upgrade request's Authorization header or in connection_init's payload
// ({ "authorization": "Bearer <key>" }); a wrong one gets 401 at the upgrade or close code 4401. Limits: the upgrade
// passes the Host and Origin checks (guards.ts) and the per-address stream limit (429); frames are at most 64 KiB
// (larger: close code 1009, before anything is buffered); connection_init must come within 3 s (else 4408); at most
// API_MAX_SUBSCRIPTIONS_PER_CONNECTION operations run at once on one connection.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiKey, type Caller, resolveCaller, resolveRole } from '../auth/api-keys.js';
import type { OriginPolicy } from '../auth/origins.js';
import type { ApiYoga } from '../graphql/yoga.js';
import { refusal, refusedUpgrade } from './guards.js';
import { type StreamLimits, tooManyStreams } from './stream-limits.js';

export const MAX_FRAME_BYTES = 64 * 1024;
export const CONNECTION_INIT_TIMEOUT_MS = 3000;

export interface WebSocketOptions {
  keys: readonly ApiKey[];
  policy: OriginPolicy;
  streams: StreamLimits;
  maxStreamsPerAddress: number;
  maxSubscriptionsPerConnection: number;
}

function payloadAuthorization(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const value = record.authorization ?? record.Authorization;
  return typeof value === 'string' ? value : undefined;
}

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

const tooMany = (max: number) =>
  new GraphQLError(`at most ${max} operations may run at once on one connection (API_MAX_SUBSCRIPTIONS_PER_CONNECTION)`, {
    extensions: { code: 'RATE_LIMITED' },
  });

export function attachWebSocket(server: Server, yoga: ApiYoga, options: WebSocketOptions): { close: () => Promise<void> } {
  const { keys } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const callers = new WeakMap<WebSocket, Caller>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== yoga.graphqlEndpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const refused = refusal(options.policy, request.headers);
    if (refused) {
      socket.end(refusedUpgrade(refused));
      return;
    }
    if (request.headers.authorization !== undefined && resolveRole(keys, request.headers.authorization) === undefined) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="callpulse"\r\nConnection: close\r\n\r\n');
      return;
    }
    const release = options.streams.acquire(request.socket.remoteAddress);
    if (!release) {
      const body = JSON.stringify({ error: tooManyStreams(options.maxStreamsPerAddress) });
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
      return;
    }
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  useServer(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onConnect: (ctx) => {
        const caller = resolveCaller(keys, ctx.extra.request.headers.authorization ?? payloadAuthorization(ctx.connectionParams));
        if (caller === undefined) {
          ctx.extra.socket.close(4401, 'Unauthorized: missing or wrong API key');
          return false;
        }
        callers.set(ctx.extra.socket, caller);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws registers the operation (as null) before this hook runs, so it is counted here.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [tooMany(options.maxSubscriptionsPerConnection)];
        }
        const caller = callers.get(ctx.extra.socket) ?? { role: 'local', id: 'local' };
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          role: caller.role,
          caller: caller.id,
        });
        let document: ExecutionArgs['document'];
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('the query does not parse')];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );

  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
