// Builds every workspace (tsc project references; incremental, so an unchanged tree builds in a second).
import { spawnSync } from 'node:child_process';
import { repoRoot } from './stack/paths.mjs';

export function build() {
  const result = spawnSync('npx', ['tsc', '-b'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed (npx tsc -b)');
}
