// "Users browsing this forum" in Chromium (phpBB's viewforum box), live from `presence:forum`:
// a member on a forum's page sees another member open one of its topics, a guest open the
// forum's page, and each leave (back to the board index, a closed tab), without a reload; a
// member on the board index is not counted. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.mjs';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chromiumMissing, launchChromium, reportIfMissing } from '../helpers/chromium.js';
import { browserPages, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('forum-browsing');

/** Pushes come at most once a second, leaves after the grace period. */
const LIVE = { timeout: 6_000 };

describe.skipIf(chromiumMissing)('users browsing this forum in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: { id: string; username: string; token: string };
  let bob: { id: string; username: string; token: string };
  let forumId: string;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const count = (p: Page) => p.locator('#browsing');
  const names = (p: Page) => p.locator('aside.browsing .viewer-names');

  beforeAll(async () => {
    await buildWeb({ quiet: true });
    s = await startTestServer({ presenceGraceMs: 200 });
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'General', description: 'Anything.' } })).body.forum;
    forumId = forum.id;
    topicId = (await s.api('POST', `/forums/${forumId}/topics`, { token: admin.token, body: { title: 'Hello', body: 'Say hello.' } })).body.topic.id;
    browser = await launchChromium();
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('lists who is on the forum page or reading its topics, as they come and go', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await expect.poll(() => count(a).getAttribute('data-viewers'), LIVE).toBe('1');
    expect(await a.locator('aside.browsing h2').textContent()).toBe('Users browsing this forum');
    expect(await names(a).textContent()).toBe('alice');
    await markPage(a);

    // Bob reads a topic of the forum: he is browsing it.
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await expect.poll(() => names(a).textContent(), LIVE).toBe('alice, bob');
    expect(await count(a).textContent()).toBe('2 browsing this forum');

    // A guest opens the forum's page.
    const g = await newPage();
    await g.goto(`${s.url}/f/${forumId}`);
    await expect.poll(() => names(a).textContent(), LIVE).toBe('alice, bob and 1 guest');
    // The guest sees the same, themselves counted.
    await expect.poll(() => names(g).textContent(), LIVE).toBe('alice, bob and 1 guest');

    // Bob goes back to the board index (which follows every forum, but is no forum's page).
    await b.getByRole('link', { name: 'Board index' }).first().click();
    await b.waitForURL(`${s.url}/`);
    await expect.poll(() => names(a).textContent(), LIVE).toBe('alice and 1 guest');

    // The guest closes the tab.
    await g.context().close();
    await expect.poll(() => names(a).textContent(), LIVE).toBe('alice');
    expect(await notReloaded(a)).toBe(true);
  });
});
