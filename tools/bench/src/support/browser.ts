// Debian's Chromium for the dashboard part: testkit's launcher (the browser tests use the same one), with the
// description the report prints.
import { launchChromium } from '@callpulse/testkit/browser';
import type { Browser } from 'playwright-core';

export async function launchBenchBrowser(): Promise<{ browser: Browser; description: string }> {
  const { browser, description } = await launchChromium();
  return { browser, description };
}
