// Time elapsed since an instant, ticking with the one clock: only this small component reads `now`, so a tick
// re-renders the timers on screen and nothing around them.
import { duration } from '../format.js';
import { now } from '../state/clock.js';

export function Since({ at, extraMs = 0 }: { at: number | null; extraMs?: number }) {
  return <span class="timer">{at === null ? '–' : duration(now.value - at + extraMs)}</span>;
}
