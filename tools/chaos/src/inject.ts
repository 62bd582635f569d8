// Applies one fault of the schedule to the running pipeline and waits for the recovery: the process or server is back
// (started again and answering), then every service's /readyz answers 200 again. Returns what happened, in figures.
import { setTimeout as sleep } from 'node:timers/promises';
import { describeAction, type Fault } from './faults.js';
import type { PrivateStack } from './private-stack.js';
import type { Supervisor } from './supervisor.js';

export interface FaultRecord {
  name: string;
  what: string;
  /** When the fault started, ms after the traffic started. */
  atMs: number;
  /** From the start of the fault until what it hit was back (restarted and answering). */
  backAfterMs: number | undefined;
  /** From the start of the fault until every service was ready again (undefined: not within the limit). */
  readyAfterMs: number | undefined;
  /** Anything worth knowing: how a process exited, a SIGTERM that needed SIGKILL, services not ready. */
  notes: string[];
  /** The fault could not be applied, or the pipeline did not become ready again. */
  failed: boolean;
}

/** How long every service may take to be ready again after a fault before the run calls it not recovered. */
export const RECOVERY_LIMIT_MS = 120_000;

/** Starts the stopped server again; a failed start is noted and tried twice more, so the run can go on. */
async function startAgain(stack: PrivateStack, record: FaultRecord): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await stack.up();
      return;
    } catch (err) {
      record.notes.push(`start attempt ${attempt} failed: ${(err as Error).message.split('\n')[0]}`);
      if (attempt === 3) throw err;
      await sleep(2000);
    }
  }
}

export async function applyFault(
  fault: Fault,
  pipeline: { stack: PrivateStack; supervisor: Supervisor },
  atMs: number,
  say: (text: string) => void,
): Promise<FaultRecord> {
  const { stack, supervisor } = pipeline;
  const record: FaultRecord = {
    name: fault.name,
    what: describeAction(fault.action),
    atMs,
    backAfterMs: undefined,
    readyAfterMs: undefined,
    notes: [],
    failed: false,
  };
  const started = Date.now();
  const action = fault.action;
  say(`fault ${fault.name}: ${record.what}`);
  try {
    switch (action.kind) {
      case 'signal-service': {
        // a service that died on its own in the gap is being restarted by the supervisor: hit the new process
        await supervisor.waitReady(action.service, RECOVERY_LIMIT_MS);
        const exit = await supervisor.signal(action.service, action.signal);
        const how = exit.signal ?? `code ${exit.code}`;
        if (action.signal === 'SIGTERM') {
          record.notes.push(`pid ${exit.pid} exited with ${how} ${(exit.exitedInMs / 1000).toFixed(1)} s after SIGTERM`);
          if (exit.escalated) record.notes.push('did not stop on SIGTERM: killed');
          else if (exit.code !== 0) record.notes.push(`SIGTERM gave exit ${how}, not 0`);
        }
        await supervisor.waitReady(action.service, RECOVERY_LIMIT_MS);
        break;
      }
      case 'restart-server': {
        const stopped = await stack.stop(action.server, action.signal);
        if (stopped.escalated) record.notes.push(`${action.server} did not stop on SIGTERM within 60 s: killed`);
        record.notes.push(`${action.server} pid ${stopped.pid} down after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await startAgain(stack, record);
        break;
      }
      case 'server-down': {
        const stopped = await stack.stop(action.server, 'SIGTERM');
        record.notes.push(`${action.server} pid ${stopped.pid} down after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // down for the whole time, counted from when it was really gone
        await sleep(action.downMs);
        await startAgain(stack, record);
        break;
      }
      case 'stall-server': {
        await stack.pause(action.server);
        try {
          await sleep(action.stallMs);
        } finally {
          stack.resume(action.server);
        }
        break;
      }
    }
    record.backAfterMs = Date.now() - started;
  } catch (err) {
    record.failed = true;
    record.notes.push(`could not apply: ${(err as Error).message}`);
    say(`fault ${fault.name} FAILED: ${(err as Error).message}`);
  }
  const ready = await supervisor.waitAllReady(RECOVERY_LIMIT_MS);
  const slow = Object.entries(ready.lastNotReadyMs).filter(([, ms]) => ms >= 5000);
  if (slow.length > 0)
    record.notes.push(`not ready until ${slow.map(([id, ms]) => `${id} +${(ms / 1000).toFixed(1)} s`).join(', ')} after the fault ended`);
  if (Object.keys(ready.notReady).length === 0) record.readyAfterMs = Date.now() - started;
  else {
    record.failed = true;
    const reasons = Object.entries(ready.notReady).map(([id, why]) => `${id} (${why})`);
    record.notes.push(`not ready ${RECOVERY_LIMIT_MS / 1000} s after the fault: ${reasons.join(', ')}`);
  }
  say(
    `fault ${fault.name}: ${record.failed ? 'NOT RECOVERED' : 'recovered'}` +
      `${record.readyAfterMs !== undefined ? `, every service ready ${(record.readyAfterMs / 1000).toFixed(1)} s after it began` : ''}` +
      `${record.notes.length > 0 ? ` (${record.notes.join('; ')})` : ''}`,
  );
  return record;
}
