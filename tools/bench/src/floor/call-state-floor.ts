// The floor under call-state's CPU per event (part 2's `floor` runs): a worker that does only what any design of
// call-state must do with the clients it uses, and nothing of the call model. Run by the bench in place of the service,
// on the same backlog, with call-state's consumer settings (fetch size and wait, partitions at once, offsets committed
// every 500 ms). FLOOR_LEVEL picks how much:
// - `consume`: kafkajs fetches and decodes the record batches; each message is only looked at (its key);
// - `decode`:  + each message decoded into party events as call-state decodes it (call-model's decodeMessage: JSON,
//              validation, normalising);
// - `store`:   + each event stored and announced in Redis, one round trip per chunk: one HSET into its session's hash
//              and one PUBLISH per event, in one pipeline (the least a live board costs: every event changes a leg).
//              The value is a few bytes (the event's sequence and status), not the event or a leg: a lower bound of
//              what storing and announcing it costs.
// It serves /readyz (a member of the group) on CALL_STATE_PORT, as the bench waits for; no /metrics.

import { createServer } from 'node:http';
import { decodeMessage, partyEventKey } from '@callpulse/call-model';
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, createRedis } from '@callpulse/platform';

type Level = 'consume' | 'decode' | 'store';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const level = (process.env.FLOOR_LEVEL ?? 'store') as Level;
if (!['consume', 'decode', 'store'].includes(level)) throw new Error(`FLOOR_LEVEL must be consume, decode or store, not ${level}`);
const logger = createLogger('call-state-floor', process.env.LOG_LEVEL ?? 'warn');
const topic = topicNames(process.env.KAFKA_TOPIC_PREFIX ?? '').telephonySessions;
const prefix = process.env.REDIS_KEY_PREFIX ?? 'floor:';
const kafka = createKafka({ clientId: 'call-state-floor', brokers: env('KAFKA_BROKERS').split(','), logger });
const redis = level === 'store' ? createRedis(env('REDIS_URL')) : undefined;
const consumer = kafka.consumer({ groupId: env('CALL_STATE_GROUP_ID'), minBytes: 65536, maxWaitTimeInMs: 25 });

let joined = false;
consumer.on(consumer.events.GROUP_JOIN, () => {
  joined = true;
});

/** Messages per chunk, as call-state's CALL_STATE_CHUNK_SIZE. */
const CHUNK = 2000;
let looked = 0;

await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  autoCommitInterval: 500,
  partitionsConsumedConcurrently: 12,
  eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
    for (let from = 0; from < batch.messages.length; from += CHUNK) {
      const chunk = batch.messages.slice(from, from + CHUNK);
      const pipeline = redis?.pipeline();
      for (const message of chunk) {
        if (level === 'consume') {
          looked += message.key?.length ?? 0;
          continue;
        }
        const decoded = decodeMessage(message);
        if (!decoded.ok || !pipeline) continue;
        for (const event of decoded.events) {
          const value = `${event.sequence}:${event.statusCode}`;
          pipeline.hset(`${prefix}{${event.telephonySessionId}}:events`, partyEventKey(event), value);
          pipeline.publish(`${prefix}floor:${event.extensionId ?? 'none'}`, value);
        }
      }
      if (pipeline && pipeline.length > 0) await pipeline.exec();
      const last = chunk.at(-1);
      if (last) resolveOffset(last.offset);
      await heartbeat();
    }
  },
});

const server = createServer((request, response) => {
  const ready = request.url === '/readyz' ? joined : true;
  response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
  response.end(ready ? 'ok' : 'joining');
});
server.listen(Number(process.env.CALL_STATE_PORT ?? 3001), '127.0.0.1');

process.once('SIGTERM', () => {
  void consumer
    .disconnect()
    .finally(() => {
      redis?.disconnect();
      server.close();
      logger.info({ looked }, 'stopped');
    })
    .finally(() => process.exit(0));
});
