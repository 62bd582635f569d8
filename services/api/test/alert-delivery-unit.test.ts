// The alert delivery's pure parts on plain data: the signature (a known vector, verification of a receiver, tampering
// and staleness refused), the retry schedule (1 s doubling to the cap, jittered, failing after 3), and the bodies (the
// webhook's JSON, the Slack message checked against Slack's documented block structure, the test body).
import type { AlertTransition } from '@callpulse/contracts';
import { describe, expect, it } from 'vitest';
import { defaultBackoff, isFailing, retryDelayMs } from '../src/alerts/delivery/backoff.js';
import { slackBody, slackEscape, testBody, transitionBody, valueAgainstThreshold, webhookBody } from '../src/alerts/delivery/body.js';
import { describeFetchError } from '../src/alerts/delivery/post.js';
import { deliveryHeaders, signBody, verifySignature } from '../src/alerts/delivery/signature.js';
import { compareStreamIds, initialCursor, parseDeliveryState } from '../src/alerts/delivery/state.js';

const transition: AlertTransition = {
  id: 'rule-1:queue-7:1',
  ruleId: 'rule-1',
  ruleName: 'Support <queue> & co',
  severity: 'CRITICAL',
  conditionKind: 'QUEUE_WAITING',
  subject: 'queue-7',
  subjectName: 'Support',
  status: 'FIRING',
  seq: 1,
  value: 7,
  threshold: 5,
  atMs: Date.UTC(2026, 10, 30, 12, 0, 0),
  firedAtMs: null,
  summary: 'Queue Support: 7 calls waiting (threshold 5) for 30 s',
  targetIds: ['target-a', 'target-b'],
};

describe('the signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, sha256= prefixed (a known vector)', () => {
    // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signBody('whsec_test', 1700000000, '{"a":1}')).toBe('sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789');
    // printf '%s' '0.' | openssl dgst -sha256 -hmac key
    expect(signBody('key', 0, '')).toBe('sha256=85841b4efc3cd7776c3c8f9b7cca9e281c550e5d19889d78e9e669c6337f000d');
  });

  it('matches an independently computed HMAC', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 's3cret').update('1700000000.hello').digest('hex');
    expect(signBody('s3cret', 1700000000, 'hello')).toBe(`sha256=${expected}`);
  });

  it('is verified by a receiver from the headers, and refused when tampered, stale, missing or malformed', () => {
    const nowMs = 1_700_000_000_000;
    const body = JSON.stringify(webhookBody(transition, nowMs));
    const headers = deliveryHeaders({ body, deliveryId: transition.id, secret: 's3cret', nowMs });
    expect(headers['x-callpulse-delivery']).toBe(transition.id);
    expect(headers['x-callpulse-timestamp']).toBe('1700000000');
    const check = (overrides: { body?: string; signature?: string; timestamp?: string; secret?: string; nowMs?: number }) =>
      verifySignature({
        secret: overrides.secret ?? 's3cret',
        body: overrides.body ?? body,
        timestamp: 'timestamp' in overrides ? overrides.timestamp : headers['x-callpulse-timestamp'],
        signature: 'signature' in overrides ? overrides.signature : headers['x-callpulse-signature'],
        nowMs: overrides.nowMs ?? nowMs + 2000,
      });
    expect(check({})).toEqual({ ok: true });
    expect(
      verifySignature({
        secret: 's3cret',
        body: Buffer.from(body),
        timestamp: '1700000000',
        signature: headers['x-callpulse-signature'],
        nowMs,
      }),
    ).toEqual({ ok: true });
    expect(check({ body: body.replace('"value":7', '"value":8') })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ secret: 'other' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ timestamp: '1700000001' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ nowMs: nowMs + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ signature: 'sha256=abc' })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('is left out for a target without a secret', () => {
    const headers = deliveryHeaders({ body: '{}', deliveryId: 'x', secret: null, nowMs: 0 });
    expect(headers['x-callpulse-signature']).toBeUndefined();
    expect(headers['x-callpulse-timestamp']).toBe('0');
  });
});

