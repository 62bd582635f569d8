// The ClickHouse gate on plain promises: at most `total` in flight and `perKey` per key, waiting in arrival order,
// RATE_LIMITED after the wait; and the per-request budget.
import { describe, expect, it } from 'vitest';
import { QueryError } from '../src/errors.js';
import { ClickHouseGate, QueryBudget } from '../src/history/clickhouse-gate.js';

describe('ClickHouse gate', () => {
  it('lets perKey queries of one key and total of all run, the rest wait their turn', async () => {
    const gate = new ClickHouseGate(3, 2, 1000);
    const a1 = await gate.acquire('a');
    await gate.acquire('a');
    const order: string[] = [];
    const a3 = gate.acquire('a').then((release) => {
      order.push('a3');
      return release;
    });
    const b1 = await gate.acquire('b'); // another key still has a slot
    expect(gate.inFlight).toBe(3);
    const b2 = gate.acquire('b').then((release) => {
      order.push('b2');
      return release;
    });
    expect(gate.waiting).toBe(2);
    a1();
    (await a3)();
    b1();
    await b2;
    expect(order).toEqual(['a3', 'b2']);
    a1(); // releasing twice gives back one slot only
    expect(gate.inFlight).toBe(2);
  });

  it('fails a query that waited too long with RATE_LIMITED, and forgets it', async () => {
    const gate = new ClickHouseGate(8, 1, 30);
    const held = await gate.acquire('k');
    const error = await gate.acquire('k').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).code).toBe('RATE_LIMITED');
    expect((error as QueryError).message).toMatch(/at most 1 per API key and 8 per API instance/);
    expect(gate.waiting).toBe(0);
    held();
    (await gate.acquire('k'))();
  });
});

describe('query budget', () => {
  it('counts the queries of one request and refuses those beyond it', () => {
    const budget = new QueryBudget(2);
    budget.take('calls');
    budget.take('calls_count');
    expect(() => budget.take('call_stats')).toThrow(/the call_stats query is beyond this request's budget of 2/);
  });
});
