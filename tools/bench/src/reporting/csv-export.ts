// One run of the API's CSV export (GET /export/calls.csv) as a client downloading it as fast as it can: wall time,
// time to the first byte, rows and bytes, and the API's resident memory sampled every 50 ms before and during it.
import { residentBytes } from '../support/children.js';

export interface ExportRun {
  rows: number;
  bytes: number;
  seconds: number;
  firstByteSeconds: number;
  /** The API's VmRSS just before the request, and the highest sample during it (bytes). */
  rssBefore: number | null;
  rssPeak: number | null;
}

const LF = 10;

export async function runExport(apiUrl: string, key: string, query: Record<string, string>, apiPid: number): Promise<ExportRun> {
  const rssBefore = residentBytes(apiPid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    const rss = residentBytes(apiPid);
    if (rss !== null && (rssPeak === null || rss > rssPeak)) rssPeak = rss;
  }, 50);
  const started = performance.now();
  try {
    const response = await fetch(new URL(`/export/calls.csv?${new URLSearchParams(query)}`, apiUrl), {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!response.ok || !response.body) throw new Error(`the export answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    let firstByte = 0;
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (bytes === 0) firstByte = performance.now();
      bytes += chunk.length;
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) lines += 1;
    }
    const ended = performance.now();
    return {
      rows: Math.max(0, lines - 1), // the header line; the bench's data has no line breaks inside fields
      bytes,
      seconds: (ended - started) / 1000,
      firstByteSeconds: (firstByte - started) / 1000,
      rssBefore,
      rssPeak,
    };
  } finally {
    clearInterval(sampler);
  }
}
