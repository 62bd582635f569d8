// ClickHouse from Debian's clickhouse-server (18.16), with its own small config and a read-only `bi` user.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dirs, ports } from './paths.mjs';

const config = resolve(dirs.clickhouse, 'config.xml');
const users = resolve(dirs.clickhouse, 'users.xml');

/** Password of the read-only user for BI tools; set CLICKHOUSE_BI_PASSWORD before the first `up` to change it. */
const biPassword = process.env.CLICKHOUSE_BI_PASSWORD ?? 'bi';

function xmlEscape(value) {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
  writeFileSync(
    users,
    `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
    <readonly>
      <readonly>2</readonly>
      <max_execution_time>60</max_execution_time>
    </readonly>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>::/0</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <bi>
      <password>${xmlEscape(biPassword)}</password>
      <networks><ip>::/0</ip></networks>
      <profile>readonly</profile>
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
}

export const clickhouse = {
  name: 'clickhouse',
  overriddenBy: 'CLICKHOUSE_URL',
  port: () => ports.clickhouseHttp,
  address: () => `http://127.0.0.1:${ports.clickhouseHttp}`,
  extraPorts: () => [ports.clickhouseTcp],
  startTimeoutMs: 60000,
  prepare: writeConfig,
  command: () => ({ command: '/usr/sbin/clickhouse-server', args: [`--config-file=${config}`] }),
  /** Ready when `SELECT 1` answers 1 over HTTP. */
  async check() {
    const response = await fetch(`http://127.0.0.1:${ports.clickhouseHttp}/?query=SELECT%201`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.ok && (await response.text()).trim() === '1';
  },
};
