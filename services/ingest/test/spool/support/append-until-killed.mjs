// Child process for the spool's crash test: appends records as fast as it can (many at once, so fsyncs are shared)
// and prints the number of each record once its append resolved (acknowledged), until it is killed.
import { Spool } from '../../../dist/spool/spool.js';

const [dir, segmentBytes] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const spool = await Spool.open({ dir, maxBytes: 1024 * 1024 * 1024, segmentBytes: Number(segmentBytes), logger: quiet });
let next = 0;
const inFlight = new Set();
for (;;) {
  while (inFlight.size < 64) {
    const i = next++;
    const append = spool
      .append({
        topic: 'crash-test',
        key: Buffer.from(`k${i % 10}`),
        value: Buffer.from(`{"i":${i},"pad":"${'x'.repeat(i % 300)}"}`),
        headers: { i: String(i) },
      })
      .then(() => process.stdout.write(`${i}\n`));
    inFlight.add(append);
    append.finally(() => inFlight.delete(append));
  }
  await Promise.race(inFlight);
}
