// When the pipeline has drained for the truth, as a pure rule over plain offsets: it waits for what was sent before
// verify started (the end offsets of telephony-sessions then), never for zero lag, so other traffic may keep flowing.

export interface PartitionEnd {
  partition: number;
  /** The next offset to be written (Kafka's high watermark). */
  high: number;
  /** The first offset still stored. */
  low: number;
}

export interface PartitionCommit {
  partition: number;
  /** The group's committed offset: the next message it will read; -1 when it committed nothing. */
  offset: number;
}

/** What one poll saw. */
export interface DrainObservation {
  atMs: number;
  callStateCommitted: readonly PartitionCommit[];
  /** End offsets of completed-calls now. */
  completedEnds: readonly PartitionEnd[];
  reportingCommitted: readonly PartitionCommit[];
  /** The truth's sessions with a completed record still due in call-state; undefined when not checked. */
  pendingEmissions: number | undefined;
  /** The truth's rows in ClickHouse (counts and versions): changes whenever a record lands or is amended. */
  rowsFingerprint: string;
}

export interface DrainState {
  /** telephony-sessions' end offsets when verify started: call-state must commit past them. */
  sessionsMark: readonly PartitionEnd[];
  /**
   * completed-calls' end offsets taken the first time call-state had passed its mark with nothing pending: every record
   * of the truth's sessions was produced by then, so reporting must commit past them. Dropped again if that changes.
   */
  completedMark: readonly PartitionEnd[] | undefined;
  rowsFingerprint: string | undefined;
  /** Whether the last poll found everything quiet. */
  quiet: boolean;
  /** Since when everything was quiet and the rows unchanged. */
  stableSinceMs: number;
}

export interface DrainVerdict {
  state: DrainState;
  /** Messages before call-state's mark it has not committed yet. */
  callStateBehind: number;
  /** Messages before reporting's mark it has not committed yet (undefined: no mark yet). */
  reportingBehind: number | undefined;
  quiet: boolean;
  drained: boolean;
}

/** Messages of the marked range (up to each partition's end then) the group has not committed yet. */
export function behindMark(mark: readonly PartitionEnd[], committed: readonly PartitionCommit[]): number {
  return mark.reduce((behind, { partition, high, low }) => {
    const offset = committed.find((entry) => entry.partition === partition)?.offset ?? -1;
    return behind + Math.max(0, high - Math.max(offset, low));
  }, 0);
}

export function startDrain(sessionsMark: readonly PartitionEnd[], atMs: number): DrainState {
  return { sessionsMark, completedMark: undefined, rowsFingerprint: undefined, quiet: false, stableSinceMs: atMs };
}

/** One step of the rule: drained once quiet (both marks passed, nothing pending) and the rows unchanged for settleMs. */
export function drainStep(state: DrainState, seen: DrainObservation, settleMs: number): DrainVerdict {
  const callStateBehind = behindMark(state.sessionsMark, seen.callStateCommitted);
  const upstreamDone = callStateBehind === 0 && (seen.pendingEmissions ?? 0) === 0;
  const completedMark = upstreamDone ? (state.completedMark ?? seen.completedEnds) : undefined;
  const reportingBehind = completedMark === undefined ? undefined : behindMark(completedMark, seen.reportingCommitted);
  const quiet = upstreamDone && reportingBehind === 0;
  const unchanged = seen.rowsFingerprint === state.rowsFingerprint;
  const stableSinceMs = quiet && state.quiet && unchanged ? state.stableSinceMs : seen.atMs;
  return {
    state: { ...state, completedMark, rowsFingerprint: seen.rowsFingerprint, quiet, stableSinceMs },
    callStateBehind,
    reportingBehind,
    quiet,
    drained: quiet && seen.atMs - stableSinceMs >= settleMs,
  };
}
