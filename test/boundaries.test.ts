// The package graph (docs/architecture.md): services and tools reach kafkajs, ioredis and @clickhouse/client only
// through @callpulse/platform (in their source and in their package.json); contracts imports nothing but zod;
// call-model nothing but contracts and zod; no package imports a service or a tool; no tool imports a service; no service imports another. Read from the source
// (imports, dynamic imports, requires and re-exports of every .ts/.mts/.mjs file under src/ and test/). Import circles
// inside a src/: test/import-cycles.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const drivers = ['kafkajs', '@platformatic/kafka', 'ioredis', '@clickhouse/client'];
const services = readdirSync(join(root, 'services')).filter((name) => statSync(join(root, 'services', name)).isDirectory());

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files of every workspace of a kind (packages, services, tools), by workspace. */
function workspaces(kind: 'packages' | 'services' | 'tools'): Array<{ name: string; files: string[] }> {
  return readdirSync(join(root, kind))
    .filter((name) => statSync(join(root, kind, name)).isDirectory())
    .map((name) => ({ name: `${kind}/${name}`, files: ['src', 'test'].flatMap((dir) => sourceFiles(join(root, kind, name, dir))) }));
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/**
 * Every module a file imports (static, dynamic, side-effect, require and re-exports), as written. A match with white
 * space is code that only looks like an import (`side: 'from' | 'to'`), never a module name.
 */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(specifier)].map((match) => match[1] as string).filter((spec) => !/\s/.test(spec));
}

const isDriver = (spec: string) => drivers.some((name) => spec === name || spec.startsWith(`${name}/`));
/** A service, by package name or by a relative path into services/. */
const serviceOf = (file: string, spec: string): string | undefined => {
  const byName = /^@callpulse\/([^/]+)/.exec(spec)?.[1];
  if (byName) return services.includes(byName) ? byName : undefined;
  if (!spec.startsWith('.')) return undefined;
  const target = relative(root, resolve(file, '..', spec)).split('/');
  return target[0] === 'services' ? target[1] : undefined;
};
const toolOf = (file: string, spec: string): string | undefined => {
  const tools = readdirSync(join(root, 'tools'));
  const byName = /^@callpulse\/([^/]+)/.exec(spec)?.[1];
  if (byName) return tools.includes(byName) ? byName : undefined;
  if (!spec.startsWith('.')) return undefined;
  const target = relative(root, resolve(file, '..', spec)).split('/');
  return target[0] === 'tools' ? target[1] : undefined;
};

function violations(kinds: Array<'packages' | 'services' | 'tools'>, rule: (file: string, spec: string) => string | undefined): string[] {
  return kinds.flatMap((kind) =>
    workspaces(kind).flatMap(({ files }) =>
      files.flatMap((file) =>
        importsOf(file).flatMap((spec) => {
          const broken = rule(file, spec);
          return broken ? [`${relative(root, file)}: ${spec} (${broken})`] : [];
        }),
      ),
    ),
  );
}

