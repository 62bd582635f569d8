// The emission gate's rule on plain entries, and the entry a worker writes from its fetches, joins and batches.

import type { RedisKeys } from '@callpulse/contracts';
import { createLogger, type Redis } from '@callpulse/platform';
import { describe, expect, it, vi } from 'vitest';
import { EmissionGateWriter } from '../../src/consumer/emission-gate-writer.js';
import { GATE_WRITE_INTERVAL_MS, type GateEntry, gateVerdict, parseGateEntries } from '../../src/emit/emission-gate.js';

const NOW = 1_800_000_000_000;
const healthy = (over: Partial<GateEntry> = {}): GateEntry => ({
  atMs: NOW - 300,
  fetchedAtMs: NOW - 50,
  joinedAtMs: NOW - 60000,
  behindMs: 0,
  ...over,
});

describe('gateVerdict', () => {
  it('is open with no entry, and with every worker live, fetching and caught up', () => {
    expect(gateVerdict(new Map(), NOW)).toEqual({ closedBecause: undefined, replaced: [] });
    expect(
      gateVerdict(
        new Map([
          ['a', healthy()],
          ['b', healthy({ behindMs: 10000 })],
        ]),
        NOW,
      ).closedBecause,
    ).toBeUndefined();
  });

  it('closes while a worker is silent and nobody took its partitions over', () => {
    const entries = new Map([
      ['a', healthy()],
      ['dead', healthy({ atMs: NOW - 2500 })],
    ]);
    expect(gateVerdict(entries, NOW).closedBecause).toMatch(/worker dead silent for 2500 ms/);
  });

  it('closes at once for a worker leaving the group, until a live worker joined after it', () => {
    const leaving = healthy({ atMs: NOW - 100, leaving: true });
    expect(
      gateVerdict(
        new Map([
          ['a', healthy()],
          ['bye', leaving],
        ]),
        NOW,
      ).closedBecause,
    ).toMatch(/worker bye is leaving the group/);
    expect(
      gateVerdict(
        new Map([
          ['a', healthy({ joinedAtMs: NOW - 50 })],
          ['bye', leaving],
        ]),
        NOW,
      ),
    ).toEqual({
      closedBecause: undefined,
      replaced: ['bye'],
    });
    // Its own join does not count: it is not consuming any more.
    expect(gateVerdict(new Map([['bye', healthy({ atMs: NOW - 100, joinedAtMs: NOW - 50, leaving: true })]]), NOW).closedBecause).toMatch(
      /leaving/,
    );
  });

  it('reads the leaving mark from the hash, and nothing else it does not know', () => {
    const parsed = parseGateEntries({
      bye: JSON.stringify({ ...healthy(), leaving: true }),
      a: JSON.stringify({ ...healthy(), leaving: 'no' }),
    });
    expect(parsed.get('bye')?.leaving).toBe(true);
    expect(parsed.get('a')).toEqual(healthy());
  });

  it('opens once a live worker joined the group after the silent one last wrote, and names it to forget', () => {
    const entries = new Map([
      ['a', healthy({ joinedAtMs: NOW - 1000 })],
      ['dead', healthy({ atMs: NOW - 2500 })],
    ]);
    expect(gateVerdict(entries, NOW)).toEqual({ closedBecause: undefined, replaced: ['dead'] });
  });

  it('closes while a live worker does not fetch (Kafka down, a rebalance) or is more than ten seconds behind', () => {
    expect(gateVerdict(new Map([['a', healthy({ fetchedAtMs: NOW - 2500 })]]), NOW).closedBecause).toMatch(/has not fetched for 2500 ms/);
    expect(gateVerdict(new Map([['a', healthy({ fetchedAtMs: 0 })]]), NOW).closedBecause).toMatch(/has not fetched since it started/);
    expect(gateVerdict(new Map([['a', healthy({ behindMs: 10001 })]]), NOW).closedBecause).toMatch(/10001 ms behind/);
  });

  it('reads entries from the hash, skipping what is not one', () => {
    const entries = parseGateEntries({ a: JSON.stringify(healthy()), b: 'not json', c: '{"fetchedAtMs":1}' });
    expect([...entries.keys()]).toEqual(['a']);
  });
});

describe('EmissionGateWriter.entry', () => {
  const writer = () => new EmissionGateWriter({} as Redis, {} as RedisKeys, 'w', createLogger('test', 'silent'));

  it('is as far behind as the newest record applied in a partition that was not caught up', () => {
    const gate = writer();
    gate.joined([0, 1, 2], NOW - 10000);
    gate.fetched(NOW - 20);
    gate.applied(0, 0, NOW - 9000); // caught up: however old its newest record, it is not behind
    gate.applied(1, 35, NOW - 1500);
    gate.applied(2, 3, NOW - 400);
    expect(gate.entry(NOW)).toEqual({ atMs: NOW, fetchedAtMs: NOW - 20, joinedAtMs: NOW - 10000, behindMs: 1500 });
  });

  it('writes a last entry marked leaving and no more beats when it leaves the group', async () => {
    const written: Array<[string, string, string]> = [];
    const redis = { hset: async (key: string, field: string, value: string) => written.push([key, field, value]) } as unknown as Redis;
    const gate = new EmissionGateWriter(redis, { emissionGate: 'gate' } as RedisKeys, 'w', createLogger('test', 'silent'));
    gate.fetched(NOW - 20);
    vi.useFakeTimers();
    try {
      gate.start();
      await gate.leave(NOW);
      expect(written).toEqual([
        ['gate', 'w', JSON.stringify({ atMs: NOW, fetchedAtMs: NOW - 20, joinedAtMs: 0, behindMs: 0, leaving: true })],
      ]);
      vi.advanceTimersByTime(5 * GATE_WRITE_INTERVAL_MS); // five beats' time
      expect(written).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not wait longer than it may for that entry when Redis does not answer', async () => {
    const redis = { hset: () => new Promise(() => undefined) } as unknown as Redis;
    const gate = new EmissionGateWriter(redis, { emissionGate: 'gate' } as RedisKeys, 'w', createLogger('test', 'silent'));
    const started = Date.now();
    await gate.leave(NOW, 50);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('forgets the partitions it no longer holds when it joins again', () => {
    const gate = writer();
    gate.joined([0, 1], NOW - 10000);
    gate.applied(1, 35, NOW - 5000);
    gate.joined([0], NOW - 100);
    expect(gate.entry(NOW)).toMatchObject({ joinedAtMs: NOW - 100, behindMs: 0 });
  });
});
