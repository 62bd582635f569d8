import { checkTelephonyNotification } from '@callpulse/contracts';
import { describe, expect, it } from 'vitest';
import { webhookBodyFactory } from './webhook-body.js';

describe('webhookBodyFactory', () => {
  it('gives valid telephony notifications with a distinct session, party ids and uuid per index', () => {
    const body = webhookBodyFactory(4242);
    const [first, second] = [0, 1].map((index) => JSON.parse(body(index)));
    for (const parsed of [first, second]) expect(checkTelephonyNotification(parsed)).toMatchObject({ ok: true });
    expect(first.body.telephonySessionId).not.toBe(second.body.telephonySessionId);
    expect(first.uuid).not.toBe(second.uuid);
    expect(second.body.parties[0].id).toContain(second.body.telephonySessionId.slice(2));
    expect(second.body.parties[0].status.code).toBe('Proceeding');
  });

  it('gives different ids to different runs', () => {
    expect(JSON.parse(webhookBodyFactory(1)(7)).body.telephonySessionId).not.toBe(
      JSON.parse(webhookBodyFactory(2)(7)).body.telephonySessionId,
    );
  });
});
