// A browser test file's start: the web client built, a real server on port 0 (with the file's
// config overrides) and Debian's Chromium. The file's afterAll stops both (`finish` of
// browserPages); if Chromium fails to start, the server is stopped here. Also what every browser
// test file uses: its users' type, how long a live change may take, where screenshots go.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Config } from '../../server/config.js';
import { buildWeb } from '../../scripts/build-web.mjs';
import { startTestServer, type TestServer } from './server.js';
import { launchChromium } from './chromium.js';

export async function startBrowserRig(overrides: Partial<Config> = {}): Promise<{ s: TestServer; browser: Browser }> {
  await buildWeb({ quiet: true });
  const s = await startTestServer(overrides);
  try {
    return { s, browser: await launchChromium() };
  } catch (err) {
    await s.close();
    throw err;
  }
}

/** A test user as `TestServer.user` makes them. */
export type Member = { id: string; username: string; token: string };

/** How long a live change may take to show in a page. */
export const LIVE = { timeout: 5_000 };

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** A screenshot for people to look at (`test-artifacts/<name>.png`, not tracked): a page (whole, with `fullPage`) or one element. */
export async function saveScreenshot(target: Page | Locator, name: string, { fullPage = false } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await ('goto' in target ? target.screenshot({ path, fullPage, animations: 'disabled' }) : target.screenshot({ path, animations: 'disabled' }));
}
