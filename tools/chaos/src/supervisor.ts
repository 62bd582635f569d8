// The services as a process supervisor runs them: each instance a child process (services/<name>/dist/main.js with the
// flags of services/node-flags.json) on its own port, its output appended to logs/<id>.log. An instance the schedule
// signals is restarted at once and not counted; one that exits on its own is an UNPLANNED exit, recorded with the
// end of its log, and restarted after a backoff (1 s, doubling while it keeps dying young, at most 30 s).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, probeReady, repoRoot, tail } from './processes.js';

export type ServiceName = 'ingest' | 'call-state' | 'reporting' | 'api';

export interface ServiceSpec {
  /** Instance name: ingest, call-state-1, call-state-2, reporting, api. */
  id: string;
  service: ServiceName;
  port: number;
  env: Record<string, string>;
}

export interface ExitRecord {
  id: string;
  pid: number;
  atMs: number;
  code: number | null;
  signal: string | null;
  /** How long the process had run. */
  ranMs: number;
  /** The last lines of its log, for the report. */
  logTail: string;
}

export interface SignalOutcome {
  pid: number;
  code: number | null;
  signal: string | null;
  /** From the signal to the exit. */
  exitedInMs: number;
  /** SIGTERM was not enough within the grace: SIGKILL followed. */
  escalated: boolean;
}

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** A process that ran longer than this before dying starts its backoff afresh. */
const HEALTHY_RUN_MS = 30_000;

const nodeFlags = JSON.parse(readFileSync(join(repoRoot, 'services', 'node-flags.json'), 'utf8')) as string[];

class Instance {
  child: ChildProcess | undefined;
  startedAtMs = 0;
  starts = 0;
  plannedExit = false;
  backoffMs = MIN_BACKOFF_MS;
  restartTimer: NodeJS.Timeout | undefined;
  exited: Promise<{ code: number | null; signal: string | null }> = Promise.resolve({ code: null, signal: null });

  constructor(readonly spec: ServiceSpec) {}

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }
}

export class Supervisor {
  private readonly instances = new Map<string, Instance>();
  private closing = false;
  readonly unplannedExits: ExitRecord[] = [];

  constructor(
    private readonly runDir: string,
    private readonly say: (text: string) => void,
  ) {
    mkdirSync(join(runDir, 'logs'), { recursive: true });
    mkdirSync(join(runDir, 'pids'), { recursive: true });
  }

  logFile(id: string): string {
    return join(this.runDir, 'logs', `${id}.log`);
  }

  ids(): string[] {
    return [...this.instances.keys()];
  }

  url(id: string): string {
    return this.instance(id).url;
  }

  /** Starts an instance (and keeps it running until stopAll). */
  add(spec: ServiceSpec): void {
    if (this.instances.has(spec.id)) throw new Error(`service ${spec.id} is already supervised`);
    const instance = new Instance(spec);
    this.instances.set(spec.id, instance);
    this.start(instance);
  }

  /** Waits until the instance's /readyz answers 200; the error names why not and shows the end of its log. */
  async waitReady(id: string, timeoutMs: number): Promise<number> {
    const instance = this.instance(id);
    const startedAt = Date.now();
    let last = '';
    while (Date.now() - startedAt < timeoutMs) {
      last = await probeReady(`${instance.url}/readyz`);
      if (last === 'ok') return Date.now() - startedAt;
      await sleep(200);
    }
    throw new Error(
      `${id} was not ready within ${timeoutMs / 1000} s (/readyz: ${last}); end of ${this.logFile(id)}:\n${tail(this.logFile(id), 15)}`,
    );
  }

  /**
   * Waits until every instance is ready at once; resolves with the wait, when each was last seen not ready (ms after
   * the call; absent: ready at the first look), and the instances still not ready at the timeout with the reason.
   */
  async waitAllReady(
    timeoutMs: number,
  ): Promise<{ waitedMs: number; lastNotReadyMs: Record<string, number>; notReady: Record<string, string> }> {
    const startedAt = Date.now();
    const lastNotReadyMs: Record<string, number> = {};
    for (;;) {
      const states = await Promise.all(this.ids().map(async (id) => [id, await probeReady(`${this.url(id)}/readyz`)] as const));
      const notReady = Object.fromEntries(states.filter(([, state]) => state !== 'ok'));
      for (const id of Object.keys(notReady)) lastNotReadyMs[id] = Date.now() - startedAt;
      if (Object.keys(notReady).length === 0 || Date.now() - startedAt >= timeoutMs)
        return { waitedMs: Date.now() - startedAt, lastNotReadyMs, notReady };
      await sleep(250);
    }
  }

