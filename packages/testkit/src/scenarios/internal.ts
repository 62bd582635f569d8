// An internal call between two monitored extensions; the caller holds once. Modelled on a real capture: the caller's
// own Answered comes at setup, before the callee even rings.
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

export function internalCall(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params, random } = kit;
  const [callerExtension, calleeExtension] = agents(params, 2, 'internal-call') as [string, string];
  const script = kit.script();
  const from = kit.agent(callerExtension);
  const to = kit.agent(calleeExtension);
  const caller = script.party({ extensionId: callerExtension, direction: 'Outbound', from, to });
  const callee = script.party({ extensionId: calleeExtension, direction: 'Inbound', from, to });
  const t0 = params.startMs;
  const calleeStartMs = t0 + kit.gap();
  const callerSetupAnswerMs = calleeStartMs + kit.gap();
  const ringStartMs = callerSetupAnswerMs + kit.gap();
  const answerMs = ringStartMs + params.ringMs;
  script
    .emit(t0, caller, 'Setup')
    .emit(calleeStartMs, callee, 'Setup')
    .emit(callerSetupAnswerMs, caller, 'Answered')
    .emit(ringStartMs, callee, 'Proceeding')
    .emit(answerMs, callee, 'Answered');
  const [talk1, talk2] = random.split(params.talkMs, 2) as [number, number];
  const holdMs = answerMs + talk1;
  script.emit(holdMs, caller, 'Hold').emit(holdMs + params.holdMs, caller, 'Answered');
  const talkEndMs = holdMs + params.holdMs + talk2;
  // endedBy is seen from the callee's leg: 'agent' means the callee hangs up first.
  const ends = hangUp(kit, talkEndMs, { script, party: callee }, { script, party: caller }, params.endedBy);
  const callerEndedBy = params.endedBy === 'agent' ? 'customer' : 'agent';
  return {
    monitoredExtensionIds: [callerExtension, calleeExtension],
    notifications: script.notifications(),
    expectedLegs: [
      // The caller's leg is connected when the callee answers; its ring is the callee's ringing.
      expectLeg(script, caller, {
        result: 'Answered',
        endedBy: callerEndedBy,
        startMs: t0,
        answerMs,
        endMs: ends.customerEndMs,
        ringMs: params.ringMs,
        talkMs: params.talkMs + (ends.customerEndMs - talkEndMs),
        holdMs: params.holdMs,
        holdCount: 1,
      }),
      // Hold shows only on the party that pressed it: the callee kept talking time through it.
      expectLeg(script, callee, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: calleeStartMs,
        answerMs,
        endMs: ends.agentEndMs,
        ringMs: params.ringMs,
        talkMs: params.talkMs + params.holdMs + (ends.agentEndMs - talkEndMs),
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Outbound',
        startMs: t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 2,
        firstAnswerMs: answerMs,
        answeredByExtensionId: calleeExtension,
      }),
    ],
  };
}
