// The limits agree with each other and bound ClickHouse work: the largest page of every list query with every field
// passes the cost limit (first as a literal and as a variable); a costlier query is refused with a clear error, and a
// configuration whose cost limit is below its largest page does not start; a request's aliases cannot multiply its
// ClickHouse queries beyond API_CLICKHOUSE_QUERIES_PER_REQUEST.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, type GraphQLNamedType, getNamedType, isNonNullType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/support/env.js';
import { startServiceProcess } from '../../../test/support/service-process.js';
import { gql } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';

const iso = isolation(uniqueName('api_limits'));
const KEY = 'limits-viewer-key';
const services: Started[] = [];
let api: Started;

const schema = buildSchema(readFileSync(resolve(import.meta.dirname, '../schema.graphql'), 'utf8'));

/** Every field under type, nested objects included, from the published schema (independently of the code's cost model). */
function allFields(type: GraphQLNamedType): string {
  if (!isObjectType(type)) return '';
  return Object.values(type.getFields())
    .filter((field) => field.args.every((argument) => !isNonNullType(argument.type)))
    .map((field) => {
      const named = getNamedType(field.type);
      return isObjectType(named) ? `${field.name} { ${allFields(named)} }` : field.name;
    })
    .join(' ');
}

const listQueries = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((field) =>
  field.args.some((argument) => argument.name === 'first'),
);

/** Sum of every sample of a counter or histogram count (all label sets). */
async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

beforeAll(async () => {
  services.push(await startService('reporting', iso)); // creates the tables
  api = await startService('api', iso, { API_KEYS: `viewer:${KEY}`, API_MAX_ALIASES: '40' });
  services.push(api);
});

afterAll(async () => {
  for (const service of services.reverse()) await service.process.stop();
  await cleanUp(iso);
});

describe('the cost limit and the page size agree', () => {
  it('lets the largest page of every list query, with every field, through', async () => {
    expect(listQueries.map((field) => field.name).sort()).toEqual(['agentLeaderboard', 'alertHistory', 'calls', 'extensions']);
    for (const field of listQueries) {
      const selection = allFields(getNamedType(field.type));
      for (const [text, variables] of [
        [`{ ${field.name}(first: 500) { ${selection} } }`, {}],
        [`query($n: Int) { ${field.name}(first: $n) { ${selection} } }`, { n: 500 }],
      ] as const) {
        const result = await gql(api.url, text, { key: KEY, variables });
        expect(result.errors, `${field.name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
        expect(result.data?.[field.name].edges ?? result.data?.[field.name]).toEqual([]); // a connection, or a list itself
      }
    }
    // The query of the issue: 200 calls with 8 fields.
    const eight = await gql(
      api.url,
      '{ calls(first: 200) { edges { node { extensionId direction result startTime ringMs talkMs holdMs holdCount } } } }',
      { key: KEY },
    );
    expect(eight.errors).toBeUndefined();
  });

  it('refuses a costlier query with a clear error, and a configuration whose largest page would not fit', async () => {
    const small = await startService('api', iso, { API_KEYS: `viewer:${KEY}`, API_MAX_PAGE_SIZE: '2', API_MAX_COST: '100' });
    services.push(small);
    const page = `calls(first: 2) { ${allFields(schema.getType('CallConnection') as GraphQLNamedType)} }`;
    expect((await gql(small.url, `{ ${page} }`, { key: KEY })).errors).toBeUndefined();
    const twice = await gql(small.url, `{ a: ${page} b: ${page} }`, { key: KEY });
    expect(twice.data).toBeUndefined();
    expect(twice.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(twice.errors?.[0]?.message).toMatch(/the query costs \d+, more than the limit of 100 \(API_MAX_COST/);

    const refused = startServiceProcess('api', { ...iso.env, API_PORT: '0', API_MAX_COST: '40' });
    expect(await refused.exited).toBe(78);
    expect(refused.output()).toMatch(/API_MAX_COST: must be at least \d+, the cost of the largest page of calls/);
  });
});

describe('the ClickHouse budget of a request', () => {
  it('answers 30 aliased history queries in one request with client errors beyond the budget, not 30 queries', async () => {
    const before = await metricSum(api.url, 'callpulse_api_clickhouse_query_seconds_count');
    const aliases = Array.from(
      { length: 30 },
      (_, i) => `s${i}: callStats(from: "2026-01-01", to: "2026-01-0${(i % 8) + 2}", groupBy: EXTENSION) { key calls }`,
    );
    const result = await gql(api.url, `{ ${aliases.join(' ')} }`, { key: KEY });
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_BUDGET_EXCEEDED');
    expect(result.errors?.[0]?.message).toMatch(/would run 30 ClickHouse queries, more than the budget of 4 per request/);
    const withCounts = await gql(api.url, '{ a: calls { totalCount } b: calls { totalCount } c: hourlyDensity { hour } }', { key: KEY });
    expect(withCounts.errors?.[0]?.message).toMatch(/would run 5 ClickHouse queries/);
    const within = await gql(api.url, '{ a: calls { totalCount } b: calls { edges { cursor } } c: hourlyDensity { hour } }', { key: KEY });
    expect(within.errors).toBeUndefined();
    const after = await metricSum(api.url, 'callpulse_api_clickhouse_query_seconds_count');
    expect(after - before).toBe(4);
    // The budget is per request: the next one has its own.
    const next = await gql(api.url, '{ calls(first: 1) { totalCount } }', { key: KEY });
    expect(next.errors).toBeUndefined();
  });
});
