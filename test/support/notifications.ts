// A realistic telephony-session notification for tests that need one (shape of RingCentral's account-level events).
import { randomBytes } from 'node:crypto';

export function telephonySessionId(): string {
  return `s-a0b1${randomBytes(14).toString('hex')}`;
}

export function sampleNotification(options: { telephonySessionId?: string; sequence?: number; code?: string; eventTime?: string } = {}) {
  const sessionIdT = options.telephonySessionId ?? telephonySessionId();
  // Now by default: ingest dead-letters events more than 7 days before (or 1 hour after) their receipt.
  const eventTime = options.eventTime ?? new Date().toISOString();
  return {
    uuid: `${BigInt(`0x${randomBytes(7).toString('hex')}`)}`,
    event: '/restapi/v1.0/account/100200300/extension/200300400/telephony/sessions',
    timestamp: eventTime,
    subscriptionId: 'b7f0c3d2-5a1e-4c9b-9f2a-0d6e1c2b3a4f',
    ownerId: '100200300',
    body: {
      sequence: options.sequence ?? 3,
      sessionId: '901234567890',
      telephonySessionId: sessionIdT,
      serverId: '10.20.30.40.TAM',
      eventTime,
      parties: [
        {
          accountId: '100200300',
          extensionId: '200300400',
          id: `p-${sessionIdT.slice(2)}-2`,
          direction: 'Inbound',
          to: { phoneNumber: '+15550100101', name: 'Dana Whitfield', extensionId: '200300400' },
          from: { phoneNumber: '+15550199877', name: 'CALLER, SAMPLE' },
          status: { code: options.code ?? 'Proceeding', rcc: false },
          park: {},
          missedCall: false,
          standAlone: false,
          muted: false,
        },
      ],
      origin: { type: 'Call' },
    },
  };
}
