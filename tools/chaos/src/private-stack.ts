// The run's own Kafka, Redis and ClickHouse: the local stack script (scripts/stack.mjs) with its own STACK_DIR and
// free ports, so they can be stopped, killed and stalled without touching anyone else's servers. Every server is
// controlled by the pid the stack script recorded; "down" means the pid is gone and the port refuses connections.
import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerName } from './faults.js';
import { freePort, isAlive, pidExists, portAnswers, processState, repoRoot } from './processes.js';

export interface StackPorts {
  kafka: number;
  kafkaController: number;
  redis: number;
  clickhouseHttp: number;
  clickhouseTcp: number;
}

const UP_TIMEOUT_MS = 240_000;

export class PrivateStack {
  private readonly stalled = new Set<ServerName>();
  /** Set by down(): a fault still in progress must not start a server again after the teardown. */
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly ports: StackPorts,
    private readonly logFile: string,
  ) {}

  /** A stack folder under the run folder, sharing the local stack's downloaded Kafka jars (.stack/cache). */
  static async create(runDir: string): Promise<PrivateStack> {
    const dir = join(runDir, 'stack');
    mkdirSync(dir, { recursive: true });
    const cache = resolve(repoRoot, process.env.STACK_DIR || '.stack', 'cache');
    mkdirSync(cache, { recursive: true });
    if (!existsSync(join(dir, 'cache'))) symlinkSync(cache, join(dir, 'cache'));
    const [kafka, kafkaController, redis, clickhouseHttp, clickhouseTcp] = await distinctFreePorts(5);
    const ports = { kafka, kafkaController, redis, clickhouseHttp, clickhouseTcp } as StackPorts;
    return new PrivateStack(dir, ports, join(runDir, 'logs', 'stack.log'));
  }

  get kafkaBrokers(): string {
    return `127.0.0.1:${this.ports.kafka}`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }

  get clickhouseUrl(): string {
    return `http://127.0.0.1:${this.ports.clickhouseHttp}`;
  }

  /** Starts every server that is not running (and waits until each answers a real request). */
  async up(): Promise<void> {
    if (this.closed) throw new Error('the run is being torn down');
    await this.stackScript('up');
  }

  /**
   * Stops every server by pid with SIGKILL, at once: the run is over and its data is either thrown away or kept for
   * reading as it is (a graceful ClickHouse stop alone takes some 20 s). Resolves when every one is gone.
   */
  async down(): Promise<void> {
    this.closed = true;
    const pids = this.livePids();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    for (const pid of pids) while (pidExists(pid) && processState(pid) !== 'Z') await sleep(50);
    this.stalled.clear();
  }

  pid(server: ServerName): number | undefined {
    const file = join(this.dir, 'pids', `${server}.pid`);
    if (!existsSync(file)) return undefined;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  }

  /** Sends the signal and waits until the process is gone and its port closed; SIGTERM turns SIGKILL after graceMs. */
  async stop(server: ServerName, signal: 'SIGTERM' | 'SIGKILL', graceMs = 60_000): Promise<{ pid: number; escalated: boolean }> {
    const pid = this.runningPid(server);
    process.kill(pid, signal);
    let escalated = false;
    const deadline = Date.now() + graceMs;
    while (isAlive(pid)) {
      if (!escalated && Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        escalated = true;
      }
      await sleep(100);
    }
    // gone for good: not even a zombie waiting for init to reap it, which the stack script would take for a live server
    for (let i = 0; i < 100 && pidExists(pid); i += 1) await sleep(50);
    rmSync(join(this.dir, 'pids', `${server}.pid`), { force: true });
    const port = this.port(server);
    const portDeadline = Date.now() + 10_000;
    while (await portAnswers(port)) {
      if (Date.now() > portDeadline) throw new Error(`${server} (pid ${pid}) is gone but port ${port} still answers`);
      await sleep(200);
    }
    return { pid, escalated };
  }

  /** SIGSTOP: the process stays, its sockets stay open, nothing answers. Checked in /proc. */
  async pause(server: ServerName): Promise<number> {
    const pid = this.runningPid(server);
    process.kill(pid, 'SIGSTOP');
    this.stalled.add(server);
    for (let i = 0; i < 50 && processState(pid) !== 'T'; i += 1) await sleep(20);
    if (processState(pid) !== 'T') throw new Error(`${server} (pid ${pid}) did not stop on SIGSTOP (state ${processState(pid)})`);
    return pid;
  }

  resume(server: ServerName): void {
    const pid = this.pid(server);
    if (pid && isAlive(pid)) process.kill(pid, 'SIGCONT');
    this.stalled.delete(server);
  }

  /** Every server pid still alive (for a last-resort kill). */
  livePids(): number[] {
    return (['kafka', 'redis', 'clickhouse'] as const)
      .map((server) => this.pid(server))
      .filter((pid): pid is number => !!pid && isAlive(pid));
  }

  private runningPid(server: ServerName): number {
    const pid = this.pid(server);
    if (!pid || !isAlive(pid)) throw new Error(`${server} is not running (no live pid in ${join(this.dir, 'pids')})`);
    return pid;
  }

  private port(server: ServerName): number {
    return server === 'kafka' ? this.ports.kafka : server === 'redis' ? this.ports.redis : this.ports.clickhouseHttp;
  }

  private stackScript(command: 'up'): Promise<void> {
    const env = {
      ...process.env,
      STACK_DIR: this.dir,
      STACK_KAFKA_PORT: String(this.ports.kafka),
      STACK_KAFKA_CONTROLLER_PORT: String(this.ports.kafkaController),
      STACK_REDIS_PORT: String(this.ports.redis),
      STACK_CLICKHOUSE_HTTP_PORT: String(this.ports.clickhouseHttp),
      STACK_CLICKHOUSE_TCP_PORT: String(this.ports.clickhouseTcp),
      // empty: the stack starts its own server instead of using one given by the environment
      KAFKA_BROKERS: '',
      REDIS_URL: '',
      CLICKHOUSE_URL: '',
    };
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'scripts', 'stack.mjs'), command],
        { env, cwd: repoRoot, timeout: UP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          mkdirSync(join(this.logFile, '..'), { recursive: true });
          appendFileSync(this.logFile, `--- stack ${command} at ${new Date().toISOString()}\n${stdout}${stderr}`);
          if (err) reject(new Error(`stack ${command} failed (${err.message.split('\n')[0]}):\n${(stderr || stdout).trim()}`));
          else resolve();
        },
      );
    });
  }
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
