// The call drawer: one call's legs (the calls query by its telephonySessionId) with their agents' names, their
// figures and, when the API explains the call (callTimeline), each leg's events, its phases on a time axis and the
// explanation of each figure. Without it (an API without the query, or no stored events of the call) the legs are
// drawn from their times (ringing to the answer, connected to the end) and the drawer says the timeline is missing.
import { useEffect, useState } from 'preact/hooks';
import { clockTime, duration, endpointText, resultLabel } from '../format.js';
import { agentText, type CallRow, callFields } from './columns.js';
import { ask } from './query.js';
import { AXIS_LEFT, fitted, LegExplained, type LegTimeline, PhaseAxis, timelineQuery } from './Timeline.js';

const legsQuery = `query($f: CallFilter, $a: String) { calls(filter: $f, first: 500, after: $a, orderBy: { field: START, direction: ASC }) {
  pageInfo { hasNextPage endCursor } edges { node { ${callFields} } } } }`;

interface LegsPage {
  calls: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: CallRow }> };
}

const DAY_MS = 24 * 3600_000;

/**
 * The session's legs, asked by its id. The range only has to hold them: a day either side of the clicked leg (a
 * call's legs start within it; the legs table is ordered by session, so the wide range costs little).
 */
async function sessionLegs(call: CallRow): Promise<CallRow[]> {
  const start = Date.parse(call.startTime);
  const end = Date.parse(call.endTime ?? call.startTime);
  const found: CallRow[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page += 1) {
    const data: LegsPage = await ask(legsQuery, {
      f: {
        telephonySessionId: call.telephonySessionId,
        from: new Date(start - DAY_MS).toISOString(),
        to: new Date(end + DAY_MS).toISOString(),
        timeZone: 'UTC',
      },
      a: after,
    });
    found.push(...data.calls.edges.map((edge) => edge.node));
    if (!data.calls.pageInfo.hasNextPage) break;
    after = data.calls.pageInfo.endCursor;
  }
  return found.length ? found : [call];
}

function Axis({ legs, timeZone }: { legs: CallRow[]; timeZone: string }) {
  const starts = legs.map((leg) => Date.parse(leg.startTime));
  const ends = legs.map((leg) => Date.parse(leg.endTime ?? leg.startTime));
  const t0 = Math.min(...starts);
  const span = Math.max(1000, Math.max(...ends) - t0);
  const x = (ms: number) => AXIS_LEFT + ((ms - t0) / span) * (590 - AXIS_LEFT);
  return (
    <svg class="phases" viewBox={`0 0 600 ${legs.length * 26 + 24}`} role="img" aria-label="The legs on a time axis">
      {legs.map((leg, i) => {
        const start = Date.parse(leg.startTime);
        const answer = leg.answerTime ? Date.parse(leg.answerTime) : undefined;
        const end = Date.parse(leg.endTime ?? leg.startTime);
        const y = i * 26 + 4;
        return (
          <g key={leg.partyId}>
            <text x="0" y={y + 14} class="axis-label">
              {fitted(agentText(leg), 22)}
              <title>{agentText(leg)}</title>
            </text>
            <rect class="phase-ring" x={x(start)} y={y} width={Math.max(1, x(answer ?? end) - x(start))} height="18">
              <title>{`Ring ${duration(leg.ringMs)}`}</title>
            </rect>
            {answer !== undefined ? (
              <rect
                class={leg.holdMs > 0 ? 'phase-talk with-hold' : 'phase-talk'}
                x={x(answer)}
                y={y}
                width={Math.max(1, x(end) - x(answer))}
                height="18"
              >
                <title>{`Talk ${duration(leg.talkMs)}${leg.holdMs > 0 ? `, hold ${duration(leg.holdMs)} in ${leg.holdCount}` : ''}`}</title>
              </rect>
            ) : null}
          </g>
        );
      })}
      <text x={AXIS_LEFT} y={legs.length * 26 + 20} class="axis-label">
        {clockTime(t0, timeZone)}
      </text>
      <text x="590" y={legs.length * 26 + 20} class="axis-label" text-anchor="end">
        {clockTime(t0 + span, timeZone)}
      </text>
    </svg>
  );
}

