// Part "stalled-subscriber": the whole pipeline at 2,000 events/s while one graphql-ws subscriber stops reading its
// socket and another stays healthy. Reported: whether the API stayed up, the healthy subscriber's latency (webhook sent
// -> message received) next to the pipeline's own (Redis), whether the stalled subscriptions were dropped (and what the
// client finds when it reads again: their errors, or a socket the API closed), and the API's resident memory before,
// at its peak and after. All services as child processes.
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { type Figure, figure, type PartResult } from '../report/result.js';
import { apiAvailable, graphqlPath } from '../support/api.js';
import { residentBytes } from '../support/children.js';
import type { BenchContext } from '../support/context.js';
import { isolate } from '../support/isolation.js';
import { startService } from '../support/services.js';
import { percentile, round } from '../support/stats.js';
import { waitFor } from '../support/wait.js';
import { LiveLatency } from '../traffic/live-latency.js';
import { subscribeApiLegChanges, subscribeRedisLegChanges } from '../traffic/live-source.js';
import { sendAtRate, WebhookSender } from '../traffic/sender.js';
import { timedTraffic } from '../traffic/timed-calls.js';

const RATE = 2000;
const EXTENSIONS = 500;
const MiB = 1024 * 1024;
/**
 * Subscriptions on the stalled socket: each message is sent once per subscription, so the socket's kernel buffers
 * (up to tens of MiB on loopback) fill within seconds, and every one of them must be dropped.
 */
const STALLED_SUBSCRIPTIONS = 10;

/** Every field of ActiveCall: the largest messages, so the stalled socket's kernel buffers fill soonest. */
const stalledQuery = `subscription { activeCallChanged { telephonySessionId partyId extensionId accountId direction status statusCode
  statusSince from { phoneNumber name extensionId } to { phoneNumber name extensionId } queueId queueName startTime ringStartTime
  answerTime endTime ringMs talkMs holdMs holdCount ended result endedBy updatedAt } }`;

interface StalledClient {
  /** When its socket closed (ms); a paused socket notices it only when it reads again. */
  closedAt: number | undefined;
  messages: Array<{ id?: string; type: string; payload?: { errors?: Array<{ message: string; extensions?: { code?: string } }> } }>;
  stall: () => void;
  resume: () => void;
  close: () => void;
}

/** A graphql-ws client on a bare socket: subscribes, then stops reading its TCP socket on stall(). */
async function stalledClient(apiUrl: string): Promise<StalledClient> {
  const url = new URL(graphqlPath, apiUrl);
  url.protocol = 'ws:';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: StalledClient['messages'] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await waitFor(() => messages.some((message) => message.type === 'connection_ack'), { timeoutMs: 10000, what: 'connection_ack' });
  for (let i = 0; i < STALLED_SUBSCRIPTIONS; i++) {
    socket.send(JSON.stringify({ id: `stalled-${i}`, type: 'subscribe', payload: { query: stalledQuery } }));
  }
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  const client: StalledClient = {
    closedAt: undefined,
    messages,
    stall: () => tcp.pause(),
    resume: () => tcp.resume(),
    close: () => socket.terminate(),
  };
  // A socket that stops reading stops answering graphql-ws' keep-alive pings; the server then terminates it.
  tcp.once('close', () => {
    client.closedAt ??= Date.now();
  });
  return client;
}

