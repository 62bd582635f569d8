// The migration lock's decisions on plain data: take a free lock, wait for a beating holder, take over a stale one.
import { describe, expect, it } from 'vitest';
import {
  decideLock,
  lockTableName,
  lockTiming,
  shouldLogWait,
  staleLockTableName,
  stillHolds,
  waitedTooLong,
} from '../src/migrations/lock-rules.js';

const stale = 120_000;

describe('decideLock', () => {
  it('creates the lock when there is none', () => {
    expect(decideLock({ kind: 'free' }, { emptySinceMs: 5 }, 1_000, stale)).toEqual({ next: { action: 'create' }, watch: {} });
  });

  it('waits for a holder whose heartbeat is within the stale limit, the limit itself included', () => {
    for (const heartbeatAgeMs of [0, 60_000, stale]) {
      expect(decideLock({ kind: 'held', holder: 'h1', heartbeatAgeMs }, {}, 1_000, stale).next).toEqual({
        action: 'wait',
        holder: 'h1',
        heartbeatAgeMs,
      });
    }
  });

  it('takes over a holder whose last heartbeat is older than the stale limit', () => {
    const { next } = decideLock({ kind: 'held', holder: 'dead', heartbeatAgeMs: stale + 1000 }, {}, 1_000, stale);
    expect(next).toMatchObject({ action: 'take-over', holder: 'dead' });
  });

  it('judges an empty lock table by how long this waiter has seen it empty', () => {
    const first = decideLock({ kind: 'empty' }, {}, 10_000, stale);
    expect(first).toEqual({ next: { action: 'wait' }, watch: { emptySinceMs: 10_000 } });
    const still = decideLock({ kind: 'empty' }, first.watch, 10_000 + stale, stale);
    expect(still).toEqual({ next: { action: 'wait' }, watch: { emptySinceMs: 10_000 } });
    const over = decideLock({ kind: 'empty' }, still.watch, 10_001 + stale, stale);
    expect(over.next).toEqual({ action: 'take-over', reason: `lock table empty for ${stale + 1} ms` });
    expect(over.watch).toEqual({});
  });

  it('starts counting the empty time again once a heartbeat appeared in between', () => {
    const empty = decideLock({ kind: 'empty' }, {}, 0, stale);
    const held = decideLock({ kind: 'held', holder: 'h', heartbeatAgeMs: 0 }, empty.watch, stale, stale);
    expect(held.watch).toEqual({});
    expect(decideLock({ kind: 'empty' }, held.watch, 2 * stale + 5, stale).next).toEqual({ action: 'wait' });
  });
});

describe('the holder and the stale lock names', () => {
  it('keeps going only while the lock names it', () => {
    expect(stillHolds({ kind: 'held', holder: 'me', heartbeatAgeMs: 999_999 }, 'me')).toBe(true);
    expect(stillHolds({ kind: 'held', holder: 'other', heartbeatAgeMs: 0 }, 'me')).toBe(false);
    expect(stillHolds({ kind: 'empty' }, 'me')).toBe(false);
    expect(stillHolds({ kind: 'free' }, 'me')).toBe(false);
  });

  it('moves a stale lock to one name per stale holder', () => {
    expect(staleLockTableName('host:1:aa')).toBe(staleLockTableName('host:1:aa'));
    expect(staleLockTableName('host:1:aa')).not.toBe(staleLockTableName('host:1:ab'));
    expect(staleLockTableName('host:1:aa')).toMatch(new RegExp(`^${lockTableName}_stale_[0-9a-f]{12}$`));
    expect(staleLockTableName(undefined)).toBe(`${lockTableName}_stale_empty`);
  });
});

describe('timing', () => {
  it('beats eight times and looks four times within the stale limit, looking at most every 2 s', () => {
    expect(lockTiming(120_000)).toEqual({ heartbeatMs: 15_000, pollMs: 2_000 });
    expect(lockTiming(2_000)).toEqual({ heartbeatMs: 250, pollMs: 500 });
  });

  it('logs a wait on the first look, for another holder, and every 30 s', () => {
    expect(shouldLogWait(undefined, 'a', 0)).toBe(true);
    expect(shouldLogWait({ atMs: 0, holder: 'a' }, 'a', 29_999)).toBe(false);
    expect(shouldLogWait({ atMs: 0, holder: 'a' }, 'b', 1)).toBe(true);
    expect(shouldLogWait({ atMs: 0, holder: 'a' }, 'a', 30_000)).toBe(true);
  });

  it('gives up only past a wait limit, and never with limit 0', () => {
    expect(waitedTooLong(0, 10_000_000, 0)).toBe(false);
    expect(waitedTooLong(0, 5_000, 5_000)).toBe(false);
    expect(waitedTooLong(0, 5_001, 5_000)).toBe(true);
  });
});
