// The package graph (docs/architecture.md): services and tools reach kafkajs, ioredis and @clickhouse/client only
// through @callpulse/platform (in their source and in their package.json); contracts imports nothing but zod; no
// package imports a service or a tool; no tool imports a service; no service imports another; and the folders of a
// service's src/ import each other one way only (no circle). Read from the source (imports, dynamic imports, requires
// and re-exports of every .ts/.mts/.mjs file under src/ and test/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const drivers = ['kafkajs', 'ioredis', '@clickhouse/client'];
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

/** Every module a file imports (static, dynamic, side-effect, require and re-exports), as written. */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(specifier)].map((match) => match[1] as string);
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

/**
 * The rooms of a service's src/ and which rooms each imports: a room is a folder directly under src/ (`store/`), or a
 * file directly in src/ (`service.ts`: the composition root and shared leaves such as metrics.ts are modules of their own).
 */
function roomGraph(srcDir: string): Map<string, Set<string>> {
  const roomOf = (file: string) => {
    const [first, ...rest] = relative(srcDir, file).split('/');
    return rest.length > 0 ? `${first}/` : (first as string);
  };
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(srcDir)) {
    const from = roomOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (relative(srcDir, target).startsWith('..')) continue;
      const to = roomOf(target.replace(/\.js$/, '.ts'));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every circle of a graph, each once, as the path that closes it (`a/ -> b/ -> a/`), found by depth-first search. */
function circles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') found.add([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found];
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

  it('packages/contracts imports nothing but zod (and vitest in its tests)', () => {
    expect(
      violations(['packages'], (file, spec) => {
        if (!relative(root, file).startsWith('packages/contracts/')) return undefined;
        if (spec.startsWith('.') || spec === 'zod' || (spec === 'vitest' && file.endsWith('.test.ts'))) return undefined;
        return 'contracts is pure: no I/O, no driver, no other package';
      }),
    ).toEqual([]);
  });

  it('no service imports another service', () => {
    // Known exceptions, each with its reason; remove an entry when its file no longer needs it.
    const allowed = new Set([
      // The webhook fuzzer judges call-state's own decode and fold of what ingest accepts.
      'services/ingest/test/fuzz/fuzz.test.ts: call-state',
    ]);
    expect(
      violations(['services'], (file, spec) => {
        const own = relative(root, file).split('/')[1];
        const service = serviceOf(file, spec);
        if (!service || service === own || allowed.has(`${relative(root, file)}: ${service}`)) return undefined;
        return `the service ${service}`;
      }),
    ).toEqual([]);
  });

  it('finds a circle between the rooms of a source tree', () => {
    const graph = new Map([
      ['consume/', new Set(['store/', 'domain/'])],
      ['store/', new Set(['emit/', 'domain/'])],
      ['emit/', new Set(['store/'])],
      ['domain/', new Set<string>()],
    ]);
    expect(circles(graph)).toEqual(['store/ -> emit/ -> store/']);
    expect(circles(new Map([['a/', new Set(['b/'])]]))).toEqual([]);
  });

  // services/api is left out while its history/ and graphql/ circle is taken apart (issue 12): add it once it has none.
  it.each(['call-state', 'ingest', 'reporting'])('the folders of services/%s/src import each other one way only', (service) => {
    const graph = roomGraph(join(root, 'services', service, 'src'));
    expect(graph.size).toBeGreaterThan(3);
    expect(circles(graph)).toEqual([]);
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
