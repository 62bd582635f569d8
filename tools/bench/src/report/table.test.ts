import { describe, expect, it } from 'vitest';
import type { MachineDescription } from '../machine.js';
import { figure } from './result.js';
import { renderTable } from './table.js';

const machine: MachineDescription = {
  cpuModel: 'Test CPU',
  cpuCount: 2,
  memoryGiB: 24,
  os: 'Linux',
  node: 'v20',
  kafka: '4.4.0',
  redis: '7.0',
  clickhouse: '18.16',
  date: '2026-01-01T00:00:00.000Z',
  mode: 'quick',
  loadAverage: '1.00 1.00 1.00',
};

describe('renderTable', () => {
  it('says which goals were met and which missed, with the figure', () => {
    const table = renderTable(machine, [
      {
        part: 'ingest',
        figures: [
          figure('ingest', 'webhooks/s', 12000, '/s', { goal: { op: '>=', value: 10000 } }),
          figure('ingest', 'ratio', 0.4, '', { goal: { op: '>=', value: 0.6 } }),
          figure('ingest', 'p99', null, 'ms', { goal: { op: '<=', value: 150 } }),
        ],
        notes: ['autocannon'],
        seconds: 12,
      },
      { part: 'memory', figures: [], notes: [], error: 'ingest exited with 1', seconds: 1 },
    ]);
    expect(table).toContain('Test CPU x 2, 24 GiB');
    expect(table).toMatch(/webhooks\/s \| 12,000 \/s\s*\| >= 10,000 \/s \| met/);
    expect(table).toMatch(/ratio\s*\| 0.4\s*\| >= 0.6\s*\| MISSED/);
    expect(table).toMatch(/p99\s*\| n\/a\s*\| <= 150 ms\s*\| no figure/);
    expect(table).toMatch(/memory \| FAILED\s*\| ingest exited with 1/);
    expect(table).toContain('- ingest: autocannon');
  });

  it("prints a part's runs side by side after the figures, n/a for a missing cell", () => {
    const table = renderTable(machine, [
      {
        part: 'call-state',
        figures: [figure('call-state', 'events/s', 20000, '/s')],
        notes: [],
        tables: [
          {
            title: 'call-state runs',
            columns: ['run', 'events/s', 'CPU µs/event', 'events/apply'],
            rows: [
              ['interleaved, 1 worker', 18234.4, 52.25, null],
              ['call by call', 21000, 41.5, 9.87],
            ],
          },
        ],
        seconds: 30,
      },
    ]);
    expect(table).toContain('call-state: call-state runs');
    expect(table).toMatch(/\| interleaved, 1 worker \| 18,234\s*\| 52.3\s*\| n\/a\s*\|/);
    expect(table).toMatch(/\| call by call\s*\| 21,000\s*\| 41.5\s*\| 9.87\s*\|/);
    expect(table.indexOf('call-state runs')).toBeLessThan(table.indexOf('Notes:'));
  });
});
