// ClickHouse from Debian's clickhouse-server (18.16), with its own small config and a read-only `bi` user whose
// profile bounds each query's time and memory and how many run at once (docs/bi.md, "Limits of the bi user").
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { dirs, ports } from './paths.mjs';

const config = resolve(dirs.clickhouse, 'config.xml');
const users = resolve(dirs.clickhouse, 'users.xml');

/**
 * Limits of the `bi` user. `readonly=1` makes them binding: ClickHouse 18.16 has no settings constraints, and with
 * `readonly=2` a user could simply `SET max_execution_time = 0`. Every name exists in 18.16 and in current ClickHouse.
 */
export const biProfile = {
  readonly: 1,
  max_execution_time: 30,
  max_memory_usage: 2000000000,
  max_memory_usage_for_user: 4000000000,
  max_concurrent_queries_for_user: 4,
};

function xmlEscape(value) {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xmlUnescape(value) {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Password of the `bi` user: CLICKHOUSE_BI_PASSWORD, else the one the users file already has, else `bi`. */
function biPassword() {
  if (process.env.CLICKHOUSE_BI_PASSWORD !== undefined) return process.env.CLICKHOUSE_BI_PASSWORD;
  const existing = existsSync(users) ? /<bi>\s*<password>([^<]*)<\/password>/.exec(readFileSync(users, 'utf8')) : null;
  return existing ? xmlUnescape(existing[1]) : 'bi';
}

function writeConfig() {
  const data = resolve(dirs.clickhouse, 'data');
  for (const dir of ['data', 'tmp', 'user_files', 'format_schemas']) {
    mkdirSync(resolve(dirs.clickhouse, dir), { recursive: true });
  }
  writeFileSync(
    config,
    `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <console>1</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.clickhouseHttp}</http_port>
  <tcp_port>${ports.clickhouseTcp}</tcp_port>
  <path>${data}/</path>
  <tmp_path>${resolve(dirs.clickhouse, 'tmp')}/</tmp_path>
  <user_files_path>${resolve(dirs.clickhouse, 'user_files')}/</user_files_path>
  <format_schema_path>${resolve(dirs.clickhouse, 'format_schemas')}/</format_schema_path>
  <users_config>${users}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
  );
  writeUsers();
}

/** The users file; ClickHouse rereads it while running, so `up` rewrites it also for a server already running. */
function writeUsers() {
  const limits = Object.entries(biProfile)
    .map(([name, value]) => `      <${name}>${value}</${name}>`)
    .join('\n');
  // STACK_CLICKHOUSE_LOG_QUERIES=1 keeps every query in system.query_log (durations, rows and bytes read), to find
  // where ClickHouse's time goes under a benchmark; off by default, as the log costs a write per query.
  const queryLog = process.env.STACK_CLICKHOUSE_LOG_QUERIES === '1' ? '\n      <log_queries>1</log_queries>' : '';
  // Written aside and renamed, so a running server never reads half a file.
  writeFileSync(
    `${users}.new`,
    `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <!-- 18.16 sizes max_threads by the physical cores it detects, and on a VM it may detect one (here: 1 of 2):
           a query would then read and group on one thread. The machine's cores, as current ClickHouse counts them. -->
      <max_threads>${availableParallelism()}</max_threads>
      <load_balancing>random</load_balancing>${queryLog}
    </default>
    <bi>
${limits}
    </bi>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>::/0</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <bi>
      <password>${xmlEscape(biPassword())}</password>
      <networks><ip>::/0</ip></networks>
      <profile>bi</profile>
      <quota>default</quota>
    </bi>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`,
  );
  renameSync(`${users}.new`, users);
}

export const clickhouse = {
  name: 'clickhouse',
  overriddenBy: 'CLICKHOUSE_URL',
  port: () => ports.clickhouseHttp,
  address: () => `http://127.0.0.1:${ports.clickhouseHttp}`,
  extraPorts: () => [ports.clickhouseTcp],
  startTimeoutMs: 60000,
  prepare: writeConfig,
  /** Called by `up` when the server already runs: applies a changed users file without a restart. */
  refresh: writeUsers,
  command: () => ({ command: '/usr/sbin/clickhouse-server', args: [`--config-file=${config}`] }),
  /** Ready when `SELECT 1` answers 1 over HTTP. */
  async check() {
    const response = await fetch(`http://127.0.0.1:${ports.clickhouseHttp}/?query=SELECT%201`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.ok && (await response.text()).trim() === '1';
  },
};
