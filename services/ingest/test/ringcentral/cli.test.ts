// The built CLI (npm run rc): status and sync-extensions against the stand-in and real Redis, as a child process.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisKeys } from '@callpulse/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type TestContext } from './context.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = `${repo}services/ingest/dist/cli/rc.js`;
const address = 'https://ingest.example.test/webhooks/ringcentral';

describe('rc CLI', () => {
  let ctx: TestContext;
  const children = new Set<ChildProcess>();

  function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...ctx.env, LOG_LEVEL: 'warn', ...extraEnv } });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    return new Promise((resolve) =>
      child.on('close', (code) => {
        children.delete(child);
        resolve({ code, stdout, stderr });
      }),
    );
  }

  beforeAll(async () => {
    execFileSync('npx', ['tsc', '-b', 'services/ingest'], { cwd: repo, stdio: 'inherit' });
    ctx = await createContext('rccli', { extensions: 1500, validateWebhooks: false });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await ctx?.cleanup();
  });

  it('sync-extensions loads the directory into Redis', async () => {
    const result = await run(['sync-extensions']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const monitored = ctx.standIn.extensions().filter((e) => e.type === 'User' && e.status === 'Enabled').length;
    expect(result.stdout.trim()).toBe(`synced 1500 extensions; ${monitored} monitored`);
    expect(await ctx.redis.hlen(redisKeys(ctx.prefix).extensions)).toBe(1500);
  });

  it('subscribe, then status prints login, subscription and directory counts', async () => {
    expect((await run(['subscribe'], { RC_WEBHOOK_ADDRESS: address })).code).toBe(0);
    const [subscription] = ctx.standIn.subscriptions();
    const text = await run(['status'], { RC_WEBHOOK_ADDRESS: address });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`login: ok (${ctx.standIn.url})`);
    expect(text.stdout).toContain(`subscription: ${subscription?.id} Active, expires ${subscription?.expirationTime}`);
    expect(text.stdout).toMatch(/directory: 1500 extensions, \d+ monitored \(default: enabled users\)/);

    const json = JSON.parse((await run(['status', '--json'], { RC_WEBHOOK_ADDRESS: address })).stdout);
    expect(json).toMatchObject({
      loggedIn: true,
      subscription: { id: subscription?.id, status: 'Active', address },
      directory: { extensions: 1500 },
    });
  });

  it('status reports a refused login and exits 1', async () => {
    const result = await run(['status'], { RC_JWT: 'wrong' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^login: failed: .*Token is not valid/);
    expect(result.stdout).toContain('directory: 1500 extensions');
  });

  it('status and subscribe show the filters RingCentral disabled and what they break', async () => {
    const [ours] = ctx.standIn.subscriptions();
    if (!ours) throw new Error('no subscription');
    ctx.standIn.setPermissions(['ReadAccounts', 'WebhookSubscriptions']); // no CallControl
    ctx.standIn.blacklist(ours.id);
    const subscribed = await run(['subscribe'], { RC_WEBHOOK_ADDRESS: address });
    expect(subscribed.code).toBe(0);
    expect(subscribed.stdout).toMatch(/^subscription: recreated \S+ Active/);
    expect(subscribed.stdout).toContain(
      `  disabled by RingCentral: /restapi/v1.0/account/${ctx.standIn.accountId}/telephony/sessions (PermissionMissing: Required application permission [CallControl] is missing)`,
    );
    expect(subscribed.stdout).toMatch(/ {2}problem: .*no call events arrive; give the app the CallControl permission/);
    const json = JSON.parse((await run(['status', '--json'], { RC_WEBHOOK_ADDRESS: address })).stdout);
    expect(json.subscription.disabledFilters).toHaveLength(1);
    expect(json.subscription.problem).toContain('CallControl');

    ctx.standIn.setPermissions(['ReadAccounts', 'CallControl', 'WebhookSubscriptions']);
    const repaired = await run(['subscribe'], { RC_WEBHOOK_ADDRESS: address });
    expect(repaired.stdout).toMatch(/^subscription: recreated \S+ Active, expires \S+\ndeleted: \S+\n$/);
  });

  it('unsubscribe deletes our subscription only', async () => {
    const foreign = ctx.standIn.addSubscription({ address: 'https://someone-else.example.test/hook' });
    const result = await run(['unsubscribe'], { RC_WEBHOOK_ADDRESS: address });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^subscription: deleted/);
    expect(ctx.standIn.subscriptions().map((s) => s.id)).toEqual([foreign.id]);
  });
});
