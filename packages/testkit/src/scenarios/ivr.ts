// A PSTN caller reaches an IVR menu, chooses an option and is put through to an agent (as in a real capture).
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

export function ivrToAgent(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params, random } = kit;
  const [extension] = agents(params, 1, 'ivr-to-agent') as [string];
  const script = kit.script();
  const menu = { phoneNumber: params.companyNumber, name: 'Main Menu', extensionId: params.ivrExtensionId };
  const caller = script.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const ivr = script.party({ extensionId: params.ivrExtensionId, direction: 'Inbound', from: kit.customer, to: menu });
  const agent = script.party({ extensionId: extension, direction: 'Inbound', from: kit.customer, to: kit.agent(extension) });
  const t0 = params.startMs;
  const ivrStartMs = t0 + kit.gap();
  script
    .emit(t0, caller, 'Setup')
    .emit(ivrStartMs, ivr, 'Setup')
    .emit(ivrStartMs + kit.gap(), caller, 'Answered', { to: menu });
  // The caller chose an option: the IVR party leaves and the agent's party appears in the same millisecond.
  const choiceMs = t0 + params.ivrMs;
  script.emit(choiceMs, ivr, 'Disconnected').emit(choiceMs, agent, 'Setup');
  const ringStartMs = choiceMs + kit.gap();
  const answerMs = ringStartMs + params.ringMs;
  script.emit(ringStartMs, agent, 'Proceeding').emit(answerMs, agent, 'Answered');
  const [talk1, talk2] = random.split(params.talkMs, 2) as [number, number];
  const holdMs = answerMs + talk1;
  script.emit(holdMs, agent, 'Hold').emit(holdMs + params.holdMs, agent, 'Answered');
  const talkEndMs = holdMs + params.holdMs + talk2;
  const ends = hangUp(kit, talkEndMs, { script, party: agent }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: choiceMs,
        answerMs,
        endMs: ends.agentEndMs,
        ringMs: params.ringMs,
        talkMs: params.talkMs + (ends.agentEndMs - talkEndMs),
        holdMs: params.holdMs,
        holdCount: 1,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 1,
        firstAnswerMs: answerMs,
        answeredByExtensionId: extension,
      }),
    ],
  };
}
