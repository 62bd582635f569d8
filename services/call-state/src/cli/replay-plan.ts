// Pure: where each partition of the telephony-sessions topic restarts for a replay. Never forwards: a partition whose
// committed offset is already before the time stays where it is.
export interface PartitionReplay {
  partition: number;
  committed: string;
  offset: string;
  replayed: number;
}

type Offsets = Array<{ partition: number; offset: string }>;

export function planReplay(atTime: Offsets, ends: Array<{ partition: number; high: string }>, committed: Offsets): PartitionReplay[] {
  return ends
    .map(({ partition, high }) => {
      const stored = committed.find((p) => p.partition === partition)?.offset ?? '-1';
      const at = atTime.find((p) => p.partition === partition)?.offset ?? high;
      const from = BigInt(at === '-1' ? high : at);
      const current = BigInt(stored === '-1' ? '0' : stored);
      const offset = from < current ? from : current;
      return { partition, committed: stored, offset: offset.toString(), replayed: Number(BigInt(high) - offset) };
    })
    .sort((a, b) => a.partition - b.partition);
}
