// The stand-in keeps RingCentral's published rules, checked over plain HTTP: SubscriptionInfo without the token (uri,
// Active|Blacklisted), 403 SUB-505 past 30 subscriptions, PUT /subscription/{id}, the handshake (exactly 200 in 3 s,
// at most 1,024 bytes with headers, Content-Type json and no body), blacklisting on a failed delivery, the token in
// either header, multi-valued type/status filters, navigation URIs without perPage, disabledFilters, and rate-limit
// penalties per group that every request inside them restarts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type StandIn, type StandInOptions, startStandIn } from '@callpulse/testkit/standin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Hook {
  url: string;
  requests: Array<{ headers: IncomingMessage['headers']; body: string }>;
  answer: (request: IncomingMessage, response: ServerResponse) => void;
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const hook: Hook = {
    url: '',
    requests: [],
    answer: (request, response) => {
      const token = request.headers['validation-token'];
      response.writeHead(200, typeof token === 'string' ? { 'Validation-Token': token } : {});
      response.end();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hook.requests.push({ headers: request.headers, body });
      hook.answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return hook;
}

async function accessToken(standIn: StandIn): Promise<string> {
  const { clientId, clientSecret, jwt } = standIn.credentials;
  const response = await fetch(`${standIn.url}/restapi/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

function client(standIn: StandIn, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${standIn.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
}

const filters = ['/restapi/v1.0/account/~/telephony/sessions', '/restapi/v1.0/account/~/extension'];

describe('stand-in: subscriptions', () => {
  let standIn: StandIn;
  let hook: Hook;
  let call: ReturnType<typeof client>;
  const open: StandIn[] = [];
  const start = async (options: StandInOptions) => {
    const started = await startStandIn({ rateLimits: false, ...options });
    open.push(started);
    return { standIn: started, call: client(started, await accessToken(started)) };
  };

  beforeAll(async () => {
    hook = await startHook();
    ({ standIn, call } = await start({ extensions: 5 }));
  });
  afterAll(async () => {
    for (const started of open) await started.close();
    await hook?.close();
  });

  const create = (address: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/restapi/v1.0/subscription', {
      eventFilters: filters,
      deliveryMode: { transportType: 'WebHook', address, verificationToken: 'secret-token' },
      expiresIn: 3600,
      ...extra,
    });

  it('answers SubscriptionInfo with uri and without the verification token, after a strict handshake', async () => {
    const created = await create(hook.url);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      uri: `${standIn.url}/restapi/v1.0/subscription/${created.body.id}`,
      status: 'Active',
      eventFilters: [
        `/restapi/v1.0/account/${standIn.accountId}/telephony/sessions`,
        `/restapi/v1.0/account/${standIn.accountId}/extension`,
      ],
      deliveryMode: { transportType: 'WebHook', address: hook.url, encryption: false },
    });
    expect(JSON.stringify(created.body)).not.toContain('secret-token');
    expect(JSON.stringify((await call('GET', '/restapi/v1.0/subscription')).body)).not.toContain('secret-token');
    expect(JSON.stringify((await call('GET', `/restapi/v1.0/subscription/${created.body.id}`)).body)).not.toContain('secret-token');
    // The handshake: Content-Type json, no body, a Validation-Token.
    const [handshake] = hook.requests;
    expect(handshake?.headers['content-type']).toBe('application/json');
    expect(handshake?.body).toBe('');
    expect(handshake?.headers['validation-token']).toEqual(expect.any(String));
  });

  it('refuses the subscription (400 SUB-525) when the handshake is not exactly 200, is late, or answers over 1,024 bytes', async () => {
    const before = standIn.subscriptions().length;
    const answers: Array<[string, Hook['answer']]> = [
      [
        '201',
        (request, response) => {
          response.writeHead(201, { 'Validation-Token': String(request.headers['validation-token']) });
          response.end();
        },
      ],
      [
        'no echo',
        (_request, response) => {
          response.writeHead(200);
          response.end();
        },
      ],
      [
        'big',
        (request, response) => {
          response.writeHead(200, { 'Validation-Token': String(request.headers['validation-token']), 'X-Padding': 'x'.repeat(1000) });
          response.end();
        },
      ],
      [
        'slow',
        (request, response) =>
          setTimeout(() => {
            response.writeHead(200, { 'Validation-Token': String(request.headers['validation-token']) });
            response.end();
          }, 3200),
      ],
    ];
    for (const [what, answer] of answers) {
      hook.answer = answer;
      const refused = await create(hook.url);
      expect({ what, status: refused.status, errorCode: refused.body.errorCode }).toEqual({ what, status: 400, errorCode: 'SUB-525' });
    }
    expect(standIn.subscriptions()).toHaveLength(before);
    hook.answer = (request, response) => {
      response.writeHead(200, { 'Validation-Token': String(request.headers['validation-token']) });
      response.end();
    };
  });

  it('PUT /subscription/{id} changes filters and lifetime; an empty body renews with the default lifetime', async () => {
    const [ours] = standIn.subscriptions();
    const updated = await call('PUT', `/restapi/v1.0/subscription/${ours?.id}`, { eventFilters: [filters[0]], expiresIn: 7200 });
    expect(updated.status).toBe(200);
    expect(updated.body.eventFilters).toEqual([`/restapi/v1.0/account/${standIn.accountId}/telephony/sessions`]);
    expect(updated.body.expiresIn).toBeGreaterThan(7100);
    const renewed = await call('PUT', `/restapi/v1.0/subscription/${ours?.id}`);
    expect(renewed.body.expiresIn).toBeGreaterThan(604000);
    expect((await call('PUT', '/restapi/v1.0/subscription/nope', {})).status).toBe(404);
  });

  it('answers 403 SUB-505 past 30 subscriptions of the (user, app)', async () => {
    const { standIn: full, call: fullCall } = await start({ validateWebhooks: false });
    for (let i = 0; i < 30; i++) {
      const created = await fullCall('POST', '/restapi/v1.0/subscription', {
        eventFilters: filters,
        deliveryMode: { transportType: 'WebHook', address: `https://x${i}.example.test/hook` },
      });
      expect(created.status).toBe(200);
    }
    const refused = await fullCall('POST', '/restapi/v1.0/subscription', {
      eventFilters: filters,
      deliveryMode: { transportType: 'WebHook', address: 'https://x31.example.test/hook' },
    });
    expect(refused).toMatchObject({ status: 403, body: { errorCode: 'SUB-505' } });
    expect(full.subscriptions()).toHaveLength(30);
  });

  it('disables the telephony filter when the app lacks CallControl, in either reading', async () => {
    for (const style of ['removed', 'listed'] as const) {
      const { standIn: limited, call: limitedCall } = await start({
        permissions: ['ReadAccounts', 'WebhookSubscriptions'],
        disabledFilterStyle: style,
        validateWebhooks: false,
      });
      const created = await limitedCall('POST', '/restapi/v1.0/subscription', {
        eventFilters: filters,
        deliveryMode: { transportType: 'WebHook', address: hook.url },
      });
      const telephony = `/restapi/v1.0/account/${limited.accountId}/telephony/sessions`;
      expect(created.body.status).toBe('Active');
      expect(created.body.disabledFilters).toEqual([
        { filter: telephony, reason: 'PermissionMissing', message: 'Required application permission [CallControl] is missing' },
      ]);
      expect(created.body.eventFilters.includes(telephony)).toBe(style === 'listed');
      // Either way nothing telephony is delivered.
      expect(await limited.deliver({ event: `${telephony}`, body: {} })).toEqual([]);
    }
  });
});

