import { describe, expect, it } from 'vitest';
import { topFunctions, topModules } from './profile.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

describe('profile summaries', () => {
  const profile = {
    startTime: 0,
    endTime: 1e6,
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('parse', 'file:///repo/node_modules/kafkajs/src/protocol/decoder.js') },
      { id: 3, callFrame: frame('apply', 'file:///repo/services/call-state/dist/consume/session-processor.js') },
      { id: 4, callFrame: frame('(garbage collector)', '') },
    ],
    samples: [2, 2, 2, 3, 4, 2, 3, 2, 2, 2],
  };

  it('names the functions with the most self time, with their share', () => {
    expect(topFunctions(profile, 2)).toEqual([
      'parse (kafkajs/src/protocol/decoder.js:10) 70.0%',
      'apply (services/call-state/dist/consume/session-processor.js:10) 20.0%',
    ]);
  });

  it('groups self time by package or repo file', () => {
    expect(topModules(profile)).toEqual([
      'kafkajs 70.0%',
      'services/call-state/dist/consume/session-processor.js 20.0%',
      '(garbage collector) 10.0%',
    ]);
  });
});
