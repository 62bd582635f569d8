// The supervisor npm start uses, run as a process on tiny fake services: restarts with backoff, keeps the others
// running, gives up on exit status 78, and stops everything by pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../scripts/supervise.mjs');
const dir = mkdtempSync(join(tmpdir(), 'callpulse-supervise-'));
const fake = (name: string, source: string) => {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, source);
  return `${name}=${process.execPath} ${file}`;
};
const steady = fake(
  'steady',
  `console.log('steady up ' + process.pid);
   process.on('SIGTERM', () => { console.log('steady got SIGTERM'); process.exit(0); });
   setInterval(() => {}, 1000);`,
);
const crashing = fake('crashing', `console.log('crashing up'); setTimeout(() => process.exit(70), 50);`);
const badConfig = fake('bad-config', `console.error('bad-config: invalid configuration'); setTimeout(() => process.exit(78), 300);`);
const stubborn = fake(
  'stubborn',
  `console.log('stubborn up'); process.on('SIGTERM', () => console.log('stubborn ignores SIGTERM')); setInterval(() => {}, 1000);`,
);
// Says which signals reach it; stops on SIGTERM (as the services do), and would stop on SIGINT or SIGHUP too.
const signalled = fake(
  'signalled',
  `console.log('signalled up ' + process.pid);
   for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => { console.log('signalled got ' + signal); process.exit(0); });
   process.on('SIGTERM', () => { console.log('signalled got SIGTERM'); process.exit(0); });
   setInterval(() => {}, 1000);`,
);
const selfKilling = fake('self-killing', `console.log('self-killing up'); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);`);

interface Supervised {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, count?: number) => Promise<void>;
  exited: Promise<number | null>;
}
const running: Supervised[] = [];

