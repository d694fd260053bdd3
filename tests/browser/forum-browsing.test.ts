// "Users browsing this forum" in Chromium (phpBB's viewforum box), live from `presence:forum`:
// a member on a forum's page sees another member open one of its topics, a guest open the
// forum's page, and each leave (back to the board index, a closed tab), without a reload; a
// member on the board index is not counted; a guest who logs in counts as the member at once in
// the board index's who is online, and a member who logs out as a guest (the login ended on the
// server). The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig } from '../helpers/browser-rig.js';
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
    ({ s, browser } = await startBrowserRig({ presenceGraceMs: 200, topicViewsFlushMs: 50 }));
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    forumId = forum.id;
    topicId = (await s.topic(forumId, admin, { title: 'Hello', body: 'Say hello.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  // First in the file: the online window is the default five minutes, so every visitor this
  // file makes stays counted; only the setup's admin (over REST) is online so far.
  it("counts a guest who logs in as the member at once in the board index's who is online, and one who logs out as a guest", { timeout: 30_000 }, async () => {
    const p = await newPage();
    const total = p.locator('#online .online-total');
    await p.goto(`${s.url}/`);
    await expect.poll(() => total.textContent(), LIVE).toBe('In total there are 2 users online :: 1 registered, 0 hidden and 1 guest');
    // Logging in in this browser: the same browser session, now alice's; its guest is gone (not in five minutes).
    await logIn(p, alice, '/');
    await expect.poll(() => total.textContent(), LIVE).toBe('In total there are 2 users online :: 2 registered, 0 hidden and 0 guests');

    // Logging out ends the login on the server: alice leaves who is online at once (the browser
    // is a guest again), and the token this browser held is refused from now on.
    const token = await p.evaluate(() => (JSON.parse(localStorage.getItem('forum.session') ?? 'null') as { token: string } | null)?.token);
    expect((await s.api('GET', '/users/me', { token })).status).toBe(200);
    await p.locator('.account').getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => total.textContent(), LIVE).toBe('In total there are 2 users online :: 1 registered, 0 hidden and 1 guest');
    await expect.poll(async () => (await s.api('GET', '/users/me', { token })).body.error?.message, LIVE).toBe('Logged out');
    await p.context().close();
  });

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
  it('draws the board index as phpBB does: one table per category, headed by its name', { timeout: 30_000 }, async () => {
    const admin = await s.user('cat_admin', 'admin');
    const make = async (title: string, category: string) => (await s.forum(admin, { title, description: 'd', category })).id as string;
    const news = await make('News', 'The board');
    const chat = await make('Chat', 'Community');
    const p = await newPage();
    await p.goto(`${s.url}/`);
    const tables = p.locator('table.forums');
    await expect.poll(() => tables.count()).toBe(3);
    const heads = await tables.evaluateAll((ts) => ts.map((t) => [t.querySelector('thead th')?.textContent, [...t.querySelectorAll('tbody tr[data-forum-id]')].map((r) => r.getAttribute('data-forum-id'))]));
    expect(heads).toEqual([
      ['Forum', [forumId]],
      ['The board', [news]],
      ['Community', [chat]],
    ]);
    // Put under the other category: the two run together, one table fewer.
    expect((await s.api('PATCH', `/forums/${chat}`, { token: admin.token, body: { category: 'The board' } })).status).toBe(200);
    await p.reload();
    await expect.poll(() => tables.count()).toBe(2);
    expect(await p.locator('table.forums[data-category="The board"] tbody tr[data-forum-id]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-forum-id')))).toEqual([news, chat]);
    await p.close();
  });
  it("shows each topic's views in its forum's listing, beside its replies", { timeout: 30_000 }, async () => {
    const viewed = (await s.topic(forumId, bob, { title: 'Much read', body: 'Read me.' })).topic.id as string;
    for (const token of [undefined, undefined, alice.token]) expect((await s.api('GET', `/topics/${viewed}`, { token })).status).toBe(200); // a guest twice, alice once
    await expect.poll(async () => (await s.models.Topic.findById(viewed, { views: 1 }).lean())?.views, { timeout: 3_000 }).toBe(2);
    const p = await newPage();
    await p.goto(`${s.url}/f/${forumId}`);
    const row = p.locator(`tr[data-topic-id="${viewed}"]`);
    await row.waitFor();
    expect(await p.locator('table.topics thead th').allTextContents()).toEqual(['Topics', 'Replies', 'Views', 'Last post']);
    expect(await row.locator('[data-label="Views"]').textContent()).toBe('2'); // the guest (once an hour) and alice; the listing is no view
    expect(await row.locator('[data-label="Replies"]').textContent()).toBe('0');
    await p.close();
  });
  it('heads forum pages with announcements, global ones in every forum, made from the topic’s moderator tools', { timeout: 40_000 }, async () => {
    const admin = await s.user('ann_admin', 'admin');
    const mod = await s.user('ann_mod', 'moderator');
    const make = async (title: string) => (await s.forum(admin, { title, description: 'd' })).id as string;
    const [home, away] = [await make('Home'), await make('Away')];
    const news = (await s.topic(home, admin, { title: 'Big news', body: 'Read this.' })).topic.id as string;
    await s.topic(away, admin, { title: 'Small talk', body: 'Hi.' });

    // A member watches the Home forum's page while a moderator announces the topic from its page.
    const reader = await newPage();
    await logIn(reader, alice, `/f/${home}`);
    await reader.locator(`tr[data-topic-id="${news}"]`).waitFor();
    expect(await reader.locator('table.announcements').count()).toBe(0);
    const m = await newPage();
    await logIn(m, mod, `/t/${news}`);
    await m.locator('details.mod-tools summary').click();
    await m.getByRole('button', { name: 'Make announcement', exact: true }).click();
    await m.locator('.mod-status').getByText('Topic made an announcement of this forum.').waitFor();
    const announced = reader.locator(`table.announcements tr[data-topic-id="${news}"]`);
    await announced.waitFor(LIVE);
    expect(await reader.locator('table.announcements thead th').first().textContent()).toBe('Announcements');
    expect(await reader.locator(`table.topics:not(.announcements) tr[data-topic-id="${news}"]`).count()).toBe(0);

    // Made global: it heads the Away forum's open page too, live, marked Global; then a normal topic again, there too.
    const away1 = await newPage();
    await away1.goto(`${s.url}/f/${away}`);
    await away1.locator('table.topics tbody tr').first().waitFor();
    expect(await away1.locator('table.announcements').count()).toBe(0);
    await m.getByRole('button', { name: 'Make global announcement' }).click();
    await m.locator('.mod-status').getByText('Topic made a global announcement.').waitFor();
    const there = away1.locator(`table.announcements tr[data-topic-id="${news}"]`);
    await there.waitFor(LIVE);
    expect(await there.locator('.badge.announcement.global').textContent()).toBe('Global');
    await m.getByRole('button', { name: 'Remove announcement' }).click();
    await reader.locator(`table.topics:not(.announcements) tr[data-topic-id="${news}"]`).waitFor(LIVE);
    expect(await reader.locator('table.announcements').count()).toBe(0);
    await there.waitFor({ state: 'detached', ...LIVE });
    expect(await away1.locator('table.announcements').count()).toBe(0);
    for (const p of [reader, m, away1]) await p.close();
  });
});
