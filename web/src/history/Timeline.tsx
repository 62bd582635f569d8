// A call's timeline as the API explains it (callTimeline): each leg's events (time, party, status, reason), its
// phases on a shared time axis (ring, talk, hold as coloured SVG bars) and where each figure comes from (the phases
// summed, the rule that opens and closes them, the result rule that matched and who ended the leg, with their facts).
import { clockTime, duration, resultLabel } from '../format.js';

interface Mark {
  timeMs: number;
}
export interface Phase {
  kind: string;
  from: Mark;
  to: Mark | null;
  ms: number;
}
interface Sum {
  ms: number;
  rule: string;
  phases: Array<{ ms: number }>;
}
interface Rule {
  rule: string;
  says: string;
  facts: Array<{ name: string; value: string | null }>;
}
export interface LegTimeline {
  partyId: string;
  extensionId: string;
  events: Array<{
    sequence: number;
    timeMs: number;
    partyId: string;
    status: string;
    reason: string | null;
    synthetic: boolean;
    afterEnd: boolean;
  }>;
  phases: Phase[];
  ring: Sum;
  talk: Sum;
  hold: Sum;
  duration: { ms: number; rule: string };
  result: (Rule & { result: string }) | null;
  endedBy: (Rule & { endedBy: string }) | null;
}

const sum = '{ ms rule phases { ms } }';
const rule = 'rule says facts { name value }';
export const timelineQuery = `query($id: ID!, $z: String) { callTimeline(telephonySessionId: $id, timeZone: $z) { legs {
  partyId extensionId events { sequence timeMs partyId status reason synthetic afterEnd }
  phases { kind ms from { timeMs } to { timeMs } } ring ${sum} talk ${sum} hold ${sum} duration { ms rule }
  result { result ${rule} } endedBy { endedBy ${rule} } } } }`;

/** A label of at most `max` characters (an ellipsis when cut; the whole one in the tooltip). */
export const fitted = (label: string, max: number) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** Where the bars begin and end on the 600-wide axis: the legs' labels take the left. */
export const AXIS_LEFT = 150;
const AXIS_RIGHT = 590;

export function PhaseAxis({
  legs,
  timeZone,
  label,
}: {
  legs: LegTimeline[];
  timeZone: string;
  /** The leg's name on the axis (the agent's name and number when the directory has it). */
  label: (leg: LegTimeline) => string;
}) {
  const times = legs.flatMap((leg) => leg.events.map((event) => event.timeMs));
  const t0 = Math.min(...times);
  const span = Math.max(1000, Math.max(...times) - t0);
  const x = (ms: number) => AXIS_LEFT + ((ms - t0) / span) * (AXIS_RIGHT - AXIS_LEFT);
  return (
    <svg class="phases" viewBox={`0 0 600 ${legs.length * 26 + 24}`} role="img" aria-label="Phases on a time axis">
      {legs.map((leg, i) => (
        <g key={leg.partyId}>
          <text x="0" y={i * 26 + 18} class="axis-label">
            {fitted(label(leg), 22)}
            <title>{label(leg)}</title>
          </text>
          {leg.phases
            .filter((phase) => phase.kind === 'ring' || phase.kind === 'talk' || phase.kind === 'hold')
            .map((phase) => (
              <rect
                key={`${phase.kind}${phase.from.timeMs}`}
                class={`phase-${phase.kind}`}
                data-phase={phase.kind}
                x={x(phase.from.timeMs)}
                y={i * 26 + 4}
                width={Math.max(1, x(phase.to?.timeMs ?? phase.from.timeMs) - x(phase.from.timeMs))}
                height="18"
              >
                <title>{`${phase.kind} ${duration(phase.ms)}`}</title>
              </rect>
            ))}
        </g>
      ))}
      <text x={AXIS_LEFT} y={legs.length * 26 + 20} class="axis-label">
        {clockTime(t0, timeZone)}
      </text>
      <text x={AXIS_RIGHT} y={legs.length * 26 + 20} class="axis-label" text-anchor="end">
        {clockTime(t0 + span, timeZone)}
      </text>
    </svg>
  );
}

function Facts({ facts }: { facts: Rule['facts'] }) {
  return <span class="muted">{facts.length ? ` (${facts.map((fact) => `${fact.name}: ${fact.value ?? '–'}`).join(', ')})` : ''}</span>;
}

/** One leg's events and the explanation of its figures. */
export function LegExplained({
  leg,
  timeZone,
  party,
}: {
  leg: LegTimeline;
  timeZone: string;
  /** A party's name for the events' Party column (an agent of the call, or the caller's side). */
  party: (partyId: string) => string;
}) {
  const phase = (label: string, figure: Sum, unit: string) => (
    <li data-explain={label.toLowerCase()}>
      <b>
        {label} {duration(figure.ms)}
      </b>
      {figure.phases.length > 1 ? ` in ${figure.phases.length} ${unit}` : ''}: {figure.rule}
    </li>
  );
  return (
    <div class="timeline">
      <table class="report-table events">
        <thead>
          <tr>
            <th>Time</th>
            <th>Party</th>
            <th>Status</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {leg.events.map((event) => (
            <tr key={event.sequence} class={event.afterEnd ? 'muted' : undefined}>
              <td>{clockTime(event.timeMs, timeZone)}</td>
              <td title={event.partyId}>{party(event.partyId)}</td>
              <td>
                {event.status}
                {event.synthetic ? ' (set by callpulse)' : ''}
              </td>
              <td>{event.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul class="explain">
        {phase('Ring', leg.ring, 'rings')}
        {phase('Talk', leg.talk, 'segments')}
        {phase('Hold', leg.hold, 'holds')}
        <li>
          <b>Duration {duration(leg.duration.ms)}</b>: {leg.duration.rule}
        </li>
        {leg.result ? (
          <li data-explain="result">
            <b>Result {resultLabel(leg.result.result)}</b> (rule {leg.result.rule}): {leg.result.says}
            <Facts facts={leg.result.facts} />
          </li>
        ) : null}
        {leg.endedBy ? (
          <li data-explain="endedBy">
            <b>Ended by {leg.endedBy.endedBy}</b> ({leg.endedBy.rule}): {leg.endedBy.says}
            <Facts facts={leg.endedBy.facts} />
          </li>
        ) : null}
      </ul>
    </div>
  );
}
