import { describe, expect, it } from 'vitest';
import { counterValue } from './prometheus-text.js';

const text = [
  '# HELP callpulse_call_state_events_total Party events by outcome',
  '# TYPE callpulse_call_state_events_total counter',
  'callpulse_call_state_events_total{outcome="applied"} 9500',
  'callpulse_call_state_events_total{outcome="duplicate"} 12',
  '# TYPE callpulse_call_state_applies_total counter',
  'callpulse_call_state_applies_total 3800',
  'callpulse_call_state_applies_total_other 7',
  '',
].join('\n');

describe('counterValue', () => {
  it('reads a counter by its labels, or summed over every series', () => {
    expect(counterValue(text, 'callpulse_call_state_events_total', { outcome: 'applied' })).toBe(9500);
    expect(counterValue(text, 'callpulse_call_state_events_total')).toBe(9512);
    expect(counterValue(text, 'callpulse_call_state_applies_total')).toBe(3800);
  });
  it('is null for a counter the service does not expose', () => {
    expect(counterValue(text, 'callpulse_call_state_redis_round_trips_total')).toBeNull();
    expect(counterValue(text, 'callpulse_call_state_events_total', { outcome: 'closed' })).toBeNull();
  });
});
