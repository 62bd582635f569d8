// Writes one telephony session as RingCentral would send it: parties, their status changes, envelope and all.
import type { Direction, RcCallParty, RcParty, TelephonyNotification } from '@callpulse/contracts';
import type { Random } from './random.js';
import type { TimedNotification } from './types.js';

export interface World {
  random: Random;
  accountId: string;
  subscriptionId: string;
  maxDeliveryDelayMs: number;
}

export interface PartySpec {
  /** The party's own extension; omit for a PSTN party. */
  extensionId?: string;
  direction: Direction;
  from: RcCallParty;
  to: RcCallParty;
  /** For a queue member: `to.extensionId` is set to the queue and `uiCallInfo` names it. */
  queue?: { id: string; name: string };
}

export interface Party {
  readonly id: string;
  readonly spec: PartySpec;
}

export interface EmitOptions {
  reason?: string;
  parkId?: string;
  missedCall?: boolean;
  peer?: { telephonySessionId: string; sessionId: string; partyId: string };
  /** Replaces the party's `to` from this event on (e.g. the caller reaching an IVR). */
  to?: RcCallParty;
  /** `status.parkData`: the park extension (*8xx) of a call parked on a park extension, instead of `park.id`. */
  parkData?: string;
  muted?: boolean;
}

interface Emission {
  atMs: number;
  party: RcParty;
}

export class CallScript {
  readonly telephonySessionId: string;
  readonly sessionId: string;
  private readonly hex: string;
  private readonly serverId: string;
  private readonly emissions: Emission[] = [];
  private partyCount = 0;

  constructor(
    private readonly world: World,
    /** `body.origin.type` of every notification (Call, GreetingsRecording, ...). */
    private readonly origin = 'Call',
  ) {
    this.hex = world.random.hex(32);
    this.telephonySessionId = `s-${this.hex}`;
    this.sessionId = world.random.digits(12);
    this.serverId = `10.${world.random.int(10, 30)}.${world.random.int(0, 255)}.${world.random.int(1, 254)}.TAM`;
  }

  party(spec: PartySpec): Party {
    this.partyCount += 1;
    const to = spec.queue ? { ...spec.to, extensionId: spec.queue.id } : spec.to;
    return { id: `p-${this.hex}-${this.partyCount}`, spec: { ...spec, to } };
  }

  /** Adds one status change; emissions are later ordered by time (ties keep call order) and numbered from 2. */
  emit(atMs: number, party: Party, code: string, options: EmitOptions = {}): this {
    if (options.to) party.spec.to = options.to;
    const { spec } = party;
    const status: RcParty['status'] = { code, rcc: false };
    if (options.reason) status.reason = options.reason;
    if (options.peer) status.peerId = options.peer;
    if (options.parkData) status.parkData = options.parkData;
    const rcParty: RcParty = {
      accountId: this.world.accountId,
      ...(spec.extensionId ? { extensionId: spec.extensionId } : {}),
      id: party.id,
      direction: spec.direction,
      from: { ...spec.from },
      to: { ...spec.to },
      status,
      park: options.parkId ? { id: options.parkId } : {},
      missedCall: options.missedCall ?? false,
      standAlone: false,
      muted: options.muted ?? false,
    };
    if (spec.queue) {
      rcParty.queueCall = true;
      rcParty.uiCallInfo = {
        primary: { type: 'QueueName', value: spec.queue.name },
        additional: { type: 'CallerIdName', value: spec.from.name ?? spec.from.phoneNumber ?? '' },
      };
    }
    this.emissions.push({ atMs, party: rcParty });
    return this;
  }

  notifications(): TimedNotification[] {
    const { random, accountId, subscriptionId, maxDeliveryDelayMs } = this.world;
    const ordered = this.emissions
      .map((emission, index) => ({ emission, index }))
      .sort((a, b) => a.emission.atMs - b.emission.atMs || a.index - b.index);
    return ordered.map(({ emission }, index): TimedNotification => {
      const sentMs = emission.atMs + random.int(20, 120);
      const extension = emission.party.extensionId ? `/extension/${emission.party.extensionId}` : '';
      const notification: TelephonyNotification = {
        uuid: random.digits(19),
        event: `/restapi/v1.0/account/${accountId}${extension}/telephony/sessions`,
        timestamp: new Date(sentMs).toISOString(),
        subscriptionId,
        ownerId: accountId,
        body: {
          sequence: index + 2,
          sessionId: this.sessionId,
          telephonySessionId: this.telephonySessionId,
          serverId: this.serverId,
          eventTime: new Date(emission.atMs).toISOString(),
          origin: { type: this.origin },
          parties: [emission.party],
        },
      };
      return { sendAtMs: sentMs + random.int(0, maxDeliveryDelayMs), notification };
    });
  }
}
