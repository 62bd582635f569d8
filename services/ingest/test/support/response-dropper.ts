// Makes the network lose Produce responses of the ingest producer's connections (@platformatic/kafka) in tests: the
// broker receives and appends the batch, but the client sees its connection close instead of the answer (what a Kafka
// restart or a network fault does to a request in flight). The sockets are the client's own, to the real broker: each
// is wrapped as the client opens it (its "connections:connects" diagnostics channel).
import diagnostics from 'node:diagnostics_channel';
import type net from 'node:net';

const PRODUCE_API_KEY = 0;
/** Published right after the client created a connection's socket (and when it reuses a connected one). */
const CONNECTS_END = 'tracing:plt:kafka:connections:connects:end';

export interface ResponseDropper {
  /** The next `count` Produce responses are lost (each closes its connection). */
  dropNextProduceResponses(count?: number): void;
  /** How many responses were dropped so far. */
  readonly dropped: number;
  /** How many Produce requests were written so far. */
  readonly produceRequests: number;
  /** Stops wrapping new connections (those wrapped keep counting). */
  close(): void;
}

export function responseDropper(): ResponseDropper {
  let toDrop = 0;
  let dropped = 0;
  let produceRequests = 0;

  const wrapped = new WeakSet<net.Socket>();
  const wrap = (socket: net.Socket): void => {
    if (wrapped.has(socket)) return;
    wrapped.add(socket);
    // Requests written on this socket whose responses have not arrived yet, in order (Kafka answers in order).
    const awaiting: boolean[] = [];
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      const chunk = args[0];
      if (Buffer.isBuffer(chunk) && chunk.length >= 6) {
        const isProduce = chunk.readInt16BE(4) === PRODUCE_API_KEY;
        if (isProduce) produceRequests++;
        awaiting.push(isProduce && toDrop > 0 && toDrop-- > 0);
      }
      return write(...args);
    }) as typeof socket.write;
    // Responses are framed (int32 size, then the payload): follow the frames so a drop hits exactly its response.
    let header = Buffer.alloc(0);
    let remaining = 0; // bytes of the current response frame still to come
    let broken = false;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data' || !Buffer.isBuffer(args[0])) return emit(event, ...args);
      if (broken) return true; // everything after the lost response is lost with it
      const chunk = args[0];
      let at = 0;
      while (at < chunk.length) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length - at);
          remaining -= take;
          at += take;
          continue;
        }
        if (header.length === 0 && awaiting[0] === true) {
          // The lost response starts here: deliver what came before it, then the connection "breaks".
          awaiting.shift();
          dropped++;
          if (at > 0) emit('data', chunk.subarray(0, at));
          broken = true;
          socket.end(); // the broker closes its side in turn: the client sees the connection end, as in a restart
          return true;
        }
        const need = 4 - header.length;
        header = Buffer.concat([header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (header.length === 4) {
          remaining = header.readInt32BE(0);
          header = Buffer.alloc(0);
          awaiting.shift();
        }
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
  };
  const onConnect = (context: unknown) => {
    const socket = (context as { connection?: { socket?: net.Socket } }).connection?.socket;
    if (socket) wrap(socket);
  };
  diagnostics.subscribe(CONNECTS_END, onConnect);

  return {
    close: () => diagnostics.unsubscribe(CONNECTS_END, onConnect),
    dropNextProduceResponses(count = 1) {
      toDrop += count;
    },
    get dropped() {
      return dropped;
    },
    get produceRequests() {
      return produceRequests;
    },
  };
}
