// An agent calls a PSTN number: answered (with one hold), or given up while it rang.
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

type Built = Omit<BuiltScenario, 'name'>;

function outboundCall(kit: Kit, name: string) {
  const [extension] = agents(kit.params, 1, name) as [string];
  const script = kit.script();
  const from = { ...kit.agent(extension), phoneNumber: kit.params.companyNumber };
  const agent = script.party({ extensionId: extension, direction: 'Outbound', from, to: { phoneNumber: kit.params.customerNumber } });
  const remote = script.party({ direction: 'Inbound', from, to: { phoneNumber: kit.params.customerNumber } });
  const t0 = kit.params.startMs;
  // As captured: the remote party rings first, the agent's own Proceeding (ringback) follows.
  const remoteRingMs = t0 + kit.gap();
  const ringStartMs = remoteRingMs + kit.gap();
  script.emit(t0, agent, 'Setup').emit(remoteRingMs, remote, 'Proceeding').emit(ringStartMs, agent, 'Proceeding');
  return { extension, script, agent, remote, t0, ringStartMs };
}

export function outboundAnswered(kit: Kit): Built {
  const { params, random } = kit;
  const call = outboundCall(kit, 'outbound-answered');
  const { script, agent, remote } = call;
  const answerMs = call.ringStartMs + params.ringMs;
  script.emit(answerMs - random.int(5, 40), remote, 'Answered').emit(answerMs, agent, 'Answered');
  const [talk1, talk2] = random.split(params.talkMs, 2) as [number, number];
  const holdMs = answerMs + talk1;
  script.emit(holdMs, agent, 'Hold').emit(holdMs + params.holdMs, agent, 'Answered');
  const talkEndMs = holdMs + params.holdMs + talk2;
  const { agentEndMs, customerEndMs } = hangUp(kit, talkEndMs, { script, party: agent }, { script, party: remote }, params.endedBy);
  return {
    monitoredExtensionIds: [call.extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: call.t0,
        answerMs,
        endMs: agentEndMs,
        ringMs: params.ringMs,
        talkMs: params.talkMs + (agentEndMs - talkEndMs),
        holdMs: params.holdMs,
        holdCount: 1,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Outbound',
        startMs: call.t0,
        endMs: Math.max(agentEndMs, customerEndMs),
        legCount: 1,
        firstAnswerMs: answerMs,
        answeredByExtensionId: call.extension,
      }),
    ],
  };
}

export function outboundUnanswered(kit: Kit): Built {
  const call = outboundCall(kit, 'outbound-unanswered');
  const { script, agent, remote } = call;
  const agentEndMs = call.ringStartMs + kit.params.ringMs;
  const remoteEndMs = agentEndMs + kit.gap();
  script.emit(agentEndMs, agent, 'Disconnected').emit(remoteEndMs, remote, 'Disconnected');
  return {
    monitoredExtensionIds: [call.extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, { result: 'Cancelled', endedBy: 'agent', startMs: call.t0, endMs: agentEndMs, ringMs: kit.params.ringMs }),
    ],
    expectedSummaries: [expectSummary(script, { direction: 'Outbound', startMs: call.t0, endMs: remoteEndMs, legCount: 1 })],
  };
}