describe('the retry schedule', () => {
  const middle = () => 0.5; // no jitter
  it('starts at 1 s and doubles up to 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((failures) => retryDelayMs(failures, defaultBackoff, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000,
    ]);
  });

  it('is jittered within a quarter either way, never above the cap', () => {
    expect(retryDelayMs(1, defaultBackoff, () => 0)).toBe(750);
    expect(retryDelayMs(1, defaultBackoff, () => 0.999)).toBe(1250);
    expect(retryDelayMs(10, defaultBackoff, () => 0.999)).toBe(60000);
    expect(retryDelayMs(10, defaultBackoff, () => 0)).toBe(45000);
    expect(retryDelayMs(3, { baseMs: 100, capMs: 300 }, middle)).toBe(300);
  });

  it('marks a target failing after 3 consecutive failures', () => {
    expect([0, 1, 2, 3, 4].map(isFailing)).toEqual([false, false, false, true, true]);
  });
});

describe('the webhook body', () => {
  it('is the transition with its type and the delivery time, without the routing', () => {
    const body = webhookBody(transition, Date.UTC(2026, 10, 30, 12, 0, 1));
    expect(body).toEqual({
      ...Object.fromEntries(Object.entries(transition).filter(([key]) => key !== 'targetIds')),
      type: 'alert.firing',
      deliveredAt: '2026-11-30T12:00:01.000Z',
    });
    expect(webhookBody({ ...transition, status: 'RESOLVED', seq: 2, firedAtMs: transition.atMs }, 0).type).toBe('alert.resolved');
    expect(JSON.parse(transitionBody('WEBHOOK', transition, 0))).toMatchObject({ type: 'alert.firing', id: transition.id });
  });

  it('tells the test apart', () => {
    const { id, body } = testBody({ id: 't1', name: 'Ops', kind: 'WEBHOOK' }, 1000);
    expect(id).toBe('test:t1:1000');
    expect(JSON.parse(body)).toMatchObject({ type: 'alert.test', id, targetId: 't1', targetName: 'Ops' });
  });
});

/**
 * Slack's Block Kit structure for the blocks used (https://api.slack.com/reference/block-kit/blocks): header (plain_text,
 * up to 150 characters), section (text up to 3,000, up to 10 fields of up to 2,000), context (1-10 elements), divider;
 * at most 50 blocks; a text object has type plain_text or mrkdwn and a non-empty text.
 */
function slackProblems(message: unknown): string[] {
  const problems: string[] = [];
  const textObject = (value: unknown, where: string, max: number, types = ['plain_text', 'mrkdwn']) => {
    const text = value as { type?: unknown; text?: unknown };
    if (typeof text !== 'object' || text === null) return problems.push(`${where}: not a text object`);
    if (!types.includes(text.type as string)) problems.push(`${where}.type: ${String(text.type)}`);
    if (typeof text.text !== 'string' || text.text.length === 0 || text.text.length > max) problems.push(`${where}.text: length`);
    return 0;
  };
  const blocks = (list: unknown, where: string) => {
    if (!Array.isArray(list) || list.length === 0 || list.length > 50) return problems.push(`${where}: 1-50 blocks`);
    list.forEach((block: Record<string, unknown>, i) => {
      const at = `${where}[${i}]`;
      switch (block.type) {
        case 'header':
          textObject(block.text, `${at}.text`, 150, ['plain_text']);
          break;
        case 'section':
          textObject(block.text, `${at}.text`, 3000);
          if (block.fields !== undefined) {
            if (!Array.isArray(block.fields) || block.fields.length > 10) problems.push(`${at}.fields: at most 10`);
            else for (const [j, field] of block.fields.entries()) textObject(field, `${at}.fields[${j}]`, 2000);
          }
          break;
        case 'context':
          if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)
            problems.push(`${at}.elements: 1-10`);
          else for (const [j, element] of block.elements.entries()) textObject(element, `${at}.elements[${j}]`, 3000);
          break;
        case 'divider':
          break;
        default:
          problems.push(`${at}.type: ${String(block.type)}`);
      }
    });
    return 0;
  };
  const body = message as { text?: unknown; blocks?: unknown; attachments?: unknown };
  if (typeof body.text !== 'string' || body.text === '') problems.push('text: the fallback is required with blocks');
  blocks(body.blocks, 'blocks');
  if (body.attachments !== undefined) {
    (body.attachments as Array<{ color?: unknown; blocks?: unknown }>).forEach((attachment, i) => {
      if (typeof attachment.color !== 'string' || !/^#[0-9a-f]{6}$/i.test(attachment.color)) problems.push(`attachments[${i}].color`);
      blocks(attachment.blocks, `attachments[${i}].blocks`);
    });
  }
  return problems;
}

