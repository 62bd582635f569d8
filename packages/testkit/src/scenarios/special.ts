// Calls RingCentral sends that are no ordinary agent call (docs/call-model.md, "No call of an agent's"): a received
// fax, a ring redirected to another agent, a supervisor monitoring an agent's call, and a greeting recording (no call).
// Modelled on RingCentral's status-code table (FaxReceive, Gone for Monitoring/Barge/Whisper, the reasons of the spec);
// there are no public captures of these, so the shapes follow the captured calls' envelope and party fields.
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

type Built = Omit<BuiltScenario, 'name'>;

/** A fax machine calls an agent's number: it rings, the fax is received, the sender hangs up. */
export function inboundFax(kit: Kit): Built {
  const [extension] = agents(kit.params, 1, 'inbound-fax') as [string];
  const script = kit.script();
  const sender = script.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agent = script.party({ extensionId: extension, direction: 'Inbound', from: kit.customer, to: kit.agent(extension) });
  const t0 = kit.params.startMs;
  const startMs = t0 + kit.gap();
  const ringStartMs = startMs + kit.gap();
  const faxMs = ringStartMs + Math.max(100, Math.round(kit.params.ringMs / 4)); // fax lines answer after a ring or two
  const senderEndMs = faxMs + kit.params.talkMs;
  const agentEndMs = senderEndMs + kit.gap();
  script
    .emit(t0, sender, 'Setup')
    .emit(startMs, agent, 'Setup')
    .emit(ringStartMs, agent, 'Proceeding')
    .emit(faxMs, agent, 'FaxReceive')
    .emit(faxMs + kit.gap(), sender, 'Answered')
    .emit(senderEndMs, sender, 'Disconnected')
    .emit(agentEndMs, agent, 'Disconnected');
  return {
    monitoredExtensionIds: [extension],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agent, { result: 'Fax', endedBy: 'customer', startMs, endMs: agentEndMs, ringMs: faxMs - ringStartMs }),
    ],
    expectedSummaries: [expectSummary(script, { direction: 'Inbound', startMs: t0, endMs: agentEndMs, legCount: 1 })],
  };
}

/** The call rings agent A, is forwarded while ringing (CallRedirected) to agent B, who answers and talks. */
export function redirectedRing(kit: Kit): Built {
  const { params } = kit;
  const [first, second] = agents(params, 2, 'redirected-ring') as [string, string];
  const script = kit.script();
  const caller = script.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agentA = script.party({ extensionId: first, direction: 'Inbound', from: kit.customer, to: kit.agent(first) });
  const agentB = script.party({ extensionId: second, direction: 'Inbound', from: kit.customer, to: kit.agent(second) });
  const t0 = params.startMs;
  const aStartMs = t0 + kit.gap();
  const aRingMs = aStartMs + kit.gap();
  const redirectMs = aRingMs + Math.max(100, Math.round(params.ringMs / 2));
  const bStartMs = redirectMs + kit.gap();
  const bRingMs = bStartMs + kit.gap();
  const answerMs = bRingMs + params.ringMs;
  script
    .emit(t0, caller, 'Setup')
    .emit(aStartMs, agentA, 'Setup')
    .emit(aRingMs, agentA, 'Proceeding')
    .emit(redirectMs, agentA, 'Disconnected', { reason: 'CallRedirected' })
    .emit(bStartMs, agentB, 'Setup')
    .emit(bRingMs, agentB, 'Proceeding')
    .emit(answerMs, agentB, 'Answered')
    .emit(answerMs + kit.gap(), caller, 'Answered');
  const talkEndMs = answerMs + params.talkMs;
  const ends = hangUp(kit, talkEndMs, { script, party: agentB }, { script, party: caller }, params.endedBy);
  return {
    monitoredExtensionIds: [first, second],
    notifications: script.notifications(),
    expectedLegs: [
      expectLeg(script, agentA, {
        result: 'Redirected',
        endedBy: 'unknown',
        startMs: aStartMs,
        endMs: redirectMs,
        ringMs: redirectMs - aRingMs,
      }),
      expectLeg(script, agentB, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: bStartMs,
        answerMs,
        endMs: ends.agentEndMs,
        ringMs: params.ringMs,
        talkMs: ends.agentEndMs - answerMs,
      }),
    ],
    expectedSummaries: [
      expectSummary(script, {
        direction: 'Inbound',
        startMs: t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 2,
        firstAnswerMs: answerMs,
        answeredByExtensionId: second,
      }),
    ],
  };
}

