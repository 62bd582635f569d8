// The live board's store on plain data (web/src/state/board.ts): changes merged into the agents shown in place, times
// parsed once and kept as numbers, stale versions skipped, one message channel for the frame measurement; and the
// agents' subscription document (state/agents-subscription.ts): valid for the API's schema, selecting only what the
// page reads.
import { readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, Kind, parse, type SelectionSetNode, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { agentsSubscription } from '../src/state/agents-subscription.js';
import { agentOf, agents, applyAgents, mergeAgent, metrics } from '../src/state/board.js';
import type { AgentMessage, LegMessage } from '../src/types.js';

const endpoint = (name: string | null, phoneNumber: string | null) => ({ name, phoneNumber });
const leg = (session: string, status: string, statusSince: string, over: Partial<LegMessage> = {}): LegMessage => ({
  telephonySessionId: session,
  partyId: 'p-1',
  direction: 'Inbound',
  status,
  statusSince,
  from: endpoint('Acme Corp', '+15550100'),
  to: endpoint(null, null),
  queueId: 'q1',
  queueName: 'Sales',
  startTime: '2026-11-30T12:00:00.000Z',
  ringMs: 0,
  talkMs: 0,
  holdMs: 0,
  updatedAt: statusSince,
  ...over,
});
const agent = (over: Partial<AgentMessage>): AgentMessage => ({
  extensionId: '101',
  extensionNumber: '11',
  name: 'Dana',
  state: 'idle',
  since: '2026-11-30T11:59:00.000Z',
  version: 1,
  counterpart: null,
  legs: [],
  ...over,
});

/** The frames of the page, run by timers (no browser here). */
async function withFrames(run: () => Promise<void>): Promise<void> {
  const frameRequest = globalThis.requestAnimationFrame;
  globalThis.requestAnimationFrame = (callback: FrameRequestCallback) =>
    setTimeout(() => callback(performance.now()), 1) as unknown as number;
  try {
    await run();
  } finally {
    globalThis.requestAnimationFrame = frameRequest;
  }
}

describe('the live board in the page', () => {
  it('measures every frame after it is painted through one message channel (a channel per frame, never closed, is renderer memory)', async () => {
    const Channel = globalThis.MessageChannel;
    const channels: MessageChannel[] = [];
    globalThis.MessageChannel = class extends Channel {
      constructor() {
        super();
        channels.push(this);
      }
    };
    try {
      await withFrames(async () => {
        const measured = metrics.updateFrameMs.length;
        for (let frame = 1; frame <= 50; frame++) {
          applyAgents({
            snapshot: frame === 1,
            agents: [agent({ version: frame, since: null })],
            removed: [],
            at: new Date().toISOString(),
          });
          await new Promise((done) => setTimeout(done, 5));
        }
        await expect.poll(() => metrics.updateFrameMs.length - measured).toBe(50);
      });
      expect(channels.length).toBeLessThanOrEqual(1);
    } finally {
      globalThis.MessageChannel = Channel;
      for (const channel of channels) channel.port1.close();
    }
  });

  it('keeps each message read once: times as numbers, no ISO string and no write time kept; an older version is skipped but measured', async () => {
    await withFrames(async () => {
      const ringing = agent({
        extensionId: '202',
        state: 'ringing',
        since: '2026-11-30T12:00:00.000Z',
        version: 5,
        counterpart: endpoint('Acme Corp', '+15550100'),
        legs: [leg('s1', 'Ringing', '2026-11-30T12:00:00.000Z')],
      });
      applyAgents({ snapshot: true, agents: [agent({ extensionId: '202', version: 4 })], removed: [], at: '' });
      applyAgents({ snapshot: false, agents: [structuredClone(ringing)], removed: [], at: '' });
      const shown = agents.get('202');
      expect(shown).toEqual(agentOf(ringing));
      expect(shown?.sinceAt).toBe(Date.parse('2026-11-30T12:00:00.000Z'));
      expect(shown?.legs[0]?.statusAt).toBe(Date.parse('2026-11-30T12:00:00.000Z'));
      expect(shown?.legs[0]?.startAt).toBe(Date.parse('2026-11-30T12:00:00.000Z'));
      expect(Object.keys(shown ?? {})).not.toContain('since');
      expect(Object.keys(shown?.legs[0] ?? {})).not.toContain('statusSince');
      expect(Object.keys(shown?.legs[0] ?? {})).not.toContain('startTime');
      expect(Object.keys(shown?.legs[0] ?? {})).not.toContain('updatedAt');
      // A change older than the one shown is measured (it was received) but not applied.
      const received = metrics.eventToReceiptMs.length;
      applyAgents({ snapshot: false, agents: [agent({ extensionId: '202', version: 3 })], removed: [], at: '' });
      expect(metrics.eventToReceiptMs.length).toBe(received);
      applyAgents({
        snapshot: false,
        agents: [agent({ extensionId: '202', version: 3, state: 'talking', legs: [leg('s1', 'Talking', '2026-11-30T12:00:05.000Z')] })],
        removed: [],
        at: '',
      });
      expect(metrics.eventToReceiptMs.length).toBe(received + 1);
      expect(agents.get('202')?.state).toBe('ringing');
    });
  });
});

describe("an agent's change applied to the agent shown", () => {
  it('ends equal to the change, keeping the objects that stayed (the message is garbage at once)', () => {
    const shown = agentOf(agent({}));
    const ringing = agent({
      state: 'ringing',
      version: 2,
      since: '2026-11-30T12:00:00.000Z',
      counterpart: endpoint('Acme Corp', '+15550100'),
      legs: [leg('s1', 'Ringing', '2026-11-30T12:00:00.000Z')],
    });
    mergeAgent(shown, structuredClone(ringing));
    expect(shown).toEqual(agentOf(ringing));
    const counterpart = shown.counterpart;
    const firstLeg = shown.legs[0];
    const from = firstLeg?.from;
    const legs = shown.legs;
    const talking = agent({
      state: 'talking',
      version: 3,
      since: '2026-11-30T12:00:05.000Z',
      counterpart: endpoint('Acme Corp', '+15550100'),
      legs: [leg('s1', 'Talking', '2026-11-30T12:00:05.000Z', { ringMs: 5000 })],
    });
    mergeAgent(shown, structuredClone(talking));
    expect(shown).toEqual(agentOf(talking));
    expect(shown.counterpart).toBe(counterpart);
    expect(shown.legs).toBe(legs);
    expect(shown.legs[0]).toBe(firstLeg);
    expect(shown.legs[0]?.from).toBe(from);
    // A second call beside the first, then the first ends and the agent is idle.
    const two = agent({
      state: 'talking',
      version: 4,
      since: '2026-11-30T12:00:05.000Z',
      counterpart: endpoint(null, '+15550199'),
      legs: [talking.legs[0] as LegMessage, leg('s2', 'Ringing', '2026-11-30T12:01:00.000Z', { from: endpoint(null, '+15550199') })],
    });
    mergeAgent(shown, structuredClone(two));
    expect(shown).toEqual(agentOf(two));
    expect(shown.legs[0]).toBe(firstLeg);
    expect(shown.counterpart).toBe(counterpart);
    const second = shown.legs[1];
    const one = agent({ state: 'ringing', version: 5, since: '2026-11-30T12:01:00.000Z', legs: [two.legs[1] as LegMessage] });
    mergeAgent(shown, structuredClone(one));
    expect(shown).toEqual(agentOf(one));
    expect(shown.legs[0]).toBe(second);
    const idle = agent({ state: 'idle', version: 6, since: '2026-11-30T12:02:00.000Z', counterpart: null, legs: [] });
    mergeAgent(shown, structuredClone(idle));
    expect(shown).toEqual(agentOf(idle));
  });
});

/** The fields selected under `path` (names from the root selection down). */
function selected(document: DocumentNode, path: string[]): string[] {
  const operation = document.definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  let set: SelectionSetNode | undefined = operation.selectionSet;
  for (const name of path) {
    const field = set?.selections.find((selection) => selection.kind === Kind.FIELD && selection.name.value === name);
    set = field?.kind === Kind.FIELD ? field.selectionSet : undefined;
  }
  return (set?.selections ?? []).flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
}

describe("the agents' subscription", () => {
  const document = parse(agentsSubscription);

  it("is valid for the API's schema", () => {
    const schema = buildSchema(readFileSync(new URL('../../services/api/schema.graphql', import.meta.url), 'utf8'));
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it('selects only the fields the page reads (each is parsed 2,000 times a second)', () => {
    const agentFields = selected(document, ['agentStatesChanged', 'agents']);
    const legFields = selected(document, ['agentStatesChanged', 'agents', 'legs']);
    expect(agentFields).not.toContain('idleSince');
    expect(legFields).not.toContain('answerTime');
    expect(legFields).not.toContain('holdCount');
    expect(legFields).not.toContain('extensionId');
    for (const party of [['counterpart'], ['legs', 'from'], ['legs', 'to']])
      expect(selected(document, ['agentStatesChanged', 'agents', ...party]).sort()).toEqual(['name', 'phoneNumber']);
    // What a message becomes in the board: every field selected is kept or measured.
    const kept = Object.keys(agentOf(agent({ legs: [leg('s1', 'Ringing', '2026-11-30T12:00:00.000Z')] })));
    expect(agentFields.filter((name) => !kept.includes(name))).toEqual(['since']);
  });
});
