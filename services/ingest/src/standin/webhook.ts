// What RingCentral does towards a webhook address: the Validation-Token handshake on create, and notification delivery.
import { randomUUID } from 'node:crypto';

const TIMEOUT_MS = 3000;

/** POSTs with a Validation-Token header; true when answered 2xx echoing it (as RingCentral requires within 3 s). */
export async function handshake(address: string): Promise<boolean> {
  const token = randomUUID();
  try {
    const response = await fetch(address, {
      method: 'POST',
      headers: { 'Validation-Token': token },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok && response.headers.get('validation-token') === token;
  } catch {
    return false;
  }
}

/** POSTs one notification with the subscription's Verification-Token; the HTTP status, or 0 when unreachable. */
export async function deliver(address: string, notification: unknown, verificationToken: string | undefined): Promise<number> {
  try {
    const response = await fetch(address, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(verificationToken ? { 'Verification-Token': verificationToken } : {}) },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
