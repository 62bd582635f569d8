// Apache Kafka in KRaft mode: one combined broker + controller, jars from Maven Central, 512 MiB heap.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dirs, ports } from './paths.mjs';

const config = resolve(dirs.kafka, 'server.properties');
const log4j = resolve(dirs.kafka, 'log4j2.properties');
const dataDir = resolve(dirs.kafka, 'data');
const classpath = `${dirs.kafkaLibs}/*`;

function writeConfig() {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${ports.kafkaController}`,
      `listeners=PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.kafka}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=12',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=168',
      '',
    ].join('\n'),
  );
  writeFileSync(
    log4j,
    [
      'status = warn',
      'appender.console.type = Console',
      'appender.console.name = STDOUT',
      'appender.console.layout.type = PatternLayout',
      'appender.console.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.stdout.ref = STDOUT',
      'logger.kafka.name = kafka',
      'logger.kafka.level = WARN',
      'logger.apache.name = org.apache.kafka',
      'logger.apache.level = WARN',
      '',
    ].join('\n'),
  );
}

/** Formats the KRaft storage once; a formatted log dir has meta.properties. */
function formatStorage() {
  if (existsSync(resolve(dataDir, 'meta.properties'))) return;
  // A cluster id that starts with '-' would be read as an option by StorageTool: draw again, as Kafka's own generator does.
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const result = spawnSync(
    'java',
    ['-cp', classpath, `-Dlog4j2.configurationFile=${log4j}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`formatting Kafka storage failed:\n${result.stdout}${result.stderr}`);
}

export const kafka = {
  name: 'kafka',
  overriddenBy: 'KAFKA_BROKERS',
  port: () => ports.kafka,
  address: () => `127.0.0.1:${ports.kafka}`,
  extraPorts: () => [ports.kafkaController],
  startTimeoutMs: 120000,
  prepare() {
    writeConfig();
    formatStorage();
  },
  command: () => ({
    command: 'java',
    args: [
      '-Xms512m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      config,
    ],
  }),
  /** Ready when a client can read cluster metadata. */
  async check() {
    const { Kafka, logLevel } = await import('kafkajs');
    const admin = new Kafka({
      brokers: [`127.0.0.1:${ports.kafka}`],
      clientId: 'callpulse-stack',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } finally {
      await admin.disconnect();
    }
  },
};
