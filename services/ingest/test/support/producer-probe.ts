// Watches the ingest producer's client (@platformatic/kafka) through its diagnostics channels: how many sends it made,
// how many were in flight at once, and how many producers were created.
import diagnostics from 'node:diagnostics_channel';

const SENDS_START = 'tracing:plt:kafka:producer:sends:start';
const SENDS_ASYNC_END = 'tracing:plt:kafka:producer:sends:asyncEnd';
const INSTANCES = 'plt:kafka:instances';

export interface ProducerStats {
  sends: number;
  inFlight: number;
  maxInFlight: number;
  producers: number;
}

export function producerProbe(): { stats: ProducerStats; close: () => void } {
  const stats: ProducerStats = { sends: 0, inFlight: 0, maxInFlight: 0, producers: 0 };
  const onStart = () => {
    stats.sends++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  };
  const onEnd = () => {
    stats.inFlight--;
  };
  const onInstance = (message: unknown) => {
    if ((message as { type?: string }).type === 'producer') stats.producers++;
  };
  diagnostics.subscribe(SENDS_START, onStart);
  diagnostics.subscribe(SENDS_ASYNC_END, onEnd);
  diagnostics.subscribe(INSTANCES, onInstance);
  return {
    stats,
    close: () => {
      diagnostics.unsubscribe(SENDS_START, onStart);
      diagnostics.unsubscribe(SENDS_ASYNC_END, onEnd);
      diagnostics.unsubscribe(INSTANCES, onInstance);
    },
  };
}
