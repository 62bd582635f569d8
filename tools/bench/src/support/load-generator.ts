// The HTTP load of the ingest part: autocannon with a pre-built array of requests (distinct valid webhooks), so
// no request is rebuilt while measuring (a `setupRequest` rebuilds the whole request buffer each time and made the
// generator the bound). autocannon deep-copies its options and builds every request once per connection, so the
// array is kept to a few thousand bodies (100 connections x 10,000 bodies would be about 2 GB of buffers).
import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx answers per second of the run. */
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Every answer (2xx and not), for the cost per request. */
  answered: number;
  seconds: number;
  /** CPU of the generator (this process) as a share of one core over the run. */
  generatorCpuShare: number;
}

export type PrebuiltRequest = { method: 'POST'; path: string; headers: Record<string, string>; body: string };

export function prebuiltRequests(path: string, headers: Record<string, string>, bodies: string[]): PrebuiltRequest[] {
  return bodies.map((body) => ({ method: 'POST', path, headers, body }));
}

export async function runLoad(url: string, seconds: number, connections: number, requests: PrebuiltRequest[]): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const measuredSeconds = result.duration > 0 ? result.duration : seconds;
  return {
    perSecond: result['2xx'] / measuredSeconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    answered: result['2xx'] + result.non2xx,
    seconds: measuredSeconds,
    generatorCpuShare: (cpu.user + cpu.system) / 1e6 / wall,
  };
}
