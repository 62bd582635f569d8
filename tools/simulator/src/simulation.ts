// Runs a simulation: plays the traffic against the ingest webhook on its schedule, retries what the webhook could not
// take yet, writes the truth of every fully delivered call, reports progress, and stops cleanly on an AbortSignal.
import { defaultMaxListeners, setMaxListeners } from 'node:events';
import type { TelephonyNotification } from '@callpulse/contracts';
import TinyQueue from 'tinyqueue';
import { seedDirectory } from './directory-seed.js';
import { resolveOptions, type SimulationOptions } from './options.js';
import { emptyCounters, type ProgressOutput, type SimulationCounters, startProgress } from './send/progress.js';
import { Waker } from './send/waker.js';
import { createWebhookClient } from './send/webhook-client.js';
import { simulatedAccount } from './traffic/account.js';
import type { PlannedCall } from './traffic/call-plan.js';
import { hangUpNotifications } from './traffic/hang-up.js';
import { createTraffic } from './traffic/traffic.js';
import { createTruthWriter, TRUTH_FORMAT, type TruthWriter } from './truth.js';

/** Calls are planned this long before their first event, so their first sends are queued in time. */
const LOOKAHEAD_MS = 20;
const MAX_ERROR_SAMPLES = 10;

export interface SimulationSummary extends SimulationCounters {
  label: string;
  seed: number;
  speed: number;
  rate: number;
  extensions: number;
  startedAt: string;
  wallMs: number;
  /** Wall time times speed: the account time the run played. */
  simulatedMs: number;
  aborted: boolean;
  /** Calls started but not fully delivered when the run was aborted (not in the truth). */
  callsCutOff: number;
  /** Of those, the calls in progress that hung up (SimulationHooks.hangUp). */
  callsHungUp: number;
  legsInTruth: number;
  sessionsInTruth: number;
  truthFile: string | undefined;
  perScenario: Record<string, number>;
  errorSamples: string[];
  directory: { extensions: number; monitored: number } | undefined;
}

export interface SimulationHooks {
  signal?: AbortSignal;
  /** Stops starting calls when aborted; unlike `signal`, the calls already started are still delivered in full. */
  finish?: AbortSignal;
  /**
   * Stops starting calls when aborted, and the calls in progress hang up: their undelivered events are dropped and
   * each of their parties not ended yet gets a Disconnected now (traffic/hang-up.ts). They are cut off: not in the truth.
   */
  hangUp?: AbortSignal;
  /** Where the progress line goes (e.g. process.stdout); none: no progress output. */
  progress?: ProgressOutput;
  /** Called with each distinct error reason (first ten) as it happens. */
  onError?: (reason: string) => void;
  /** Called on every retry with the reason (503, connection refused, ...). */
  onRetry?: (reason: string) => void;
}

interface CallTracker {
  call: PlannedCall;
  remaining: number;
  failed: boolean;
  /** Hung up (SimulationHooks.hangUp): neither delivered nor failed. */
  hungUp: boolean;
  /** Every notification the call plans to send, and those handed to the webhook client so far. */
  planned: TelephonyNotification[];
  dispatched: TelephonyNotification[];
  /** Per notification uuid: its event time and when its first copy was acknowledged. */
  events: Map<string, { sessionId: string; eventMs: number; ackedMs?: number }>;
}

interface PendingSend {
  dueMs: number;
  seq: number;
  body: string;
  duplicate: boolean;
  attempts: number;
  tracker: CallTracker;
  uuid: string;
  notification: TelephonyNotification;
}

/** The truth lines of a delivered call, each with the largest delivery delay of its session's events. */
function truthWithDelays(tracker: CallTracker) {
  const delays = new Map<string, number>();
  for (const { sessionId, eventMs, ackedMs } of tracker.events.values()) {
    const delay = Math.max(0, (ackedMs ?? eventMs) - eventMs);
    delays.set(sessionId, Math.max(delays.get(sessionId) ?? 0, delay));
  }
  return tracker.call.truth.map((line) =>
    line.type === 'run' ? line : { ...line, deliveryDelayMs: delays.get(line.telephonySessionId) ?? 0 },
  );
}

