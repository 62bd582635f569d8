// What the admin page and the call drawer ask of the API, on the real servers: rcSubscription (the subscription record
// ingest keeps in Redis, written here through the shared contract as ingest writes it: none, active, expired,
// blacklisted, a disabled filter; admin keys only), calls by telephonySessionId (exactly one call's legs, in `calls`
// and the CSV export; a malformed id named), and Call.agent (the directory's name and number, one Redis read a page).
import { type RcSubscriptionRecord, rcSubscriptionHashFields, redisKeys } from '@callpulse/contracts';
import { createRedis, writeDirectory } from '@callpulse/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniqueName } from '../../../test/support/env.js';
import { agentNames } from '../src/directory/agent-names.js';
import { gql, type Json } from './support/client.js';
import { cleanUp, isolation, type Started, startService } from './support/processes.js';
import { leg } from './support/records.js';
import { storeRecords } from './support/stored-rows.js';

const iso = isolation(uniqueName('api_admin_drawer'));
const keys = redisKeys(iso.env.REDIS_KEY_PREFIX);
const ADMIN = 'drawer-admin-key';
const VIEWER = 'drawer-viewer-key';
const redis = createRedis(redisUrl);
let reporting: Started;
let api: Started;

const t0 = Date.parse('2026-03-02T09:00:00Z');
// Two calls at the same time with legs of the same agents: a time window cannot tell them apart, their ids can.
const legs = [
  leg({ telephonySessionId: 's-call-one', partyId: 'p-1', extensionId: '101', startMs: t0, talkMs: 60_000 }),
  leg({ telephonySessionId: 's-call-one', partyId: 'p-2', extensionId: '102', startMs: t0 + 70_000, talkMs: 30_000 }),
  leg({ telephonySessionId: 's-call-two', partyId: 'p-1', extensionId: '101', startMs: t0 + 5_000, talkMs: 20_000 }),
  leg({ telephonySessionId: 's-call-two', partyId: 'p-2', extensionId: '103', startMs: t0 + 10_000, ringMs: 9_000, result: 'Missed' }),
];
const directory = [
  { id: '101', extensionNumber: '201', name: 'Ada Lovelace', type: 'User', status: 'Enabled' },
  { id: '102', extensionNumber: '202', name: 'Grace Hopper', type: 'User', status: 'Enabled' },
];

/** Writes the record as ingest does (services/ingest/src/ringcentral/subscription-record.ts): the whole hash in one MULTI. */
async function writeRecord(record: RcSubscriptionRecord): Promise<void> {
  await redis.multi().del(keys.subscription).hset(keys.subscription, rcSubscriptionHashFields(record)).exec();
}

const record = (overrides: Partial<RcSubscriptionRecord> = {}): RcSubscriptionRecord => ({
  id: 'sub-7001',
  status: 'Active',
  expirationTime: '2036-03-02T09:00:00.000Z',
  address: 'https://callpulse.example.com/webhooks/ringcentral',
  eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
  disabledFilters: [],
  problem: '',
  tokenHash: 'sha256:salt:digest',
  updatedAt: Date.parse('2026-03-01T12:00:00Z'),
  ...overrides,
});

beforeAll(async () => {
  reporting = await startService('reporting', iso);
  await storeRecords(iso.name, legs);
  await writeDirectory(redis, keys, directory as never);
  api = await startService('api', iso, { API_KEYS: `admin:${ADMIN},viewer:${VIEWER}` });
});

afterAll(async () => {
  await api?.process.stop();
  await reporting?.process.stop();
  await cleanUp(iso);
  redis.disconnect();
});

const ask = (query: string, variables: Record<string, unknown> = {}, key = ADMIN) => gql(api.url, query, { key, variables });
const statusQuery =
  '{ rcSubscription { health id status expiresAt address eventFilters disabledFilters { filter reason message } problem updatedAt } }';

