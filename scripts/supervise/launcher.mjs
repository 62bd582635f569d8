// Notices that the process which launched this one is gone. `npm start` runs start.mjs under npm and a shell; a SIGTERM
// to npm's pid (a process manager, `kill <pid>`) ends npm and its shell without passing the signal on, which would
// leave start.mjs, its services and the stack servers running with no one to stop them. Only under npm (a run by hand,
// e.g. `nohup node scripts/start.mjs &`, is meant to outlive its shell), polled: Linux tells a child nothing when its
// parent ends, and its parent pid then changes to the reaper's.

/** Calls onGone once when this process' parent changes, if npm launched it; returns a function that stops watching. */
export function watchLauncher(onGone, { everyMs = 1000, env = process.env } = {}) {
  if (!env.npm_lifecycle_event) return () => undefined;
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    onGone(launcher);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
