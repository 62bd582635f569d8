// Event times that run backwards against the sequence order (clocks of different servers, or a forged body) never give
// a negative duration, and the decoder refuses event times far from when ingest received the webhook.
import { headers, type TelephonyNotification } from '@callpulse/contracts';
import { loadCapturedSession } from '@callpulse/testkit/fixtures';
import { describe, expect, it } from 'vitest';
import { decodeMessage, foldStoredSession, normaliseNotification, type TelephonyMessage } from './index.js';

const notifications = loadCapturedSession('inbound-ivr-agent.json');
const agent = '200300401';

describe('event times running backwards', () => {
  it('give intervals of 0, never negative', () => {
    const base = Date.parse(notifications[0]?.body.eventTime ?? '');
    // Every event 1 s *before* the previous one, in sequence order.
    const reversed = notifications.map((n, index) => ({
      ...n,
      body: { ...n.body, eventTime: new Date(base - index * 1000).toISOString() },
    }));
    const session = foldStoredSession(reversed.flatMap(normaliseNotification), (id) => id === agent);
    for (const leg of session.legs) {
      for (const value of [leg.timings.ringMs, leg.timings.talkMs, leg.timings.holdMs, leg.timings.parkMs, leg.timings.durationMs]) {
        expect(value).toBeGreaterThanOrEqual(0);
      }
    }
    expect(session.summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(session.summary.waitMs).toBeGreaterThanOrEqual(0);
  });
});

describe('decodeMessage', () => {
  const message = (notification: TelephonyNotification, receivedAtMs?: number): TelephonyMessage => ({
    value: Buffer.from(JSON.stringify(notification)),
    headers: receivedAtMs === undefined ? {} : { [headers.receivedAt]: Buffer.from(String(receivedAtMs)) },
  });
  const first = notifications[0] as TelephonyNotification;
  const eventTimeMs = Date.parse(first.body.eventTime);

  it('takes an event received shortly after it happened, and one without the header (no bound known)', () => {
    expect(decodeMessage(message(first, eventTimeMs + 500)).ok).toBe(true);
    expect(decodeMessage(message(first)).ok).toBe(true);
  });

  it('refuses an event time far from when ingest received the webhook, naming the field', () => {
    const decoded = decodeMessage(message(first, eventTimeMs + 30 * 24 * 3600 * 1000));
    expect(decoded).toMatchObject({ ok: false, error: expect.stringMatching(/body\.eventTime/) });
  });
});
