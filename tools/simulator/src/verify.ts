#!/usr/bin/env node
// CLI: npm run verify -- truth.jsonl [flags]  (see --help and docs/simulator.md)
import { UsageError } from './cli/flags.js';
import { parseVerifyArgs, verifyHelp } from './cli/verify-args.js';
import { drainText, formatReport } from './verify/format.js';
import { verify } from './verify/run.js';

async function main(): Promise<number> {
  let command: ReturnType<typeof parseVerifyArgs>;
  try {
    command = parseVerifyArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`verify: ${err.message}\nRun with --help for the flags.\n`);
    return 64;
  }
  if (command.help) {
    process.stdout.write(verifyHelp);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let lastStatus = '';
  const report = await verify(command.truthFile, {
    ...command.options,
    signal: controller.signal,
    onStatus: (status) => {
      const text = `waiting: ${drainText(status)}, ${status.legs} legs in ClickHouse`;
      if (text !== lastStatus && !command.json) process.stderr.write(`${text}\n`);
      lastStatus = text;
    },
  });
  process.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, command.maxRows));
  if (report.ok) return 0;
  return report.drain.drained ? 1 : 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`verify: ${err.message}\n`);
    process.exit(1);
  },
);
