// Traffic for a fixed event rate in real time: calls with short durations, started so that their notifications,
// ordered by delivery time, come at about `rate` per second; the first rate x seconds of them are sent. Only calls
// whose every notification is sent are complete (their legs are expected in ClickHouse).
import type { TelephonyNotification } from '@callpulse/contracts';
import { buildCall, shortDurations } from './calls.js';

export interface TimedEvent {
  body: string;
  telephonySessionId: string;
  sequence: number;
  /** `${telephonySessionId}:${partyId}` of the monitored party this event is about, if any. */
  legKey: string | undefined;
  /** This is the last event of its leg (the leg is complete once sent, if its session is). */
  endsLeg: boolean;
}

export interface TimedTraffic {
  events: TimedEvent[];
  /** Legs (the scenarios' ground truth) of the calls whose every notification is in `events`, with their scenario. */
  expectedLegs: Map<string, string>;
}

const MEAN_EVENTS_PER_CALL = 10.4; // over the library's mix, measured

/** The monitored party's leg an event is about (`${telephonySessionId}:${partyId}`), if any. */
export function legKeyOf(notification: TelephonyNotification): string | undefined {
  const party = notification.body.parties[0];
  return party?.extensionId ? `${notification.body.telephonySessionId}:${party.id}` : undefined;
}

export function timedTraffic(options: { rate: number; seconds: number; firstSeed: number; extensionPool: number }): TimedTraffic {
  const total = Math.round(options.rate * options.seconds);
  const spacingMs = (MEAN_EVENTS_PER_CALL / options.rate) * 1000;
  const startMs = Date.now() + 2000;
  const calls = Math.ceil((options.seconds * 1000) / spacingMs) + 200;
  const all: Array<{ sendAtMs: number; notification: TelephonyNotification }> = [];
  const legs = new Map<string, string>();
  for (let index = 0; index < calls; index += 1) {
    const call = buildCall({
      seed: options.firstSeed + index,
      startMs: Math.round(startMs + index * spacingMs),
      extensionPool: options.extensionPool,
      durations: shortDurations,
    });
    all.push(...call.notifications);
    for (const leg of call.expectedLegs) legs.set(`${leg.telephonySessionId}:${leg.partyId}`, call.name);
  }
  all.sort((a, b) => a.sendAtMs - b.sendAtMs);
  const sent = all.slice(0, total);
  const remaining = new Map<string, number>();
  const lastOfLeg = new Map<string, number>();
  all.forEach(({ notification }, index) => {
    const session = notification.body.telephonySessionId;
    if (index >= total) remaining.set(session, (remaining.get(session) ?? 0) + 1);
    const leg = legKeyOf(notification);
    if (leg) lastOfLeg.set(leg, index);
  });
  const expectedLegs = new Map<string, string>();
  for (const [leg, index] of lastOfLeg) {
    const session = leg.slice(0, leg.lastIndexOf(':'));
    const scenario = legs.get(leg);
    if (index < total && !remaining.has(session) && scenario) expectedLegs.set(leg, scenario);
  }
  return {
    events: sent.map(({ notification }, index) => {
      const legKey = legKeyOf(notification);
      return {
        body: JSON.stringify(notification),
        telephonySessionId: notification.body.telephonySessionId,
        sequence: notification.body.sequence,
        legKey,
        endsLeg: legKey !== undefined && lastOfLeg.get(legKey) === index,
      };
    }),
    expectedLegs,
  };
}
