// Carries out the API's admin commands (re-sync the extension directory, recreate the webhook subscription) on the
// ingest instance that holds the RingCentral login, and answers on the command's reply channel.
import { type AdminCommand, type AdminReply, adminCommandNames, type RedisChannels } from '@callpulse/contracts';
import { createSubscriber, type Logger, type Redis } from '@callpulse/platform';
import type { RingCentralHandle } from '../ringcentral/connect.js';

function parseCommand(message: string): AdminCommand | undefined {
  try {
    const value = JSON.parse(message) as Partial<AdminCommand>;
    if (typeof value.id === 'string' && adminCommandNames.includes(value.command as AdminCommand['command'])) return value as AdminCommand;
  } catch {
    // not JSON: ignored below
  }
  return undefined;
}

async function run(ringCentral: RingCentralHandle, command: AdminCommand): Promise<unknown> {
  switch (command.command) {
    case 'sync-extensions':
      return ringCentral.syncExtensions();
    case 'recreate-subscription':
      return ringCentral.recreateSubscription();
  }
}

/** Listens for admin commands; returns a function that stops listening. */
export async function serveAdminCommands(options: {
  redisUrl: string;
  redis: Redis;
  channels: RedisChannels;
  ringCentral: RingCentralHandle;
  logger: Logger;
}): Promise<() => void> {
  const subscriber = createSubscriber(options.redisUrl);
  await subscriber.subscribe(options.channels.adminCommands);
  subscriber.on('message', (_channel, message) => {
    const command = parseCommand(message);
    if (!command) {
      options.logger.warn({ message }, 'ignoring a malformed admin command');
      return;
    }
    options.logger.info({ command }, 'running admin command');
    run(options.ringCentral, command)
      .then((result): AdminReply => ({ id: command.id, ok: true, result }))
      .catch((err: Error): AdminReply => ({ id: command.id, ok: false, error: err.message }))
      .then((reply) => options.redis.publish(options.channels.adminReply(command.id), JSON.stringify(reply)))
      .catch((err) => options.logger.error({ err }, 'answering an admin command failed'));
  });
  return () => subscriber.disconnect();
}
