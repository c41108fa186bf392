/**
 * Shared Chromium launcher for browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (never a downloaded browser). Tests call launchBrowser() and, when it reports a reason instead
 * of a browser, skipOrFail() so that CI with FOOTFALL_TEST_REQUIRE_ALL=1 cannot pass silently.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * A normal desktop Chrome user agent. Headless Chromium announces itself as "HeadlessChrome",
 * which isbot (and so the ingest pipeline) drops as a bot; contexts must use this instead.
 */
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Flags that keep a test browser quiet: no sandbox (containers), no GPU, no background traffic. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** A launched browser, or why there is none. */
export type LaunchResult = { browser: Browser; reason?: undefined } | { browser: undefined; reason: string };

/**
 * Launches headless Chromium. Returns a reason only when Chromium is not installed; a browser
 * that is installed but fails to start throws, because that is a real failure to look at.
 * The caller closes the browser.
 */
export async function launchBrowser(): Promise<LaunchResult> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { browser: undefined, reason: `${CHROMIUM_PATH} not found; install it with: apt-get install -y chromium` };
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return { browser };
}

export { skipOrFail } from './require-all.js';
