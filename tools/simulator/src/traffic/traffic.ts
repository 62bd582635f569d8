// The traffic of a run as a lazy sequence of calls: Poisson arrivals in simulated time, mapped onto event time by the
// speed, each call drawn from the scenario mix with free agents. Three seeded streams (arrivals, calls, delivery) keep
// the calls and their truth independent of the disorder and duplicate settings.
import type { ScenarioName } from '@callpulse/testkit/scenarios';
import type { SimulatedAccount } from './account.js';
import { AgentPool } from './agent-pool.js';
import { type PlannedCall, planCall } from './call-plan.js';
import { type Delivery, type DeliveryOptions, planDeliveries } from './delivery.js';
import { pickScenario, type ScenarioMix } from './mix.js';
import { poissonArrivals } from './poisson.js';
import { createRandom } from './random.js';

export interface TrafficOptions extends DeliveryOptions {
  account: SimulatedAccount;
  mix: ScenarioMix;
  seed: number;
  /** Calls per simulated second. */
  rate: number;
  speed: number;
  /** Epoch ms that simulated time 0 maps to. */
  startMs: number;
  /** Stop after this many calls started; arrivals skipped for want of free agents do not count (undefined: no limit). */
  calls: number | undefined;
  /** Stop starting calls after this much simulated time, in ms (undefined: no limit). */
  durationMs: number | undefined;
  maxDeliveryDelayMs: number;
}

export type TrafficStep =
  | { kind: 'call'; atMs: number; call: PlannedCall; deliveries: Delivery[] }
  | { kind: 'skipped'; atMs: number; scenario: ScenarioName };

export interface Traffic {
  /** Event time (epoch ms) of the next arrival, undefined when the run has no more calls. */
  peekArrivalMs(): number | undefined;
  /** The next arrival: a planned call, or a skipped one when not enough agents were free. */
  next(): TrafficStep | undefined;
}

export function createTraffic(options: TrafficOptions): Traffic {
  const arrivals = poissonArrivals(createRandom(options.seed), options.rate);
  const callRandom = createRandom(options.seed + 1);
  const deliveryRandom = createRandom(options.seed + 2);
  const pool = new AgentPool(options.account.agentIds);
  const context = {
    account: options.account,
    pool,
    random: callRandom,
    speed: options.speed,
    maxDeliveryDelayMs: options.maxDeliveryDelayMs,
  };
  let index = 0;
  let pending: { offsetMs: number; atMs: number } | undefined;

  const upcoming = () => {
    if (options.calls !== undefined && index >= options.calls) return undefined;
    if (!pending) {
      const offsetMs = arrivals.next().value;
      pending = { offsetMs, atMs: Math.round(options.startMs + offsetMs / options.speed) };
    }
    if (options.durationMs !== undefined && pending.offsetMs > options.durationMs) return undefined;
    return pending;
  };

  return {
    peekArrivalMs: () => upcoming()?.atMs,
    next: () => {
      const arrival = upcoming();
      if (!arrival) return undefined;
      pending = undefined;
      const scenario = pickScenario(options.mix, callRandom);
      const call = planCall(context, index, scenario, arrival.atMs);
      if (!call) return { kind: 'skipped', atMs: arrival.atMs, scenario };
      index += 1;
      return { kind: 'call', atMs: arrival.atMs, call, deliveries: planDeliveries(call.built.notifications, options, deliveryRandom) };
    },
  };
}