/** The supervisor as a process; in a process group of its own, as a terminal's foreground job is. */
function supervise(...args: string[]): Supervised {
  const child = spawn(process.execPath, [script, '--label', 'sup', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    text += chunk;
  });
  // 'close', not 'exit': the process may exit before its last lines have come through the pipes.
  const exited = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
  const waitFor = async (pattern: RegExp, count = 1) => {
    const global = new RegExp(pattern.source, 'g');
    const deadline = Date.now() + 20000;
    while ((text.match(global) ?? []).length < count) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${count} x ${pattern} in:\n${text}`);
      await new Promise((wake) => setTimeout(wake, 20));
    }
  };
  const supervised = { child, output: () => text, waitFor, exited };
  running.push(supervised);
  return supervised;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidsIn = (text: string, pattern: RegExp) => [...text.matchAll(new RegExp(pattern.source, 'g'))].map((match) => Number(match[1]));

// A supervisor still running is stopped as a user would (SIGTERM: it stops its services by pid); SIGKILL only if it
// hangs, since a killed supervisor leaves its services running.
afterEach(async () => {
  for (const { child, exited } of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((done) => setTimeout(() => done(false), 10000))]);
    if (!stopped) child.kill('SIGKILL');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the supervisor', () => {
  it('restarts a service that exits, with growing delays, and keeps the others running', async () => {
    const sup = supervise('--initial-delay-ms', '100', '--max-delay-ms', '400', steady, crashing);
    await sup.waitFor(/crashing restarted/, 4);
    const text = sup.output();
    expect(text.match(/\[sup\] crashing exited \(code 70\); restarting in [\d.]+ s/g)?.slice(0, 4)).toEqual([
      '[sup] crashing exited (code 70); restarting in 0.1 s',
      '[sup] crashing exited (code 70); restarting in 0.2 s',
      '[sup] crashing exited (code 70); restarting in 0.4 s',
      '[sup] crashing exited (code 70); restarting in 0.4 s',
    ]);
    expect(text.match(/\[crashing\s*\] crashing up/g)?.length).toBeGreaterThanOrEqual(4);
    expect(text.match(/steady up/g)).toHaveLength(1);
    expect(text).not.toMatch(/steady (exited|got SIGTERM)/);
  });

  it('restarts a service killed by a signal and says which', async () => {
    const sup = supervise('--initial-delay-ms', '100', selfKilling);
    await sup.waitFor(/self-killing restarted/);
    expect(sup.output()).toContain('[sup] self-killing exited (signal SIGKILL); restarting in 0.1 s');
  });

  it('stops every service by pid on SIGTERM, including one waiting for its restart, and exits 0', async () => {
    const sup = supervise('--initial-delay-ms', '60000', '--max-delay-ms', '60000', steady, crashing);
    await sup.waitFor(/crashing exited \(code 70\); restarting in 60 s/);
    await sup.waitFor(/steady up/); // on a busy machine it may print after crashing has come and gone
    const [steadyPid] = pidsIn(sup.output(), /steady up (\d+)/);
    expect(alive(steadyPid as number)).toBe(true);
    sup.child.kill('SIGTERM');
    expect(await sup.exited).toBe(0);
    expect(sup.output()).toContain('steady got SIGTERM');
    expect(sup.output()).toMatch(new RegExp(`stopping steady \\(pid ${steadyPid}\\)\\n`));
    expect(sup.output()).not.toContain('crashing restarted');
    expect(alive(steadyPid as number)).toBe(false);
  });

  it('does not restart a service that exits with 78 (bad configuration): stops the others and exits 78', async () => {
    const sup = supervise('--initial-delay-ms', '100', steady, badConfig);
    expect(await sup.exited).toBe(78);
    const text = sup.output();
    expect(text).toContain('[bad-config] bad-config: invalid configuration');
    expect(text).toContain('[sup] bad-config exited (code 78): bad configuration, not restarted; stopping everything');
    expect(text).toContain('steady got SIGTERM');
    expect(text).not.toContain('bad-config restarted');
    for (const pid of pidsIn(text, /steady up (\d+)/)) expect(alive(pid)).toBe(false);
  });

  // A terminal sends Ctrl-C's SIGINT (and its hang-up's SIGHUP) to its whole foreground process group. The services are
  // not in it: only the supervisor hears it and stops them by pid, so none exits first and none is restarted meanwhile.
  for (const signal of ['SIGINT', 'SIGHUP'] as const) {
    it(`stops every service by pid on ${signal} to its process group, which the services do not hear`, async () => {
      const sup = supervise('--initial-delay-ms', '100', signalled);
      await sup.waitFor(/signalled up/);
      const [pid] = pidsIn(sup.output(), /signalled up (\d+)/);
      process.kill(-(sup.child.pid as number), signal);
      expect(await sup.exited).toBe(0);
      const text = sup.output();
      expect(text).toContain('signalled got SIGTERM');
      expect(text).not.toContain(`signalled got ${signal}`);
      expect(text).not.toMatch(/signalled (exited|restarted)/);
      expect(alive(pid as number)).toBe(false);
    });
  }

  // A closed terminal: SIGHUP, and every write to the terminal fails from then on (EIO; here EPIPE, the pipe's reader
  // gone). The stop goes on without its output: the services do not outlive the supervisor.
  it('stops every service on SIGHUP even when its output can no longer be written', async () => {
    const sup = supervise('--initial-delay-ms', '100', signalled);
    await sup.waitFor(/signalled up/);
    const [pid] = pidsIn(sup.output(), /signalled up (\d+)/);
    sup.child.stdout?.destroy();
    sup.child.stderr?.destroy();
    process.kill(-(sup.child.pid as number), 'SIGHUP');
    expect(await sup.exited).toBe(0);
    expect(alive(pid as number)).toBe(false);
  });

  it('kills a service that ignores SIGTERM after the stop timeout', async () => {
    const sup = supervise('--stop-timeout-ms', '300', stubborn);
    await sup.waitFor(/stubborn up/);
    const [pid] = pidsIn(sup.output(), /stubborn \(pid (\d+)\)/);
    sup.child.kill('SIGTERM');
    expect(await sup.exited).toBe(0);
    expect(sup.output()).toContain('stubborn ignores SIGTERM');
    expect(sup.output()).toMatch(/stubborn \(pid \d+\) did not stop within 0.3 s; killing it/);
    expect(alive(pid as number)).toBe(false);
  });
});
