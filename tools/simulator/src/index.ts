// @callpulse/simulator: simulated RingCentral traffic with its ground truth, and the verifier that checks a pipeline
// against it. The CLIs are simulate.ts and verify.ts; everything here runs in-process too (demo mode, benchmarks).
export {
  booleanFlag,
  durationFlag,
  type FlagSpec,
  type FlagTable,
  helpText,
  numberFlag,
  type ParsedFlags,
  parseFlags,
  stringFlag,
  UsageError,
} from './cli/flags.js';
export { parseSimulateArgs, simulateFlags, simulateHelp } from './cli/simulate-args.js';
export { parseVerifyArgs, verifyFlags, verifyHelp } from './cli/verify-args.js';
export { type DirectoryTarget, seedDirectory } from './directory-seed.js';
export { defaultOptions, resolveOptions, type SimulationOptions } from './options.js';
export { formatProgress, type SimulationCounters } from './send/progress.js';
export {
  createWebhookClient,
  outcomeOf,
  type PostOutcome,
  retryAfterMs,
  type WebhookClient,
  type WebhookTarget,
} from './send/webhook-client.js';
export { runSimulation, type SimulationHooks, type SimulationSummary } from './simulation.js';
export { formatSummary } from './summary.js';
export { MAX_EXTENSIONS, type SimulatedAccount, simulatedAccount } from './traffic/account.js';
export { AgentPool } from './traffic/agent-pool.js';
export { type PlannedCall, planCall, truthOf } from './traffic/call-plan.js';
export { type Delivery, type DeliveryOptions, planDeliveries } from './traffic/delivery.js';
export { drawDurations, scaleDurations } from './traffic/durations.js';
export { agentsNeeded, defaultMix, defaultWeights, parseScenarioMix, pickScenario, type ScenarioMix } from './traffic/mix.js';
export { poissonArrivals } from './traffic/poisson.js';
export { createRandom, type Random } from './traffic/random.js';
export { createTraffic, type Traffic, type TrafficOptions, type TrafficStep } from './traffic/traffic.js';
export { createTruthWriter, readTruth, type Truth, type TruthLeg, type TruthLine, type TruthRun, type TruthSession } from './truth.js';
export { type AmendedLeg, type AmendmentReport, amendmentsOf, type FieldChange, type VersionConflict } from './verify/amendments.js';
export { type Comparison, compareWithTruth, comparisonOk, type Difference, type LegRef } from './verify/compare.js';
export { type DrainStatus, groupLag, waitForDrain } from './verify/drain.js';
export {
  behindMark,
  type DrainObservation,
  type DrainState,
  type DrainVerdict,
  drainStep,
  type PartitionCommit,
  type PartitionEnd,
  startDrain,
} from './verify/drain-rule.js';
export { drainText, formatAmendments, formatReport } from './verify/format.js';
export { legRowOfRecord, readRecordedLegVersions } from './verify/record-versions.js';
export { type LegRow, readLegRows, readSessionRows, readStoredLegVersions, type SessionRow } from './verify/rows.js';
export { defaultVerifyOptions, type VerifyOptions, type VerifyReport, verify, verifyTruth } from './verify/run.js';
