// scripts/supervise/launcher.mjs: a process launched by npm notices when its launcher is gone (npm ends on a SIGTERM
// without passing it on), and one launched otherwise does not watch.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait.js';

const launcherModule = resolve(__dirname, '../scripts/supervise/launcher.mjs');
// The watched process: prints its pid, then "gone <launcher pid>" when told, and exits; or "still here" after 3 s.
const watched = `
import { watchLauncher } from ${JSON.stringify(launcherModule)};
console.log('pid ' + process.pid);
watchLauncher((launcher) => { console.log('gone ' + launcher); process.exit(0); }, { everyMs: 50 });
setTimeout(() => { console.log('still here'); process.exit(0); }, 3000);
`;
// The launcher: starts the watched process with its output on a pipe of the test's, then waits to be killed.
const launcherScript = `
const { spawn } = require('node:child_process');
spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(watched)}], { stdio: ['ignore', 'inherit', 'inherit'] });
setInterval(() => {}, 1000);
`;

const launched: ChildProcess[] = [];
afterEach(() => {
  for (const child of launched.splice(0)) child.kill('SIGKILL');
});

async function launch(env: NodeJS.ProcessEnv): Promise<{ launcher: ChildProcess; lines: () => string[]; ended: Promise<unknown> }> {
  const launcher = spawn(process.execPath, ['-e', launcherScript], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  launched.push(launcher);
  let text = '';
  launcher.stdout?.on('data', (chunk) => {
    text += chunk;
  });
  const ended = once(launcher.stdout as NodeJS.ReadableStream, 'end'); // the watched process holds the pipe too
  await waitFor(() => text.includes('pid '), { intervalMs: 20, what: () => `the watched process' pid in: ${text}` });
  return { launcher, lines: () => text.trim().split('\n'), ended };
}

describe('watchLauncher', () => {
  it('under npm, reports the launcher gone once it is killed', async () => {
    const { launcher, lines, ended } = await launch({ ...process.env, npm_lifecycle_event: 'start' });
    launcher.kill('SIGKILL');
    await ended;
    expect(lines()).toEqual([expect.stringMatching(/^pid \d+$/), `gone ${launcher.pid}`]);
  });

  it('not under npm, does not watch: the launcher killed, the process stays', async () => {
    const env = { ...process.env };
    delete env.npm_lifecycle_event;
    const { launcher, lines, ended } = await launch(env);
    launcher.kill('SIGKILL');
    await ended;
    expect(lines()).toEqual([expect.stringMatching(/^pid \d+$/), 'still here']);
  });
});
