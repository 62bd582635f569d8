// Redis commands a measurement caused: INFO commandstats read before and after, and the calls of every command
// summed over the difference. The bench's Redis may be shared (the local stack), so only the delta over the run
// counts, and whatever else used the server meanwhile is in it too (the notes say so).
import type { Redis } from '@callpulse/platform';

/** Calls by command name from an INFO commandstats answer (`cmdstat_get:calls=12,usec=...`). */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] && match[2]) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

export interface CommandsDelta {
  total: number;
  /** Commands that were called during the run, most called first. */
  byCommand: { command: string; calls: number }[];
}

/** What was called between two readings (a command absent before counts from 0; a reset server from its new count). */
export function commandsDelta(before: Map<string, number>, after: Map<string, number>): CommandsDelta {
  const byCommand: { command: string; calls: number }[] = [];
  for (const [command, count] of after) {
    const previous = before.get(command) ?? 0;
    const calls = count >= previous ? count - previous : count;
    if (calls > 0) byCommand.push({ command, calls });
  }
  byCommand.sort((a, b) => b.calls - a.calls || a.command.localeCompare(b.command));
  return { total: byCommand.reduce((sum, { calls }) => sum + calls, 0), byCommand };
}

export async function readCommandStats(redis: Redis): Promise<Map<string, number>> {
  return parseCommandStats(await redis.info('commandstats'));
}

/** "evalsha 41,200, zadd 20,100, ..." for the notes. */
export function describeCommands(delta: CommandsDelta, top = 6): string {
  return delta.byCommand
    .slice(0, top)
    .map(({ command, calls }) => `${command} ${calls.toLocaleString('en-US')}`)
    .join(', ');
}
