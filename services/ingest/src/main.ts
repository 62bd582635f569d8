// The ingest service: RingCentral webhooks -> Kafka, and the RingCentral side (service.ts wires it).
import { runService } from '@callpulse/platform';
import { ingestEnv } from './config.js';
import { buildIngest } from './service.js';

await runService({ name: 'ingest', env: ingestEnv, build: buildIngest });