describe('stand-in: delivery', () => {
  let hook: Hook;
  beforeAll(async () => {
    hook = await startHook();
  });
  afterAll(async () => hook?.close());

  async function subscribed(options: StandInOptions = {}) {
    const standIn = await startStandIn({ rateLimits: false, validateWebhooks: false, ...options });
    const subscription = standIn.addSubscription({ address: hook.url, verificationToken: 'tok' });
    return { standIn, subscription };
  }
  const event = '/restapi/v1.0/account/400000001/telephony/sessions';

  it('sends the token in Verification-Token, or in Validation-Token when told (the current guide)', async () => {
    for (const header of ['Verification-Token', 'Validation-Token'] as const) {
      const { standIn } = await subscribed({ tokenHeader: header });
      hook.requests.length = 0;
      expect((await standIn.deliver({ event, body: { sequence: 1 } })).map((d) => d.status)).toEqual([200]);
      const [request] = hook.requests;
      expect(request?.headers[header.toLowerCase()]).toBe('tok');
      expect(request?.headers['content-type']).toBe('application/json; charset=UTF-8');
      expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ event, body: { sequence: 1 }, uuid: expect.any(String) });
      await standIn.close();
    }
  });

  it('blacklists the subscription after an answer other than 200, an oversized answer, or a timeout', async () => {
    const cases: Array<[string, Hook['answer'], RegExp]> = [
      [
        '401',
        (_request, response) => {
          response.writeHead(401);
          response.end();
        },
        /Webhook responses with code: \[401\]/,
      ],
      [
        '204',
        (_request, response) => {
          response.writeHead(204);
          response.end();
        },
        /code: \[204\]/,
      ],
      [
        'big',
        (_request, response) => {
          response.writeHead(200);
          response.end('x'.repeat(2000));
        },
        /exceeds max size/,
      ],
      ['timeout', () => undefined, /Read timed out/],
    ];
    for (const [what, answer, reason] of cases) {
      const { standIn, subscription } = await subscribed();
      hook.answer = answer;
      const [delivery] = await standIn.deliver({ event, body: {} });
      expect({ what, failure: delivery?.failure }).toEqual({ what, failure: expect.stringMatching(reason) });
      const [after] = standIn.subscriptions();
      expect(after).toMatchObject({
        id: subscription.id,
        status: 'Blacklisted',
        blacklistedData: { blacklistedAt: expect.any(String), reason: expect.stringMatching(reason) },
      });
      // Nothing more is delivered to it.
      expect(await standIn.deliver({ event, body: {} })).toEqual([]);
      await standIn.close();
    }
    hook.answer = (_request, response) => {
      response.writeHead(200);
      response.end();
    };
  });
});

