// The firing alerts as signals, for the banner, the navigation's badge and the alerts page: `activeAlerts` once on
// load, then kept by the `alertChanged` subscription over the app's one graphql-ws connection (api/live.ts); every
// reconnection (and a switch to the SSE fallback) queries the snapshot again. The transitions received here are also
// kept (the last 200) for the alerts page's history to show at once.
import { computed, effect, signal } from '@preact/signals';
import { ApiError, gql } from '../api/http.js';
import { connect, connectionEpoch, subscribe, transport } from '../api/live.js';
import { apiKey } from '../state/auth.js';
import {
  type ActiveSet,
  type AlertTransition,
  applyTransition,
  countAlerts,
  emptyActive,
  fromSnapshot,
  transitionFields,
} from './model.js';

export const active = signal<ActiveSet>(emptyActive());
/** The firing alerts, newest first. */
export const firing = computed(() => active.value.firing);
export const alertCounts = computed(() => countAlerts(active.value.firing));
/** Transitions received since the page opened, newest first (at most 200). */
export const received = signal<AlertTransition[]>([]);
/** false when the API has no alerts (an older API): the banner and the page say nothing then. */
export const alertsAvailable = signal(true);
export const alertsLoaded = signal(false);

let stops: Array<() => void> = [];
let loading = 0;
/** Transitions received while a snapshot query is on its way (undefined: none is). */
let buffered: AlertTransition[] | undefined;

function receive(transition: AlertTransition): void {
  active.value = applyTransition(active.value, transition);
  buffered?.push(transition);
  if (!received.value.some((seen) => seen.id === transition.id)) received.value = [transition, ...received.value].slice(0, 200);
}

/** Queries the firing alerts and merges what the subscription brought meanwhile. */
async function loadSnapshot(): Promise<void> {
  const attempt = ++loading;
  const known = new Map(active.value.seqs);
  buffered = [];
  try {
    const data = await gql<{ activeAlerts: AlertTransition[] }>(apiKey.value, `{ activeAlerts { ${transitionFields} } }`);
    if (attempt !== loading) return;
    active.value = fromSnapshot(data.activeAlerts, known, buffered);
    alertsAvailable.value = true;
    alertsLoaded.value = true;
  } catch (err) {
    // An API without alerts answers that the field does not exist: nothing to show, nothing to retry.
    if (err instanceof ApiError && /activeAlerts/.test(err.message)) alertsAvailable.value = false;
  } finally {
    if (attempt === loading) buffered = undefined;
  }
}

function subscribeChanges(): () => void {
  return subscribe<{ alertChanged: AlertTransition }>(
    `subscription { alertChanged { ${transitionFields} } }`,
    {},
    { next: (data) => receive(data.alertChanged) },
  );
}

/** Starts following the alerts with the signed-in key; stops the previous run. */
export function startAlerts(): () => void {
  stopAlerts();
  connect(apiKey.value);
  active.value = emptyActive();
  received.value = [];
  alertsLoaded.value = false;
  let stopChanges = subscribeChanges();
  let lastTransport = transport.value;
  let lastEpoch = connectionEpoch.value;
  const stopEffect = effect(() => {
    const current = transport.value;
    const epoch = connectionEpoch.value;
    // The SSE fallback opens its streams anew; graphql-ws subscribes again by itself after a reconnect.
    if (current !== lastTransport) {
      lastTransport = current;
      stopChanges();
      stopChanges = subscribeChanges();
    }
    if (epoch !== lastEpoch) {
      lastEpoch = epoch;
      void loadSnapshot();
    }
  });
  void loadSnapshot();
  stops = [() => stopChanges(), stopEffect];
  return stopAlerts;
}

function stopAlerts(): void {
  for (const stop of stops) stop();
  stops = [];
}
