// Connection health: connected, reconnecting, or stale (no event for STALE_MS) with the age of the last event.
import { useComputed } from '@preact/signals';
import { lastEventAt, linkState, transport } from '../api/live.js';
import { duration } from '../format.js';
import { now, serverOffset } from '../state/clock.js';

export const STALE_MS = 30_000;

/** 'live' | 'stale' | 'reconnecting' | 'connecting' | 'refused', and the age of the last event. */
export const health = () =>
  useComputed(() => {
    const age = lastEventAt.value === 0 ? 0 : Math.max(0, now.value - serverOffset.value - lastEventAt.value);
    const state = linkState.value;
    const shown = state === 'connected' ? (age > STALE_MS ? 'stale' : 'live') : state;
    return { shown, age };
  });

export function Health() {
  const view = health();
  const { shown, age } = view.value;
  const text =
    shown === 'live'
      ? 'Live'
      : shown === 'stale'
        ? `Stale · last event ${duration(age)} ago`
        : shown === 'reconnecting'
          ? `Reconnecting… · last event ${duration(age)} ago`
          : shown === 'refused'
            ? 'Key refused'
            : 'Connecting…';
  return (
    <span class={`health health-${shown}`} role="status" aria-live="polite" title={`transport: ${transport.value}`}>
      <span class="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
