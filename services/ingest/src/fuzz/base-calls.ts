// Valid telephony-session notifications of a few call shapes, the seeds the webhook fuzzer mutates. Pure: a seeded
// random source and a clock in, plain objects out.

export type Random = () => number;

/** A seeded random source (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const hex = (random: Random, length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

/** The status codes of each call shape, per event (agent party first, then the caller's). */
const shapes: Array<{ name: string; agent: string[]; caller: string[] }> = [
  {
    name: 'inbound answered with a hold',
    agent: ['Setup', 'Proceeding', 'Answered', 'Hold', 'Answered', 'Disconnected'],
    caller: ['Setup', 'Proceeding', 'Answered', 'Answered', 'Answered', 'Disconnected'],
  },
  { name: 'inbound missed', agent: ['Setup', 'Proceeding', 'Disconnected'], caller: ['Setup', 'Proceeding', 'Disconnected'] },
  {
    name: 'outbound answered',
    agent: ['Setup', 'Proceeding', 'Answered', 'Disconnected'],
    caller: ['Setup', 'Proceeding', 'Answered', 'Disconnected'],
  },
  {
    name: 'to voicemail',
    agent: ['Setup', 'Proceeding', 'VoiceMail', 'Disconnected'],
    caller: ['Setup', 'Proceeding', 'Answered', 'Disconnected'],
  },
];

/** One call's notifications, in order, with event times ending shortly before `nowMs`. */
export function baseCall(random: Random, nowMs: number): { shape: string; notifications: JsonObject[] } {
  const shape = pick(random, shapes);
  const telephonySessionId = `s-a0b1${hex(random, 28)}`;
  const extensionId = String(200300400 + Math.floor(random() * 1000));
  const startMs = nowMs - 60000 - Math.floor(random() * 3600000);
  const inbound = !shape.name.startsWith('outbound');
  let atMs = startMs;
  const notifications = shape.agent.map((agentCode, index): JsonObject => {
    atMs += 500 + Math.floor(random() * 30000);
    const eventTime = new Date(atMs).toISOString();
    const agent: JsonObject = {
      accountId: '100200300',
      extensionId,
      id: `p-${telephonySessionId.slice(2)}-2`,
      direction: inbound ? 'Inbound' : 'Outbound',
      to: { phoneNumber: '+15550100101', name: 'Agent Example', extensionId },
      from: { phoneNumber: '+15550199877', name: 'CALLER, SAMPLE' },
      status: { code: agentCode, rcc: false, ...(agentCode === 'Disconnected' ? { reason: 'CallerHangUp' } : {}) },
      park: {},
      missedCall: false,
      standAlone: false,
      muted: false,
      recordings: [{ id: `rec-${index}`, active: agentCode === 'Answered' }],
      uiCallInfo: { primary: { type: 'QueueName', value: 'Support' }, additional: { type: 'CallerIdName', value: 'Caller' } },
    };
    const caller: JsonObject = {
      id: `p-${telephonySessionId.slice(2)}-1`,
      direction: inbound ? 'Outbound' : 'Inbound',
      from: { phoneNumber: '+15550199877' },
      to: { phoneNumber: '+15550100101' },
      status: { code: shape.caller[index] ?? 'Answered', rcc: false },
      missedCall: false,
      standAlone: false,
      muted: false,
    };
    return {
      uuid: String(BigInt(`0x${hex(random, 14)}`)),
      event: `/restapi/v1.0/account/100200300/extension/${extensionId}/telephony/sessions`,
      timestamp: eventTime,
      subscriptionId: 'b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
      ownerId: '100200300',
      body: {
        sequence: index + 1,
        sessionId: String(900000000000 + Math.floor(random() * 1e9)),
        telephonySessionId,
        serverId: '10.20.30.40.TAM',
        eventTime,
        parties: [agent, caller],
        origin: { type: 'Call' },
      },
    };
  });
  return { shape: shape.name, notifications };
}

/** Valid non-telephony events the webhook also takes (extension list changes, renewal reminders). */
export function baseOtherEvent(random: Random, nowMs: number): JsonObject {
  const extensionList = random() < 0.7;
  return {
    uuid: String(BigInt(`0x${hex(random, 14)}`)),
    event: extensionList ? '/restapi/v1.0/account/100200300/extension' : '/restapi/v1.0/subscription/b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
    timestamp: new Date(nowMs).toISOString(),
    subscriptionId: 'b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
    ownerId: '100200300',
    body: extensionList
      ? { extensionId: String(200300400 + Math.floor(random() * 1000)), eventType: pick(random, ['Create', 'Update', 'Delete']) }
      : {},
  };
}
