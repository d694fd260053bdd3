// Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded browser).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

/** Say once, loudly, that a browser test file is skipped (scripts/setup.sh installs Chromium). */
export function reportIfMissing(file: string): void {
  if (chromiumMissing) process.stderr.write(`[${file}] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium package (scripts/setup.sh does)\n`);
}

/** Headless Chromium; launch() gives it a fresh temporary user-data dir, removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
