// verify(truthFile, options): waits for the pipeline to drain, reads ClickHouse for the truth's sessions, compares, and
// reports the legs that were amended after their first record.
import { redisKeys, topicNames } from '@callpulse/contracts';
import { createClickHouseClient, createKafka, createLogger, createRedis } from '@callpulse/platform';
import { readTruth, type Truth, type TruthRun } from '../truth.js';
import { type AmendmentReport, amendmentsOf } from './amendments.js';
import { type Comparison, compareWithTruth, comparisonOk } from './compare.js';
import { type DrainResult, type DrainStatus, waitForDrain } from './drain.js';
import { readRecordedLegVersions } from './record-versions.js';
import { readLegRows, readSessionRows, readStoredLegVersions } from './rows.js';

export interface VerifyOptions {
  clickhouseUrl: string;
  clickhouseUser: string;
  clickhousePassword: string;
  database: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  callStateGroup: string;
  reportingGroup: string;
  /** Redis of call-state, to see emissions still pending for the truth's sessions; undefined: not checked. */
  redisUrl: string | undefined;
  redisPrefix: string;
  /** Longest wait for the pipeline to drain. */
  timeoutMs: number;
  /** How long everything must stay quiet and unchanged to count as drained. */
  settleMs: number;
  pollMs: number;
  /** Largest difference of a time or duration that still matches (ms). */
  toleranceMs: number;
  /**
   * call-state's CALL_STATE_GRACE_MS: amended legs of sessions with an event delivered later than this after its event
   * time are counted apart ("delayed past the grace").
   */
  graceMs: number;
  /**
   * Where the earlier versions of amended legs are read: `legs-log` (ClickHouse's legs table; cheap, but merges drop
   * superseded versions soon) or `topic` (every record of the truth's sessions in completed-calls, read from the
   * beginning: exact, and it also finds two records of one version with different contents).
   */
  firstVersions: 'legs-log' | 'topic';
  signal?: AbortSignal;
  onStatus?: (status: DrainStatus) => void;
}

export const defaultVerifyOptions: VerifyOptions = {
  clickhouseUrl: 'http://127.0.0.1:8123',
  clickhouseUser: 'default',
  clickhousePassword: '',
  database: 'callpulse',
  kafkaBrokers: ['127.0.0.1:9092'],
  topicPrefix: '',
  callStateGroup: 'callpulse-call-state',
  reportingGroup: 'callpulse-reporting',
  redisUrl: 'redis://127.0.0.1:6379',
  redisPrefix: 'cp:',
  timeoutMs: 120_000,
  settleMs: 4000,
  pollMs: 500,
  toleranceMs: 1,
  graceMs: 3000,
  firstVersions: 'legs-log',
};

export interface VerifyReport extends Comparison {
  ok: boolean;
  truthFile: string | undefined;
  run: TruthRun | undefined;
  drain: DrainResult;
  amendments: AmendmentReport;
}

export async function verify(truthFile: string, options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  return { ...(await verifyTruth(await readTruth(truthFile), options)), truthFile };
}

/** The same for a truth already in memory. */
export async function verifyTruth(truth: Truth, given: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  const options = { ...defaultVerifyOptions, ...given };
  if (truth.legs.length === 0 && truth.sessions.length === 0) throw new Error('the truth has no legs and no sessions: nothing to verify');
  const sessionIds = [...new Set([...truth.legs, ...truth.sessions, ...(truth.noCalls ?? [])].map((line) => line.telephonySessionId))];
  const logger = createLogger('verify', process.env.LOG_LEVEL ?? 'silent');
  const kafka = createKafka({ clientId: 'callpulse-verify', brokers: options.kafkaBrokers, logger, retry: { retries: 3 } });
  const admin = kafka.admin();
  const clickhouse = createClickHouseClient({
    url: options.clickhouseUrl,
    username: options.clickhouseUser,
    password: options.clickhousePassword,
    application: 'callpulse-verify',
  });
  const redis = options.redisUrl ? createRedis(options.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', () => undefined);
  try {
    await admin.connect().catch((err: Error) => {
      throw new Error(`cannot reach Kafka at ${options.kafkaBrokers.join(',')}: ${err.message}`);
    });
    const drain = await waitForDrain(
      {
        admin,
        topics: topicNames(options.topicPrefix),
        callStateGroup: options.callStateGroup,
        reportingGroup: options.reportingGroup,
        redis: redis ? { client: redis, keys: redisKeys(options.redisPrefix) } : undefined,
        clickhouse,
        database: options.database,
      },
      sessionIds,
      options,
      options.onStatus,
      options.signal,
    );
    const [legRows, sessionRows] = await Promise.all([
      readLegRows(clickhouse, options.database, sessionIds),
      readSessionRows(clickhouse, options.database, sessionIds),
    ]);
    const comparison = compareWithTruth(truth, legRows, sessionRows, options.toleranceMs);
    const amendedSessions = [...new Set(legRows.filter((row) => row.version > 1).map((row) => row.telephonySessionId))];
    const storedRows =
      options.firstVersions === 'topic'
        ? await readRecordedLegVersions(kafka, topicNames(options.topicPrefix).completedCalls, new Set(sessionIds))
        : await readStoredLegVersions(clickhouse, options.database, amendedSessions);
    const sessionVersions = sessionRows.map((row) => row.version);
    const amendments = amendmentsOf(truth, legRows, storedRows, sessionVersions, options.graceMs, options.firstVersions);
    return { ...comparison, ok: drain.drained && comparisonOk(comparison), truthFile: undefined, run: truth.run, drain, amendments };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await clickhouse.close();
    redis?.disconnect();
  }
}
