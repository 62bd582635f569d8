// Traffic planning without I/O: Poisson arrivals, the truth against the scenario library, the time scale, busy
// agents, and disorder/duplicates that change the deliveries but never the truth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario, scenarioNames } from '@callpulse/testkit/scenarios';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatedAccount } from '../src/traffic/account.js';
import { AgentPool } from '../src/traffic/agent-pool.js';
import { planCall } from '../src/traffic/call-plan.js';
import { MIN_DURATION_MS, scaleDurations } from '../src/traffic/durations.js';
import { defaultMix, parseScenarioMix } from '../src/traffic/mix.js';
import { poissonArrivals } from '../src/traffic/poisson.js';
import { createRandom } from '../src/traffic/random.js';
import { createTraffic, type TrafficOptions, type TrafficStep } from '../src/traffic/traffic.js';
import { createTruthWriter, readTruth } from '../src/truth.js';

const dir = mkdtempSync(join(tmpdir(), 'callpulse-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const everyScenarioOnce = parseScenarioMix(scenarioNames.map((name) => `${name}:1`).join(','));

function traffic(overrides: Partial<TrafficOptions> = {}): Array<Extract<TrafficStep, { kind: 'call' }>> {
  const plan = createTraffic({
    account: simulatedAccount(200),
    mix: everyScenarioOnce,
    seed: 11,
    rate: 0.5,
    speed: 1,
    startMs: Date.UTC(2026, 2, 2, 9),
    calls: 300,
    durationMs: undefined,
    maxDeliveryDelayMs: 400,
    disorder: 0,
    duplicates: 0,
    ...overrides,
  });
  const calls: Array<Extract<TrafficStep, { kind: 'call' }>> = [];
  for (let step = plan.next(); step; step = plan.next()) if (step.kind === 'call') calls.push(step);
  return calls;
}

describe('Poisson arrivals', () => {
  it('have the asked mean rate and Poisson counts per second (seeded, so deterministic)', () => {
    const rate = 4;
    const arrivals = poissonArrivals(createRandom(42), rate);
    const times = Array.from({ length: 40_000 }, () => arrivals.next().value);
    const seconds = (times[times.length - 1] ?? 0) / 1000;
    // Standard error of the rate is 0.5% here: 3% is six of them.
    expect(Math.abs(times.length / seconds - rate) / rate).toBeLessThan(0.03);
    const counts = new Array(Math.floor(seconds)).fill(0) as number[];
    for (const time of times) if (time < counts.length * 1000) counts[Math.floor(time / 1000)] = (counts[Math.floor(time / 1000)] ?? 0) + 1;
    const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
    const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / counts.length;
    // A Poisson process has variance = mean per window (evenly spaced arrivals would give ~0).
    expect(variance / mean).toBeGreaterThan(0.9);
    expect(variance / mean).toBeLessThan(1.1);
    expect(times.every((time, index) => index === 0 || time > (times[index - 1] ?? 0))).toBe(true);
  });

  it('map onto event time by the speed: rate 2 at speed 60 is 120 calls per wall second', () => {
    const calls = traffic({ rate: 2, speed: 60, calls: 3000, account: simulatedAccount(20_000) });
    const spanMs = (calls[calls.length - 1]?.atMs ?? 0) - (calls[0]?.atMs ?? 0);
    expect(Math.abs(((calls.length - 1) * 1000) / spanMs - 120) / 120).toBeLessThan(0.05);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => poissonArrivals(createRandom(1), 0).next()).toThrow('arrival rate must be a positive number, got 0');
  });
});

describe('the truth', () => {
  it('is exactly what buildScenario expects for each call, through the truth file', async () => {
    const calls = traffic();
    expect(new Set(calls.map(({ call }) => call.scenario))).toEqual(new Set(scenarioNames));
    const file = join(dir, 'truth.jsonl');
    const writer = createTruthWriter(file);
    for (const { call } of calls) writer.write(call.truth);
    await writer.close();
    const truth = await readTruth(file);
    for (const { call } of calls) {
      const again = buildScenario(call.scenario, call.params);
      const legs = truth.legs.filter((leg) => leg.call === call.index);
      const sessions = truth.sessions.filter((session) => session.call === call.index);
      const noCalls = (truth.noCalls ?? []).filter((noCall) => noCall.call === call.index);
      expect(legs.map(({ type, call: _c, scenario, endReason, ...leg }) => leg)).toEqual(again.expectedLegs);
      expect(sessions.map(({ type, call: _c, scenario, ...summary }) => summary)).toEqual(again.expectedSummaries);
      expect(noCalls.map((noCall) => noCall.telephonySessionId)).toEqual(again.sessionsWithoutRecords ?? []);
      expect(new Set([...legs, ...sessions, ...noCalls].map((line) => line.scenario))).toEqual(new Set([call.scenario]));
      // What is sent is what the truth was computed from.
      expect(call.built.notifications).toEqual(again.notifications);
    }
    const transferred = truth.legs.find((leg) => leg.scenario === 'blind-transfer' && leg.result === 'Transferred');
    expect(transferred?.endReason).toBe('BlindTransfer');
    const withReasons = new Set(truth.legs.filter((leg) => leg.endReason !== undefined).map((leg) => leg.scenario));
    expect(withReasons).toEqual(new Set(['blind-transfer', 'redirected-ring', 'supervised-call']));
  });

  it('follows the time scale: durations and event times shrink by the speed, never below the library floor', () => {
    const plan = (speed: number) =>
      planCall(
        {
          account: simulatedAccount(10),
          pool: new AgentPool(simulatedAccount(10).agentIds),
          random: createRandom(9),
          speed,
          maxDeliveryDelayMs: 400,
        },
        0,
        'inbound-answered-two-holds',
        Date.UTC(2026, 2, 2, 9),
      );
    const real = plan(1);
    const fast = plan(60);
    if (!real || !fast) throw new Error('no free agents');
    const durations = ['ringMs', 'talkMs', 'holdMs', 'ivrMs', 'queueWaitMs', 'parkMs', 'voicemailMs'] as const;
    const realDurations = Object.fromEntries(durations.map((name) => [name, real.params[name] as number]));
    expect(Object.fromEntries(durations.map((name) => [name, fast.params[name]]))).toEqual(scaleDurations(realDurations as never, 60));
    for (const name of durations) expect(fast.params[name]).toBeGreaterThanOrEqual(MIN_DURATION_MS);
    const [realLeg, fastLeg] = [real.built.expectedLegs[0], fast.built.expectedLegs[0]];
    expect(fastLeg?.ringMs).toBe(fast.params.ringMs);
    expect(fastLeg?.holdMs).toBe(fast.params.holdMs);
    expect(Math.abs((fastLeg?.talkMs ?? 0) - (realLeg?.talkMs ?? 0) / 60)).toBeLessThan(200);
    const span = (call: typeof real) => {
      const times = call.built.notifications.map(({ notification }) => Date.parse(notification.body.eventTime));
      return Math.max(...times) - Math.min(...times);
    };
    expect(span(fast)).toBeLessThan(span(real) / 30);
  });
});

describe('agents', () => {
  it('are never in two calls at once, except where the scenario means it; arrivals with no free agents are skipped', () => {
    const plan = createTraffic({
      account: simulatedAccount(12),
      mix: defaultMix,
      seed: 3,
      rate: 0.2,
      speed: 1,
      startMs: Date.UTC(2026, 2, 2, 9),
      calls: 500,
      durationMs: undefined,
      maxDeliveryDelayMs: 400,
      disorder: 0,
      duplicates: 0,
    });
    const busy = new Map<string, Array<[number, number]>>();
    let skipped = 0;
    for (let step = plan.next(); step; step = plan.next()) {
      if (step.kind === 'skipped') {
        skipped += 1;
        continue;
      }
      const { built, startMs } = step.call;
      for (const extensionId of new Set(built.expectedLegs.map((leg) => leg.extensionId))) {
        const endMs = Math.max(...built.expectedLegs.filter((leg) => leg.extensionId === extensionId).map((leg) => leg.endMs));
        const overlapping = (busy.get(extensionId) ?? []).filter(([from, until]) => startMs < until && from < endMs);
        expect(overlapping).toEqual([]);
        busy.set(extensionId, [...(busy.get(extensionId) ?? []), [startMs, endMs]]);
      }
    }
    expect(skipped).toBeGreaterThan(0);
  });
});

/** Deliveries that arrive after a later event of their session was already sent. */
function overtakenIn(deliveries: ReadonlyArray<{ notification: { body: { telephonySessionId: string; sequence: number } } }>): number {
  const highest = new Map<string, number>();
  let count = 0;
  for (const { notification } of deliveries) {
    const { telephonySessionId, sequence } = notification.body;
    if ((highest.get(telephonySessionId) ?? 0) > sequence) count += 1;
    highest.set(telephonySessionId, Math.max(highest.get(telephonySessionId) ?? 0, sequence));
  }
  return count;
}

describe('disorder and duplicates', () => {
  const plain = traffic({ seed: 5, calls: 150 });
  const messy = traffic({ seed: 5, calls: 150, disorder: 0.3, duplicates: 0.2 });

  it('leave the calls and their truth unchanged', () => {
    expect(messy.map(({ call }) => call.truth)).toEqual(plain.map(({ call }) => call.truth));
    expect(messy.map(({ atMs }) => atMs)).toEqual(plain.map(({ atMs }) => atMs));
  });

  it('send every notification, unchanged, some twice and some after later events of their session', () => {
    let duplicates = 0;
    let overtaken = 0;
    let overtakenPlain = 0;
    messy.forEach(({ call, deliveries }, index) => {
      const originals = plain[index]?.deliveries ?? [];
      expect(originals.every((delivery) => !delivery.duplicate && !delivery.delayed)).toBe(true);
      const firsts = deliveries.filter((delivery) => !delivery.duplicate);
      expect(firsts.map((d) => d.notification).sort((a, b) => a.uuid.localeCompare(b.uuid))).toEqual(
        call.built.notifications.map((n) => n.notification).sort((a, b) => a.uuid.localeCompare(b.uuid)),
      );
      for (const copy of deliveries.filter((delivery) => delivery.duplicate)) {
        duplicates += 1;
        expect(firsts.some((first) => first.notification === copy.notification)).toBe(true);
      }
      expect(deliveries.map((d) => d.sendAtMs)).toEqual([...deliveries.map((d) => d.sendAtMs)].sort((a, b) => a - b));
      overtaken += overtakenIn(deliveries);
      overtakenPlain += overtakenIn(originals);
    });
    const events = plain.reduce((sum, { deliveries }) => sum + deliveries.length, 0);
    expect(duplicates / events).toBeGreaterThan(0.15);
    expect(duplicates / events).toBeLessThan(0.25);
    // The library's own delivery jitter already reorders a little; disorder adds many more.
    expect(overtaken).toBeGreaterThan(overtakenPlain + 50);
  });
});