describe('stand-in: extension list and rate limits', () => {
  let standIn: StandIn;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    standIn = await startStandIn({
      extensions: 250,
      rateLimits: { groups: { light: { limit: 3, windowSeconds: 1 } }, penaltySeconds: 2 },
    });
    call = client(standIn, await accessToken(standIn));
  });
  afterAll(async () => standIn?.close());

  it('filters by several types and statuses at once', async () => {
    const all = standIn.extensions();
    const page = await call('GET', '/restapi/v1.0/account/~/extension?perPage=1000&type=Department&type=IvrMenu&status=Enabled');
    const expected = all.filter((e) => (e.type === 'Department' || e.type === 'IvrMenu') && e.status === 'Enabled');
    expect(expected.length).toBeGreaterThan(2);
    expect(page.body.records.map((r: { id: number }) => r.id)).toEqual(expected.map((e) => e.id));
    const statuses = await call('GET', '/restapi/v1.0/account/~/extension?perPage=1000&status=Disabled&status=NotActivated');
    expect(new Set(statuses.body.records.map((r: { status: string }) => r.status))).toEqual(new Set(['Disabled', 'NotActivated']));
  });

  it("gives navigation URIs without perPage, as RingCentral's example does", async () => {
    const page = await call('GET', '/restapi/v1.0/account/~/extension?page=1&perPage=100');
    expect(page.body.uri).toBe(`${standIn.url}/restapi/v1.0/account/${standIn.accountId}/extension?page=1&perPage=100`);
    expect(page.body.navigation.nextPage.uri).toBe(`${standIn.url}/restapi/v1.0/account/${standIn.accountId}/extension?page=2`);
    expect(page.body.paging).toMatchObject({ page: 1, totalPages: 3, perPage: 100, totalElements: 250 });
  });

  it('limits each group with X-Rate-Limit headers; a request during the penalty starts it again', async () => {
    const one = (id: number) => call('GET', `/restapi/v1.0/account/~/extension/${standIn.extensions()[id]?.id}`);
    const first = await one(0);
    expect(first.headers.get('x-rate-limit-group')).toBe('light');
    expect(first.headers.get('x-rate-limit-limit')).toBe('3');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
    expect(first.headers.get('x-rate-limit-window')).toBe('1');
    await one(1);
    await one(2);
    const limited = await one(3);
    expect(limited.status).toBe(429);
    expect(limited.body.errorCode).toBe('CMN-301');
    expect(limited.headers.get('retry-after')).toBe('2');
    // Another group is not affected.
    expect((await call('GET', '/restapi/v1.0/account/~/extension?perPage=1')).status).toBe(200);
    // 1.2 s into the 2 s penalty (the 1 s window long over) a request restarts it: 1.2 s later, past the end of the
    // first penalty, still 429.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await one(4)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await one(5)).status).toBe(429);
    // Left alone for the penalty, the group answers again.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await one(6)).status).toBe(200);
    expect(standIn.rateLimited().light).toBe(3);
  });
});