/**
 * A customer talks to agent A; supervisor S (also monitored) listens in from a session of its own, which ends with
 * Gone / Supervising when S joins the monitored call and leaves the call S placed. A's call is an ordinary one.
 */
export function supervisedCall(kit: Kit): Built {
  const { params } = kit;
  const [agentExtension, supervisorExtension] = agents(params, 2, 'supervised-call') as [string, string];
  const call = kit.script();
  const caller = call.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agent = call.party({ extensionId: agentExtension, direction: 'Inbound', from: kit.customer, to: kit.agent(agentExtension) });
  const t0 = params.startMs;
  const startMs = t0 + kit.gap();
  const ringStartMs = startMs + kit.gap();
  const answerMs = ringStartMs + params.ringMs;
  call
    .emit(t0, caller, 'Setup')
    .emit(startMs, agent, 'Setup')
    .emit(ringStartMs, agent, 'Proceeding')
    .emit(answerMs, agent, 'Answered')
    .emit(answerMs + kit.gap(), caller, 'Answered');
  const talkEndMs = answerMs + params.talkMs;
  const ends = hangUp(kit, talkEndMs, { script: call, party: agent }, { script: call, party: caller }, params.endedBy);

  // The supervisor's own session: placed, connected to the monitoring service, then handed into A's call.
  const watch = kit.script();
  const supervisor = watch.party({
    extensionId: supervisorExtension,
    direction: 'Outbound',
    from: kit.agent(supervisorExtension),
    to: kit.agent(agentExtension),
  });
  const sStartMs = answerMs + Math.max(100, Math.round(params.talkMs / 4));
  const sAnswerMs = sStartMs + kit.gap();
  const sLeaveMs = sAnswerMs + kit.gap();
  watch
    .emit(sStartMs, supervisor, 'Setup')
    .emit(sAnswerMs, supervisor, 'Answered')
    .emit(sLeaveMs, supervisor, 'Gone', {
      reason: 'Supervising',
      peer: { telephonySessionId: call.telephonySessionId, sessionId: call.sessionId, partyId: agent.id },
    });
  return {
    monitoredExtensionIds: [agentExtension, supervisorExtension],
    notifications: [...call.notifications(), ...watch.notifications()],
    expectedLegs: [
      expectLeg(call, agent, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs,
        answerMs,
        endMs: ends.agentEndMs,
        ringMs: params.ringMs,
        talkMs: ends.agentEndMs - answerMs,
      }),
      expectLeg(watch, supervisor, {
        result: 'Supervision',
        endedBy: 'agent',
        startMs: sStartMs,
        answerMs: sAnswerMs,
        endMs: sLeaveMs,
        talkMs: sLeaveMs - sAnswerMs,
      }),
    ],
    expectedSummaries: [
      expectSummary(call, {
        direction: 'Inbound',
        startMs: t0,
        endMs: Math.max(ends.agentEndMs, ends.customerEndMs),
        legCount: 1,
        firstAnswerMs: answerMs,
        answeredByExtensionId: agentExtension,
      }),
      expectSummary(watch, {
        direction: 'Outbound',
        startMs: sStartMs,
        endMs: sLeaveMs,
        legCount: 1,
        firstAnswerMs: sAnswerMs,
        answeredByExtensionId: supervisorExtension,
      }),
    ],
  };
}

/** An agent records a voicemail greeting by phone (origin GreetingsRecording): no call, so no leg and no summary. */
export function greetingRecording(kit: Kit): Built {
  const [extension] = agents(kit.params, 1, 'greeting-recording') as [string];
  const script = kit.script('GreetingsRecording');
  const agent = script.party({ extensionId: extension, direction: 'Outbound', from: kit.agent(extension), to: { phoneNumber: '*' } });
  const t0 = kit.params.startMs;
  const answerMs = t0 + kit.gap();
  script
    .emit(t0, agent, 'Setup')
    .emit(answerMs, agent, 'Answered')
    .emit(answerMs + kit.params.voicemailMs, agent, 'Disconnected');
  return {
    monitoredExtensionIds: [extension],
    notifications: script.notifications(),
    expectedLegs: [],
    expectedSummaries: [],
    sessionsWithoutRecords: [script.telephonySessionId],
  };
}
