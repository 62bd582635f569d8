// What each party of a session did, from the ordered events: the context a leg's fold and result need.
import type { Direction } from '@callpulse/contracts';
import type { PartyEvent } from './party-event.js';
import { isTerminalCode } from './status.js';

/** One event of a party, as the rules refer to it. */
export interface Moment {
  sequence: number;
  ms: number;
  partyId: string;
  /** The event's status code (canonical). */
  code: string;
}

export interface PartyEnd extends Moment {
  reason: string | null;
}

export interface PartyFacts {
  partyId: string;
  extensionId: string | null;
  direction: Direction | null;
  /** This party's events, ordered and deduplicated. */
  events: PartyEvent[];
  first: Moment;
  firstProceeding: Moment | null;
  firstAnswered: Moment | null;
  /** The first Disconnected or Gone; null while the party is still in the call. */
  end: PartyEnd | null;
  reachedVoicemail: boolean;
}

const moment = (event: PartyEvent): Moment => ({
  sequence: event.sequence,
  ms: event.eventTimeMs,
  partyId: event.partyId,
  code: event.statusCode,
});

function newFacts(event: PartyEvent): PartyFacts {
  return {
    partyId: event.partyId,
    extensionId: null,
    direction: null,
    events: [],
    first: moment(event),
    firstProceeding: null,
    firstAnswered: null,
    end: null,
    reachedVoicemail: false,
  };
}

/** Groups ordered events by party, in order of each party's first event. Events after a party's end add no facts. */
export function collectParties(ordered: readonly PartyEvent[]): PartyFacts[] {
  const byParty = new Map<string, PartyFacts>();
  for (const event of ordered) {
    let facts = byParty.get(event.partyId);
    if (!facts) {
      facts = newFacts(event);
      byParty.set(event.partyId, facts);
    }
    facts.events.push(event);
    facts.extensionId ??= event.extensionId;
    facts.direction ??= event.direction;
    if (facts.end) continue;
    if (event.statusCode === 'Proceeding') facts.firstProceeding ??= moment(event);
    if (event.statusCode === 'Answered') facts.firstAnswered ??= moment(event);
    if (event.statusCode === 'Voicemail' || event.statusCode === 'VoiceMailScreening') facts.reachedVoicemail = true;
    if (isTerminalCode(event.statusCode)) facts.end = { ...moment(event), reason: event.reason };
  }
  return [...byParty.values()];
}

/** The parties across from this one: the opposite direction (the caller's party is Outbound, the called ones Inbound). */
export function otherSide(party: PartyFacts, parties: readonly PartyFacts[]): PartyFacts[] {
  if (!party.direction) return [];
  return parties.filter((other) => other.partyId !== party.partyId && other.direction !== null && other.direction !== party.direction);
}

/** Parties on the same side as this one (queue members, shared-line devices, transfer targets). */
export function sameSide(party: PartyFacts, parties: readonly PartyFacts[]): PartyFacts[] {
  if (!party.direction) return [];
  return parties.filter((other) => other.partyId !== party.partyId && other.direction === party.direction);
}

/** The earliest of the given moments by sequence, or null. */
export function earliest(moments: ReadonlyArray<Moment | null>): Moment | null {
  let best: Moment | null = null;
  for (const value of moments) if (value && (!best || value.sequence < best.sequence)) best = value;
  return best;
}
