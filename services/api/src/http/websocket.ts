// GraphQL over WebSocket (graphql-ws protocol, subprotocol graphql-transport-ws) on /graphql of the same server.
// The key comes in the upgrade request's Authorization header or in connection_init's payload
// ({ "authorization": "Bearer <key>" }); a wrong one gets 401 at the upgrade or close code 4401.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiKey, type Role, resolveRole } from '../auth/api-keys.js';
import type { ApiYoga } from '../graphql/yoga.js';

function payloadAuthorization(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const value = record.authorization ?? record.Authorization;
  return typeof value === 'string' ? value : undefined;
}

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

export function attachWebSocket(server: Server, yoga: ApiYoga, keys: readonly ApiKey[]): { close: () => Promise<void> } {
  const wss = new WebSocketServer({ noServer: true });
  const roles = new WeakMap<WebSocket, Role>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== yoga.graphqlEndpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (request.headers.authorization !== undefined && resolveRole(keys, request.headers.authorization) === undefined) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="callpulse"\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onConnect: (ctx) => {
        const role = resolveRole(keys, ctx.extra.request.headers.authorization ?? payloadAuthorization(ctx.connectionParams));
        if (role === undefined) {
          ctx.extra.socket.close(4401, 'Unauthorized: missing or wrong API key');
          return false;
        }
        roles.set(ctx.extra.socket, role);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const role = roles.get(ctx.extra.socket) ?? 'local';
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          role,
        });
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
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
