// The browser tests' Chromium: testkit's launcher (the bench's dashboard part uses the same one); its binary and
// version are logged, with a warning when playwright-core was made for another major.
import { launchChromium } from '@callpulse/testkit/browser';
import type { Browser } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  const { browser, description, warning } = await launchChromium();
  console.log(`[browser] ${description}`);
  if (warning) console.warn(`[browser] WARNING: ${warning} (web/package.json)`);
  return browser;
}
