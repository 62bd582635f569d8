import { describe, expect, it } from 'vitest';
import { commandsDelta, describeCommands, parseCommandStats } from './redis-commandstats.js';

const before = [
  '# Commandstats',
  'cmdstat_evalsha:calls=100,usec=5000,usec_per_call=50.00,rejected_calls=0,failed_calls=0',
  'cmdstat_zadd:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=3,usec=90,usec_per_call=30.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');
const after = [
  '# Commandstats',
  'cmdstat_evalsha:calls=1100,usec=55000,usec_per_call=50.00,rejected_calls=0,failed_calls=0',
  'cmdstat_zadd:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=4,usec=120,usec_per_call=30.00,rejected_calls=0,failed_calls=0',
  'cmdstat_client|setname:calls=2,usec=4,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');

describe('parseCommandStats', () => {
  it('reads the calls of every command, subcommands included', () => {
    const stats = parseCommandStats(after);
    expect(stats.get('evalsha')).toBe(1100);
    expect(stats.get('client|setname')).toBe(2);
    expect(stats.size).toBe(4);
  });
});

describe('commandsDelta', () => {
  it('sums the calls made between two readings, new commands from 0, unchanged ones left out', () => {
    const delta = commandsDelta(parseCommandStats(before), parseCommandStats(after));
    expect(delta.total).toBe(1000 + 1 + 2);
    expect(delta.byCommand.map(({ command }) => command)).toEqual(['evalsha', 'client|setname', 'info']);
    expect(describeCommands(delta, 1)).toBe('evalsha 1,000');
  });
  it('counts a server that was reset (CONFIG RESETSTAT) from its new count', () => {
    const delta = commandsDelta(new Map([['get', 500]]), new Map([['get', 20]]));
    expect(delta.total).toBe(20);
  });
});