  /** Signals an instance as the schedule's planned fault and waits for it to exit (SIGTERM turns SIGKILL after graceMs). */
  async signal(id: string, signal: 'SIGKILL' | 'SIGTERM', graceMs = 30_000): Promise<SignalOutcome> {
    const instance = this.instance(id);
    const pid = instance.pid;
    if (pid === undefined) throw new Error(`${id} is not running (restarting after an exit?)`);
    instance.plannedExit = true;
    const sentAt = Date.now();
    this.note(instance, `chaos: ${signal} to pid ${pid}`);
    process.kill(pid, signal);
    let escalated = false;
    const timer = setTimeout(() => {
      if (isAlive(pid)) {
        escalated = true;
        this.note(instance, `chaos: no exit ${graceMs / 1000} s after ${signal}, SIGKILL to pid ${pid}`);
        process.kill(pid, 'SIGKILL');
      }
    }, graceMs);
    const { code, signal: exitSignal } = await instance.exited;
    clearTimeout(timer);
    return { pid, code, signal: exitSignal, exitedInMs: Date.now() - sentAt, escalated };
  }

  /** Every live pid (for a last-resort kill and the pid files). */
  livePids(): number[] {
    return [...this.instances.values()].map((instance) => instance.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Stops every instance: SIGTERM, SIGKILL after graceMs; no restarts from now on. */
  async stopAll(graceMs = 20_000): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.instances.values()].map(async (instance) => {
        clearTimeout(instance.restartTimer);
        const pid = instance.pid;
        if (pid === undefined) return;
        this.note(instance, `chaos: stopping pid ${pid} (end of run)`);
        process.kill(pid, 'SIGTERM');
        const done = await Promise.race([instance.exited.then(() => true), sleep(graceMs).then(() => false)]);
        if (!done && isAlive(pid)) {
          process.kill(pid, 'SIGKILL');
          await instance.exited;
        }
      }),
    );
  }

  /** At once, for a second Ctrl-C: SIGKILL to every instance. */
  killAll(): void {
    this.closing = true;
    for (const instance of this.instances.values()) {
      clearTimeout(instance.restartTimer);
      if (instance.pid !== undefined) process.kill(instance.pid, 'SIGKILL');
    }
  }

  private instance(id: string): Instance {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no service ${id} (have ${this.ids().join(', ')})`);
    return instance;
  }

  private note(instance: Instance, text: string): void {
    appendFileSync(this.logFile(instance.spec.id), `--- ${new Date().toISOString()} ${text}\n`);
  }

  private start(instance: Instance): void {
    const { spec } = instance;
    instance.starts += 1;
    instance.plannedExit = false;
    this.note(instance, `chaos: start #${instance.starts} of ${spec.service} on port ${spec.port}`);
    const fd = openSync(this.logFile(spec.id), 'a');
    const child = spawn(process.execPath, [...nodeFlags, join(repoRoot, 'services', spec.service, 'dist', 'main.js')], {
      cwd: repoRoot,
      env: { ...process.env, ...spec.env },
      // its own process group: a Ctrl-C in the terminal reaches the chaos run, which stops the services itself
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${spec.id}`);
    instance.child = child;
    instance.startedAtMs = Date.now();
    writeFileSync(join(this.runDir, 'pids', `${spec.id}.pid`), `${child.pid}\n`);
    instance.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
        this.onExit(instance, child.pid as number, code, signal);
      });
    });
  }

  private onExit(instance: Instance, pid: number, code: number | null, signal: string | null): void {
    const { id } = instance.spec;
    const ranMs = Date.now() - instance.startedAtMs;
    this.note(instance, `chaos: pid ${pid} exited (${signal ?? `code ${code}`}) after ${(ranMs / 1000).toFixed(1)} s`);
    if (this.closing) return;
    if (instance.plannedExit) {
      this.start(instance);
      return;
    }
    const record: ExitRecord = { id, pid, atMs: Date.now(), code, signal, ranMs, logTail: tail(this.logFile(id), 12) };
    this.unplannedExits.push(record);
    instance.backoffMs = ranMs > HEALTHY_RUN_MS ? MIN_BACKOFF_MS : instance.backoffMs;
    const delay = instance.backoffMs;
    instance.backoffMs = Math.min(MAX_BACKOFF_MS, instance.backoffMs * 2);
    this.say(`UNPLANNED EXIT: ${id} (pid ${pid}) exited with ${signal ?? `code ${code}`}; restarting in ${delay / 1000} s`);
    instance.restartTimer = setTimeout(() => {
      if (!this.closing) this.start(instance);
    }, delay);
  }
}
