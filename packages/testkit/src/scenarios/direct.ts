// Direct inbound calls from a PSTN caller to one agent: answered with two holds, missed, missed to voicemail.

import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

type Built = Omit<BuiltScenario, 'name'>;

function directCall(kit: Kit, name: string) {
  const [extension] = agents(kit.params, 1, name) as [string];
  const script = kit.script();
  const caller = script.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agent = script.party({ extensionId: extension, direction: 'Inbound', from: kit.customer, to: kit.agent(extension) });
  const t0 = kit.params.startMs;
  const agentStartMs = t0 + kit.gap();
  const ringStartMs = agentStartMs + kit.gap();
  script.emit(t0, caller, 'Setup').emit(agentStartMs, agent, 'Setup').emit(ringStartMs, agent, 'Proceeding');
  return { extension, script, caller, agent, t0, agentStartMs, ringStartMs };
}

export function inboundAnsweredTwoHolds(kit: Kit): Built {
  const { params, random } = kit;
  const call = directCall(kit, 'inbound-answered-two-holds');
  const { script, caller, agent } = call;
  const answerMs = call.ringStartMs + params.ringMs;
  script.emit(answerMs, agent, 'Answered').emit(answerMs + kit.gap(), caller, 'Answered');
  const [talk1, talk2, talk3] = random.split(params.talkMs, 3) as [number, number, number];
  const [hold1, hold2] = random.split(params.holdMs, 2) as [number, number];
  let t = answerMs + talk1;
  script.emit(t, agent, 'Hold');
  t += hold1;
  script.emit(t, agent, 'Answered');
  t += talk2;
  script.emit(t, agent, 'Hold');
  t += hold2;
  script.emit(t, agent, 'Answered');
  const talkEndMs = t + talk3;
  const { agentEndMs, customerEndMs } = hangUp(kit, talkEndMs, { script, party: agent }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [call.extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: call.agentStartMs,
        answerMs,
        endMs: agentEndMs,
        ringMs: params.ringMs,
        talkMs: params.talkMs + (agentEndMs - talkEndMs),
        holdMs: params.holdMs,
        holdCount: 2,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: call.t0,
        endMs: Math.max(agentEndMs, customerEndMs),
        legCount: 1,
        firstAnswerMs: answerMs,
        answeredByExtensionId: call.extension,
      }),
    ],
  };
}

export function inboundMissed(kit: Kit): Built {
  const call = directCall(kit, 'inbound-missed');
  const { script, caller, agent } = call;
  const callerEndMs = call.ringStartMs + kit.params.ringMs;
  const agentEndMs = callerEndMs + kit.gap();
  script.emit(callerEndMs, caller, 'Disconnected').emit(agentEndMs, agent, 'Disconnected', { missedCall: true });
  return {
    monitoredExtensionIds: [call.extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, {
        result: 'Missed',
        endedBy: 'customer',
        startMs: call.agentStartMs,
        endMs: agentEndMs,
        ringMs: agentEndMs - call.ringStartMs,
      }),
    ],
    expectedSummaries: [expectSummary(script, { direction: 'Inbound', startMs: call.t0, endMs: agentEndMs, legCount: 1, abandoned: true })],
  };
}

export function inboundVoicemail(kit: Kit): Built {
  const call = directCall(kit, 'inbound-voicemail');
  const { script, caller, agent } = call;
  const voicemailMs = call.ringStartMs + kit.params.ringMs;
  // Live payloads spell it `Voicemail`, the spec `VoiceMail`: both appear.
  script.emit(voicemailMs, agent, kit.random.pick(['Voicemail', 'VoiceMail'])).emit(voicemailMs + kit.gap(), caller, 'Answered');
  const callerEndMs = voicemailMs + kit.params.voicemailMs;
  const agentEndMs = callerEndMs + kit.gap();
  script.emit(callerEndMs, caller, 'Disconnected').emit(agentEndMs, agent, 'Disconnected', { missedCall: true });
  return {
    monitoredExtensionIds: [call.extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, {
        result: 'Voicemail',
        endedBy: 'customer',
        startMs: call.agentStartMs,
        endMs: agentEndMs,
        ringMs: kit.params.ringMs,
      }),
    ],
    expectedSummaries: [expectSummary(script, { direction: 'Inbound', startMs: call.t0, endMs: agentEndMs, legCount: 1 })],
  };
}
