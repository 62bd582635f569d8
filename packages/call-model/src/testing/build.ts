// Hand-written notifications for focused tests: one inbound call from a PSTN caller to agent 101 unless told otherwise.
import type { RcParty, TelephonyNotification } from '@callpulse/contracts';
import { normaliseNotification, type PartyEvent } from '../index.js';

/** A party without its status: what a test varies. */
export type PartyShape = Pick<RcParty, 'id' | 'accountId' | 'extensionId' | 'direction' | 'from' | 'to'> & Partial<RcParty>;

export const session = 's-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const base = Date.UTC(2026, 2, 2, 10, 0, 0);

export const caller: PartyShape = {
  id: `p-${session.slice(2)}-1`,
  accountId: '100200300',
  direction: 'Outbound',
  from: { phoneNumber: '+15550100999', name: 'Pat Caller' },
  to: { phoneNumber: '+18885550100' },
};
export const agent: PartyShape = {
  id: `p-${session.slice(2)}-2`,
  accountId: '100200300',
  extensionId: '101',
  direction: 'Inbound',
  from: { phoneNumber: '+15550100999', name: 'Pat Caller' },
  to: { phoneNumber: '+18885550100', name: 'Agent 101', extensionId: '101' },
};

export function note(
  sequence: number,
  atMs: number,
  parties: RcParty[],
  uuid = `u-${sequence}-${parties.map((p) => p.id).join()}`,
): TelephonyNotification {
  return {
    uuid,
    event: '/restapi/v1.0/account/100200300/telephony/sessions',
    timestamp: new Date(atMs + 50).toISOString(),
    subscriptionId: 'sub-1',
    ownerId: '100200300',
    body: {
      sequence,
      sessionId: '901234567001',
      telephonySessionId: session,
      serverId: '10.0.0.1.TAM',
      eventTime: new Date(atMs).toISOString(),
      origin: { type: 'Call' },
      parties,
    },
  };
}

/** One party's event: `who` at `sequence`, `seconds` after base, with status `code` and any extra party fields. */
export function ev(
  sequence: number,
  seconds: number,
  who: PartyShape,
  code: string,
  extra: Partial<RcParty> & { reason?: string } = {},
): PartyEvent {
  const { reason, ...rest } = extra;
  const party = { ...who, ...rest, status: { ...rest.status, code, ...(reason ? { reason } : {}) } } as RcParty;
  const [event] = normaliseNotification(note(sequence, base + seconds * 1000, [party]));
  if (!event) throw new Error('no event');
  return event;
}

/** A plain answered inbound call: caller setup, agent rings 5 s, talks 30 s, then `ender` hangs up. */
export function answeredCall(ender: 'agent' | 'caller' = 'caller'): PartyEvent[] {
  const [first, second] = ender === 'agent' ? [agent, caller] : [caller, agent];
  return [
    ev(2, 0, caller, 'Setup'),
    ev(3, 0.1, agent, 'Setup'),
    ev(4, 0.2, agent, 'Proceeding'),
    ev(5, 5.2, agent, 'Answered'),
    ev(6, 5.25, caller, 'Answered'),
    ev(7, 35.2, first, 'Disconnected'),
    ev(8, 35.22, second, 'Disconnected'),
  ];
}
