// A TCP proxy in front of ClickHouse that a test can stall and release without touching the server the other tests
// share: 'answers' holds ClickHouse's answers (requests still reach it, as on an overloaded server), 'inserts' holds
// INSERT requests before they reach ClickHouse (a write on its way), 'down' cuts and refuses connections.
import net from 'node:net';

export type StallMode = 'open' | 'answers' | 'inserts' | 'down';

export interface StallProxy {
  url: string;
  stall: (mode: Exclude<StallMode, 'open'>) => void;
  /** Lets everything through again, held bytes first. */
  release: () => void;
  /** Requests held (or waiting for a held answer) right now. */
  readonly waiting: number;
  close: () => Promise<void>;
}

interface Pair {
  client: net.Socket;
  server: net.Socket | undefined;
  /** Request bytes held back ('inserts'). */
  held: Buffer[];
  holding: boolean;
  /** A request went out while answers are held. */
  waiting: boolean;
}

const startsRequest = (chunk: Buffer) => /^(GET|POST) /.test(chunk.subarray(0, 5).toString('latin1'));
const isInsert = (chunk: Buffer) => /^POST [^ ]*query=INSERT/i.test(chunk.subarray(0, 200).toString('latin1'));

export async function stallProxy(target: string): Promise<StallProxy> {
  const upstream = new URL(target);
  let mode: StallMode = 'open';
  const pairs = new Set<Pair>();

  /** The pair's connection to ClickHouse; a new one when ClickHouse closed the last (idle keep-alive) one. */
  const upstreamOf = (pair: Pair): net.Socket => {
    if (pair.server && !pair.server.destroyed) return pair.server;
    const socket = net.connect({ host: upstream.hostname, port: Number(upstream.port) });
    socket.on('data', (chunk: Buffer) => pair.client.write(chunk));
    socket.on('error', () => socket.destroy());
    // ClickHouse closing an idle connection must not cut the client while a request of it is held here.
    socket.on('close', () => {
      if (pair.held.length === 0 && !pair.holding) pair.client.destroy();
    });
    if (mode === 'answers') socket.pause();
    pair.server = socket;
    return socket;
  };

  const server = net.createServer((client) => {
    if (mode === 'down') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, server: undefined, held: [], holding: false, waiting: false };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (startsRequest(chunk)) pair.holding = mode === 'inserts' && isInsert(chunk);
      if (mode === 'answers') pair.waiting = true;
      if (pair.holding) pair.held.push(chunk);
      else upstreamOf(pair).write(chunk);
    });
    const close = () => {
      client.destroy();
      pair.server?.destroy();
      pairs.delete(pair);
    };
    client.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stall: (next) => {
      mode = next;
      for (const pair of pairs) {
        if (next === 'answers') pair.server?.pause();
        if (next === 'down') {
          pair.client.destroy();
          pair.server?.destroy();
        }
      }
    },
    release: () => {
      mode = 'open';
      for (const pair of pairs) {
        const held = pair.held;
        pair.held = [];
        pair.holding = false;
        pair.waiting = false;
        if (held.length > 0) for (const chunk of held) upstreamOf(pair).write(chunk);
        pair.server?.resume();
      }
    },
    get waiting() {
      return [...pairs].filter((pair) => pair.waiting || pair.held.length > 0).length;
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
