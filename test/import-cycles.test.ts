// No import circles inside a workspace's src/: neither between files (a imports b imports a) nor between the folders
// of one src/ (consume/ imports emit/ imports consume/). Files directly in src/ (main.ts, service.ts, config.ts,
// metrics.ts) count as one node each, so wiring and the shared config may be imported from any folder. Read from the
// source: relative imports, dynamic imports and re-exports, type-only ones included (they still tie the modules).
// A small walk rather than a library (madge and the like): 60 lines, no dependency, and the rule is ours to choose.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !/\.(test|d)\.tsx?$/.test(name) ? [path] : [];
  });
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]/gm;

/** The files of src/ that a file imports by a relative path (`./x.js` is `./x.ts`, `./dir` is `./dir/index.ts`). */
function relativeImports(file: string, files: Set<string>): string[] {
  return [...readFileSync(file, 'utf8').matchAll(specifier)].flatMap((match) => {
    const target = resolve(dirname(file), match[1] as string);
    const candidates = [
      target.replace(/\.(m?js|jsx)$/, '.ts'),
      target.replace(/\.jsx?$/, '.tsx'),
      `${target}.ts`,
      join(target, 'index.ts'),
    ];
    const found = candidates.find((candidate) => files.has(candidate));
    return found ? [found] : [];
  });
}

/** The strongly connected components of more than one node (or a node importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** A src/ folder's import graph, by file and by top-level folder (a file directly in src/ is its own node). */
function graphsOf(src: string) {
  const files = new Set(sourceFiles(src));
  const byFile = new Map<string, Set<string>>();
  const byFolder = new Map<string, Set<string>>();
  const folderOf = (file: string) => {
    const parts = relative(src, file).split('/');
    return parts.length === 1 ? (parts[0] as string) : `${parts[0]}/`;
  };
  for (const file of files) {
    const targets = relativeImports(file, files);
    byFile.set(relative(root, file), new Set(targets.map((target) => relative(root, target))));
    const from = folderOf(file);
    const folder = byFolder.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) folder.add(folderOf(target));
    byFolder.set(from, folder);
  }
  return { byFile, byFolder };
}

const workspaces = ['packages', 'services', 'tools'].flatMap((kind) =>
  readdirSync(join(root, kind))
    .filter((name) => existsSync(join(root, kind, name, 'src')))
    .map((name) => `${kind}/${name}`),
);

describe('import cycles', () => {
  it('the walk finds a circle of files and one of folders', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Set(['a'])]]))).toEqual([['a']]);
  });

  it.each(workspaces)('%s/src has no circle between files', (workspace) => {
    expect(cycles(graphsOf(join(root, workspace, 'src')).byFile)).toEqual([]);
  });

  it.each(workspaces)('%s/src has no circle between its folders', (workspace) => {
    expect(cycles(graphsOf(join(root, workspace, 'src')).byFolder)).toEqual([]);
  });
});
