// A kafkajs socket factory for tests that can make the network lose one Produce response: the broker receives
// and appends the batch, but the client sees its connection close instead of the answer (what a Kafka restart or
// a network fault does to a request in flight). The sockets are real connections to the real broker.
import net from 'node:net';
import type { ISocketFactory } from '@callpulse/platform';

const PRODUCE_API_KEY = 0;

export interface ResponseDropper {
  socketFactory: ISocketFactory;
  /** The next `count` Produce responses are lost (each closes its connection). */
  dropNextProduceResponses(count?: number): void;
  /** How many responses were dropped so far. */
  readonly dropped: number;
  /** How many Produce requests were written so far. */
  readonly produceRequests: number;
}

export function responseDropper(): ResponseDropper {
  let toDrop = 0;
  let dropped = 0;
  let produceRequests = 0;

  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60000);
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
    return socket;
  };

  return {
    socketFactory,
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
