// appendInOrder gives orderEvents of everything, without the sort, whenever it takes the event (look-alikes, party ids
// with ':', corrupt twins); and declines when an added event does not sort after the ordered ones.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendInOrder, orderEvents, orderedEvents } from './order.js';
import { type PartyEvent, SYNTHETIC_END_UUID } from './party-event.js';

function event(sequence: number, partyId: string, notificationUuid: string, statusCode = 'Proceeding'): PartyEvent {
  return {
    telephonySessionId: 's-1',
    sequence,
    partyId,
    notificationUuid,
    statusCode,
  } as PartyEvent;
}

const arbitraryEvent = fc
  .record({
    sequence: fc.integer({ min: 1, max: 6 }),
    partyId: fc.constantFrom('p1', 'p2', 'a:b', 'a', 'b:c'),
    notificationUuid: fc.constantFrom('u1', 'u2', 'b:c', 'a', SYNTHETIC_END_UUID),
    statusCode: fc.constantFrom('Proceeding', 'Answered'),
  })
  .map(({ sequence, partyId, notificationUuid, statusCode }) => event(sequence, partyId, notificationUuid, statusCode));

describe('appendInOrder', () => {
  it('is orderEvents of all the events whenever it extends (property)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 12 }), fc.array(arbitraryEvent, { maxLength: 6 }), (before, added) => {
        const ordered = orderedEvents(before);
        const extended = appendInOrder(ordered, added);
        const last = ordered.at(-1);
        if (extended) expect(extended).toEqual(orderEvents([...before, ...added]));
        else expect(last && added.some((candidate) => candidate.sequence <= last.sequence)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('drops an added look-alike of a kept event, also across party ids that hold a colon', () => {
    const ordered = orderedEvents([event(1, 'a:b', 'u1'), event(2, 'p1', 'u2')]);
    // `uuid:c:a:b` is the key of both uuid 'c:a' with party 'b' and uuid 'c' with party 'a:b'.
    const twin = event(3, 'b', 'c:a');
    expect(appendInOrder(orderedEvents([event(1, 'a:b', 'c')]), [twin])).toEqual(orderEvents([event(1, 'a:b', 'c'), twin]));
    expect(appendInOrder(ordered, [event(3, 'p1', 'u2')])).toEqual(ordered);
    expect(appendInOrder(ordered, [event(3, 'p1', 'u3')])?.length).toBe(3);
  });

  it('declines events that do not sort after the ordered ones, and arrays it did not order', () => {
    const ordered = orderedEvents([event(1, 'p1', 'u1'), event(3, 'p1', 'u3')]);
    expect(appendInOrder(ordered, [event(2, 'p2', 'u2')])).toBeUndefined();
    expect(appendInOrder([event(1, 'p1', 'u1')], [event(2, 'p1', 'u2')])).toBeUndefined();
  });
});
