// The one ticking clock: `now` changes once a second (on the second), so only what shows a time re-renders. Times
// from the server are corrected by the offset between the server's clock and this browser's (serverOffset).
import { signal } from '@preact/signals';

/** Milliseconds to add to Date.now() to get the server's time (estimated from the board's messages). */
export const serverOffset = signal(0);
export const now = signal(Date.now());

let timer: ReturnType<typeof setTimeout> | undefined;

function tick(): void {
  now.value = Date.now() + serverOffset.value;
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

export function startClock(): void {
  if (timer === undefined) tick();
}

/** A server time from a message received just now: the offset follows it, smoothed against jitter. */
export function observeServerTime(serverMs: number): void {
  const offset = serverMs - Date.now();
  const current = serverOffset.value;
  serverOffset.value = Math.abs(offset - current) > 5000 ? offset : Math.round(current * 0.8 + offset * 0.2);
}
