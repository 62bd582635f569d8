// Live-like traffic for the capacity run: many long calls in flight at once (a median of 85 s, up to a few minutes;
// every scenario of the library with its real event sequence and delivery jitter), their sessions interleaved as in
// life, emitted at exactly a target events/s. Event i of a step is due at startMs + i / rate: the earliest pending
// notification of the calls in flight goes out if it is due by then, otherwise a new call starts at that moment. So the
// rate is exact, the calls keep their real durations, and the calls in flight (active sessions) follow rate x duration.
import type { ScenarioParams } from '@callpulse/testkit/scenarios';
import { createRandom } from '@callpulse/testkit/scenarios';
import { buildCall } from './calls.js';
import { legKeyOf, type TimedEvent } from './timed-calls.js';

export interface LiveLikeEvent extends TimedEvent {
  /** Legs (`${session}:${party}` -> scenario) whose session has had every notification sent once this one is. */
  completesLegs: Array<{ leg: string; scenario: string }>;
}

export interface LiveLikeOptions {
  firstSeed: number;
  /** Agent extensions the calls are spread over. */
  extensionPool: number;
  /** Talk time of a call, ms, drawn per call in [min, max]; ring, hold, queue and IVR times are the library's own. */
  talkMs?: [number, number];
  /** Upper bound of a notification's delivery delay after its event (RingCentral's jitter; reorders a session). */
  maxDeliveryDelayMs?: number;
}

interface Pending {
  dueMs: number;
  order: number;
  body: string;
  telephonySessionId: string;
  sequence: number;
  legKey: string | undefined;
  endsLeg: boolean;
  call: CallInFlight;
}

interface CallInFlight {
  scenario: string;
  /** Notifications of each session, and those not yet sent. */
  total: Map<string, number>;
  remaining: Map<string, number>;
  /** Expected legs by session. */
  legs: Map<string, string[]>;
}

export class LiveLikeTraffic {
  private readonly queue = new MinQueue();
  private readonly talkMs: [number, number];
  private readonly maxDeliveryDelayMs: number;
  private nextSeed: number;
  private order = 0;
  private active = 0;
  private started = 0;
  private lastDueMs = 0;

  constructor(private readonly options: LiveLikeOptions) {
    this.nextSeed = options.firstSeed;
    this.talkMs = options.talkMs ?? [20000, 150000];
    this.maxDeliveryDelayMs = options.maxDeliveryDelayMs ?? 400;
  }

  /** Sessions with at least one notification sent and at least one still to send. */
  get activeSessions(): number {
    return this.active;
  }

  /** Calls started so far (a call of some scenarios has several sessions). */
  get callsStarted(): number {
    return this.started;
  }

  /**
   * The `count` next events for a step at `rate`/s whose first event is due at `startMs` (epoch ms; a later step may
   * start after a pause: the calls in flight went on meanwhile, their notifications due in the pause come first).
   */
  step(rate: number, count: number, startMs: number): LiveLikeEvent[] {
    if (!(rate > 0) || !Number.isInteger(count) || count < 0)
      throw new Error(`a step needs a rate > 0 and a count >= 0, got ${rate}, ${count}`);
    const events: LiveLikeEvent[] = [];
    const start = Math.max(startMs, this.lastDueMs);
    for (let index = 0; index < count; index += 1) {
      const dueMs = start + (index * 1000) / rate;
      const head = this.queue.peek();
      if (!head || head.dueMs > dueMs) this.startCall(Math.round(dueMs));
      events.push(this.emit(this.queue.pop() as Pending));
      this.lastDueMs = dueMs;
    }
    return events;
  }

  private startCall(atMs: number): void {
    const seed = this.nextSeed;
    this.nextSeed += 1;
    this.started += 1;
    const random = createRandom(seed * 31 + 7);
    const durations: Partial<ScenarioParams> = {
      talkMs: random.int(this.talkMs[0], this.talkMs[1]),
      maxDeliveryDelayMs: this.maxDeliveryDelayMs,
    };
    const built = buildCall({ seed, startMs: atMs, extensionPool: this.options.extensionPool, durations });
    const call: CallInFlight = { scenario: built.name, total: new Map(), remaining: new Map(), legs: new Map() };
    for (const leg of built.expectedLegs) {
      const legs = call.legs.get(leg.telephonySessionId) ?? [];
      legs.push(`${leg.telephonySessionId}:${leg.partyId}`);
      call.legs.set(leg.telephonySessionId, legs);
    }
    const lastOfLeg = new Map<string, number>();
    built.notifications.forEach(({ notification }, index) => {
      const leg = legKeyOf(notification);
      if (leg) lastOfLeg.set(leg, index);
    });
    // The first notification goes out now (it is what started the call), the others at their delivery time.
    const offset = atMs - (built.notifications[0]?.sendAtMs ?? atMs);
    built.notifications.forEach(({ sendAtMs, notification }, index) => {
      const session = notification.body.telephonySessionId;
      call.total.set(session, (call.total.get(session) ?? 0) + 1);
      call.remaining.set(session, (call.remaining.get(session) ?? 0) + 1);
      const legKey = legKeyOf(notification);
      this.queue.push({
        dueMs: sendAtMs + offset,
        order: this.order++,
        body: JSON.stringify(notification),
        telephonySessionId: session,
        sequence: notification.body.sequence,
        legKey,
        endsLeg: legKey !== undefined && lastOfLeg.get(legKey) === index,
        call,
      });
    });
  }

  private emit(pending: Pending): LiveLikeEvent {
    const { call, telephonySessionId: session } = pending;
    const left = (call.remaining.get(session) ?? 1) - 1;
    if (left === (call.total.get(session) ?? 0) - 1) this.active += 1; // its first notification
    call.remaining.set(session, left);
    let completesLegs: LiveLikeEvent['completesLegs'] = [];
    if (left === 0) {
      this.active -= 1;
      completesLegs = (call.legs.get(session) ?? []).map((leg) => ({ leg, scenario: call.scenario }));
    }
    return {
      body: pending.body,
      telephonySessionId: session,
      sequence: pending.sequence,
      legKey: pending.legKey,
      endsLeg: pending.endsLeg,
      completesLegs,
    };
  }
}

/** A binary min-heap of pending notifications by (dueMs, order): equal times keep the order they were added in. */
class MinQueue {
  private readonly items: Pending[] = [];

  peek(): Pending | undefined {
    return this.items[0];
  }

  push(item: Pending): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(items[index] as Pending, items[parent] as Pending)) break;
      [items[index], items[parent]] = [items[parent] as Pending, items[index] as Pending];
      index = parent;
    }
  }

  pop(): Pending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && before(items[left] as Pending, items[smallest] as Pending)) smallest = left;
        if (right < items.length && before(items[right] as Pending, items[smallest] as Pending)) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest] as Pending, items[index] as Pending];
        index = smallest;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.order < b.order);
}
