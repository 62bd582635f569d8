#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
// CLI: npm run chaos -- [flags]  (see --help and docs/reliability.md). Runs the chaos, prints its one table and the
// details, writes the figures (--json), stops every process it started by pid (also on Ctrl-C / SIGTERM) and tidies
// the run folder. Exit 0 when exact, 1 on any loss, doubling, wrong field or unplanned exit, 2 when the run itself
// failed, 64 on a bad flag, 130 when interrupted.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '@callpulse/simulator';
import { type ChaosOptions, chaosHelp, parseChaosArgs } from './args.js';
import { type Pipeline, runChaos } from './run.js';
import { formatDetails, formatFigures } from './table.js';

const startedAt = Date.now();
let logFile: string | undefined;

function say(text: string): void {
  const elapsed = Math.floor((Date.now() - startedAt) / 1000);
  const line = `[chaos ${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}] ${text}\n`;
  process.stdout.write(line);
  if (logFile) appendFileSync(logFile, line);
}

async function teardown(pipeline: Pipeline): Promise<void> {
  if (pipeline.supervisor) {
    say('stopping the services');
    await pipeline.supervisor.stopAll().catch((err: Error) => say(`stopping the services failed: ${err.message}`));
  }
  if (pipeline.stack) {
    say('stopping the private servers (SIGKILL: their data is thrown away or kept as it is)');
    await pipeline.stack.down().catch((err: Error) => say(`stopping the servers failed: ${err.message}`));
  }
}

/** Passing run: the folder goes (unless --keep). Otherwise the servers' data goes and the logs, truth and report stay. */
function tidy(runDir: string, options: ChaosOptions, ok: boolean): void {
  if (options.keep) {
    say(`run folder kept: ${runDir}`);
    return;
  }
  if (ok) {
    logFile = undefined;
    rmSync(runDir, { recursive: true, force: true });
    return;
  }
  for (const data of ['kafka/data', 'redis/data', 'clickhouse/data']) rmSync(join(runDir, 'stack', data), { recursive: true, force: true });
  say(`logs, truth and verify report kept in ${runDir} (every process's log in logs/ and stack/logs/)`);
}

async function main(): Promise<number> {
  let command: ReturnType<typeof parseChaosArgs>;
  try {
    command = parseChaosArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`chaos: ${err.message}\nRun with --help for the flags.\n`);
    return 64;
  }
  if ('listFaults' in command) {
    process.stdout.write(`${command.names.join('\n')}\n`);
    return 0;
  }
  if (command.help) {
    process.stdout.write(chaosHelp);
    return 0;
  }
  const { options } = command;
  const runDir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), `callpulse-chaos-${options.seed}-`));
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  logFile = join(runDir, 'logs', 'chaos.log');
  say(
    `chaos run, seed ${options.seed}${options.randomSeed ? ` (random; --seed ${options.seed} repeats the traffic)` : ''}, ` +
      `${options.workers} call-state workers, faults: ${options.faults.map((fault) => fault.name).join(', ')}`,
  );
  say(`run folder ${runDir}`);

  const controller = new AbortController();
  // every webhook request in flight and every wait listens to it
  setMaxListeners(200, controller.signal);
  const pipeline: Pipeline = {};
  let interrupts = 0;
  const onSignal = (name: string) => {
    interrupts += 1;
    if (interrupts === 1) {
      say(`${name}: stopping (again to kill everything at once)`);
      controller.abort(new Error(`interrupted by ${name}`));
      return;
    }
    pipeline.supervisor?.killAll();
    for (const pid of pipeline.stack?.livePids() ?? []) process.kill(pid, 'SIGKILL');
    process.exit(130);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const interrupted = new Promise<'interrupted'>((done) => controller.signal.addEventListener('abort', () => done('interrupted')));
  const running = runChaos(options, runDir, pipeline, say, controller.signal);
  running.catch(() => undefined);
  let code = 2;
  let ok = false;
  try {
    const outcome = await Promise.race([running, interrupted]);
    if (outcome === 'interrupted') {
      code = 130;
    } else {
      const { figures, report } = outcome;
      process.stdout.write(
        `\n${formatFigures(figures)}\n${formatDetails(figures, report, pipeline.supervisor?.unplannedExits ?? [], options.maxRows)}`,
      );
      if (options.jsonFile) writeFileSync(resolve(options.jsonFile), `${JSON.stringify(figures, null, 2)}\n`);
      writeFileSync(join(runDir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
      ok = figures.ok;
      code = ok ? 0 : 1;
    }
  } catch (err) {
    say(`the chaos run failed: ${(err as Error).message}`);
  } finally {
    await teardown(pipeline);
  }
  if (existsSync(runDir)) tidy(runDir, options, ok);
  say(code === 0 ? 'OK' : code === 1 ? 'FAIL' : code === 130 ? 'interrupted' : 'the run could not be completed');
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`chaos: ${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
