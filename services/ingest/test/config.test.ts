// A service refuses to start on a malformed address, naming the variable.
import { describe, expect, it } from 'vitest';
import { startServiceProcess } from '../../../test/support/service-process.js';

describe('ingest configuration', () => {
  it.each([
    ['KAFKA_BROKERS', 'kafka-without-port', /KAFKA_BROKERS: must be a comma-separated list of host:port.*got "kafka-without-port"/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL.*got "localhost:6379"/],
    ['INGEST_PORT', 'eighty', /INGEST_PORT: Expected number, received nan.*got "eighty"/],
  ])('exits non-zero when %s is malformed, naming it', async (name, value, message) => {
    const service = startServiceProcess('ingest', { [name]: value });
    expect(await service.exited).toBe(78);
    expect(service.output()).toMatch(message);
  });

  it('names every malformed variable in one message', async () => {
    const service = startServiceProcess('ingest', { KAFKA_BROKERS: 'nope', REDIS_URL: 'nope' });
    expect(await service.exited).toBe(78);
    expect(service.output()).toContain('KAFKA_BROKERS');
    expect(service.output()).toContain('REDIS_URL');
  });
});
