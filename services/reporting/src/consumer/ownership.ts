// Which partitions this instance owns right now: the fence checked before every ClickHouse write and every commit,
// so an instance never writes or commits for a partition the group has given to another. Plain state, fed by the
// consumer's group events (join, rebalance, crash, heartbeat).

/** What a message fetched in `epoch` from `partition` may do now. */
export type OwnershipStatus =
  /** The partition is still ours since that fetch, and the group heard from us recently: write and commit. */
  | 'owned'
  /** Not ours any more (or ours again since, and read again from the committed offset): drop it, never commit it. */
  | 'revoked'
  /** Still ours as far as we know, but no heartbeat got through for a while: wait before writing. */
  | 'unsure';

export class Ownership {
  private epochNow = 0;
  private owned = new Set<number>();
  private since = 0;
  private renewedAt: number | undefined;

  /**
   * leaseMs: how long after the last successful heartbeat this instance still counts as a member. It must be
   * shorter than the group's session timeout (minus a request's round trip), after which the coordinator may give
   * the partitions to another member without this one hearing of it.
   */
  constructor(
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bumped at every join and every revocation; a message carries the epoch it was fetched in. */
  get epoch(): number {
    return this.epochNow;
  }

  get partitions(): number[] {
    return [...this.owned];
  }

  /** A member of the group (joined, not revoked since). */
  get member(): boolean {
    return this.renewedAt !== undefined;
  }

  /** When the current assignment began (ms). */
  get assignedAt(): number {
    return this.since;
  }

  /** The group gave us these partitions. kafkajs then reads each from its committed offset, so a new epoch starts. */
  joined(partitions: number[]): void {
    this.epochNow++;
    this.owned = new Set(partitions);
    this.since = this.now();
    this.renewedAt = this.since;
  }

  /** A rebalance began, the consumer crashed or stopped: nothing is ours until the next join. */
  revoked(): void {
    this.epochNow++;
    this.owned = new Set();
    this.renewedAt = undefined;
  }

  /** A heartbeat got through: the group still counts us in. */
  renewed(): void {
    if (this.renewedAt !== undefined) this.renewedAt = this.now();
  }

  /** The epoch to stamp on a message of `partition` fetched now, or undefined when the partition is not ours. */
  stamp(partition: number): number | undefined {
    return this.owned.has(partition) ? this.epochNow : undefined;
  }

  status(partition: number, epoch: number): OwnershipStatus {
    if (epoch !== this.epochNow || !this.owned.has(partition)) return 'revoked';
    return this.leaseHeld() ? 'owned' : 'unsure';
  }

  /** Ours now, in whatever epoch, with a fresh lease: for re-checks of rows written in an earlier epoch. */
  holds(partition: number): OwnershipStatus {
    if (!this.owned.has(partition)) return 'revoked';
    return this.leaseHeld() ? 'owned' : 'unsure';
  }

  private leaseHeld(): boolean {
    return this.renewedAt !== undefined && this.now() - this.renewedAt < this.leaseMs;
  }
}
