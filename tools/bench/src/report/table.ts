// The printed table: one row per figure, a status column against the goal, then each part's notes.
import type { MachineDescription } from '../machine.js';
import type { Figure, PartResult, RunTable } from './result.js';

function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function formatValue(figure: Figure): string {
  if (figure.value === null) return 'n/a';
  return `${formatNumber(figure.value)} ${figure.unit}`.trim();
}

function formatCell(cell: string | number | null): string {
  if (cell === null) return 'n/a';
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

/** A part's runs side by side, under a title line. */
export function renderRunTable(part: string, table: RunTable): string {
  return [`${part}: ${table.title}`, renderRows([table.columns, ...table.rows.map((row) => row.map(formatCell))])].join('\n');
}

function formatGoal(figure: Figure): string {
  if (!figure.goal) return '';
  return `${figure.goal.op} ${figure.goal.value.toLocaleString('en-US')} ${figure.unit}`.trim();
}

function status(figure: Figure): string {
  if (figure.met === null) return figure.goal ? 'no figure' : '';
  return figure.met ? 'met' : 'MISSED';
}

function renderRows(rows: string[][]): string {
  const widths = rows[0]?.map((_cell, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export function renderMachine(machine: MachineDescription): string {
  return [
    `Machine: ${machine.cpuModel} x ${machine.cpuCount}, ${machine.memoryGiB} GiB memory, ${machine.os}`,
    `Versions: Node ${machine.node}, Kafka ${machine.kafka}, Redis ${machine.redis}, ClickHouse ${machine.clickhouse}`,
    `Run: ${machine.date}, ${machine.mode}${machine.loadAverage ? `, load average at start ${machine.loadAverage}` : ''}`,
  ].join('\n');
}

export function renderTable(machine: MachineDescription, parts: PartResult[]): string {
  const rows = [['Part', 'Measure', 'Value', 'Goal', 'Status']];
  for (const part of parts) {
    for (const figure of part.figures) rows.push([figure.part, figure.measure, formatValue(figure), formatGoal(figure), status(figure)]);
    if (part.error) rows.push([part.part, 'FAILED', part.error.split('\n')[0]?.slice(0, 100) ?? '', '', 'ERROR']);
  }
  const notes = parts.flatMap((part) => [
    ...part.notes.map((note) => `- ${part.part}: ${note}`),
    ...part.figures.filter((figure) => figure.note).map((figure) => `- ${figure.part} / ${figure.measure}: ${figure.note}`),
    `- ${part.part}: took ${Math.round(part.seconds)} s`,
  ]);
  const runTables = parts.flatMap((part) => (part.tables ?? []).map((table) => ['', renderRunTable(part.part, table)])).flat();
  return [renderMachine(machine), '', renderRows(rows), ...runTables, '', 'Notes:', ...notes].join('\n');
}
