// How a call's notifications are delivered: on their schedule, with some delayed past later events of the same session
// (disorder) and some sent twice (duplicates, same uuid and body, as RingCentral's at-least-once delivery does).
import type { TelephonyNotification } from '@callpulse/contracts';
import type { Random } from './random.js';

export interface Delivery {
  sendAtMs: number;
  notification: TelephonyNotification;
  /** A second copy of a notification already in the list. */
  duplicate: boolean;
  /** Moved after a later event of its session. */
  delayed: boolean;
}

export interface DeliveryOptions {
  /** Fraction of events (except a session's last) delayed past one to three later events of the same session. */
  disorder: number;
  /** Fraction of events sent a second time. */
  duplicates: number;
}

/** The deliveries of one call, ordered by send time. The notifications themselves are never changed. */
export function planDeliveries(
  notifications: ReadonlyArray<{ sendAtMs: number; notification: TelephonyNotification }>,
  options: DeliveryOptions,
  random: Random,
): Delivery[] {
  const bySession = new Map<string, Delivery[]>();
  for (const { sendAtMs, notification } of notifications) {
    const id = notification.body.telephonySessionId;
    const list = bySession.get(id) ?? [];
    list.push({ sendAtMs, notification, duplicate: false, delayed: false });
    bySession.set(id, list);
  }
  const deliveries: Delivery[] = [];
  for (const session of bySession.values()) {
    const original = session.map((delivery) => delivery.sendAtMs);
    session.forEach((delivery, index) => {
      if (index < session.length - 1 && options.disorder > 0 && random.chance(options.disorder)) {
        const later = random.int(index + 1, Math.min(index + 3, session.length - 1));
        delivery.sendAtMs = (original[later] as number) + random.int(1, 40);
        delivery.delayed = true;
      }
      deliveries.push(delivery);
      if (options.duplicates > 0 && random.chance(options.duplicates)) {
        deliveries.push({ ...delivery, sendAtMs: delivery.sendAtMs + random.int(0, 250), duplicate: true });
      }
    });
  }
  return deliveries.sort((a, b) => a.sendAtMs - b.sendAtMs);
}
