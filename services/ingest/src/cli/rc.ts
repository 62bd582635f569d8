#!/usr/bin/env node
// npm run rc -- status|subscribe|unsubscribe|sync-extensions [--json]
// Same env config as the ingest service. Results go to stdout (one JSON line with --json), logs to stderr.
import { redisChannels, redisKeys } from '@callpulse/contracts';
import { createLogger, createRedis, directoryCounts, loadConfigOrExit, logLevel, Registry, stderrDestination } from '@callpulse/platform';
import { z } from 'zod';
import { checkRingCentralEnv, ringCentralEnv } from '../ringcentral/config.js';
import { connectRingCentral, type RingCentralHandle } from '../ringcentral/connect.js';
import type { SubscriptionSummary } from '../ringcentral/subscription-manager.js';

const commands = ['status', 'subscribe', 'unsubscribe', 'sync-extensions'] as const;
type Command = (typeof commands)[number];
const usage = `usage: npm run rc -- <${commands.join('|')}> [--json]`;

const schema = z.object({ LOG_LEVEL: logLevel.default('warn'), ...ringCentralEnv }).superRefine(checkRingCentralEnv);

function fail(message: string, code: number): never {
  process.stderr.write(`rc: ${message}\n`);
  process.exit(code);
}

function print(json: boolean, result: Record<string, unknown>, lines: string[]): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${lines.join('\n')}\n`);
}

const when = (ms: number | undefined) => (ms === undefined ? 'never' : new Date(ms).toISOString());

/** The subscription's line, then one line per filter RingCentral disabled and the problem, if any. */
function subscriptionLines(prefix: string, sub: SubscriptionSummary | undefined): string[] {
  if (!sub) return [`${prefix}none`];
  return [
    `${prefix}${sub.id} ${sub.status}, expires ${sub.expirationTime}`,
    ...sub.disabledFilters.map(
      (d) =>
        `  disabled by RingCentral: ${d.filter}${d.reason || d.message ? ` (${[d.reason, d.message].filter(Boolean).join(': ')})` : ''}`,
    ),
    ...(sub.problem ? [`  problem: ${sub.problem}`] : []),
  ];
}

async function run(command: Command, handle: RingCentralHandle, json: boolean): Promise<number> {
  if (command === 'status') {
    const status = await handle.status();
    const sub = status.subscription;
    print(json, { command, ...status }, [
      `login: ok (${status.server})`,
      `webhook address: ${status.webhookAddress ?? '(not set: no subscription managed)'}`,
      ...subscriptionLines('subscription: ', sub),
      `directory: ${status.directory.extensions} extensions, ${status.directory.monitored} monitored` +
        ` (${status.directory.monitoredChosenByAdmin ? 'chosen by an admin' : 'default: enabled users'}), last sync ${when(status.directory.lastSyncAt)}`,
    ]);
    return 0;
  }
  if (command === 'sync-extensions') {
    const { count } = await handle.syncExtensions();
    const { directory } = await handle.status();
    print(json, { command, count, monitored: directory.monitored }, [`synced ${count} extensions; ${directory.monitored} monitored`]);
    return 0;
  }
  const outcome = command === 'subscribe' ? await handle.ensureSubscription() : await handle.deleteSubscription();
  if (outcome.action === 'disabled') fail('RC_WEBHOOK_ADDRESS is not set: there is no subscription of this deployment to manage', 78);
  const sub = outcome.subscription;
  print(json, { command, ...outcome }, [
    ...(sub ? subscriptionLines(`subscription: ${outcome.action} `, sub) : [`subscription: ${outcome.action}`]),
    ...(outcome.deleted.length ? [`deleted: ${outcome.deleted.join(', ')}`] : []),
  ]);
  return outcome.action === 'locked' ? 75 : 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const command = args.find((arg) => !arg.startsWith('--'));
  if (!command || !(commands as readonly string[]).includes(command))
    fail(`${command ? `unknown command "${command}"\n` : ''}${usage}`, 64);

  const config = loadConfigOrExit('rc', schema);
  const logger = createLogger('ingest-cli', config.LOG_LEVEL, stderrDestination()); // stdout carries the answer
  const keys = redisKeys(config.REDIS_KEY_PREFIX);
  const redis = createRedis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  let handle: RingCentralHandle | undefined;
  try {
    try {
      handle = await connectRingCentral({
        config,
        redis,
        keys,
        channels: redisChannels(config.REDIS_KEY_PREFIX),
        logger,
        registry: new Registry(),
      });
    } catch (err) {
      if (command !== 'status') throw err;
      const directory = await directoryCounts(redis, keys);
      print(json, { command, loggedIn: false, error: (err as Error).message, directory }, [
        `login: failed: ${(err as Error).message}`,
        `directory: ${directory.extensions} extensions, ${directory.monitored} monitored, last sync ${when(directory.lastSyncAt)}`,
      ]);
      return 1;
    }
    if (!handle) fail('RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT must be set for this command', 78);
    return await run(command as Command, handle, json);
  } finally {
    await handle?.stop();
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => fail(err instanceof Error ? err.message : String(err), 1),
);
