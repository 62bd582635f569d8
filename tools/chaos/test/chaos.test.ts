// The short chaos run (four to five minutes) as part of the suite: a private pipeline under a representative schedule
// of faults must lose, double and garble nothing, and no service may exit on its own. Runs the built CLI, so it is
// the same run as `npm run chaos -- --short`; on failure its folder with every process's log stays for reading.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'callpulse-chaos-test-'));
const seed = Math.floor(Math.random() * 2 ** 31);
let child: ChildProcess | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  // the run stops everything itself; should it have been cut short, stop what it left by the pids it recorded
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((done) => child?.once('exit', done));
  }
  for (const pids of [join(dir, 'pids'), join(dir, 'stack', 'pids')]) {
    if (!existsSync(pids)) continue;
    for (const file of readdirSync(pids)) {
      const pid = Number.parseInt(readFileSync(join(pids, file), 'utf8'), 10);
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
}, 60_000);

describe('npm run chaos -- --short', () => {
  it('keeps every leg exact and every service up through the short fault schedule', async () => {
    const jsonFile = join(tmpdir(), `callpulse-chaos-figures-${seed}.json`);
    let output = '';
    const code = await new Promise<number | null>((done) => {
      child = spawn(process.execPath, [cli, '--short', '--seed', String(seed), '--dir', dir, '--json', jsonFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      child.once('exit', (exitCode) => done(exitCode));
    });
    const figures = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { failures: string[] }) : undefined;
    rmSync(jsonFile, { force: true });
    const story = `seed ${seed}, run folder ${dir}\n${output.split('\n').slice(-90).join('\n')}`;
    expect(figures?.failures, story).toEqual([]);
    expect(code, story).toBe(0);
  }, 480_000);
});
