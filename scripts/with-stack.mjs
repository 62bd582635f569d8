// Runs a command with the local stack up and the code built, then stops the stack servers this run started
// (set KEEP_STACK=1 to keep them). Used by `npm test` and `npm run bench`.
import { spawnSync } from 'node:child_process';
import { build } from './build.mjs';
import { ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';
import { down, up } from './stack/stack.mjs';

export async function runWithStack(label, command, args) {
  let started = [];
  let status = 1;
  try {
    ensureNpmDependencies();
    started = await up();
    build();
    status = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' }).status ?? 1;
  } catch (err) {
    console.error(`[${label}] ${err.message}`);
  } finally {
    if (started.length > 0 && !process.env.KEEP_STACK) await down(started);
  }
  return status;
}
