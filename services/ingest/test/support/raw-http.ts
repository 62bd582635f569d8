// One HTTP/1.1 request over a plain socket, and the answer exactly as the bytes came: for checks a client library
// hides (the size of a whole response with its status line and headers, an answer to a body not fully sent).
import net from 'node:net';

export interface RawAnswer {
  /** Every byte of the response: status line, headers, body. */
  bytes: number;
  statusLine: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body`; resolves with the first response once
 * its body (content-length) arrived. The connection stays keep-alive until then, as RingCentral's would.
 */
export function rawRequest(port: number, head: string, body: Buffer = Buffer.alloc(0), timeoutMs = 10000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer in ${timeoutMs} ms: ${received.toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    const tryParse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (received.length < end + 4 + length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        bytes: end + 4 + length,
        statusLine,
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: received.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse();
    });
    // The server may answer and close before the whole body was written (a body over its hard cap).
    socket.on('error', () => tryParse());
    socket.on('close', () => {
      tryParse();
      clearTimeout(timer);
      reject(new Error(`connection closed without a complete answer: ${received.toString('latin1').slice(0, 200)}`));
    });
    socket.write(`${head}\r\n\r\n`);
    if (body.length > 0) socket.write(body, () => undefined);
  });
}
