// The calls explorer's rows as CSV (pure): the columns, their header row, one line per leg from the same Call node the
// GraphQL `calls` gives (call-node.ts), times in the chosen zone as ISO-8601 with its offset, durations in seconds
// with milliseconds. RFC 4180: fields are quoted when they hold a comma, a quote, CR or LF, quotes doubled, lines end
// with CRLF. Against CSV injection (a spreadsheet running a cell as a formula), a text cell starting with = + - @, a
// tab or CR gets a leading apostrophe (OWASP's advice): so "+15550100" reads '+15550100.
import type { DirectoryExtension } from '@callpulse/contracts';
import { IANAZone } from 'luxon';
import type { CallNode } from './call-node.js';
import { isoInZone } from './time-range.js';

type Cell = string | number | boolean | null;

export interface CsvContext {
  zone: ZoneClock;
  /** The directory's entry of an extension, when it knows it. */
  extension: (id: string) => Pick<DirectoryExtension, 'extensionNumber' | 'name'> | undefined;
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The columns, in order: header and value. */
export const csvColumns: ReadonlyArray<{ header: string; value: (call: CallNode, context: CsvContext) => Cell }> = [
  { header: 'Start', value: (call, { zone }) => zone.iso(call.startTime) },
  { header: 'Answered at', value: (call, { zone }) => zone.iso(call.answerTime) },
  { header: 'Ended at', value: (call, { zone }) => zone.iso(call.endTime) },
  { header: 'Extension ID', value: (call) => call.extensionId },
  { header: 'Extension', value: (call, { extension }) => extension(call.extensionId)?.extensionNumber ?? null },
  { header: 'Agent', value: (call, { extension }) => extension(call.extensionId)?.name ?? null },
  { header: 'Direction', value: (call) => call.direction },
  { header: 'Result', value: (call) => call.result },
  { header: 'End reason', value: (call) => call.endReason },
  { header: 'Ended by', value: (call) => call.endedBy },
  { header: 'Ended during hold', value: (call) => call.endedDuringHold },
  { header: 'From number', value: (call) => call.from.phoneNumber },
  { header: 'From name', value: (call) => call.from.name },
  { header: 'To number', value: (call) => call.to.phoneNumber },
  { header: 'To name', value: (call) => call.to.name },
  { header: 'Queue ID', value: (call) => call.queueId },
  { header: 'Queue', value: (call) => call.queueName },
  { header: 'Ring (s)', value: (call) => seconds(call.ringMs) },
  { header: 'Talk (s)', value: (call) => seconds(call.talkMs) },
  { header: 'Hold (s)', value: (call) => seconds(call.holdMs) },
  { header: 'Holds', value: (call) => call.holdCount },
  { header: 'Duration (s)', value: (call) => seconds(call.durationMs) },
  { header: 'Recorded', value: (call) => call.recorded },
  { header: 'Telephony session ID', value: (call) => call.telephonySessionId },
  { header: 'Party ID', value: (call) => call.partyId },
];

/** One field: empty for null, true/false for booleans, text neutralised and quoted as needed. */
const needsCare = /^[=+\-@\t\r]|[",\r\n]/;

export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (!needsCare.test(value)) return value; // most fields: one test
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

export const csvHeader = (): string => csvLine(csvColumns.map((column) => column.header));

export const callCsvLine = (call: CallNode, context: CsvContext): string =>
  csvLine(csvColumns.map((column) => column.value(call, context)));

const QUARTER_HOUR_MS = 15 * 60_000;
/** 9999-12-31T23:59:59.999Z */
const LAST_FOUR_DIGIT_YEAR_MS = 253402300799999;

/**
 * Instants as ISO-8601 in one zone with its offset, fast enough for a million rows: the zone's offset is looked up
 * once per quarter of an hour (no zone has changed its offset since 1970 at other times than a quarter hour), and kept
 * for at most a few thousand quarters (constant memory whatever the export's length).
 */
export class ZoneClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();
  /** 'YYYY-MM-DDTHH:MM:' of each local minute written lately (a million rows span a few thousand minutes at a time). */
  private readonly minutes = new Map<number, string>();
  /** Each offset's ISO suffix, e.g. 330 -> '+05:30'. */
  private readonly suffixes = new Map<number, string>();

  constructor(timeZone: string) {
    this.zone = IANAZone.create(timeZone);
  }

  /** The offset in minutes at an instant. */
  offset(ms: number): number {
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      if (this.offsets.size >= 4096) this.offsets.clear();
      offset = this.zone.offset(quarter * QUARTER_HOUR_MS);
      this.offsets.set(quarter, offset);
    }
    return offset;
  }

  /** An ISO-8601 UTC time (as Call gives them) in the zone, e.g. 2026-03-02T10:05:00.000+01:00; null stays null. */
  iso(utc: string | null): string | null {
    if (utc === null) return null;
    const ms = Date.parse(utc);
    if (!Number.isFinite(ms)) return utc;
    return this.format(ms, utc);
  }

  /**
   * iso(isoInstant(ms)) without making and parsing the UTC string, for whole milliseconds of years 1970 to 9999;
   * undefined for any other value (the caller then takes iso's way).
   */
  isoMs(ms: number): string | undefined {
    if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) return undefined;
    return this.format(ms, undefined);
  }

  /**
   * The instant in the zone; `utc` (or the instant's own UTC ISO string) where it cannot be read in the zone. The
   * local minute's text is made once (a Date and its ISO string) and the seconds and milliseconds appended to it.
   */
  private format(ms: number, utc: string | undefined): string {
    const offset = this.offset(ms);
    if (!Number.isInteger(offset)) return isoInZone(ms, this.zone.name); // an offset in seconds (Monrovia until 1972)
    const local = ms + offset * 60_000;
    const minute = Math.floor(local / 60_000);
    let prefix = this.minutes.get(minute);
    if (prefix === undefined) {
      const text = new Date(minute * 60_000).toISOString();
      if (!text.endsWith('Z') || text.length !== 24) return utc ?? new Date(ms).toISOString(); // beyond four-digit years: as stored, in UTC
      if (this.minutes.size >= 4096) this.minutes.clear();
      prefix = text.slice(0, 17);
      this.minutes.set(minute, prefix);
    }
    const within = local - minute * 60_000; // 0 to 59,999
    const second = Math.floor(within / 1000);
    const milli = within - second * 1000;
    return `${prefix}${second < 10 ? '0' : ''}${second}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}${this.suffix(offset)}`;
  }

  private suffix(offset: number): string {
    let suffix = this.suffixes.get(offset);
    if (suffix === undefined) {
      const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
      const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
      suffix = `${offset < 0 ? '-' : '+'}${hours}:${minutes}`;
      this.suffixes.set(offset, suffix);
    }
    return suffix;
  }
}
