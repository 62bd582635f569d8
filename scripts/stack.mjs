#!/usr/bin/env node
// npm run stack -- up|down|status|logs [--clean]: the local Kafka, Redis and ClickHouse (see README).
import { clean, down, logs, status, up } from './stack/stack.mjs';

const [command = 'status', ...rest] = process.argv.slice(2);
const flags = new Set(rest.filter((arg) => arg.startsWith('--')));
const names = rest.filter((arg) => !arg.startsWith('--'));

const usage = `usage: npm run stack -- <command>
  up              install what is missing and start Kafka, Redis and ClickHouse (idempotent)
  down [--clean]  stop the servers the stack started, by pid; --clean also wipes their data
  status          what runs, where, and whether it answers
  logs [name...]  the last lines of each server's log (kafka, redis, clickhouse)`;

try {
  switch (command) {
    case 'up':
      await up();
      break;
    case 'down':
      await down();
      if (flags.has('--clean')) {
        clean();
        console.log('[stack] data wiped');
      }
      break;
    case 'status':
      console.table(await status());
      break;
    case 'logs':
      console.log(logs(names));
      break;
    default:
      console.error(usage);
      process.exit(command === 'help' || command === '--help' ? 0 : 2);
  }
} catch (err) {
  console.error(`[stack] error: ${err.message}`);
  process.exit(1);
}
