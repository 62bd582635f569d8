// Where an accepted webhook goes before it is answered 200: straight to Kafka while Kafka acknowledges within the
// produce timeout and the spool is empty; otherwise into the spool (fsynced). While the spool holds anything, every
// new record goes behind it, so the drainer delivers them in arrival order. Rejects only when neither can take it
// (the spool is full or failing): the one case for a 503.
import type { BatchingProducer } from '../kafka/batching-producer.js';
import { toMessage } from './drainer.js';
import type { SpoolRecord } from './segment-file.js';
import type { Spool } from './spool.js';

export type Delivered = 'kafka' | 'spool';

export interface HandOff {
  deliver(record: Omit<SpoolRecord, 'spooledAtMs'>): Promise<Delivered>;
}

export function createHandOff(deps: { producer: BatchingProducer; spool: Spool; kafkaReady: () => boolean }): HandOff {
  const { producer, spool } = deps;
  const toSpool = (record: Omit<SpoolRecord, 'spooledAtMs'>) => spool.append(record).then((): Delivered => 'spool');
  return {
    deliver(record) {
      if (spool.backlog > 0 || !deps.kafkaReady()) return toSpool(record);
      // A failed send fails together with every send queued behind it, in order: their appends keep that order.
      return producer.send(record.topic, toMessage({ ...record, spooledAtMs: 0 })).then(
        (): Delivered => 'kafka',
        () => toSpool(record),
      );
    },
  };
}
