// Wires the API's live data into the board: one WebSocket, five subscriptions (agents, queues, completed calls, and in
// the chosen zone today's figures and the KPIs' past hour). Each subscription delivers its current value first, so a reconnect (graphql-ws
// subscribes again on the new socket) reloads the snapshot by itself; the ticker is reloaded from history.
import { effect } from '@preact/signals';
import { gql } from '../api/http.js';
import { connect, connectionEpoch, subscribe, transport } from '../api/live.js';
import type { AgentsChange, CompletedCall, KpiHistory, QueueLive, TodayStats } from '../types.js';
import { agentsSubscription, endpointFields } from './agents-subscription.js';
import { apiKey } from './auth.js';
import { addCompleted, applyAgents, queues, resetBoard, today } from './board.js';
import { observeServerTime } from './clock.js';
import { applyHistory, resetHistory } from './history.js';
import { timeZone } from './settings.js';

const endpoint = endpointFields;
const queuesSubscription =
  'subscription { queueLiveChanged { queueId queueName waiting longestWaitSince agentsFree agentsBusy agentsKnown } }';
const todayFields =
  'timeZone since updatedAt offered answered missed abandoned serviceLevel serviceLevelSeconds averageSpeedOfAnswerMs longestWaitMs agents { extensionId calls inbound outbound answered missed talkMs }';
const historyFields =
  'timeZone snapshot liveStepSeconds todayStepSeconds live { at agents idle ringing talking onHold voicemail activeCalls waiting longestWaitMs } today { at offered answered missed abandoned serviceLevel averageSpeedOfAnswerMs }';
const completedFields = `telephonySessionId partyId extensionId direction result startTime endTime ringMs talkMs queueName from { ${endpoint} } to { ${endpoint} }`;

let stops: Array<() => void> = [];

/** Starts the live feed with the signed-in key; stops the previous one. */
export function startFeed(): () => void {
  stopFeed();
  connect(apiKey.value);
  const run = () => {
    for (const stop of stops) stop();
    stops = [];
    stops.push(
      subscribe<{ agentStatesChanged: AgentsChange }>(
        agentsSubscription,
        {},
        {
          next: (data) => {
            observeServerTime(Date.parse(data.agentStatesChanged.at));
            applyAgents(data.agentStatesChanged);
          },
        },
      ),
      subscribe<{ queueLiveChanged: QueueLive[] }>(queuesSubscription, {}, { next: (data) => (queues.value = data.queueLiveChanged) }),
      subscribe<{ callCompleted: CompletedCall }>(
        `subscription { callCompleted { ${completedFields} } }`,
        {},
        { next: (data) => addCompleted(data.callCompleted) },
      ),
    );
    void loadRecent();
  };
  // The SSE fallback opens its streams anew; with graphql-ws the client re-subscribes itself after a reconnect.
  let lastTransport = transport.value;
  const stopTransport = effect(() => {
    const current = transport.value;
    connectionEpoch.value;
    if (current !== lastTransport) {
      lastTransport = current;
      resetBoard();
      run();
    } else if (current === 'websocket') void loadRecent();
  });
  run();
  // Today's figures and the KPIs' past hour follow the chosen zone.
  let stopToday: (() => void) | undefined;
  let stopHistory: (() => void) | undefined;
  const stopZone = effect(() => {
    const zone = timeZone.value;
    transport.value;
    stopToday?.();
    stopHistory?.();
    today.value = undefined;
    resetHistory();
    stopToday = subscribe<{ todayStatsChanged: TodayStats }>(
      `subscription($zone: String) { todayStatsChanged(timeZone: $zone) { ${todayFields} } }`,
      { zone },
      { next: (data) => (today.value = data.todayStatsChanged) },
    );
    stopHistory = subscribe<{ kpiHistoryChanged: KpiHistory }>(
      `subscription($zone: String) { kpiHistoryChanged(timeZone: $zone) { ${historyFields} } }`,
      { zone },
      { next: (data) => applyHistory(data.kpiHistoryChanged) },
    );
  });
  stops.push(
    () => stopToday?.(),
    () => stopHistory?.(),
    stopZone,
    stopTransport,
  );
  return stopFeed;
}

function stopFeed(): void {
  for (const stop of stops) stop();
  stops = [];
}

/** The last completed calls (once at start and after a reconnect). */
async function loadRecent(): Promise<void> {
  try {
    const data = await gql<{ calls: { edges: Array<{ node: CompletedCall }> } }>(
      apiKey.value,
      `{ calls(first: 20) { edges { node { ${completedFields} } } } }`,
    );
    addCompleted(...data.calls.edges.map((edge) => edge.node));
  } catch {
    // history is optional for the live view
  }
}
