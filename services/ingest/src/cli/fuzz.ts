#!/usr/bin/env node
// npm run fuzz -- [--count 100000] [--seed N] [--show 5]
// Mutated webhooks through ingest's decision and the call model's decode, normalise and fold (what call-state runs).
// Prints the verdicts, the dead-letter reasons by field and the violations; exits 1 on any violation.
import { decodeMessage, foldStoredSession, type PartyEvent } from '@callpulse/call-model';
import type { CallModel } from '../fuzz/judge.js';
import { runFuzz } from '../fuzz/run.js';

const usage = 'usage: npm run fuzz -- [--count N] [--seed N] [--show N]';

function parseArgs(argv: string[]): { count: number; seed: number; show: number } {
  const options = { count: 100000, seed: Math.floor(Math.random() * 2 ** 31), show: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    const number = Number(value);
    if (!['--count', '--seed', '--show'].includes(name ?? '') || !Number.isSafeInteger(number) || number < 0) {
      process.stderr.write(`fuzz: bad argument ${name} ${value ?? ''}\n${usage}\n`);
      process.exit(2);
    }
    options[(name as string).slice(2) as keyof typeof options] = number;
  }
  return options;
}

/** The call model's decoder and fold: what call-state runs on every message of the telephony-sessions topic. */
const model: CallModel = {
  decode: (message) => decodeMessage(message),
  fold: (events) => foldStoredSession(events as PartyEvent[], () => true),
};

const options = parseArgs(process.argv.slice(2));
const started = Date.now();
const summary = runFuzz({
  count: options.count,
  seed: options.seed,
  model,
  onProgress: (done) => {
    if (done % 10000 === 0) process.stderr.write(`fuzz: ${done} of ${options.count}\n`);
  },
});
const lines = [
  `fuzz: ${summary.count} mutated webhooks, seed ${summary.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ...Object.entries(summary.verdicts).map(([verdict, count]) => `  ${verdict.padEnd(14)} ${count}`),
  '  dead-letter reasons by field:',
  ...Object.entries(summary.reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([field, count]) => `    ${String(count).padStart(7)}  ${field}`),
  `  violations: ${summary.verdicts.violation}`,
  ...summary.violations
    .slice(0, options.show)
    .flatMap((v) => [
      `    #${v.index} ${v.detail.split('\n')[0]} after ${v.mutations.join('; ')}`,
      `      body (base64, first 300 bytes): ${v.raw.subarray(0, 300).toString('base64')}`,
    ]),
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(summary.verdicts.violation > 0 ? 1 : 0);