export async function runSimulation(given: Partial<SimulationOptions>, hooks: SimulationHooks = {}): Promise<SimulationSummary> {
  const options = resolveOptions(given);
  const { signal } = hooks;
  const account = simulatedAccount(options.extensions, options.accountId);
  const directory = options.seedDirectory ? await seedDirectory(options, account) : undefined;
  const startMs = options.startMs ?? Date.now();
  const wallStart = Date.now();
  const counters = emptyCounters();
  const perScenario: Record<string, number> = {};
  const errorSamples: string[] = [];
  let legsInTruth = 0;
  let sessionsInTruth = 0;

  const truth: TruthWriter | undefined = options.truthFile ? createTruthWriter(options.truthFile) : undefined;
  truth?.write([
    {
      type: 'run',
      format: TRUTH_FORMAT,
      label: options.label,
      seed: options.seed,
      speed: options.speed,
      startMs,
      accountId: options.accountId,
      extensions: options.extensions,
    },
  ]);
  const traffic = createTraffic({ ...options, account, mix: options.scenarios, startMs });
  const queue = new TinyQueue<PendingSend>([], (a, b) => a.dueMs - b.dueMs || a.seq - b.seq);
  const waker = new Waker();
  const progress = hooks.progress ? startProgress(hooks.progress, options.label, counters, options.progressIntervalMs) : undefined;
  const webhook = createWebhookClient(options, options.concurrency);
  // Every post in flight listens to the stop signal (up to `concurrency` of them, and the hang-ups at once): not a leak.
  if (signal) setMaxListeners(Math.max(defaultMaxListeners, options.concurrency + 10), signal);
  let seq = 0;

  const noteError = (reason: string) => {
    counters.errors += 1;
    if (errorSamples.length < MAX_ERROR_SAMPLES && !errorSamples.includes(reason)) {
      errorSamples.push(reason);
      hooks.onError?.(reason);
    }
  };

  const settle = (tracker: CallTracker) => {
    tracker.remaining -= 1;
    if (tracker.remaining > 0 || tracker.hungUp) return;
    if (tracker.failed) {
      counters.callsFailed += 1;
      return;
    }
    counters.callsDelivered += 1;
    truth?.write(truthWithDelays(tracker));
    for (const line of tracker.call.truth) {
      if (line.type === 'leg') legsInTruth += 1;
      else if (line.type === 'session') sessionsInTruth += 1;
    }
  };

  const send = async (pending: PendingSend) => {
    const outcome = await webhook.post(pending.body, signal);
    if (outcome.kind === 'accepted') {
      const event = pending.tracker.events.get(pending.uuid);
      if (event && event.ackedMs === undefined) event.ackedMs = Date.now();
      counters.eventsSent += 1;
      if (pending.duplicate) counters.duplicatesSent += 1;
      settle(pending.tracker);
    } else if (outcome.kind === 'retry' && pending.attempts + 1 < options.maxAttempts) {
      counters.retries += 1;
      hooks.onRetry?.(outcome.reason);
      pending.attempts += 1;
      pending.dueMs = Date.now() + (outcome.afterMs ?? Math.min(5000, 100 * 2 ** pending.attempts));
      queue.push(pending);
    } else {
      noteError(outcome.kind === 'retry' ? `gave up after ${options.maxAttempts} attempts: ${outcome.reason}` : outcome.reason);
      if (!pending.duplicate) pending.tracker.failed = true;
      settle(pending.tracker);
    }
  };

  const dispatch = (pending: PendingSend) => {
    counters.inFlight += 1;
    if (!pending.duplicate) pending.tracker.dispatched.push(pending.notification);
    send(pending)
      .catch((err: Error) => {
        if (!signal?.aborted) noteError(`unexpected: ${err.message}`);
      })
      .finally(() => {
        counters.inFlight -= 1;
        waker.wake();
      });
  };

  /** The calls with events still queued hang up: their queued events go, a Disconnected per open party comes. */
  const hangUpCalls = () => {
    const inProgress = new Set<CallTracker>();
    while (queue.length > 0) inProgress.add((queue.pop() as PendingSend).tracker);
    const nowMs = Date.now();
    callsHungUp = inProgress.size;
    for (const tracker of inProgress) {
      tracker.hungUp = true;
      for (const notification of hangUpNotifications(tracker.planned, tracker.dispatched, nowMs)) {
        const body = JSON.stringify(notification);
        queue.push({ dueMs: nowMs, seq: seq++, body, duplicate: false, attempts: 0, tracker, uuid: notification.uuid, notification });
      }
    }
  };
  let hungUp = false;
  let callsHungUp = 0;
  hooks.hangUp?.addEventListener('abort', () => waker.wake(), { once: true });

  try {
    while (!signal?.aborted) {
      if (hooks.hangUp?.aborted && !hungUp) {
        hungUp = true;
        hangUpCalls();
      }
      const now = Date.now();
      const nextArrival = () => (hooks.finish?.aborted || hungUp ? undefined : traffic.peekArrivalMs());
      let arrivalMs = nextArrival();
      while (arrivalMs !== undefined && arrivalMs <= now + LOOKAHEAD_MS) {
        const step = traffic.next();
        if (step?.kind === 'skipped') counters.callsSkipped += 1;
        else if (step?.kind === 'call') {
          counters.callsStarted += 1;
          perScenario[step.call.scenario] = (perScenario[step.call.scenario] ?? 0) + 1;
          const tracker: CallTracker = {
            call: step.call,
            remaining: step.deliveries.length,
            failed: false,
            hungUp: false,
            planned: step.deliveries.map((delivery) => delivery.notification),
            dispatched: [],
            events: new Map(),
          };
          for (const delivery of step.deliveries) {
            if (delivery.delayed) counters.delayedEvents += 1;
            const { uuid, body: event } = delivery.notification;
            tracker.events.set(uuid, { sessionId: event.telephonySessionId, eventMs: Date.parse(event.eventTime) });
            const body = JSON.stringify(delivery.notification);
            queue.push({
              dueMs: delivery.sendAtMs,
              seq: seq++,
              body,
              duplicate: delivery.duplicate,
              attempts: 0,
              tracker,
              uuid,
              notification: delivery.notification,
            });
          }
        }
        arrivalMs = nextArrival();
      }
      for (let head = queue.peek(); head && head.dueMs <= now && counters.inFlight < options.concurrency; head = queue.peek()) {
        dispatch(queue.pop() as PendingSend);
      }
      if (arrivalMs === undefined && queue.length === 0 && counters.inFlight === 0) break;
      const full = counters.inFlight >= options.concurrency;
      const nextDue = Math.min(queue.peek()?.dueMs ?? Number.POSITIVE_INFINITY, (arrivalMs ?? Number.POSITIVE_INFINITY) - LOOKAHEAD_MS);
      await waker.wait(full ? 1000 : nextDue - Date.now(), signal);
    }
    while (counters.inFlight > 0) await waker.wait(1000);
  } finally {
    progress?.stop();
    webhook.close();
    await truth?.close();
  }
  const wallMs = Date.now() - wallStart;
  return {
    ...counters,
    label: options.label,
    seed: options.seed,
    speed: options.speed,
    rate: options.rate,
    extensions: options.extensions,
    startedAt: new Date(wallStart).toISOString(),
    wallMs,
    simulatedMs: wallMs * options.speed,
    aborted: signal?.aborted === true || hungUp,
    callsCutOff: counters.callsStarted - counters.callsDelivered - counters.callsFailed,
    callsHungUp,
    legsInTruth,
    sessionsInTruth,
    truthFile: options.truthFile,
    perScenario,
    errorSamples,
    directory,
  };
}
