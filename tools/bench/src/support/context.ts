// What every part is given: the run's options, the cleanup it registers undo steps with, and progress output.
import type { CapacityArgs } from '../args.js';
import type { Cleanup } from './cleanup.js';

export interface BenchContext {
  quick: boolean;
  cleanup: Cleanup;
  /** When set, service children run with --cpu-prof and write their profiles here. */
  profileDir: string | undefined;
  /** The capacity part's steps from the command line (--capacity-rates, --capacity-step-seconds), if given. */
  capacity?: CapacityArgs;
  /** Progress lines on stderr (the table goes to stdout). */
  log(message: string): void;
}

export function progress(part: string): (message: string) => void {
  return (message) => process.stderr.write(`[bench:${part}] ${message}\n`);
}
