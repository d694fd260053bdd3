// Atom feeds in Chromium: the board, a forum and a topic each show an "Atom feed" link and (forum
// and topic) announce their feed in <head> for feed readers; following the link loads the feed
// itself, not the app. A forum guests may not read offers no feed, and leaving a page takes its
// announcement away. The page shell announces the board's feed to readers that run no script.
// The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig } from '../helpers/browser-rig.js';
import { browserPages, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('feeds');

describe.skipIf(chromiumMissing)('Atom feeds in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let forumId: string;
  let staffForumId: string;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  /** The page's feed announcements in <head>: [title, href]. */
  const announced = (p: Page) =>
    p.locator('head link[rel="alternate"][type="application/atom+xml"]').evaluateAll((els) => els.map((el) => [el.getAttribute('title'), el.getAttribute('href')]));
  const feedLinks = (p: Page) => p.locator('main a.feed-link').evaluateAll((els) => els.map((el) => [el.textContent, el.getAttribute('href'), el.getAttribute('type')]));

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    const member = await s.user('writer');
    forumId = (await s.forum(admin, { title: 'Garden', description: 'Plants.' })).id;
    staffForumId = (await s.forum(admin, { title: 'Staff', description: 'Members only.' })).id;
    expect((await s.api('PATCH', `/forums/${staffForumId}`, { token: admin.token, body: { permissions: { read: ['member'] } } })).status).toBe(200);
    topicId = (await s.topic(forumId, member, { title: 'Tomatoes <early>', body: 'Sow in March.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('the board, a forum and a topic link their feeds; a forum and a topic announce theirs; the link opens the feed', async () => {
    const board = '["Newest posts on the board","/feed.atom"]';
    const p = await newPage();
    await p.goto(`${s.url}/`);
    await p.locator('main a.feed-link').waitFor();
    expect(await feedLinks(p)).toEqual([['Atom feed', '/feed.atom', 'application/atom+xml']]);
    expect(JSON.stringify(await announced(p))).toBe(`[${board}]`);

    await p.getByRole('link', { name: 'Garden' }).first().click();
    await p.locator('main a.feed-link').waitFor();
    expect(await feedLinks(p)).toEqual([['Atom feed', `/f/${forumId}/feed.atom`, 'application/atom+xml']]);
    expect(JSON.stringify(await announced(p))).toBe(`[${board},["Newest posts in Garden","/f/${forumId}/feed.atom"]]`);

    await openTopic(p, s.url, topicId);
    await p.locator('main a.feed-link').waitFor();
    expect(await feedLinks(p)).toEqual([['Atom feed', `/t/${topicId}/feed.atom`, 'application/atom+xml']]);
    expect(await announced(p)).toEqual([
      ['Newest posts on the board', '/feed.atom'],
      ['Newest posts in “Tomatoes <early>”', `/t/${topicId}/feed.atom`],
    ]);

    // The link is the feed's, not a page of the app's.
    const [res] = await Promise.all([p.waitForResponse((r) => r.url().endsWith('/feed.atom')), p.locator('main a.feed-link').click()]);
    expect(res.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(await res.text()).toContain('<title type="html"><![CDATA[Tomatoes &lt;early&gt;]]></title>');
    await p.context().close();
  });

  it('a forum guests may not read offers no feed, even to a member, and leaving a page takes its announcement away', async () => {
    const p = await newPage();
    await logIn(p, { username: 'writer' }, `/f/${forumId}`);
    await p.locator('main a.feed-link').waitFor();
    expect(await announced(p)).toHaveLength(2);
    // Within the app (no page load): the board, then the members-only forum.
    await p.locator('main .action-bar .return').last().click();
    await p.locator('main h1', { hasText: 'Board index' }).waitFor();
    expect(await announced(p)).toEqual([['Newest posts on the board', '/feed.atom']]);
    await p.getByRole('link', { name: 'Staff' }).first().click();
    await p.locator('main h1', { hasText: 'Staff' }).waitFor();
    await p.locator('main .action-bar .return').last().waitFor();
    expect(await feedLinks(p)).toEqual([]);
    expect(await announced(p)).toEqual([['Newest posts on the board', '/feed.atom']]);
    // Guests are refused that feed, which is why none is offered.
    expect((await fetch(`${s.url}/f/${staffForumId}/feed.atom`)).status).toBe(401);
    await p.context().close();
  });
});
