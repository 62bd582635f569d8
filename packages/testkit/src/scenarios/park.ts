// Agent A answers, parks the caller; agent B picks the call up from the park location and finishes it.
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

export function parkAndPickup(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params, random } = kit;
  const [first, second] = agents(params, 2, 'park-and-pickup') as [string, string];
  const script = kit.script();
  const caller = script.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agentA = script.party({ extensionId: first, direction: 'Inbound', from: kit.customer, to: kit.agent(first) });
  const t0 = params.startMs;
  const startMs = t0 + kit.gap();
  const ringStartMs = startMs + kit.gap();
  const answerMs = ringStartMs + params.ringMs;
  script
    .emit(t0, caller, 'Setup')
    .emit(startMs, agentA, 'Setup')
    .emit(ringStartMs, agentA, 'Proceeding')
    .emit(answerMs, agentA, 'Answered')
    .emit(answerMs + kit.gap(), caller, 'Answered');
  const [talkA, talkB] = random.split(params.talkMs, 2) as [number, number];
  const parkedMs = answerMs + talkA;
  const parkId = `*8${random.int(0, 9)}${random.int(0, 9)}`;
  script.emit(parkedMs, agentA, 'Parked', { parkId });
  // B dials the park location: B's party joins answered, and A's parked party leaves.
  const pickupMs = parkedMs + params.parkMs;
  const agentB = script.party({ extensionId: second, direction: 'Inbound', from: kit.customer, to: { ...kit.agent(second) } });
  const aEndMs = pickupMs + kit.gap();
  script.emit(pickupMs, agentB, 'Answered').emit(aEndMs, agentA, 'Disconnected', { parkId });
  const talkEndMs = pickupMs + talkB;
  const ends = hangUp(kit, talkEndMs, { script, party: agentB }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [first, second],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agentA, {
        result: 'Parked',
        endedBy: 'agent',
        startMs,
        answerMs,
        endMs: aEndMs,
        ringMs: params.ringMs,
        talkMs: talkA,
      }),
      expectLeg(script, agentB, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: pickupMs,
        answerMs: pickupMs,
        endMs: ends.agentEndMs,
        talkMs: ends.agentEndMs - pickupMs,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 2,
        firstAnswerMs: answerMs,
        answeredByExtensionId: first,
      }),
    ],
  };
}
