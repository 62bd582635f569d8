// A fresh topic prefix, Redis key prefix and (optionally) ClickHouse database for one part, each removed at clean-up.

import { benchClickHouse, dropDatabase } from './clickhouse.js';
import type { BenchContext } from './context.js';
import { benchName } from './env.js';
import { benchKafka, deleteByPrefix } from './kafka.js';
import { benchRedis, deleteKeysByPrefix } from './redis.js';
import type { Isolation } from './services.js';

export function isolate(context: BenchContext, label: string, options: { database?: boolean } = {}): Isolation {
  const name = benchName(label);
  const isolation: Isolation = { topicPrefix: `${name}.`, redisPrefix: `${name}:` };
  context.cleanup.add(`delete topics and groups ${isolation.topicPrefix}*`, async () => {
    await deleteByPrefix(benchKafka(), isolation.topicPrefix);
  });
  context.cleanup.add(`delete Redis keys ${isolation.redisPrefix}*`, async () => {
    const redis = benchRedis();
    try {
      await deleteKeysByPrefix(redis, isolation.redisPrefix);
    } finally {
      redis.disconnect();
    }
  });
  if (options.database) {
    isolation.database = name;
    context.cleanup.add(`drop ClickHouse database ${name}`, async () => {
      const clickhouse = benchClickHouse();
      try {
        await dropDatabase(clickhouse, name);
      } finally {
        await clickhouse.close();
      }
    });
  }
  return isolation;
}
