// The calls in progress hang up now (npm start's demo, when it stops): each party of a session whose last delivered
// state is not an end gets a Disconnected, after every sequence the session was planned with, so the live board
// does not keep the calls the demo left half-delivered until the reaper's stale-after time.
import type { TelephonyNotification } from '@callpulse/contracts';

const ended = new Set(['Disconnected', 'Gone']);

/**
 * The hang-up notifications of one call: `planned` is every notification the call was to send (its sequences),
 * `delivered` those already sent (the parties' last known states). Parties never delivered are left out: the pipeline
 * has not seen them.
 */
export function hangUpNotifications(
  planned: readonly TelephonyNotification[],
  delivered: readonly TelephonyNotification[],
  nowMs: number,
): TelephonyNotification[] {
  const lastSequence = new Map<string, number>();
  for (const { body } of planned) {
    lastSequence.set(body.telephonySessionId, Math.max(lastSequence.get(body.telephonySessionId) ?? 0, body.sequence));
  }
  // Per session and party: the notification that delivered its latest state.
  const latest = new Map<string, { notification: TelephonyNotification; partyIndex: number }>();
  for (const notification of delivered) {
    notification.body.parties.forEach((party, partyIndex) => {
      const key = `${notification.body.telephonySessionId}\u0000${party.id}`;
      const known = latest.get(key);
      if (!known || known.notification.body.sequence <= notification.body.sequence) latest.set(key, { notification, partyIndex });
    });
  }
  const hangUps: TelephonyNotification[] = [];
  for (const { notification, partyIndex } of latest.values()) {
    const party = notification.body.parties[partyIndex];
    if (!party || ended.has(party.status.code)) continue;
    const sessionId = notification.body.telephonySessionId;
    const sequence = (lastSequence.get(sessionId) ?? notification.body.sequence) + 1;
    lastSequence.set(sessionId, sequence);
    hangUps.push({
      ...notification,
      uuid: `${notification.uuid}-hang-up-${party.id}`,
      body: {
        ...notification.body,
        sequence,
        eventTime: new Date(nowMs).toISOString(),
        parties: [{ ...party, status: { code: 'Disconnected' } }],
      },
    });
  }
  return hangUps;
}
