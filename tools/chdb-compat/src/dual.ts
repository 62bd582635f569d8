// Runs each statement on both engines and keeps what went wrong: a statement that fails on either (which engine, its
// message) and answers that differ after normalising (compare.ts). The API's query functions take it as their
// QueryRunner, so every statement they build runs on both, with the settings the API sends; they go on with the
// reference's (18.16's) rows.
import type { QueryRunner } from '../../../services/api/src/history/clickhouse-runner.js';
import { querySettings } from '../../../services/api/src/history/clickhouse-runner.js';
import { type Row, rowDifferences } from './compare.js';
import type { Engine } from './engines.js';

export interface Finding {
  statement: string;
  sql: string;
  problem: string;
}

/** The API's default API_QUERY_TIMEOUT_MS (10 s), as the max_execution_time it sends with every query. */
const apiTimeoutSeconds = 10;

/** Milliseconds spent per engine, by label (for the summary line). */
export const timeSpent = new Map<string, number>();

async function run(engine: Engine, sql: string, settings: Record<string, number | string>): Promise<Row[]> {
  const started = performance.now();
  try {
    const result = await engine.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings });
    return await result.json<Row>();
  } finally {
    timeSpent.set(engine.label, (timeSpent.get(engine.label) ?? 0) + performance.now() - started);
  }
}

const settle = <T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> =>
  promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );

export class DualEngines {
  readonly findings: Finding[] = [];
  /** Statements run on both engines. */
  statements = 0;

  constructor(
    readonly reference: Engine,
    readonly current: Engine,
  ) {}

  /** Runs one statement on both; returns the reference's rows ([] when it failed there: the failure is a finding). */
  async rows(
    statement: string,
    sql: string,
    options: { ordered: boolean; settings?: Record<string, number | string>; captured?: Captured[] },
  ): Promise<Row[]> {
    this.statements += 1;
    const settings = options.settings ?? {};
    // One after the other, so each engine's time is its own.
    const [reference, current] = [await settle(run(this.reference, sql, settings)), await settle(run(this.current, sql, settings))];
    for (const [engine, outcome] of [
      [this.reference, reference],
      [this.current, current],
    ] as const) {
      if (outcome.status === 'rejected') {
        this.findings.push({ statement, sql, problem: `fails on ${engine.label}: ${(outcome.reason as Error).message}` });
      }
    }
    options.captured?.push({ sql, rows: current.status === 'fulfilled' ? current.value : undefined });
    if (reference.status === 'fulfilled' && current.status === 'fulfilled') {
      const differences = rowDifferences(reference.value, current.value, { ordered: options.ordered });
      if (differences.length > 0) {
        this.findings.push({
          statement,
          sql,
          problem: `answers differ (${this.reference.label} against ${this.current.label}):\n    ${differences.join('\n    ')}`,
        });
      }
    }
    return reference.status === 'fulfilled' ? reference.value : [];
  }

  /**
   * The API's runner, with the settings the API sends. Its answers are compared row by row in order (the API shows
   * rows in the order ClickHouse gives them), `unordered` ones sorted first (statements the API reads into maps).
   * What the current engine answered goes into `captured` (undefined where it failed), for replayRunner.
   */
  runner(captured: Captured[] = [], unordered: readonly string[] = []): QueryRunner {
    return {
      rows: async <T>(name: string, query: { text: string }) => {
        const settings = querySettings(query.text, apiTimeoutSeconds);
        return (await this.rows(name, query.text, { ordered: !unordered.includes(name), settings, captured })) as T[];
      },
    };
  }

  /**
   * The findings since `from`, as a report: each statement with what went wrong and its SQL; a failure repeated by
   * many statements of one name (the same message) is shown once with how often, and at most 25 entries.
   */
  report(from = 0): string {
    const entries = new Map<string, { finding: Finding; times: number }>();
    for (const [index, finding] of this.findings.slice(from).entries()) {
      const key = finding.problem.startsWith('fails on') ? `${finding.statement}\n${finding.problem}` : `#${index}`;
      const entry = entries.get(key);
      if (entry) entry.times += 1;
      else entries.set(key, { finding, times: 1 });
    }
    const shown = [...entries.values()].slice(0, 25).map(({ finding, times }) => {
      const often = times > 1 ? ` (${times} statements of this name; the first:)` : '';
      return `${finding.statement}: ${finding.problem}${often}\n  SQL: ${finding.sql}`;
    });
    const more = entries.size > 25 ? [`... and ${entries.size - 25} more`] : [];
    return [...shown, ...more].join('\n\n');
  }
}

/** A statement's SQL and the current engine's answer (undefined: it failed there). */
export interface Captured {
  sql: string;
  rows: Row[] | undefined;
}

/**
 * A runner that answers with the current engine's captured rows without running anything again: the API's function,
 * given the same arguments, asks the same statements (some at once, so they are matched by their text), and so shows
 * what it makes of that engine's answers.
 */
export function replayRunner(captured: Captured[]): QueryRunner {
  const left = [...captured];
  return {
    rows: async <T>(_name: string, query: { text: string }) => {
      const index = left.findIndex((answer) => answer.sql === query.text);
      const answer = left.splice(index, 1)[0];
      if (index < 0 || !answer) throw new Error('the replay asked a statement the run it replays did not');
      if (answer.rows === undefined) throw new Error('the statement failed on the current engine');
      return answer.rows as T[];
    },
  };
}
