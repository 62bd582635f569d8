// In-process fan-out of live messages to this instance's GraphQL subscribers, each with a bounded queue. A subscriber
// that falls more than `limit` messages behind (a client that stopped reading its socket) is dropped: its queue is
// cleared and it receives one SubscriberTooSlow marker (its subscription then ends with an error). Publishing never
// throws and never waits, whatever a subscriber does, so a slow client costs its own subscription, never the process.
// (yoga's createPubSub pushes into an unbuffered Repeater, which throws inside an event listener at 1,024 pending values.)

/** The last value a dropped subscriber receives. */
export class SubscriberTooSlow {
  constructor(readonly limit: number) {}
}

export interface SubscribeOptions<T> {
  /** Only matching values are queued (and count against the limit). */
  accept?: (value: T) => boolean;
  /** A value to deliver before anything published (e.g. the current state); a rejection is skipped. */
  first?: () => Promise<T>;
  /** Called once when the subscriber leaves (closed, ended or dropped). */
  onClose?: () => void;
  /** Called when the subscriber is dropped for falling behind. */
  onDrop?: () => void;
}

export interface FanoutOptions {
  /** Queued values per subscriber beyond which it is dropped. */
  limit: number;
  onError?: (err: unknown, topic: string) => void;
}

type Delivered<T> = T | SubscriberTooSlow;

class Subscriber<T> implements AsyncIterableIterator<Delivered<T>> {
  private queue: Array<Delivered<T>> = [];
  private head = 0;
  private waiting: ((result: IteratorResult<Delivered<T>>) => void) | undefined;
  private first: (() => Promise<T>) | undefined;
  private state: 'open' | 'dropped' | 'closed' = 'open';

  constructor(
    private readonly limit: number,
    private readonly options: SubscribeOptions<T>,
    private readonly detach: () => void,
  ) {
    this.first = options.first;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  offer(value: T): void {
    if (this.state !== 'open') return;
    if (this.options.accept && !this.options.accept(value)) return;
    if (this.waiting && this.first === undefined) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value, done: false });
      return;
    }
    this.queue.push(value);
    if (this.pending > this.limit) this.drop();
  }

  private drop(): void {
    this.state = 'dropped';
    this.queue = [new SubscriberTooSlow(this.limit)];
    this.head = 0;
    this.leave();
    this.options.onDrop?.();
  }

  private leave(): void {
    this.detach();
    const onClose = this.options.onClose;
    this.options.onClose = undefined;
    onClose?.();
  }

  async next(): Promise<IteratorResult<Delivered<T>>> {
    if (this.first !== undefined) {
      const first = this.first;
      this.first = undefined;
      const value = await first().then(
        (found) => ({ found }),
        () => undefined,
      );
      if (value !== undefined && this.state === 'open') return { value: value.found, done: false };
    }
    if (this.pending > 0) {
      const value = this.queue[this.head] as Delivered<T>;
      this.head += 1;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return { value, done: false };
    }
    if (this.state !== 'open') {
      this.close();
      return { value: undefined, done: true };
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private close(): void {
    this.state = 'closed';
    this.queue = [];
    this.head = 0;
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
    this.leave();
  }

  async return(): Promise<IteratorResult<Delivered<T>>> {
    this.close();
    return { value: undefined, done: true };
  }

  async throw(): Promise<IteratorResult<Delivered<T>>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Delivered<T>> {
    return this;
  }
}

export class Fanout<Topics extends Record<string, unknown>> {
  // biome-ignore lint/suspicious/noExplicitAny: one set per topic, each of that topic's value type
  private readonly subscribers = new Map<keyof Topics, Set<Subscriber<any>>>();

  constructor(private readonly options: FanoutOptions) {}

  subscribe<K extends keyof Topics & string>(
    topic: K,
    options: SubscribeOptions<Topics[K]> = {},
  ): AsyncIterableIterator<Delivered<Topics[K]>> {
    let set = this.subscribers.get(topic);
    if (!set) {
      set = new Set();
      this.subscribers.set(topic, set);
    }
    const subscribers = set;
    const subscriber: Subscriber<Topics[K]> = new Subscriber(this.options.limit, options, () => subscribers.delete(subscriber));
    subscribers.add(subscriber);
    return subscriber;
  }

  /** Queues value for every subscriber of topic; never throws. */
  publish<K extends keyof Topics & string>(topic: K, value: Topics[K]): void {
    for (const subscriber of this.subscribers.get(topic) ?? []) {
      try {
        subscriber.offer(value);
      } catch (err) {
        this.options.onError?.(err, topic);
      }
    }
  }

  /** Subscribers of topic now. */
  count(topic: keyof Topics): number {
    return this.subscribers.get(topic)?.size ?? 0;
  }
}
