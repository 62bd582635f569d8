// The four reporting queries the issue times, through the API's GraphQL (services/api/schema.graphql), over the
// dataset's period: callStats by extension for a month, by hour for a day, queueStats for a week, one calls page.

export interface ApiQuery {
  name: string;
  query: string;
  /** How many items the answer holds, for the notes. */
  count: (data: Record<string, unknown>) => number;
}

const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
const durations = 'count totalMs averageMs';
const statsFields = `key label start calls inbound outbound byResult { result count } ring { ${durations} } talk { ${durations} } hold { ${durations} }`;

export const apiQueries: ApiQuery[] = [
  {
    name: 'callStats by extension, one month',
    query: `{ callStats(from: "2025-10-01", to: "2025-11-01", groupBy: EXTENSION) { ${statsFields} } }`,
    count: (data) => length(data.callStats),
  },
  {
    name: 'callStats by hour, one day',
    query: `{ callStats(from: "2025-10-15", to: "2025-10-16", groupBy: HOUR) { ${statsFields} } }`,
    count: (data) => length(data.callStats),
  },
  {
    name: 'queueStats, one week',
    query: `{ queueStats(from: "2025-10-13", to: "2025-10-20") {
      queueId queueName offered answered abandoned averageSpeedOfAnswerMs answeredWithinServiceLevel serviceLevel longestWaitMs } }`,
    count: (data) => length(data.queueStats),
  },
  {
    name: 'calls page (50, filtered)',
    query: `{ calls(filter: { from: "2025-10-01", to: "2025-10-08", direction: Inbound, result: [Answered, Missed], minTalkMs: 60000 }, first: 50) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { telephonySessionId partyId extensionId direction result startTime ringMs talkMs holdMs from { phoneNumber } queueName } } } }`,
    count: (data) => length((data.calls as { edges?: unknown } | undefined)?.edges),
  },
];
