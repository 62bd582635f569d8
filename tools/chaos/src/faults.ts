// The faults the chaos run can apply, by name (kill-ingest, restart-kafka, stall-redis, ...): what each one does, how
// long it takes about, the default order of the full schedule and of the short one, and the parsing of --faults.

export type ServerName = 'kafka' | 'redis' | 'clickhouse';

export type FaultAction =
  /** Signal a service process; the supervisor restarts it. */
  | { kind: 'signal-service'; signal: 'SIGKILL' | 'SIGTERM'; service: string }
  /** Stop a server with the signal, then start it again at once. */
  | { kind: 'restart-server'; signal: 'SIGKILL' | 'SIGTERM'; server: ServerName }
  /** Stop a server (SIGTERM), keep it down for downMs counted from the stop, start it again. */
  | { kind: 'server-down'; server: ServerName; downMs: number }
  /** SIGSTOP a server, SIGCONT it after stallMs. */
  | { kind: 'stall-server'; server: ServerName; stallMs: number };

export interface Fault {
  name: string;
  action: FaultAction;
  /** About how long the fault and the recovery of what it hit take (plans the traffic's length). */
  estimateMs: number;
}

export const CLICKHOUSE_DOWN_MS = 30_000;
export const STALL_MS = 10_000;

/** The service instances of a pipeline with `workers` call-state workers, as the supervisor names them. */
export function serviceIds(workers: number): string[] {
  return ['ingest', ...Array.from({ length: workers }, (_, i) => `call-state-${i + 1}`), 'reporting', 'api'];
}

const serviceFault = (signal: 'SIGKILL' | 'SIGTERM', service: string): Fault => ({
  name: `${signal === 'SIGKILL' ? 'kill' : 'term'}-${service}`,
  action: { kind: 'signal-service', signal, service },
  estimateMs: 6000,
});

const serverFaults: Fault[] = [
  { name: 'restart-redis', action: { kind: 'restart-server', signal: 'SIGTERM', server: 'redis' }, estimateMs: 6000 },
  { name: 'restart-kafka', action: { kind: 'restart-server', signal: 'SIGTERM', server: 'kafka' }, estimateMs: 30_000 },
  {
    name: 'clickhouse-down',
    action: { kind: 'server-down', server: 'clickhouse', downMs: CLICKHOUSE_DOWN_MS },
    estimateMs: CLICKHOUSE_DOWN_MS + 8000,
  },
  { name: 'stall-kafka', action: { kind: 'stall-server', server: 'kafka', stallMs: STALL_MS }, estimateMs: STALL_MS + 8000 },
  { name: 'kill-redis', action: { kind: 'restart-server', signal: 'SIGKILL', server: 'redis' }, estimateMs: 6000 },
  { name: 'kill-kafka', action: { kind: 'restart-server', signal: 'SIGKILL', server: 'kafka' }, estimateMs: 30_000 },
  { name: 'stall-redis', action: { kind: 'stall-server', server: 'redis', stallMs: STALL_MS }, estimateMs: STALL_MS + 6000 },
];

/**
 * Every fault once, service faults and server faults taking turns: SIGKILL and SIGTERM of each service instance, Redis
 * and Kafka restarted (SIGTERM) and killed (SIGKILL), ClickHouse down for 30 s, Kafka and Redis stalled (SIGSTOP).
 */
export function fullSchedule(workers: number): Fault[] {
  const workerIds = serviceIds(workers).filter((id) => id.startsWith('call-state-'));
  // each worker is killed once and terminated once; the terminations go round so one worker is not hit twice running
  const terms = [...workerIds.slice(1), ...workerIds.slice(0, 1)];
  const services: Fault[] = [serviceFault('SIGKILL', 'ingest')];
  workerIds.forEach((id, index) => {
    const pair = [serviceFault('SIGKILL', id), serviceFault('SIGTERM', terms[index] as string)];
    services.push(...(index % 2 === 0 ? pair : pair.reverse()));
    if (index === 0) services.push(serviceFault('SIGKILL', 'reporting'), serviceFault('SIGTERM', 'ingest'));
  });
  services.push(serviceFault('SIGTERM', 'reporting'), serviceFault('SIGKILL', 'api'), serviceFault('SIGTERM', 'api'));
  const schedule: Fault[] = [];
  for (let i = 0; i < Math.max(services.length, serverFaults.length); i += 1) {
    if (services[i]) schedule.push(services[i] as Fault);
    if (serverFaults[i]) schedule.push(serverFaults[i] as Fault);
  }
  return schedule;
}

/** Faults outside the full schedule, asked for by name: a long Kafka outage (RingCentral must get 200 all along). */
export const extraFaults: Fault[] = [
  {
    name: 'kafka-down-5m',
    action: { kind: 'server-down', server: 'kafka', downMs: 300_000 },
    estimateMs: 300_000 + 30_000,
  },
];

/** The short run's representative subset: a service killed and one terminated, Redis, Kafka, ClickHouse, a stall. */
export const shortFaultNames = [
  'kill-call-state-1',
  'kill-ingest',
  'restart-redis',
  'kill-kafka',
  'term-call-state-2',
  'clickhouse-down',
  'stall-redis',
];

/** Every name --faults accepts: each fault, `kill-call-state` / `term-call-state` (every worker in turn) and `all`. */
export function faultNames(workers: number): string[] {
  return [
    ...fullSchedule(workers).map((fault) => fault.name),
    ...extraFaults.map((fault) => fault.name),
    'kill-call-state',
    'term-call-state',
    'all',
  ];
}

/** Parses a comma-separated schedule; throws naming an unknown fault and listing the known ones. */
export function parseFaults(text: string, workers: number): Fault[] {
  const all = fullSchedule(workers);
  const byName = new Map([...all, ...extraFaults].map((fault) => [fault.name, fault]));
  const faults: Fault[] = [];
  for (const raw of text.split(',').map((name) => name.trim())) {
    if (raw === '') continue;
    if (raw === 'all') faults.push(...all);
    else if (raw === 'kill-call-state' || raw === 'term-call-state') {
      const signal = raw.startsWith('kill') ? 'SIGKILL' : 'SIGTERM';
      for (const id of serviceIds(workers).filter((name) => name.startsWith('call-state-'))) faults.push(serviceFault(signal, id));
    } else {
      const fault = byName.get(raw);
      if (!fault) throw new Error(`unknown fault "${raw}" (known: ${faultNames(workers).join(', ')})`);
      faults.push(fault);
    }
  }
  if (faults.length === 0) throw new Error('the schedule names no fault');
  return faults;
}

/** What a fault does, in words, for the table. */
export function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case 'signal-service':
      return `${action.signal} ${action.service}, restarted by the supervisor`;
    case 'restart-server':
      return `${action.signal} ${action.server}, started again`;
    case 'server-down':
      return `${action.server} stopped (SIGTERM) for ${action.downMs / 1000} s`;
    case 'stall-server':
      return `SIGSTOP ${action.server}, SIGCONT after ${action.stallMs / 1000} s`;
  }
}
