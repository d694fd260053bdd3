// Pages for a browser test file: each in a fresh context (its own cookies and storage), with
// page errors and dialogs recorded (a test's afterAll expects none), and logging in through
// the client's own form. `browser` and `url` are read when called (set in beforeAll).
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';

export function browserPages(env: { browser: () => Browser; url: () => string; defaultTimeoutMs?: number }) {
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  function watch(p: Page): void {
    // Short waits, when asked: a locator that never matches then fails in seconds, not Playwright's 30.
    if (env.defaultTimeoutMs) p.setDefaultTimeout(env.defaultTimeoutMs);
    p.on('pageerror', (err) => pageErrors.push(err.message));
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }

  async function newPage(): Promise<Page> {
    const context = await env.browser().newContext({ viewport: { width: 1200, height: 900 } });
    const p = await context.newPage();
    watch(p);
    return p;
  }

  /** Log in through the form at /login (the test users' password), landing on `next`. */
  async function logIn(p: Page, who: { username: string }, next = '/'): Promise<void> {
    await p.goto(`${env.url()}/login?next=${encodeURIComponent(next)}`);
    const form = p.getByRole('form', { name: 'Log in' });
    await form.getByLabel('Username').fill(who.username);
    await form.getByLabel('Password').fill('password-123');
    await form.getByRole('button', { name: 'Log in' }).click();
    await p.locator('.account .whoami').waitFor({ timeout: 5_000 });
  }

  /** A file's afterAll: Chromium and the server stop (whichever started), then no page may have thrown or opened a dialog. */
  async function finish(browser: Browser | undefined, server: { close(): Promise<void> } | undefined): Promise<void> {
    await browser?.close();
    await server?.close();
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  }

  return { pageErrors, dialogs, watch, newPage, logIn, finish };
}

/** Each path is one of the client's routes: the server answers it with the page shell. */
export async function expectPageShell(baseUrl: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const res = await fetch(`${baseUrl}${path}`);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}, not the page shell`);
    const html = await res.text();
    if (!html.includes('<script type="module" src="/app.js">')) throw new Error(`${path}: not the page shell`);
  }
}

/** Mark a page's window: `notReloaded` then tells whether it is still the same document (it changed live, with no reload). */
export const markPage = (p: Page): Promise<boolean> => p.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
/** True while the page marked by `markPage` has not been reloaded. */
export const notReloaded = (p: Page): Promise<boolean | undefined> => p.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded);

/** Open a topic's page (unless the tab is on it already) and wait until it is live: connected, posts drawn. */
export async function openTopic(p: Page, baseUrl: string, topicId: string, page = 1): Promise<void> {
  const path = `/t/${topicId}${page > 1 ? `?page=${page}` : ''}`;
  if (!p.url().endsWith(path)) await p.goto(`${baseUrl}${path}`);
  await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
  await p.locator('article.post').first().waitFor({ timeout: 5_000 });
}
