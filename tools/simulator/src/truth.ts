// The ground-truth file: JSON lines, one per leg and per session summary of every call the simulator fully delivered,
// after one `run` line describing the run. `verify` reads it back.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ExpectedLeg, ExpectedSummary } from '@callpulse/testkit/scenarios';

export const TRUTH_FORMAT = 1;

export interface TruthRun {
  type: 'run';
  format: typeof TRUTH_FORMAT;
  label: string;
  seed: number;
  speed: number;
  startMs: number;
  accountId: string;
  extensions: number;
}

interface CallRef {
  /** The simulator's number of the call (0-based, in arrival order). */
  call: number;
  scenario: string;
}

interface Delivered {
  /**
   * The largest delay between an event of the leg's telephony session and the webhook's acknowledgement of its first
   * copy (ms): disorder, retries and outages all show here. Absent in truth files of older simulators.
   */
  deliveryDelayMs?: number;
}

/** One leg's intended outcome; `endReason` only when the leg's last event carries a `status.reason`. */
export type TruthLeg = { type: 'leg' } & CallRef & ExpectedLeg & { endReason?: string } & Delivered;
export type TruthSession = { type: 'session' } & CallRef & ExpectedSummary & Delivered;
/** A session that must give no record at all (no call: a greeting recording, a number verification). */
export type TruthNoCall = { type: 'no-call'; telephonySessionId: string } & CallRef;
export type TruthLine = TruthRun | TruthLeg | TruthSession | TruthNoCall;

export interface Truth {
  run: TruthRun | undefined;
  legs: TruthLeg[];
  sessions: TruthSession[];
  /** Sessions that must have no leg and no session summary in ClickHouse (absent in older truth files). */
  noCalls?: TruthNoCall[];
}

export interface TruthWriter {
  write(lines: TruthLine[]): void;
  close(): Promise<void>;
}

export function createTruthWriter(file: string): TruthWriter {
  const stream: WriteStream = createWriteStream(file, { encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (err) => {
    failure = err;
  });
  return {
    write: (lines) => {
      if (failure) throw new Error(`writing the truth file ${file} failed: ${failure.message}`);
      if (lines.length > 0) stream.write(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    },
    close: async () => {
      stream.end();
      if (!stream.closed) await once(stream, 'close');
      if (failure) throw new Error(`writing the truth file ${file} failed: ${failure.message}`);
    },
  };
}

const legFields = ['telephonySessionId', 'partyId', 'extensionId', 'result', 'endedBy'] as const;
const sessionFields = ['telephonySessionId', 'direction'] as const;

/** Reads a truth file; throws naming the file, the line and what is wrong with it. */
export async function readTruth(file: string): Promise<Truth> {
  const truth: Truth = { run: undefined, legs: [], sessions: [], noCalls: [] };
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    const where = `${file}:${number}`;
    let line: TruthLine;
    try {
      line = JSON.parse(text) as TruthLine;
    } catch (err) {
      throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
    }
    if (line === null || typeof line !== 'object') throw new Error(`${where}: expected a JSON object`);
    if (line.type === 'run') truth.run = line;
    else if (line.type === 'leg') {
      const missing = legFields.find((field) => typeof line[field] !== 'string');
      if (missing) throw new Error(`${where}: leg line has no string \`${missing}\``);
      truth.legs.push(line);
    } else if (line.type === 'session') {
      const missing = sessionFields.find((field) => typeof line[field] !== 'string');
      if (missing) throw new Error(`${where}: session line has no string \`${missing}\``);
      truth.sessions.push(line);
    } else if (line.type === 'no-call') {
      if (typeof line.telephonySessionId !== 'string') throw new Error(`${where}: no-call line has no string \`telephonySessionId\``);
      truth.noCalls?.push(line);
    } else
      throw new Error(
        `${where}: unknown line type ${JSON.stringify((line as { type?: unknown }).type)} (expected run, leg, session or no-call)`,
      );
  }
  return truth;
}
