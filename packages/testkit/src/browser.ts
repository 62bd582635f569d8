// The one Chromium launcher of the browser tests and the bench: Debian's Chromium driven by playwright-core (pinned to
// 1.64.1, whose own Chromium is 156 like bookworm-security's). executablePath from $CHROMIUM, else
// /usr/bin/chromium-headless-shell, else /usr/bin/chromium; headless, without the sandbox (root in CI) and without the
// background traffic the closed network refuses. The description names the binary and version, with a warning when
// its major is more than 3 away from the one playwright-core was made for.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The Chromium major playwright-core 1.64.1 bundles. */
export const PLAYWRIGHT_CHROMIUM_MAJOR = 156;

export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
  return candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path));
}

export interface LaunchedChromium {
  browser: Browser;
  /** "<path>, Chromium <version>", and the warning when the major is far from playwright-core's. */
  description: string;
  /** The warning alone, when there is one. */
  warning: string | undefined;
}

export async function launchChromium(): Promise<LaunchedChromium> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error('no Chromium: install chromium-headless-shell (npm test does as root) or set CHROMIUM to a Chromium binary');
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  const version = browser.version();
  const major = Number(version.split('.')[0]);
  const warning =
    Math.abs(major - PLAYWRIGHT_CHROMIUM_MAJOR) <= 3
      ? undefined
      : `Chromium ${major} is more than 3 majors away from ${PLAYWRIGHT_CHROMIUM_MAJOR}, which playwright-core 1.64.1 was made for; ` +
        'pin the playwright-core whose Chromium matches';
  return { browser, description: `${executablePath}, Chromium ${version}${warning ? ` (WARNING: ${warning})` : ''}`, warning };
}
