// Debian's Chromium for the dashboard part, driven by playwright-core 1.64.1 (its own Chromium is 156, as bookworm's):
// $CHROMIUM, else /usr/bin/chromium-headless-shell, else /usr/bin/chromium; headless, no sandbox, no background traffic.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const PLAYWRIGHT_CHROMIUM_MAJOR = 156;

export async function launchBenchBrowser(): Promise<{ browser: Browser; description: string }> {
  const executablePath = [process.env.CHROMIUM, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find(
    (path): path is string => typeof path === 'string' && path !== '' && existsSync(path),
  );
  if (!executablePath) throw new Error('no Chromium: apt-get install chromium-headless-shell, or set CHROMIUM');
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
    ],
  });
  const version = browser.version();
  const major = Number(version.split('.')[0]);
  const warning =
    Math.abs(major - PLAYWRIGHT_CHROMIUM_MAJOR) > 3 ? ` (WARNING: playwright-core 1.64.1 was made for ${PLAYWRIGHT_CHROMIUM_MAJOR})` : '';
  return { browser, description: `${executablePath}, Chromium ${version}${warning}` };
}
