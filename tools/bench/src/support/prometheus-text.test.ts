import { describe, expect, it } from 'vitest';
import { counterValue, histogramBuckets, quantileBetween, quantileMsBetween } from './prometheus-text.js';

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

const histogram = (counts: number[]) =>
  [
    '# TYPE callpulse_reporting_leg_stored_delay_seconds histogram',
    ...[0.5, 1, 2, '+Inf'].map(
      (le, i) => `callpulse_reporting_leg_stored_delay_seconds_bucket{le="${le}",service="reporting"} ${counts[i]}`,
    ),
    `callpulse_reporting_leg_stored_delay_seconds_count{service="reporting"} ${counts[3]}`,
  ].join('\n');

describe('quantileBetween', () => {
  it('interpolates within the bucket of the observations made between two readings', () => {
    const before = histogramBuckets(histogram([10, 10, 10, 10]), 'callpulse_reporting_leg_stored_delay_seconds');
    const after = histogramBuckets(histogram([10, 60, 110, 110]), 'callpulse_reporting_leg_stored_delay_seconds');
    // 100 new observations: 50 in (0.5, 1], 50 in (1, 2].
    expect(quantileBetween(before, after, 0.5)).toBe(1);
    expect(quantileBetween(before, after, 0.25)).toBe(0.75);
    expect(quantileBetween(before, after, 0.99)).toBeCloseTo(1.98, 5);
  });
  it('answers the highest finite bound for +Inf, null without observations or metric', () => {
    const before = histogramBuckets(histogram([0, 0, 0, 0]), 'callpulse_reporting_leg_stored_delay_seconds');
    const after = histogramBuckets(histogram([0, 0, 0, 4]), 'callpulse_reporting_leg_stored_delay_seconds');
    expect(quantileBetween(before, after, 0.5)).toBe(2);
    expect(quantileBetween(after, after, 0.5)).toBeNull();
    expect(histogramBuckets(histogram([0, 0, 0, 0]), 'callpulse_other_seconds')).toBeNull();
  });
  it('reads both /metrics texts and answers whole milliseconds (null when a text is missing)', () => {
    const name = 'callpulse_reporting_leg_stored_delay_seconds';
    expect(quantileMsBetween(histogram([10, 10, 10, 10]), histogram([10, 60, 110, 110]), name, 0.99)).toBe(1980);
    expect(quantileMsBetween(null, histogram([10, 60, 110, 110]), name, 0.5)).toBe(950); // all 110: rank 55 in (0.5, 1]
    expect(quantileMsBetween(histogram([10, 10, 10, 10]), null, name, 0.5)).toBeNull();
  });
});