describe('rcSubscription', () => {
  it('is NONE while no ingest instance recorded a subscription', async () => {
    await redis.del(keys.subscription);
    const result = await ask(statusQuery);
    expect(result.errors).toBeUndefined();
    expect(result.data?.rcSubscription).toMatchObject({ health: 'NONE', id: null, status: null, expiresAt: null, disabledFilters: [] });
  });

  it('shows the record ingest keeps: an active subscription, its expiry and when it was last recorded', async () => {
    await writeRecord(record());
    const result = await ask(statusQuery);
    expect(result.errors).toBeUndefined();
    expect(result.data?.rcSubscription).toEqual({
      health: 'ACTIVE',
      id: 'sub-7001',
      status: 'Active',
      expiresAt: '2036-03-02T09:00:00.000Z',
      address: 'https://callpulse.example.com/webhooks/ringcentral',
      eventFilters: ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'],
      disabledFilters: [],
      problem: null,
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    // The token's hash is no business of the page: the type has no field for it.
    expect((await ask('{ rcSubscription { tokenHash } }')).errors?.[0]?.message).toMatch(/tokenHash/);
  });

  it('says EXPIRED past the expiry, FAILING when blacklisted or when RingCentral disabled a filter', async () => {
    await writeRecord(record({ expirationTime: '2026-01-01T00:00:00.000Z' }));
    expect((await ask(statusQuery)).data?.rcSubscription).toMatchObject({ health: 'EXPIRED', problem: expect.stringMatching(/expired/) });
    await writeRecord(record({ status: 'Blacklisted', problem: 'subscription is Blacklisted (Webhook answered 500)' }));
    expect((await ask(statusQuery)).data?.rcSubscription).toMatchObject({
      health: 'FAILING',
      status: 'Blacklisted',
      problem: 'subscription is Blacklisted (Webhook answered 500)',
    });
    const disabled = { filter: '/restapi/v1.0/account/~/telephony/sessions', reason: 'Permission', message: 'CallControl is required' };
    await writeRecord(record({ disabledFilters: [disabled], problem: 'no call events arrive' }));
    expect((await ask(statusQuery)).data?.rcSubscription).toMatchObject({
      health: 'FAILING',
      status: 'Active',
      disabledFilters: [disabled],
    });
  });

  it('is refused to a viewer key, naming the query', async () => {
    const result = await ask(statusQuery, {}, VIEWER);
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toMatch(/rcSubscription needs an admin API key; this key has the viewer role/);
  });
});

const callsBySession = `query($f: CallFilter) { calls(filter: $f, first: 100, orderBy: { field: START, direction: ASC }) {
  totalCount edges { node { telephonySessionId partyId extensionId agent { extensionNumber name } } } } }`;
const day = { from: '2026-03-02', to: '2026-03-03', timeZone: 'UTC' };

describe('calls by telephonySessionId', () => {
  it('gives exactly the legs of the session, where the same window holds another call', async () => {
    const all = await ask(callsBySession, { f: day });
    expect(all.data?.calls.totalCount).toBe(4);
    for (const id of ['s-call-one', 's-call-two']) {
      const result = await ask(callsBySession, { f: { ...day, telephonySessionId: id } }, VIEWER);
      expect(result.errors).toBeUndefined();
      const nodes = result.data?.calls.edges.map((edge: Json) => edge.node);
      expect(result.data?.calls.totalCount).toBe(2);
      expect(nodes.map((node: Json) => `${node.telephonySessionId}/${node.partyId}`)).toEqual([`${id}/p-1`, `${id}/p-2`]);
    }
    expect((await ask(callsBySession, { f: { ...day, telephonySessionId: 's-unknown' } })).data?.calls.totalCount).toBe(0);
  });

  it('refuses a malformed id, naming telephonySessionId', async () => {
    for (const bad of ['', "s-1' OR 1=1", 'x'.repeat(201), 's 1']) {
      const result = await ask(callsBySession, { f: { ...day, telephonySessionId: bad } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'telephonySessionId' });
      expect(result.errors?.[0]?.message).toMatch(/^telephonySessionId must be a telephony session id/);
    }
  });

  it('is a parameter of the CSV export too', async () => {
    const params = new URLSearchParams({ ...day, telephonySessionId: 's-call-two' });
    const response = await fetch(`${api.url}/export/calls.csv?${params}`, { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes('s-call-two'))).toBe(true);
    const bad = await fetch(`${api.url}/export/calls.csv?telephonySessionId=${encodeURIComponent('s 1')}`, {
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).errors[0].extensions.argument).toBe('telephonySessionId');
  });
});

describe('Call.agent', () => {
  it('is the directory`s name and number of the leg`s extension; null for one it does not know', async () => {
    const result = await ask(callsBySession, { f: day });
    const agents = Object.fromEntries(result.data?.calls.edges.map((edge: Json) => [edge.node.extensionId, edge.node.agent]));
    expect(agents).toEqual({
      '101': { extensionNumber: '201', name: 'Ada Lovelace' },
      '102': { extensionNumber: '202', name: 'Grace Hopper' },
      '103': null,
    });
  });

  it('reads the names of a page in one Redis request, each id once', async () => {
    let reads = 0;
    const counted = new Proxy(redis, {
      get(target, name, receiver) {
        if (name === 'hmget') reads += 1;
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const loader = agentNames(counted, keys);
    const page = Array.from({ length: 100 }, (_, i) => ['101', '102', '103'][i % 3] as string);
    const found = await Promise.all(page.map((id) => loader.load(id)));
    expect(reads).toBe(1);
    expect(found.slice(0, 3)).toEqual([
      { extensionNumber: '201', name: 'Ada Lovelace' },
      { extensionNumber: '202', name: 'Grace Hopper' },
      null,
    ]);
    await loader.load('101');
    expect(reads).toBe(2); // a later turn reads again (a renamed agent shows)
  });
});
