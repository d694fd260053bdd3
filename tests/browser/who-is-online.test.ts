// "Who is online" for moderators in Chromium (/mcp/online, phpBB's viewonline.php), live from
// `presence:detail`: a moderator, reaching it from the header, sees a member come online and then
// start reading a topic (its title, linked at the page read), then view a forum's page, a hidden member marked hidden,
// guests and bots counted and filtered, "… ago" kept current, and a member who disconnects leave,
// all without a reload; a second tab loading the page directly shows the list at once. A plain
// member is refused, a guest is asked to log in. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ack, type TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('who-is-online');

/** Shown as text, never as markup. */
const TITLE = 'Where is <b>everyone</b> & <img src=x onerror=alert(1)>?';
const BING = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
/** Pushes come at most once a second. */
const LIVE = { timeout: 5_000 };

describe.skipIf(chromiumMissing)('who is online for moderators in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let topicId: string;
  let forumId: string;
  const { watch, newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const row = (p: Page, userId: string) => p.locator(`table.who-is-online tr.presence[data-user-id="${userId}"]`);
  const rows = (p: Page) => p.locator('table.who-is-online tbody tr.presence');
  const counts = (p: Page) => p.locator('.presence-counts');

  beforeAll(async () => {
    // A dropped socket leaves after 200 ms; an HTTP visitor (a login page, the setup's requests) after 1 s.
    ({ s, browser } = await startBrowserRig({ presenceGraceMs: 200, onlineWindowMs: 1_000 }));
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    forumId = forum.id;
    topicId = (await s.topic(forum.id, admin, { title: TITLE, body: 'Say hello.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /mcp/online', async () => {
    await expectPageShell(s.url, ['/mcp/online']);
  });

  it('shows a moderator who is online, where and since when, live', { timeout: 90_000 }, async () => {
    // The moderator reaches the page from the header's link.
    const m = await newPage();
    await logIn(m, mod, '/');
    await m.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await m.locator('.account').getByRole('link', { name: 'Who is online' }).click();
    await m.waitForURL(/\/mcp\/online$/, LIVE);
    expect(await m.title()).toBe('Who is online · Realtime Forum');
    expect(await m.locator('h1.page-title').textContent()).toBe('Who is online');
    expect(await m.locator('table.who-is-online thead th').allTextContents()).toEqual(['Username', 'Where', 'Online since', 'Last active']);
    // Themselves, first: role-coloured, linked to their profile, on no topic.
    const me = row(m, mod.id);
    await me.waitFor(LIVE);
    const myName = me.locator('td.presence-who a.username');
    expect(await myName.textContent()).toBe('mod');
    expect(await myName.getAttribute('href')).toBe(`/u/${mod.id}`);
    expect(await myName.getAttribute('class')).toContain('role-moderator');
    expect(await me.locator('td.presence-where').textContent()).toBe('Board index / elsewhere');
    expect(await me.locator('td.presence-since time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await markPage(m);

    // Bob comes online: his row arrives without a reload, on no topic yet.
    const bobSocket = await s.socket(bob.token);
    const bobRow = row(m, bob.id);
    await bobRow.waitFor(LIVE);
    expect(await bobRow.locator('td.presence-who').textContent()).toBe('bob');
    expect(await bobRow.locator('td.presence-where').textContent()).toBe('Board index / elsewhere');
    expect(await bobRow.getAttribute('data-kind')).toBe('member');

    // He starts reading the topic at page 2: its title, as text, linked at that page.
    expect((await ack(bobSocket, 'topic:subscribe', { topicId, page: 2 })).ok).toBe(true);
    await expect.poll(() => bobRow.locator('td.presence-where').textContent(), LIVE).toBe(`Reading topic: ${TITLE}`);
    const topicLink = bobRow.locator('td.presence-where a.presence-topic');
    expect(await topicLink.getAttribute('href')).toBe(`/t/${topicId}?page=2`);
    expect(await bobRow.locator('td.presence-where b, td.presence-where img').count()).toBe(0);

    // Then he opens the forum's page in another tab: his latest page, linked, is where he is.
    const bobTab2 = await s.socket(bob.token);
    expect((await ack(bobTab2, 'forum:subscribe', { forumId, browsing: true })).ok).toBe(true);
    await expect.poll(() => bobRow.locator('td.presence-where').textContent(), LIVE).toBe('Viewing forum: General');
    expect(await bobRow.locator('td.presence-where a.presence-forum').getAttribute('href')).toBe(`/f/${forumId}`);
    bobTab2.disconnect();

    // Carol chose to be hidden: listed for staff, marked so.
    const hid = await s.api('PATCH', '/users/me', { token: carol.token, body: { hidden: true } });
    expect(hid.status).toBe(200);
    const carolSocket = await s.socket(carol.token);
    const carolRow = row(m, carol.id);
    await carolRow.waitFor(LIVE);
    expect(await carolRow.getAttribute('data-hidden')).toBe('true');
    expect(await carolRow.locator('td.presence-who').textContent()).toBe('carol (hidden)');
    expect(await carolRow.locator('a.username').getAttribute('class')).toContain('hidden-user');

    // A guest and a crawler join: everyone is counted (the setup's HTTP visitors have gone by now).
    await s.socket();
    await s.socket(undefined, { headers: { 'user-agent': BING } });
    await expect.poll(() => counts(m).textContent(), LIVE).toBe('3 members (1 hidden), 1 guest, 1 bot');
    expect(await counts(m).evaluate((el) => ({ ...(el as HTMLElement).dataset }))).toEqual({ members: '3', hidden: '1', guests: '1', bots: '1' });
    expect(await rows(m).count()).toBe(5);

    // The filters: each kind alone, then everyone again.
    const filter = (label: string) => m.getByRole('group', { name: 'Show' }).getByRole('button', { name: label, exact: true });
    await filter('Guests').click();
    expect(await filter('Guests').getAttribute('aria-pressed')).toBe('true');
    expect(await filter('All').getAttribute('aria-pressed')).toBe('false');
    expect(await rows(m).count()).toBe(1);
    expect(await rows(m).first().getAttribute('data-kind')).toBe('guest');
    expect(await rows(m).first().locator('td.presence-who').textContent()).toBe('Guest');
    await filter('Bots').click();
    expect(await rows(m).count()).toBe(1);
    expect(await rows(m).first().locator('td.presence-who').textContent()).toBe('Bing [Bot]');
    await filter('Members').click();
    expect((await rows(m).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-user-id')))).sort()).toEqual([bob.id, carol.id, mod.id].sort());
    await filter('All').click();
    expect(await rows(m).count()).toBe(5);

    // "Last active" counts up on its own while Carol does nothing.
    const carolAgo = carolRow.locator('td.presence-active time');
    expect(await carolAgo.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const before = await carolAgo.textContent();
    await expect.poll(() => carolAgo.textContent(), { timeout: 12_000 }).toMatch(/^\d+ s ago$/);
    await expect.poll(() => carolAgo.textContent(), { timeout: 12_000 }).not.toBe(before);

    // A second tab loaded straight at the page shows the list at once (the snapshot sent at connect).
    const m2 = await m.context().newPage();
    watch(m2);
    await m2.goto(`${s.url}/mcp/online`);
    await row(m2, carol.id).waitFor(LIVE);
    await row(m2, bob.id).waitFor(LIVE);
    await markPage(m2);

    // Bob leaves: once his grace period is over his row goes, in both tabs, and the counts follow.
    bobSocket.disconnect();
    await expect.poll(() => bobRow.count(), LIVE).toBe(0);
    await expect.poll(() => row(m2, bob.id).count(), LIVE).toBe(0);
    await expect.poll(() => counts(m).textContent(), LIVE).toBe('2 members (1 hidden), 1 guest, 1 bot');
    expect(await row(m, carol.id).count()).toBe(1);
    carolSocket.disconnect();
    await expect.poll(() => carolRow.count(), LIVE).toBe(0);

    // The moderation log links here too.
    await m.locator('.account').getByRole('link', { name: 'Moderation log' }).click();
    await m.waitForURL(/\/mcp$/, LIVE);
    await m.locator('table.modlog').waitFor(LIVE);
    await m.locator('main .action-bar').getByRole('link', { name: 'Who is online' }).click();
    await m.waitForURL(/\/mcp\/online$/, LIVE);
    await row(m, mod.id).waitFor(LIVE);
    expect(await notReloaded(m)).toBe(true);
    expect(await notReloaded(m2)).toBe(true);
    await m.context().close();
  });

  it('refuses a plain member and asks a guest to log in', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, '/mcp/online');
    await a.waitForURL(/\/mcp\/online$/, LIVE);
    const refusal = a.locator('main .moderators-only');
    await refusal.waitFor(LIVE);
    expect(await refusal.textContent()).toBe('Moderators only: this page is for moderators and administrators.');
    expect(await a.locator('table.who-is-online').count()).toBe(0);
    expect(await a.locator('.account').getByRole('link', { name: 'Who is online' }).count()).toBe(0);
    await a.context().close();

    const g = await newPage();
    await g.goto(`${s.url}/mcp/online`);
    const login = g.locator('main').getByRole('link', { name: 'Log in' });
    await login.waitFor(LIVE);
    expect(await login.getAttribute('href')).toBe('/login?next=%2Fmcp%2Fonline');
    expect(await g.locator('main').textContent()).toContain('Log in to see who is online.');
    expect(await g.locator('table.who-is-online').count()).toBe(0);
    await g.context().close();
  });
});
