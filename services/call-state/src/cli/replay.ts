#!/usr/bin/env node
// npm run replay -- --since <ISO time> [--dry-run]: moves the call-state consumer group back to the first
// telephony-session notification received at or after the given time, so the workers apply everything since then again
// (application is idempotent). The recovery after Redis lost writes (docs/reliability.md). Stop every call-state worker
// first: Kafka refuses to move the offsets of a group with members. Same environment as the service.
import { topicNames } from '@callpulse/contracts';
import { createKafka, createLogger, kafkaBrokers, loadConfigOrExit, z } from '@callpulse/platform';
import { planReplay } from './replay-plan.js';

const usage = 'usage: npm run replay -- --since <ISO-8601 time, e.g. 2026-11-30T10:00:00Z> [--dry-run]';
const schema = z.object({
  KAFKA_BROKERS: kafkaBrokers,
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  CALL_STATE_GROUP_ID: z.string().min(1).default('callpulse-call-state'),
});

function fail(message: string, code: number): never {
  process.stderr.write(`replay: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const sinceIndex = args.indexOf('--since');
  const since = sinceIndex >= 0 ? args[sinceIndex + 1] : undefined;
  const sinceMs = since === undefined ? Number.NaN : Date.parse(since);
  if (Number.isNaN(sinceMs)) fail(`--since needs an ISO-8601 time${since === undefined ? '' : `, got "${since}"`}\n${usage}`, 64);
  const config = loadConfigOrExit('replay', schema);
  const topic = topicNames(config.KAFKA_TOPIC_PREFIX).telephonySessions;
  const kafka = createKafka({ clientId: 'callpulse-replay', brokers: config.KAFKA_BROKERS, logger: createLogger('replay', 'warn') });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [atTime, ends, committed] = await Promise.all([
      admin.fetchTopicOffsetsByTimestamp(topic, sinceMs),
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: config.CALL_STATE_GROUP_ID, topics: [topic] }),
    ]);
    const plan = planReplay(atTime, ends, committed[0]?.partitions ?? []);
    process.stdout.write(
      `${plan.map((p) => `partition ${p.partition}: committed ${p.committed} -> ${p.offset} (${p.replayed} notifications to apply again)`).join('\n')}\n`,
    );
    if (args.includes('--dry-run')) return 0;
    const { state } = await admin.describeGroups([config.CALL_STATE_GROUP_ID]).then((d) => d.groups[0] ?? { state: 'Dead' });
    if (state !== 'Empty' && state !== 'Dead')
      fail(`the group ${config.CALL_STATE_GROUP_ID} is ${state}: stop every call-state worker first`, 75);
    await admin.setOffsets({
      groupId: config.CALL_STATE_GROUP_ID,
      topic,
      partitions: plan.map(({ partition, offset }) => ({ partition, offset })),
    });
    process.stdout.write(`moved ${config.CALL_STATE_GROUP_ID} back to ${new Date(sinceMs).toISOString()}; start the workers again\n`);
    return 0;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => fail(err.message, 1),
);
