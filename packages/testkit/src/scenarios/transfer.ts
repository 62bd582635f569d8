// Transfers of an answered inbound call from agent A to agent B: blind (same session) and attended (consult call).
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

type Built = Omit<BuiltScenario, 'name'>;

/** A PSTN caller reaches agent A, who answers. */
function answeredByFirstAgent(kit: Kit, name: string) {
  const { params } = kit;
  const [first, second] = agents(params, 2, name) as [string, string];
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
  return { first, second, script, caller, agentA, t0, startMs, answerMs };
}

export function blindTransfer(kit: Kit): Built {
  const { params, random } = kit;
  const call = answeredByFirstAgent(kit, 'blind-transfer');
  const { script, caller, agentA } = call;
  const [talkA, talkB] = random.split(params.talkMs, 2) as [number, number];
  const transferMs = call.answerMs + talkA;
  const agentB = script.party({ extensionId: call.second, direction: 'Inbound', from: kit.customer, to: kit.agent(call.second) });
  const bStartMs = transferMs + kit.gap();
  const bRingStartMs = bStartMs + kit.gap();
  const bRingMs = random.int(2000, 9000);
  const bAnswerMs = bRingStartMs + bRingMs;
  script
    .emit(transferMs, agentA, 'Disconnected', { reason: 'BlindTransfer' })
    .emit(bStartMs, agentB, 'Setup')
    .emit(bRingStartMs, agentB, 'Proceeding')
    .emit(bAnswerMs, agentB, 'Answered');
  const talkEndMs = bAnswerMs + talkB;
  const ends = hangUp(kit, talkEndMs, { script, party: agentB }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [call.first, call.second],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agentA, {
        result: 'Transferred',
        endedBy: 'agent',
        startMs: call.startMs,
        answerMs: call.answerMs,
        endMs: transferMs,
        ringMs: params.ringMs,
        talkMs: talkA,
      }),
      expectLeg(script, agentB, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: bStartMs,
        answerMs: bAnswerMs,
        endMs: ends.agentEndMs,
        ringMs: bRingMs,
        talkMs: ends.agentEndMs - bAnswerMs,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: call.t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 2,
        firstAnswerMs: call.answerMs,
        answeredByExtensionId: call.first,
      }),
    ],
  };
}

/**
 * A holds the caller, calls B in a second session, talks to B, then completes the transfer: A's parties in both
 * sessions end with Gone (peerId naming the other session) and B goes on talking, now to the caller.
 */
export function attendedTransfer(kit: Kit): Built {
  const { params, random } = kit;
  const call = answeredByFirstAgent(kit, 'attended-transfer');
  const { script, caller, agentA } = call;
  const [talkA, consultMs, talkB] = random.split(params.talkMs, 3) as [number, number, number];
  const holdMs = call.answerMs + talkA;
  script.emit(holdMs, agentA, 'Hold');
  const consult = kit.script();
  const consultFrom = kit.agent(call.first);
  const consultTo = kit.agent(call.second);
  const agentA2 = consult.party({ extensionId: call.first, direction: 'Outbound', from: consultFrom, to: consultTo });
  const agentB = consult.party({ extensionId: call.second, direction: 'Inbound', from: consultFrom, to: consultTo });
  const consultStartMs = holdMs + kit.gap();
  const bStartMs = consultStartMs + kit.gap();
  const bRingStartMs = bStartMs + kit.gap();
  const bRingMs = random.int(2000, 9000);
  const bAnswerMs = bRingStartMs + bRingMs;
  consult
    .emit(consultStartMs, agentA2, 'Setup')
    .emit(bStartMs, agentB, 'Setup')
    .emit(bRingStartMs, agentB, 'Proceeding')
    .emit(bRingStartMs + 2, agentA2, 'Proceeding')
    .emit(bAnswerMs, agentB, 'Answered')
    .emit(bAnswerMs + 10, agentA2, 'Answered');
  const transferMs = bAnswerMs + 10 + consultMs;
  script.emit(transferMs, agentA, 'Gone', {
    peer: { telephonySessionId: consult.telephonySessionId, sessionId: consult.sessionId, partyId: agentB.id },
  });
  consult.emit(transferMs + 3, agentA2, 'Gone', {
    peer: { telephonySessionId: script.telephonySessionId, sessionId: script.sessionId, partyId: caller.id },
  });
  const talkEndMs = transferMs + 3 + talkB;
  const ends = hangUp(kit, talkEndMs, { script: consult, party: agentB }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [call.first, call.second],
    notifications: [...script.notifications(), ...consult.notifications()],
    expectedLegs: [
      expectLeg(script, agentA, {
        result: 'Transferred',
        endedBy: 'agent',
        endedDuringHold: true,
        startMs: call.startMs,
        answerMs: call.answerMs,
        endMs: transferMs,
        ringMs: params.ringMs,
        talkMs: talkA,
        holdMs: transferMs - holdMs,
        holdCount: 1,
      }),
      // A's consult leg rings from its own Proceeding until its own Answered (after B's).
      expectLeg(consult, agentA2, {
        result: 'Transferred',
        endedBy: 'agent',
        startMs: consultStartMs,
        answerMs: bAnswerMs + 10,
        endMs: transferMs + 3,
        ringMs: bRingMs + 8,
        talkMs: consultMs + 3,
      }),
      // B's counterpart in this session left by Gone: who ended B's conversation is not visible here.
      expectLeg(consult, agentB, {
        result: 'Answered',
        endedBy: 'unknown',
        startMs: bStartMs,
        answerMs: bAnswerMs,
        endMs: ends.agentEndMs,
        ringMs: bRingMs,
        talkMs: ends.agentEndMs - bAnswerMs,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: call.t0,
        endMs: ends.customerEndMs,
        legCount: 1,
        firstAnswerMs: call.answerMs,
        answeredByExtensionId: call.first,
      }),
      expectSummary(consult, {
        direction: 'Outbound',
        startMs: consultStartMs,
        endMs: ends.agentEndMs,
        legCount: 2,
        firstAnswerMs: bAnswerMs,
        answeredByExtensionId: call.second,
      }),
    ],
  };
}
