// Admin commands for the ingest instance that holds the RingCentral login (protocol: packages/contracts/src/admin-commands.ts):
// publish {id, command} and wait for {id, ok, result, error} on the command's reply channel.
import { randomUUID } from 'node:crypto';
import type { AdminCommandName, AdminReply, RedisChannels } from '@callpulse/contracts';
import type { Redis } from '@callpulse/platform';
import { GraphQLError } from 'graphql';
import type { LiveEvents } from '../live/live-events.js';

export interface AdminCommandOutcome {
  ok: boolean;
  result: unknown;
  error: string | null;
}

const noIngest = (command: string, timeoutMs: number) =>
  new GraphQLError(
    `no ingest instance with RingCentral credentials answered the ${command} command within ${timeoutMs} ms ` +
      '(is ingest running with RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT?)',
    { extensions: { code: 'SERVICE_UNAVAILABLE' } },
  );

export async function runAdminCommand(
  deps: { redis: Redis; channels: RedisChannels; live: LiveEvents },
  command: AdminCommandName,
  timeoutMs: number,
): Promise<AdminCommandOutcome> {
  const id = randomUUID();
  const message = await deps.live.request(
    deps.channels.adminReply(id),
    // When no ingest instance listens for commands (publish reached nobody), there is nothing to wait for.
    async () => (await deps.redis.publish(deps.channels.adminCommands, JSON.stringify({ id, command }))) > 0,
    timeoutMs,
  );
  if (message === undefined) throw noIngest(command, timeoutMs);
  let reply: AdminReply;
  try {
    reply = JSON.parse(message) as AdminReply;
  } catch {
    throw new GraphQLError(`ingest answered the ${command} command with something that is not JSON`);
  }
  if (!reply.ok) {
    throw new GraphQLError(`ingest could not run ${command}: ${reply.error ?? 'no reason given'}`, {
      extensions: { code: 'ADMIN_COMMAND_FAILED' },
    });
  }
  return { ok: true, result: reply.result ?? null, error: null };
}
