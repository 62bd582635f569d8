// Pure: the order of an interleaved backlog, as live traffic reaches Kafka. A fixed number of calls are in progress at
// once (slots); each round every call in progress gives its next notification, and a call that has given its last
// one makes room for the next call. So the notifications of one session are about `slots` events apart in the topic
// (a worker sees about one event per session per fetch), and more sessions are active than a worker's cache holds.
// Also the measure of what was made: active sessions per event and how far apart a session's events are.

/** The events of every call, one call's events kept in their order, interleaved over `slots` calls in progress. */
export function* interleave<T>(calls: Iterable<readonly T[]>, slots: number): Generator<T> {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`slots must be a positive integer, got ${slots}`);
  const source = calls[Symbol.iterator]();
  let exhausted = false;
  const nextCall = (): readonly T[] | undefined => {
    while (!exhausted) {
      const step = source.next();
      if (step.done) {
        exhausted = true;
        return undefined;
      }
      if (step.value.length > 0) return step.value;
    }
    return undefined;
  };
  const inProgress: { events: readonly T[]; next: number }[] = [];
  for (let index = 0; index < slots; index++) {
    const events = nextCall();
    if (!events) break;
    inProgress.push({ events, next: 0 });
  }
  while (inProgress.length > 0) {
    for (let index = 0; index < inProgress.length; ) {
      const slot = inProgress[index] as { events: readonly T[]; next: number };
      yield slot.events[slot.next] as T;
      slot.next += 1;
      if (slot.next < slot.events.length) {
        index += 1;
        continue;
      }
      const events = nextCall();
      if (events) {
        inProgress[index] = { events, next: 0 };
        index += 1;
      } else {
        inProgress.splice(index, 1); // no call left to start: the slot closes, the round goes on with the next one
      }
    }
  }
}

export interface SpreadSummary {
  sessions: number;
  events: number;
  /** Sessions begun and not yet at their last event, when an event is produced: mean and peak over the events. */
  meanActiveSessions: number;
  peakActiveSessions: number;
  /** Events of the whole topic between two consecutive events of one session: mean over those pairs. */
  meanEventsApart: number;
}

/** Counts, as events are produced in order, how many sessions are active and how far apart a session's events are. */
export class SessionSpread {
  private readonly remaining = new Map<string, number>();
  private readonly lastPosition = new Map<string, number>();
  private sessions = 0;
  private events = 0;
  private active = 0;
  private activeSum = 0;
  private peak = 0;
  private apartSum = 0;
  private pairs = 0;

  /** A session will give `count` events (called when its call is built, before its first event). */
  expect(sessionId: string, count: number): void {
    this.remaining.set(sessionId, (this.remaining.get(sessionId) ?? 0) + count);
  }

  see(sessionId: string): void {
    const position = this.events;
    this.events += 1;
    const last = this.lastPosition.get(sessionId);
    if (last === undefined) {
      this.sessions += 1;
      this.active += 1;
    } else {
      this.apartSum += position - last;
      this.pairs += 1;
    }
    this.lastPosition.set(sessionId, position);
    this.activeSum += this.active;
    if (this.active > this.peak) this.peak = this.active;
    const left = (this.remaining.get(sessionId) ?? 1) - 1;
    if (left > 0) {
      this.remaining.set(sessionId, left);
    } else {
      this.remaining.delete(sessionId);
      this.lastPosition.delete(sessionId);
      this.active -= 1;
    }
  }

  summary(): SpreadSummary {
    return {
      sessions: this.sessions,
      events: this.events,
      meanActiveSessions: this.events > 0 ? this.activeSum / this.events : 0,
      peakActiveSessions: this.peak,
      meanEventsApart: this.pairs > 0 ? this.apartSum / this.pairs : 0,
    };
  }
}
