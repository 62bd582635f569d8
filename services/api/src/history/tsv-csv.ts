// The CSV export's lines straight from ClickHouse's TabSeparated legs rows (pure): the columns of call-csv.ts, their
// values worked out from the row's fields without building the legs row and the Call node first (four ISO strings
// made and parsed back, two objects of 40 fields per row). Byte for byte what callCsvLine(callFromRow(row)) gives for
// the same row: the export test compares both on every kind of field, edge values included.
import { legRecordColumns } from '@callpulse/contracts';
import { type CsvContext, csvColumns, csvField, seconds } from './call-csv.js';
import { isoInstant } from './time-range.js';
import { tsvText } from './tsv.js';

const at = (column: string): number => {
  const index = (legRecordColumns as readonly string[]).indexOf(column);
  if (index < 0) throw new Error(`legRecordColumns has no ${column}`);
  return index;
};

const f = {
  telephonySessionId: at('telephony_session_id'),
  partyId: at('party_id'),
  extensionId: at('extension_id'),
  direction: at('direction'),
  fromNumber: at('from_number'),
  fromName: at('from_name'),
  toNumber: at('to_number'),
  toName: at('to_name'),
  queueId: at('queue_id'),
  queueName: at('queue_name'),
  result: at('result'),
  endReason: at('end_reason'),
  endedBy: at('ended_by'),
  endedDuringHold: at('ended_during_hold'),
  startMs: at('start_ms'),
  answerMs: at('answer_ms'),
  endMs: at('end_ms'),
  ringMs: at('ring_ms'),
  talkMs: at('talk_ms'),
  holdMs: at('hold_ms'),
  holdCount: at('hold_count'),
  durationMs: at('duration_ms'),
  recorded: at('recorded'),
};

/** The columns the lines read: the export's query sends only these (calls-query.ts, callsExportSql). */
export const csvSourceColumns: readonly string[] = legRecordColumns.filter((_, index) => Object.values(f).includes(index));

/** The export's header must be the one these lines follow. */
const expectedHeaders = [
  'Start',
  'Answered at',
  'Ended at',
  'Extension ID',
  'Extension',
  'Agent',
  'Direction',
  'Result',
  'End reason',
  'Ended by',
  'Ended during hold',
  'From number',
  'From name',
  'To number',
  'To name',
  'Queue ID',
  'Queue',
  'Ring (s)',
  'Talk (s)',
  'Hold (s)',
  'Holds',
  'Duration (s)',
  'Recorded',
  'Telephony session ID',
  'Party ID',
];
if (csvColumns.map((column) => column.header).join('\n') !== expectedHeaders.join('\n')) {
  throw new Error('call-csv.ts columns changed: change tsv-csv.ts with them');
}

/** A text field as CSV (ClickHouse's escapes undone when there are any). */
const text = (field: string | undefined): string => csvField(tsvText(field ?? ''));

/** A time of the row in the export's zone: the Call node's ISO instant read in the zone, null (empty) for none. */
function time(field: string | undefined, context: CsvContext, optional: boolean): string {
  const ms = Number(field ?? '');
  if (optional && !(ms > 0)) return '';
  // isoMs's text starts with a four-digit year and holds no comma or quote: nothing for csvField to do.
  return context.zone.isoMs(ms) ?? csvField(context.zone.iso(isoInstant(ms)));
}

/** The fields of one TabSeparated row of `SELECT <legRecordColumns>`, still escaped. */
export const tsvFields = (line: string): string[] => line.split('\t');

/** The row's extension id (to look it up in the directory before its line is made). */
export const extensionIdOf = (fields: readonly string[]): string => tsvText(fields[f.extensionId] ?? '');

/** The CSV line of one TabSeparated row of `SELECT <legRecordColumns>` (CRLF included). */
export const csvLineFromTsv = (line: string, context: CsvContext): string => csvLineFromFields(tsvFields(line), context);

/** The CSV line of a row's fields (tsvFields). */
export function csvLineFromFields(v: readonly string[], context: CsvContext): string {
  const extensionId = extensionIdOf(v);
  const entry = context.extension(extensionId);
  const flag = (index: number) => (Number(v[index] ?? '') === 1 ? 'true' : 'false');
  const duration = (index: number) => {
    const ms = Number(v[index] ?? '');
    return ms >= 0 ? seconds(ms) : csvField(seconds(ms)); // digits and a point need no care; a minus sign would
  };
  return (
    `${time(v[f.startMs], context, false)},${time(v[f.answerMs], context, true)},${time(v[f.endMs], context, true)},` +
    `${csvField(extensionId)},${csvField(entry?.extensionNumber ?? null)},${csvField(entry?.name ?? null)},` +
    `${text(v[f.direction])},${text(v[f.result])},${text(v[f.endReason])},${text(v[f.endedBy])},${flag(f.endedDuringHold)},` +
    `${text(v[f.fromNumber])},${text(v[f.fromName])},${text(v[f.toNumber])},${text(v[f.toName])},` +
    `${text(v[f.queueId])},${text(v[f.queueName])},${duration(f.ringMs)},${duration(f.talkMs)},${duration(f.holdMs)},` +
    `${csvField(Number(v[f.holdCount] ?? ''))},${duration(f.durationMs)},${flag(f.recorded)},` +
    `${text(v[f.telephonySessionId])},${text(v[f.partyId])}\r\n`
  );
}
