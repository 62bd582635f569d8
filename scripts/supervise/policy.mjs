// When npm start restarts a service that exited: pure decisions on plain data (the supervisor does the spawning).

/** Exit status 78 (EX_CONFIG): the service's configuration is bad; a restart would fail the same way. */
export const CONFIG_EXIT_CODE = 78;

export const restartPolicy = {
  /** Delay before the first restart; doubled for each further exit in a row. */
  initialDelayMs: 1000,
  /** Longest delay between restarts. */
  maxDelayMs: 30000,
  /** A run at least this long counts as stable: the next exit starts the backoff again from initialDelayMs. */
  stableAfterMs: 60000,
};

/** A service's restart history: how many exits in a row came without a stable run between them. */
export const freshRestarts = () => ({ failures: 0 });

/**
 * What to do when a service exited on its own (not stopped by us).
 * exit: { code, signal, ranMs } as the child's 'exit' event gives them plus how long that run lasted.
 * Returns { action: 'restart', delayMs, state } or { action: 'give-up', reason }.
 */
export function decideOnExit(state, exit, policy = restartPolicy) {
  if (exit.code === CONFIG_EXIT_CODE) return { action: 'give-up', reason: 'bad configuration' };
  const failures = exit.ranMs >= policy.stableAfterMs ? 0 : state.failures;
  const delayMs = Math.min(policy.initialDelayMs * 2 ** failures, policy.maxDelayMs);
  return { action: 'restart', delayMs, state: { failures: failures + 1 } };
}

/** "code 70" or "signal SIGKILL". */
export const describeExit = ({ code, signal }) => (signal ? `signal ${signal}` : `code ${code}`);

/** "1 s", "2.5 s". */
export const describeDelay = (ms) => `${Number((ms / 1000).toFixed(1))} s`;
