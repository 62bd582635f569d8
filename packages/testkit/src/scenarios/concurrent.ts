// Two calls on one extension: during the first, a second rings (call waiting); the agent holds the first, answers
// and finishes the second, then resumes and ends the first.
import { expectLeg, expectSummary, hangUp, type Kit } from './kit.js';
import { agents } from './params.js';
import type { BuiltScenario } from './types.js';

export function concurrentCalls(kit: Kit): Omit<BuiltScenario, 'name'> {
  const { params, random } = kit;
  const [extension] = agents(params, 1, 'concurrent-calls') as [string];
  const second = { phoneNumber: `+1555010${random.digits(4)}`, name: 'Robin Second' };
  const first = kit.script();
  const caller1 = first.party({ direction: 'Outbound', from: kit.customer, to: kit.company });
  const agent1 = first.party({ extensionId: extension, direction: 'Inbound', from: kit.customer, to: kit.agent(extension) });
  const other = kit.script();
  const caller2 = other.party({ direction: 'Outbound', from: second, to: kit.company });
  const agent2 = other.party({ extensionId: extension, direction: 'Inbound', from: second, to: kit.agent(extension) });
  const [talk1a, talk2, talk1b] = random.split(params.talkMs, 3) as [number, number, number];

  const t0 = params.startMs;
  const start1 = t0 + kit.gap();
  const ring1 = start1 + kit.gap();
  const answer1 = ring1 + params.ringMs;
  first.emit(t0, caller1, 'Setup').emit(start1, agent1, 'Setup').emit(ring1, agent1, 'Proceeding').emit(answer1, agent1, 'Answered');
  first.emit(answer1 + kit.gap(), caller1, 'Answered');

  const t2 = answer1 + talk1a;
  const start2 = t2 + kit.gap();
  const ring2 = start2 + kit.gap();
  const ringMs2 = random.int(2000, 8000);
  const answer2 = ring2 + ringMs2;
  const hold1 = answer2 - random.int(100, 600);
  other.emit(t2, caller2, 'Setup').emit(start2, agent2, 'Setup').emit(ring2, agent2, 'Proceeding');
  first.emit(hold1, agent1, 'Hold');
  other.emit(answer2, agent2, 'Answered').emit(answer2 + kit.gap(), caller2, 'Answered');
  const ends2 = hangUp(kit, answer2 + talk2, { script: other, party: agent2 }, { script: other, party: caller2 }, 'customer');

  const resume1 = ends2.agentEndMs + random.int(300, 1500);
  first.emit(resume1, agent1, 'Answered');
  const talkEnd1 = resume1 + talk1b;
  const ends1 = hangUp(kit, talkEnd1, { script: first, party: agent1 }, { script: first, party: caller1 }, params.endedBy);
  return {
    monitoredExtensionIds: [extension],
    notifications: [...first.notifications(), ...other.notifications()],
    expectedLegs: [
      expectLeg(first, agent1, {
        result: 'Answered',
        endedBy: params.endedBy,
        startMs: start1,
        answerMs: answer1,
        endMs: ends1.agentEndMs,
        ringMs: params.ringMs,
        talkMs: talk1a + (hold1 - t2) + (ends1.agentEndMs - resume1),
        holdMs: resume1 - hold1,
        holdCount: 1,
      }),
      expectLeg(other, agent2, {
        result: 'Answered',
        endedBy: 'customer',
        startMs: start2,
        answerMs: answer2,
        endMs: ends2.agentEndMs,
        ringMs: ringMs2,
        talkMs: ends2.agentEndMs - answer2,
      }),
    ],
    expectedSummaries: [
      expectSummary(first, {
        direction: 'Inbound',
        startMs: t0,
        endMs: Math.max(ends1.agentEndMs, ends1.customerEndMs),
        legCount: 1,
        firstAnswerMs: answer1,
        answeredByExtensionId: extension,
      }),
      expectSummary(other, {
        direction: 'Inbound',
        startMs: t2,
        endMs: ends2.agentEndMs,
        legCount: 1,
        firstAnswerMs: answer2,
        answeredByExtensionId: extension,
      }),
    ],
  };
}
