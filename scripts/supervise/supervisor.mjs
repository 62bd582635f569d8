// Runs commands as supervised children: prefixed log lines, a restart with backoff when one exits on its own
// (policy.mjs decides), no restart after a configuration error, and a stop of all of them by pid.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { decideOnExit, describeDelay, describeExit, freshRestarts, restartPolicy } from './policy.mjs';

/**
 * options: label (of the supervisor's own lines, default "start"), write(text) (default stdout), policy (restart
 * limits), stopTimeoutMs (SIGTERM, then SIGKILL after this long; default 40 s, above the services' own 30 s),
 * onGiveUp(name, exit) (a service exited with a configuration error: the caller should stop everything),
 * onExit(name, exit, decision) (every exit of a running service that we did not ask for; for counting).
 * A spec is { name, command, args, cwd, env }.
 */
export function createSupervisor(options = {}) {
  const label = options.label ?? 'start';
  const write = options.write ?? ((text) => process.stdout.write(text));
  const policy = options.policy ?? restartPolicy;
  const stopTimeoutMs = options.stopTimeoutMs ?? 40000;
  const say = (text) => write(`[${label}] ${text}\n`);
  /** name -> { spec, child, startedAt, restarts, timer } */
  const services = new Map();
  let stopping = false;
  let width = 10;

  function launch(entry) {
    const { spec } = entry;
    // In a process group of its own: a terminal's Ctrl-C or hang-up reaches only the supervising script, which stops
    // the children by pid in its own order (npm start: the demo's calls hang up first, while ingest still takes them).
    const child = spawn(spec.command, spec.args ?? [], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    entry.child = child;
    entry.startedAt = Date.now();
    const prefix = `[${spec.name.padEnd(width)}]`;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => write(`${prefix} ${line}\n`));
    }
    child.on('error', (err) => say(`${spec.name} could not be run: ${err.message}`));
    // 'close' comes after the child's last output lines, so its exit line is the last of its run.
    child.on('close', (code, signal) => onClose(entry, child, { code, signal, ranMs: Date.now() - entry.startedAt }));
  }

  function onClose(entry, child, exit) {
    if (entry.child !== child) return;
    entry.child = undefined;
    entry.closed?.();
    const { name } = entry.spec;
    if (stopping) return;
    const decision = decideOnExit(entry.restarts, exit, policy);
    options.onExit?.(name, exit, decision);
    if (decision.action === 'give-up') {
      say(`${name} exited (${describeExit(exit)}): ${decision.reason}, not restarted; stopping everything`);
      options.onGiveUp?.(name, exit);
      return;
    }
    entry.restarts = decision.state;
    say(`${name} exited (${describeExit(exit)}); restarting in ${describeDelay(decision.delayMs)}`);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (stopping) return;
      launch(entry);
      say(`${name} restarted (pid ${entry.child?.pid})`);
    }, decision.delayMs);
  }

  /** Stops one running child by pid: SIGTERM (or the given signal), SIGKILL after stopTimeoutMs. */
  function stopChild(entry, signal) {
    const { child } = entry;
    if (!child) return Promise.resolve();
    entry.stopped ??= new Promise((resolveStop) => {
      const killer = setTimeout(() => {
        say(`${entry.spec.name} (pid ${child.pid}) did not stop within ${describeDelay(stopTimeoutMs)}; killing it`);
        signalPid(child.pid, 'SIGKILL');
      }, stopTimeoutMs);
      entry.closed = () => {
        clearTimeout(killer);
        entry.closed = undefined;
        resolveStop();
      };
      signalPid(child.pid, signal);
    });
    return entry.stopped;
  }

  return {
    /** Starts a service and supervises it until stop(). */
    run(spec) {
      if (services.has(spec.name)) throw new Error(`${spec.name} already runs`);
      width = Math.max(width, spec.name.length);
      const entry = {
        spec,
        child: undefined,
        startedAt: 0,
        restarts: freshRestarts(),
        timer: undefined,
        closed: undefined,
        stopped: undefined,
      };
      services.set(spec.name, entry);
      launch(entry);
    },
    /** Stops every service by pid (no more restarts) and resolves when all have exited. */
    async stop(signal = 'SIGTERM') {
      stopping = true;
      for (const entry of services.values()) clearTimeout(entry.timer);
      const running = [...services.values()].filter((entry) => entry.child);
      if (running.length > 0) say(`stopping ${running.map((entry) => `${entry.spec.name} (pid ${entry.child.pid})`).join(', ')}`);
      await Promise.all(running.map((entry) => stopChild(entry, signal)));
    },
    /** Kills every running child at once (a second Ctrl-C). */
    kill() {
      stopping = true;
      for (const entry of services.values()) {
        clearTimeout(entry.timer);
        if (entry.child) signalPid(entry.child.pid, 'SIGKILL');
      }
    },
    /** name -> pid of the running children. */
    pids() {
      return Object.fromEntries([...services].filter(([, entry]) => entry.child).map(([name, entry]) => [name, entry.child.pid]));
    },
  };
}

function signalPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