async function metric(apiUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', apiUrl))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export async function runStalledSubscriber(context: BenchContext): Promise<Omit<PartResult, 'seconds'>> {
  const part = 'stalled-subscriber';
  if (!(await apiAvailable())) {
    return { part, figures: [], notes: ['the API service is not built (npm run build): nothing to measure'] };
  }
  const seconds = context.quick ? 12 : 30;
  const isolation = isolate(context, 'stall', { database: true });
  const ingest = await startService(context, 'ingest', isolation);
  await startService(context, 'call-state', isolation);
  await startService(context, 'reporting', isolation);
  const api = await startService(context, 'api', isolation);

  const live = new LiveLatency();
  const redisSource = await subscribeRedisLegChanges(isolation.redisPrefix, (message) => live.redis.push(message));
  context.cleanup.add('close the Redis subscription', () => redisSource.close());
  const healthy = await subscribeApiLegChanges(api.url, (message) => live.api.push(message));
  context.cleanup.add('close the healthy subscription', () => healthy.close().catch(() => undefined));
  const stalled = await stalledClient(api.url);
  context.cleanup.add('close the stalled socket', async () => stalled.close());
  await waitFor(async () => (await metric(api.url, 'callpulse_api_active_subscriptions')) >= STALLED_SUBSCRIPTIONS + 1, {
    timeoutMs: 10000,
    what: 'every subscription registered',
  });
  stalled.stall();

  const rssBefore = residentBytes(api.child.pid);
  let rssPeak = rssBefore ?? 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, residentBytes(api.child.pid) ?? 0);
  }, 250);
  const sender = new WebhookSender(ingest.url);
  await sender.open();
  const traffic = timedTraffic({ rate: RATE, seconds, firstSeed: 900001, extensionPool: EXTENSIONS });
  context.log(`${RATE} events/s for ${seconds} s with one stalled and one healthy subscriber`);
  const sending = await sendAtRate(traffic.events, RATE, (event) => {
    if (event.legKey) live.sentAt.set(`${event.telephonySessionId}:${event.sequence}`, performance.timeOrigin + performance.now());
    return sender.send(event.body);
  });
  sender.close();
  // Let the last live messages arrive.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  clearInterval(sampler);
  const rssAfter = residentBytes(api.child.pid);

  const stayedUp =
    api.child.process.exitCode === null &&
    (await fetch(new URL('/healthz', api.url)).then(
      (r) => r.ok,
      () => false,
    ));
  const dropped = stayedUp ? await metric(api.url, 'callpulse_api_dropped_subscribers_total') : 0;
  // Reading again, the stalled client gets what was on its way, then the errors of its dropped subscriptions.
  stalled.resume();
  const errorsOf = () => stalled.messages.filter((message) => (message.payload?.errors?.length ?? 0) > 0);
  await waitFor(() => errorsOf().length >= Math.min(dropped, STALLED_SUBSCRIPTIONS) && dropped > 0, {
    timeoutMs: 30000,
    what: 'the errors of the dropped subscriptions',
  }).catch(() => undefined);
  const stalledError = errorsOf()[0];
  const stalledReceived = stalled.messages.filter((message) => message.type === 'next' && !message.payload?.errors).length;
  // A paused socket notices its close only when it reads again, so this tells whether, not when.
  const closedByApi = stalled.closedAt !== undefined;
  stalled.close();

  const latencies = live.latencies('api');
  const redisLatencies = live.latencies('redis');
  const expected = redisLatencies.length;
  const figures: Figure[] = [
    figure(part, 'API stayed up (1 = yes)', stayedUp ? 1 : 0, '', { goal: { op: '>=', value: 1 } }),
    figure(part, 'stalled subscriptions dropped', dropped, `of ${STALLED_SUBSCRIPTIONS}`, {
      goal: { op: '>=', value: STALLED_SUBSCRIPTIONS },
    }),
    figure(part, `${RATE}/s: healthy subscriber message p50`, round(percentile(latencies, 50), 1), 'ms'),
    figure(part, `${RATE}/s: healthy subscriber message p99`, round(percentile(latencies, 99), 1), 'ms', {
      goal: { op: '<=', value: 150 },
    }),
    figure(part, 'healthy subscriber: messages matched / published by call-state', latencies.length, `of ${expected}`),
    figure(part, `${RATE}/s: Redis live message p99 (the pipeline before the API)`, round(percentile(redisLatencies, 99), 1), 'ms'),
    figure(part, 'API RSS before', round((rssBefore ?? 0) / MiB, 0), 'MiB'),
    figure(part, 'API RSS peak', round(rssPeak / MiB, 0), 'MiB'),
    figure(part, 'API RSS after', round((rssAfter ?? 0) / MiB, 0), 'MiB'),
  ];
  const notes = [
    `${seconds} s of calls at ${RATE} events/s over ${EXTENSIONS} agent extensions (sent in ${sending.seconds.toFixed(1)} s, schedule slipped at most ${Math.round(sending.behindMs)} ms, ${sender.failures} failed); the API runs with its defaults (API_SUBSCRIBER_BUFFER 1000)`,
    `stalled subscriber: one graphql-ws socket with ${STALLED_SUBSCRIPTIONS} activeCallChanged subscriptions of every field (each message is sent once per subscription, so its kernel buffers fill within seconds), whose TCP socket is paused (it stops reading) before the traffic starts; healthy subscriber: the end-to-end part's activeCallChanged client on another socket`,
    `stalled subscriptions: ${dropped} dropped (callpulse_api_dropped_subscribers_total); when the client read again it got ${stalledReceived} messages that were on their way, then ${stalledError ? `${errorsOf().length} errors such as ${stalledError.payload?.errors?.[0]?.extensions?.code ?? ''} "${stalledError.payload?.errors?.[0]?.message ?? ''}"` : closedByApi ? 'nothing more: the API had closed the socket (graphql-ws pings every 12 s and terminates a socket whose pong has not come by the next ping)' : 'no error within 30 s'}`,
    'healthy latency: webhook sent -> the healthy subscriber received the leg change (matched through the Redis message of the same snapshot, as in end-to-end)',
    'RSS from /proc/<pid>/status: before = every subscriber connected, before the traffic; peak sampled every 250 ms; after = 2 s after the last webhook',
  ];
  return { part, figures, notes };
}
