// Builds every workspace (tsc project references; incremental, so an unchanged tree builds in a second), then the
// dashboard (web/: type-checked, then bundled by Vite into services/api/dist/web, which the API serves at /) when
// its sources are newer than the last bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './stack/paths.mjs';

function run(args, what) {
  const result = spawnSync('npx', args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`build failed (${what})`);
}

/** Newest modification time under path (files and folders). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(resolve(path, name))), stat.mtimeMs);
}

export function webBundleStale() {
  const bundle = resolve(repoRoot, 'services/api/dist/web/index.html');
  if (!existsSync(bundle)) return true;
  const web = resolve(repoRoot, 'web');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((name) => resolve(web, name));
  return Math.max(...sources.filter(existsSync).map(newest)) > statSync(bundle).mtimeMs;
}

export function build() {
  run(['tsc', '-b'], 'npx tsc -b');
  if (!webBundleStale()) return;
  run(['tsc', '-p', 'web/tsconfig.json'], 'npx tsc -p web/tsconfig.json');
  run(['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], 'vite build of web/');
}
