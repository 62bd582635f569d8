// npm start's demo mode: without RingCentral credentials, simulated traffic (about one call per second over 200
// extensions, clearly labelled) goes to the local ingest webhook, so live calls and statistics show up at once.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './stack/paths.mjs';

export const demoWanted = () => !process.env.RC_CLIENT_ID && !process.env.RC_JWT && (process.env.CALLPULSE_DEMO ?? '1') !== '0';

async function waitReady(url, signal) {
  while (!signal.aborted) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return true;
    } catch {
      // not up yet
    }
    await sleep(500);
  }
  return false;
}

function printWelcome(apiUrl) {
  // With keys the API wants one (never printed here); without, it answers on loopback, read-only.
  const auth = process.env.API_KEYS ? ` -H 'Authorization: Bearer <a key of API_KEYS>'` : '';
  const lines = [
    '',
    '================ callpulse demo: SIMULATED TRAFFIC (no RingCentral credentials configured) ================',
    `  webhook    POST http://127.0.0.1:${process.env.INGEST_PORT ?? 3000}/webhooks/ringcentral`,
    `  dashboard  ${apiUrl}/`,
    `  GraphQL    ${apiUrl}/graphql`,
    '',
    '  a query:',
    `    curl -s ${apiUrl}/graphql -H 'content-type: application/json'${auth} \\`,
    `      -d '{"query":"{ liveSummary { total idle ringing talking onHold voicemail activeCalls } calls(first: 5) { totalCount edges { node { extensionId direction result startTime ringMs talkMs holdMs } } } }"}'`,
    '',
    '  a subscription (server-sent events):',
    `    curl -N ${apiUrl}/graphql -H 'Accept: text/event-stream' -H 'content-type: application/json'${auth} \\`,
    `      -d '{"query":"subscription { liveSummaryChanged { talking ringing onHold activeCalls } }"}'`,
    '',
    '  Set RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT to use a real RingCentral account instead; CALLPULSE_DEMO=0 turns this off.',
    '==========================================================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

/**
 * Starts the live simulation once ingest and the API are ready; resolves when it stopped. Aborting `hangUp` stops it
 * the way a supervisor would want: the calls in progress hang up (a Disconnected for each open party), so the board
 * does not show them as live until the reaper's stale-after time; aborting `signal` stops it at once.
 */
export async function runDemo(hangUp, signal) {
  const ingestUrl = `http://127.0.0.1:${process.env.INGEST_PORT ?? 3000}`;
  const apiUrl = `http://127.0.0.1:${process.env.API_PORT ?? 4000}`;
  const either = AbortSignal.any([hangUp, signal]);
  if (!(await waitReady(`${ingestUrl}/readyz`, either)) || !(await waitReady(`${apiUrl}/readyz`, either))) return;
  const { runSimulation } = await import(resolve(repoRoot, 'tools/simulator/dist/index.js'));
  printWelcome(apiUrl);
  const progress = { isTTY: false, write: (text) => process.stdout.write(`[simulator ] ${text.trimEnd()}\n`) };
  const summary = await runSimulation(
    {
      live: true,
      rate: 1,
      extensions: 200,
      label: 'simulated demo traffic',
      url: `${ingestUrl}/webhooks/ringcentral`,
      token: process.env.RC_WEBHOOK_VERIFICATION_TOKEN,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      redisPrefix: process.env.REDIS_KEY_PREFIX ?? 'cp:',
      progressIntervalMs: 15000,
    },
    { hangUp, signal, progress },
  );
  if (summary.callsHungUp > 0) progress.write(`stopped: the ${summary.callsHungUp} calls in progress hung up`);
}