export function CallDrawer({ call, timeZone, onClose }: { call: CallRow; timeZone: string; onClose: () => void }) {
  const [legs, setLegs] = useState<CallRow[] | undefined>(undefined);
  const [timeline, setTimeline] = useState<LegTimeline[] | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    setLegs(undefined);
    setTimeline(undefined);
    sessionLegs(call).then(setLegs, (err: Error) => setError(err.message));
    ask<{ callTimeline: { legs: LegTimeline[] } | null }>(timelineQuery, { id: call.telephonySessionId, z: timeZone }).then(
      (data) => setTimeline(data.callTimeline?.legs ?? null),
      () => setTimeline(null),
    );
  }, [call.telephonySessionId]);
  useEffect(() => {
    const key = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);
  /** A leg's name: its agent (from its row), else its extension. */
  const nameOf = (partyId: string, extensionId: string) => {
    const row = legs?.find((one) => one.partyId === partyId);
    return row ? agentText(row) : `Ext. ${extensionId}`;
  };
  /** An event's party: an agent of the call by name; another party (the caller's side, a queue) as such. */
  const partyName = (partyId: string) => {
    const row = legs?.find((one) => one.partyId === partyId);
    return row ? agentText(row) : 'Other party';
  };
  const first = legs?.[0] ?? call;
  return (
    <aside class="drawer" role="dialog" aria-label="Call">
      <header>
        <h2>
          Call of {clockTime(Date.parse(first.startTime), timeZone)} · {endpointText(first.from)} → {endpointText(first.to)}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <p class="muted session-id">Telephony session {call.telephonySessionId}</p>
      {error ? <p class="error">{error}</p> : null}
      {!legs ? <p class="muted">Loading the legs…</p> : null}
      {legs ? (
        <>
          {timeline ? (
            <PhaseAxis legs={timeline} timeZone={timeZone} label={(one) => nameOf(one.partyId, one.extensionId)} />
          ) : (
            <Axis legs={legs} timeZone={timeZone} />
          )}
          <p class="legend">
            <span class="swatch phase-ring" /> Ring <span class="swatch phase-talk" /> {timeline ? 'Talk' : 'Connected (talk and hold)'}
            {timeline ? (
              <>
                <span class="swatch phase-hold" /> Hold
              </>
            ) : null}
          </p>
          {legs.map((leg) => (
            <section class="leg" key={leg.partyId} data-party={leg.partyId}>
              <h3>
                {agentText(leg)} · {leg.direction} · <span class={`result result-${leg.result}`}>{resultLabel(leg.result)}</span>
              </h3>
              <dl>
                <dt>From</dt>
                <dd>{endpointText(leg.from)}</dd>
                <dt>To</dt>
                <dd>{endpointText(leg.to)}</dd>
                <dt>Queue</dt>
                <dd>{leg.queueName ?? '–'}</dd>
                <dt>Started</dt>
                <dd>{clockTime(Date.parse(leg.startTime), timeZone)}</dd>
                <dt>Answered</dt>
                <dd>{leg.answerTime ? clockTime(Date.parse(leg.answerTime), timeZone) : 'never'}</dd>
                <dt>Ended</dt>
                <dd>{leg.endTime ? clockTime(Date.parse(leg.endTime), timeZone) : '–'}</dd>
                <dt>Ring</dt>
                <dd data-figure="ring">{duration(leg.ringMs)}</dd>
                <dt>Talk</dt>
                <dd data-figure="talk">{duration(leg.talkMs)}</dd>
                <dt>Hold</dt>
                <dd data-figure="hold">
                  {duration(leg.holdMs)}
                  {leg.holdCount ? ` (${leg.holdCount} ${leg.holdCount === 1 ? 'hold' : 'holds'})` : ''}
                </dd>
                <dt>Ended by</dt>
                <dd>
                  {leg.endedBy}
                  {leg.endedDuringHold ? ' (during a hold)' : ''}
                  {leg.endReason ? `, reason ${leg.endReason}` : ''}
                </dd>
              </dl>
              {(() => {
                const explained = timeline?.find((one) => one.partyId === leg.partyId);
                return explained ? <LegExplained leg={explained} timeZone={timeZone} party={partyName} /> : null;
              })()}
            </section>
          ))}
          {timeline === null ? (
            <p class="muted timeline-missing">The events of this call and the rule behind each figure are not available from the API.</p>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
