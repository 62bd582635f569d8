// A call queue of three members rung at once: one answers (the others were answered elsewhere), or the caller gives up.
import { expectLeg, expectSummary, type Kit } from './kit.js';
import { agents } from './params.js';
import type { Party } from './script.js';
import type { BuiltScenario, ExpectedLeg } from './types.js';

function queueCall(kit: Kit, name: string) {
  const { params } = kit;
  const extensions = agents(params, 3, name);
  const script = kit.script();
  const queue = { id: params.queueExtensionId, name: params.queueName };
  const queueEndpoint = { phoneNumber: params.companyNumber, name: params.queueName, extensionId: queue.id };
  const caller = script.party({ direction: 'Outbound', from: kit.customer, to: queueEndpoint });
  const members = extensions.map((extension) =>
    script.party({ extensionId: extension, direction: 'Inbound', from: kit.customer, to: kit.agent(extension), queue }),
  );
  const t0 = params.startMs;
  // The queue greeting picks up the caller; after the wait every member's phone rings.
  script.emit(t0, caller, 'Setup').emit(t0 + kit.gap(), caller, 'Answered');
  const offeredMs = t0 + params.queueWaitMs;
  const ringStarts = members.map((member, index) => {
    const ringStartMs = offeredMs + 20 + index * 5;
    script.emit(offeredMs + index * 5, member, 'Setup').emit(ringStartMs, member, 'Proceeding');
    return ringStartMs;
  });
  return { extensions, script, caller, members, ringStarts, t0, offeredMs };
}

export function queueAnswered(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params, random } = kit;
  const call = queueCall(kit, 'queue-answered');
  const { script, caller, members } = call;
  const winnerIndex = random.int(0, members.length - 1);
  const winner = members[winnerIndex] as Party;
  const answerMs = (call.ringStarts[winnerIndex] ?? 0) + params.ringMs;
  script.emit(answerMs, winner, 'Answered');
  const legs: ExpectedLeg[] = [];
  members.forEach((member, index) => {
    if (member === winner) return;
    // RingCentral may stamp a loser's Disconnected a few ms before the winner's Answered: still answered elsewhere.
    const endMs = index === 0 && random.next() < 0.5 ? answerMs - random.int(1, 5) : answerMs + kit.gap();
    script.emit(endMs, member, 'Disconnected');
    const ringStartMs = call.ringStarts[index] ?? 0;
    legs.push(
      expectLeg(script, member, {
        result: 'AnsweredElsewhere',
        endedBy: 'unknown',
        startMs: ringStartMs - 20,
        endMs,
        ringMs: endMs - ringStartMs,
      }),
    );
  });
  const talkEndMs = answerMs + params.talkMs;
  const agentFirst = params.endedBy === 'agent';
  const winnerEndMs = agentFirst ? talkEndMs : talkEndMs + kit.gap();
  const callerEndMs = agentFirst ? talkEndMs + kit.gap() : talkEndMs;
  script.emit(winnerEndMs, winner, 'Disconnected').emit(callerEndMs, caller, 'Disconnected');
  legs.push(
    expectLeg(script, winner, {
      result: 'Answered',
      endedBy: params.endedBy,
      startMs: (call.ringStarts[winnerIndex] ?? 0) - 20,
      answerMs,
      endMs: winnerEndMs,
      ringMs: params.ringMs,
      talkMs: winnerEndMs - answerMs,
    }),
  );
  const lastEndMs = Math.max(winnerEndMs, callerEndMs, ...legs.map((leg) => leg.endMs));
  return {
    monitoredExtensionIds: call.extensions,
    notifications: script.notifications(),
    expectedLegs: legs,
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: call.t0,
        endMs: lastEndMs,
        legCount: 3,
        queueId: params.queueExtensionId,
        queueEnterMs: call.t0,
        firstAnswerMs: answerMs,
        answeredByExtensionId: winner.spec.extensionId ?? '',
      }),
    ],
  };
}

export function queueAbandoned(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params } = kit;
  const call = queueCall(kit, 'queue-abandoned');
  const { script, caller, members } = call;
  const callerEndMs = (call.ringStarts[call.ringStarts.length - 1] ?? 0) + params.ringMs;
  script.emit(callerEndMs, caller, 'Disconnected');
  const legs = members.map((member, index) => {
    const endMs = callerEndMs + kit.gap();
    script.emit(endMs, member, 'Disconnected', { missedCall: true });
    const ringStartMs = call.ringStarts[index] ?? 0;
    return expectLeg(script, member, {
      result: 'Missed',
      endedBy: 'customer',
      startMs: ringStartMs - 20,
      endMs,
      ringMs: endMs - ringStartMs,
    });
  });
  return {
    monitoredExtensionIds: call.extensions,
    notifications: script.notifications(),
    expectedLegs: legs,
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: call.t0,
        endMs: Math.max(callerEndMs, ...legs.map((leg) => leg.endMs)),
        legCount: 3,
        queueId: params.queueExtensionId,
        queueEnterMs: call.t0,
        abandoned: true,
      }),
    ],
  };
}