describe('package boundaries', () => {
  it('finds the workspaces and their imports', () => {
    expect(services).toEqual(expect.arrayContaining(['ingest', 'call-state', 'reporting', 'api']));
    expect(importsOf(join(root, 'services/ingest/src/main.ts'))).toContain('@callpulse/platform');
  });

  it('services and tools use kafkajs, ioredis and @clickhouse/client only through @callpulse/platform', () => {
    // Known exceptions, each with its reason; remove an entry when its file no longer needs it.
    const allowed = new Set([
      // chdb plugs into @clickhouse/client's `connection` option (platform's createClickHouseClient takes it too now).
      'tools/chdb-compat/src/engines.ts: @clickhouse/client',
    ]);
    expect(
      violations(['services', 'tools'], (file, spec) =>
        isDriver(spec) && !allowed.has(`${relative(root, file)}: ${spec}`) ? 'import it from @callpulse/platform' : undefined,
      ),
    ).toEqual([]);
  });

  it('services and tools do not declare kafkajs, ioredis or @clickhouse/client in their package.json', () => {
    // chdb-compat creates its chdb client with @clickhouse/client (see above).
    const allowed = new Set(['tools/chdb-compat: @clickhouse/client']);
    const declared = (['services', 'tools'] as const).flatMap((kind) =>
      workspaces(kind).flatMap(({ name }) => {
        const manifest = JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
        const names = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
          Object.keys(manifest[field] ?? {}),
        );
        return names.filter((dependency) => drivers.includes(dependency)).map((dependency) => `${name}: ${dependency}`);
      }),
    );
    expect(declared.filter((entry) => !allowed.has(entry))).toEqual([]);
  });

  it('@platformatic/kafka loads only when a producer is first used, never with platform itself', () => {
    // Loading it costs about a second of CPU (its option validators compile), which every service importing platform
    // would pay at start-up: its values are reached only through the partitioner module, which only a dynamic
    // import() of the sender reaches (type imports are erased).
    const platformSrc = join(root, 'packages/platform/src');
    const found = sourceFiles(platformSrc)
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const staticValue = /^import\s+(?!type\b)[^;]*from\s*['"]@platformatic\/kafka['"]/m.test(text);
        const partitionerStatic = /^(?:import|export)\s+(?!type\b)[^;]*from\s*['"]\.\/(?:kafka\/)?session-partitioner\.js['"]/m.test(text);
        return [
          ...(staticValue ? [`${relative(root, file)}: @platformatic/kafka`] : []),
          ...(partitionerStatic ? [`${relative(root, file)}: session-partitioner`] : []),
        ];
      });
    expect(found).toEqual(['packages/platform/src/kafka/session-partitioner.ts: @platformatic/kafka']);
  });

  it('packages/contracts imports nothing but zod (and vitest in its tests)', () => {
    expect(
      violations(['packages'], (file, spec) => {
        if (!relative(root, file).startsWith('packages/contracts/')) return undefined;
        if (spec.startsWith('.') || spec === 'zod' || (spec === 'vitest' && file.endsWith('.test.ts'))) return undefined;
        return 'contracts is pure: no I/O, no driver, no other package';
      }),
    ).toEqual([]);
  });

  it('packages/call-model is pure: contracts and zod only (and vitest, fast-check and testkit in its tests)', () => {
    const testOnly = ['vitest', 'fast-check', '@callpulse/testkit', 'node:fs', 'node:path'];
    expect(
      violations(['packages'], (file, spec) => {
        const path = relative(root, file);
        if (!path.startsWith('packages/call-model/')) return undefined;
        if (spec.startsWith('.') || spec === '@callpulse/contracts' || spec === 'zod') return undefined;
        const testSide = path.endsWith('.test.ts') || path.startsWith('packages/call-model/src/testing/');
        if (testSide && testOnly.some((name) => spec === name || spec.startsWith(`${name}/`))) return undefined;
        return 'call-model is pure: no I/O, no driver, no package but contracts and zod';
      }),
    ).toEqual([]);
  });

  it('no service imports another service', () => {
    expect(
      violations(['services'], (file, spec) => {
        const own = relative(root, file).split('/')[1];
        const service = serviceOf(file, spec);
        if (!service || service === own) return undefined;
        return `the service ${service}`;
      }),
    ).toEqual([]);
  });

  it('no package imports a service or a tool', () => {
    expect(
      violations(['packages'], (file, spec) => {
        const service = serviceOf(file, spec);
        if (service) return `the service ${service}`;
        const tool = toolOf(file, spec);
        return tool ? `the tool ${tool}` : undefined;
      }),
    ).toEqual([]);
  });

  it('no tool imports a service', () => {
    expect(
      violations(['tools'], (file, spec) => {
        const service = serviceOf(file, spec);
        // The one exception: chdb-compat checks that the SQL the services generate runs alike on 18.16 and on a current
        // ClickHouse, so it calls the services' own SQL builders.
        if (relative(root, file).startsWith('tools/chdb-compat/')) return undefined;
        return service ? `the service ${service}` : undefined;
      }),
    ).toEqual([]);
  });
});
