// Pages for a browser test file: each in a fresh context (its own cookies and storage), with
// page errors and dialogs recorded (a test's afterAll expects none), and logging in through
// the client's own form. `browser` and `url` are read when called (set in beforeAll).
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

  return { pageErrors, dialogs, watch, newPage, logIn };
}
