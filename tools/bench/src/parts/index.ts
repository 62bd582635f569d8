// The parts of the suite by name, in the order they run.
import type { PartName } from '../args.js';
import type { PartResult } from '../report/result.js';
import type { BenchContext } from '../support/context.js';
import { runAlerts } from './alerts.js';
import { runCallState } from './call-state.js';
import { runCapacity } from './capacity.js';
import { runDashboard } from './dashboard.js';
import { runEndToEnd } from './end-to-end.js';
import { runHistory } from './history.js';
import { runIngest } from './ingest.js';
import { runMemory } from './memory.js';
import { runReporting } from './reporting.js';
import { runStalledSubscriber } from './stalled-subscriber.js';

export type PartRunner = (context: BenchContext) => Promise<Omit<PartResult, 'seconds'>>;

export const parts: Record<PartName, PartRunner> = {
  ingest: runIngest,
  'call-state': runCallState,
  'end-to-end': runEndToEnd,
  capacity: runCapacity,
  'stalled-subscriber': runStalledSubscriber,
  reporting: runReporting,
  history: runHistory,
  memory: runMemory,
  dashboard: runDashboard,
  alerts: runAlerts,
};
