// The CSV export's fast lines (tsv-csv.ts, straight from ClickHouse's TabSeparated fields) are byte for byte the lines
// of the Call node (call-csv.ts over call-node.ts) for the same row: random rows with every kind of awkward field
// (quotes, commas, line breaks, tabs and backslashes as ClickHouse escapes them, formula starts, non-ASCII), times
// absent, at 1970, in years past 9999 and in zones with half-hour and second offsets, numbers past 2^53.
import { legRecordColumns } from '@callpulse/contracts';
import { createRandom } from '@callpulse/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { type CsvContext, callCsvLine, ZoneClock } from '../src/history/call-csv.js';
import { callFromRow } from '../src/history/call-node.js';
import { legRowFromTsv } from '../src/history/tsv.js';
import { csvLineFromTsv } from '../src/history/tsv-csv.js';

const rand = createRandom(20261130).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

/** A value as ClickHouse writes it in TabSeparated. */
const tsvEscaped = (value: string) =>
  value.replace(/[\\\t\n\r\b\f\0']/g, (char) => `\\${{ '\t': 't', '\n': 'n', '\r': 'r', '\b': 'b', '\f': 'f', '\0': '0' }[char] ?? char}`);

const pieces = ['', 'a', 'Ann', ',', '"', '""', '\n', '\r\n', '\t', '\\', "'", '=', '+', '-', '@', ' ', 'é', '☎', '1', 'SUM(A1)'];
const text = () => Array.from({ length: Math.floor(rand() * 4) }, () => pick(pieces)).join('');
const times = [0, 1, 999, 86_400_000, 1_760_500_800_011, 253_402_300_799_999, 253_402_300_800_000, 8_640_000_000_000_000];
const numbers = ['0', '1', '999', '1000', '12345', '9007199254740993', '18446744073709551615'];

function randomRow(): Record<string, string> {
  const row: Record<string, string> = {};
  for (const column of legRecordColumns) row[column] = text();
  for (const column of ['start_ms', 'ring_start_ms', 'answer_ms', 'end_ms'])
    row[column] = String(rand() < 0.5 ? pick(times) : 1_700_000_000_000 + Math.floor(rand() * 1e11));
  for (const column of ['ring_ms', 'talk_ms', 'hold_ms', 'hold_count', 'duration_ms', 'version']) row[column] = pick(numbers);
  for (const column of ['ended_during_hold', 'recorded', 'missed_call']) row[column] = pick(['0', '1']);
  row.extension_id = pick(['ext-1', 'ext-2', 'ext-3', text()]);
  return row;
}

const directory = new Map([
  ['ext-1', { extensionNumber: '101', name: 'Ann "The Boss", Jr.' }],
  ['ext-2', { extensionNumber: '=102', name: '@agent\nsecond line' }],
]);

describe('the export lines straight from TabSeparated rows', () => {
  it('equal the Call node lines on random awkward rows, in every kind of zone', () => {
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Africa/Monrovia', 'Australia/Lord_Howe', 'Pacific/Chatham']) {
      const context: CsvContext = { zone: new ZoneClock(zone), extension: (id) => directory.get(id) };
      for (let i = 0; i < 2000; i++) {
        const row = randomRow();
        const line = legRecordColumns.map((column) => tsvEscaped(row[column] ?? '')).join('\t');
        expect(csvLineFromTsv(line, context)).toBe(callCsvLine(callFromRow(legRowFromTsv(line)), context));
      }
    }
  });

  it('reads the fields ClickHouse escaped', () => {
    const row = randomRow();
    row.from_name = 'a\tb\\c\nd';
    const line = legRecordColumns.map((column) => tsvEscaped(row[column] ?? '')).join('\t');
    const context: CsvContext = { zone: new ZoneClock('UTC'), extension: () => undefined };
    expect(csvLineFromTsv(line, context)).toContain('"a\tb\\c\nd"');
  });
});
