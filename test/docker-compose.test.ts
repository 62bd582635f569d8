// docker-compose.yml agrees with the services' configuration: every variable it sets is one the service reads, the
// environment it gives each service passes that service's validation, ports and health checks match, secrets are
// required from the environment (never written in the file), and ingest's spool is on a volume the image lets it write.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from '@callpulse/platform';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listenHost } from '../services/api/src/app.js';
import { apiEnv } from '../services/api/src/config.js';
import { callStateEnv } from '../services/call-state/src/config.js';
import { ingestEnv } from '../services/ingest/src/config.js';
import { reportingEnv } from '../services/reporting/src/config.js';

const compose = parse(readFileSync(resolve(import.meta.dirname, '../docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(resolve(import.meta.dirname, '../Dockerfile'), 'utf8');

const schemas: Record<string, z.ZodTypeAny> = { ingest: ingestEnv, 'call-state': callStateEnv, reporting: reportingEnv, api: apiEnv };
const nodeServices = Object.keys(schemas);
/** What a user puts in .env, as the file's header says. */
const dotEnv = { API_KEYS: 'admin:0123456789abcdef', RC_WEBHOOK_VERIFICATION_TOKEN: 'fedcba9876543210' };

/** Compose's interpolation of ${NAME}, ${NAME:-default} and ${NAME:?error} (errors when unset or empty). */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) => {
    const given = env[name];
    if (given !== undefined && given !== '') return given;
    if (kind === '?') throw new Error(`${name}: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** The environment compose gives a service, interpolated with env. */
function environmentOf(name: string, env: Record<string, string | undefined> = dotEnv): Record<string, string> {
  const raw: Record<string, unknown> = compose.services[name].environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), env)]));
}

/** The variables a schema reads, through refinements and transforms. */
function variablesOf(schema: z.ZodTypeAny): string[] {
  let inner: z.ZodTypeAny = schema;
  for (;;) {
    const def = inner._def as { schema?: z.ZodTypeAny; in?: z.ZodTypeAny };
    if (def.schema) inner = def.schema;
    else if (def.in) inner = def.in;
    else break;
  }
  return Object.keys((inner as z.AnyZodObject).shape);
}

const healthPort = (name: string) =>
  Number(/127\.0\.0\.1:(\d+)\/readyz/.exec(JSON.stringify(compose.services[name].healthcheck.test))?.[1]);
const containerPorts = (name: string) => (compose.services[name].ports ?? []).map((mapping: string) => Number(mapping.split(':').at(-1)));

describe('docker-compose.yml', () => {
  it('names the servers and the four services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'call-state', 'clickhouse', 'ingest', 'kafka', 'redis', 'reporting']);
  });

  it('gives every service a health check', () => {
    for (const [name, service] of Object.entries<{ healthcheck?: { test?: unknown } }>(compose.services)) {
      expect(service.healthcheck?.test, name).toBeTruthy();
    }
  });

  it('uses the official Kafka image in KRaft mode and a current ClickHouse', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.clickhouse.image).toMatch(/^clickhouse\/clickhouse-server:2\d\./);
  });

  it('builds each service from the repo and points it at the servers', () => {
    for (const name of nodeServices) expect(compose.services[name].build.args.SERVICE).toBe(name);
    for (const name of ['ingest', 'call-state', 'reporting']) expect(compose.services[name].environment.KAFKA_BROKERS).toBe('kafka:9092');
    for (const name of ['ingest', 'call-state', 'api']) expect(compose.services[name].environment.REDIS_URL).toBe('redis://redis:6379');
    for (const name of ['reporting', 'api']) expect(compose.services[name].environment.CLICKHOUSE_URL).toBe('http://clickhouse:8123');
  });

  it.each(nodeServices)('sets only variables %s reads', (name) => {
    const known = variablesOf(schemas[name] as z.ZodTypeAny);
    for (const variable of Object.keys(environmentOf(name))) expect(known, `${name} does not read ${variable}`).toContain(variable);
  });

  it.each(nodeServices)("gives %s an environment that passes the service's validation", (name) => {
    const result = (schemas[name] as z.ZodTypeAny).safeParse(environmentOf(name));
    expect(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
  });

  it.each(nodeServices)('has %s listen on all interfaces of its container, on the port its health check and ports use', (name) => {
    const config = (schemas[name] as z.ZodTypeAny).parse(environmentOf(name));
    const prefix = { ingest: 'INGEST', 'call-state': 'CALL_STATE', reporting: 'REPORTING', api: 'API' }[name];
    // The API listens on loopback without keys, whatever API_HOST says.
    const host = name === 'api' ? listenHost(config) : config[`${prefix}_HOST`];
    expect(host, 'a published port reaches only a service listening beyond loopback').toBe('0.0.0.0');
    expect(healthPort(name)).toBe(config[`${prefix}_PORT`]);
    expect(containerPorts(name)).toEqual([config[`${prefix}_PORT`]]);
  });

  it('publishes the webhook and the API, and the health ports of call-state and reporting on loopback only', () => {
    expect(compose.services.ingest.ports).toEqual(['3000:3000']);
    expect(compose.services.api.ports).toEqual(['4000:4000']);
    expect(compose.services['call-state'].ports).toEqual(['127.0.0.1:3001:3001']);
    expect(compose.services.reporting.ports).toEqual(['127.0.0.1:3002:3002']);
    for (const name of ['kafka', 'redis', 'clickhouse']) expect(compose.services[name].ports, name).toBeUndefined();
  });

  it('requires API_KEYS and the webhook verification token from the environment, naming what to set', () => {
    expect(() => environmentOf('api', {})).toThrow(/^API_KEYS: set API_KEYS/);
    expect(() => environmentOf('ingest', {})).toThrow(/^RC_WEBHOOK_VERIFICATION_TOKEN: set RC_WEBHOOK_VERIFICATION_TOKEN/);
    const api = (schemas.api as z.ZodTypeAny).parse(environmentOf('api'));
    expect(api.API_KEYS).toHaveLength(1);
    expect(environmentOf('ingest').RC_WEBHOOK_VERIFICATION_TOKEN).toBe(dotEnv.RC_WEBHOOK_VERIFICATION_TOKEN);
  });

  it('writes no secret into the file: every secret variable comes from the environment', () => {
    const secret = /(^|_)(KEYS?|SECRET|TOKEN|PASSWORD|JWT|CREDENTIALS?)(_|$)/;
    for (const name of nodeServices) {
      for (const [variable, value] of Object.entries<unknown>(compose.services[name].environment)) {
        if (secret.test(variable)) expect(String(value), `${name} ${variable}`).toMatch(/^\$\{[A-Z_]+:[-?][^}]*\}$/);
      }
    }
    expect(compose.services.ingest.environment.INGEST_ALLOW_UNVERIFIED_WEBHOOKS).toBeUndefined();
  });

  it("keeps ingest's spool on a volume the image's user can write", () => {
    const dir = environmentOf('ingest').INGEST_SPOOL_DIR;
    expect(dir).toBe('/var/lib/callpulse/spool');
    const [volume] = (compose.services.ingest.volumes as string[]).filter((mount) => mount.endsWith(`:${dir}`));
    expect(volume, 'a volume mounted at INGEST_SPOOL_DIR').toBeDefined();
    expect(Object.keys(compose.volumes)).toContain((volume as string).split(':')[0]);
    expect(dockerfile).toMatch(new RegExp(`mkdir -p ${dir} && chown -R node:node /var/lib/callpulse\\n`));
    expect(dockerfile.indexOf('chown -R node:node')).toBeLessThan(dockerfile.indexOf('USER node'));
  });

  it('runs Redis with its append-only file fsynced every second', () => {
    expect(compose.services.redis.command.join(' ')).toContain('--appendonly yes --appendfsync everysec');
  });

  it('restarts the services that exit', () => {
    for (const name of [...nodeServices, 'kafka', 'redis', 'clickhouse'])
      expect(compose.services[name].restart, name).toBe('unless-stopped');
  });

  it('builds only the services in the image (the tools are not copied)', () => {
    expect(dockerfile).toContain('npx tsc -b services/ingest services/call-state services/reporting services/api');
    expect(dockerfile).not.toMatch(/COPY tools/);
  });
});
