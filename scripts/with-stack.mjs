// Runs a command with the local stack up and the code built, then stops the stack servers this run started
// (set KEEP_STACK=1 to keep them). Used by `npm test` and `npm run bench`. `command` is either a program (with `args`)
// or a function that runs any number of programs through the `run(program, args)` it is given and returns the status.
import { spawnSync } from 'node:child_process';
import { build } from './build.mjs';
import { ensureBrowser, ensureNpmDependencies } from './stack/install.mjs';
import { repoRoot } from './stack/paths.mjs';
import { down, up } from './stack/stack.mjs';

const run = (program, args) => spawnSync(program, args, { cwd: repoRoot, stdio: 'inherit' }).status ?? 1;

export async function runWithStack(label, command, args = []) {
  let started = [];
  let status = 1;
  try {
    ensureNpmDependencies();
    started = await up();
    ensureBrowser();
    build();
    status = typeof command === 'function' ? await command(run) : run(command, args);
  } catch (err) {
    console.error(`[${label}] ${err.message}`);
  } finally {
    if (started.length > 0 && !process.env.KEEP_STACK) await down(started);
  }
  return status;
}