describe('the Slack body', () => {
  it('follows Slack`s block structure, firing and resolved, long names clipped, test body too', () => {
    const resolved = { ...transition, status: 'RESOLVED' as const, seq: 2, firedAtMs: transition.atMs - 60_000, value: 2 };
    const long = { ...transition, ruleName: 'x'.repeat(500), summary: 'y'.repeat(5000), subjectName: 'z'.repeat(3000) };
    for (const message of [
      slackBody(transition),
      slackBody(resolved),
      slackBody(long),
      JSON.parse(testBody({ id: 't', name: 'n', kind: 'SLACK' }, 0).body),
    ]) {
      expect(slackProblems(message)).toEqual([]);
    }
    expect(slackProblems({ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '' } }] })).toHaveLength(3); // the check can fail
  });

  it('says the severity, state, subject and value against threshold, escaped, coloured by severity and status', () => {
    const firing = slackBody(transition);
    expect(firing.text).toBe('[Critical] Support <queue> & co: Queue Support: 7 calls waiting (threshold 5) for 30 s');
    expect(firing.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':red_circle: Firing: Support <queue> & co', emoji: true },
    });
    expect(JSON.stringify(firing.blocks[1])).toContain('7 (threshold &gt; 5)');
    expect(JSON.stringify(firing.blocks[1])).toContain('Support (queue-7)');
    expect(firing.attachments[0]?.color).toBe('#d92d20');
    const resolved = slackBody({ ...transition, status: 'RESOLVED', seq: 2, firedAtMs: transition.atMs - 60_000 });
    expect(resolved.text.startsWith('Resolved: ')).toBe(true);
    expect(resolved.attachments[0]?.color).toBe('#12b76a');
    expect(JSON.stringify(resolved.attachments)).toContain('<!date^');
    expect(slackBody({ ...transition, severity: 'INFO' }).attachments[0]?.color).toBe('#2e90fa');
    expect(slackEscape('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(valueAgainstThreshold({ conditionKind: 'SERVICE_LEVEL', value: 72.25, threshold: 80 })).toBe('72.3 % (threshold < 80 %)');
    expect(valueAgainstThreshold({ conditionKind: 'LONGEST_WAIT', value: null, threshold: 60 })).toBe('unknown (threshold > 60 s)');
  });
});

describe('delivery state and errors', () => {
  it('orders stream ids numerically and starts a new target a minute before its creation', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-2')).toBe(0);
    expect(initialCursor({ createdAtMs: 1_700_000_000_000 })).toBe('1699999940000-0');
    expect(initialCursor({ createdAtMs: 5 })).toBe('0-0');
  });

  it('reads a stored state, and none without a cursor', () => {
    expect(parseDeliveryState({})).toBeNull();
    expect(
      parseDeliveryState({ cursor: '5-0', failures: '3', failing: '1', lastError: 'HTTP 500', lastAttemptAtMs: '9', lastSuccessAtMs: '' }),
    ).toEqual({
      cursor: '5-0',
      failures: 3,
      failing: true,
      lastError: 'HTTP 500',
      lastAttemptAtMs: 9,
      lastSuccessAtMs: null,
    });
  });

  it('names a fetch failure without the URL', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(describeFetchError(refused, 5000)).toBe('connection refused (ECONNREFUSED)');
    expect(describeFetchError(Object.assign(new Error('x'), { name: 'TimeoutError' }), 5000)).toBe('no answer within 5000 ms');
    const other = Object.assign(new TypeError('fetch failed'), {
      cause: new Error('bad thing at https://hooks.slack.com/services/T/B/secret'),
    });
    expect(describeFetchError(other, 5000)).toBe('request failed: bad thing at <url>');
  });
});
