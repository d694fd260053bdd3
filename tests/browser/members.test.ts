// The member list in Chromium: the header's Members link (guests and members alike), the table
// by name with each member's rank, posts, joined date, thanks and location, sorting by a column
// heading (and back again), The team, Find a member, pages that keep the sort, the profile link,
// and an address that reload and Back bring back. The real server (serving the built client) on
// port 0, checked against its REST answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell } from '../helpers/browser-pages.js';

reportIfMissing('members');

/** Members, the team and a bot, joined a day apart in this order (at noon UTC: the same date in any browser time zone). */
const PEOPLE: Array<{ name: string; role: 'member' | 'moderator' | 'admin' | 'bot'; posts: number; thanks: number; location?: string }> = [
  { name: 'Zoe', role: 'member', posts: 12, thanks: 1 },
  { name: 'adam', role: 'member', posts: 40, thanks: 7, location: 'Lisbon' },
  { name: 'Mia', role: 'moderator', posts: 3, thanks: 0 },
  { name: 'bella', role: 'member', posts: 0, thanks: 2 },
  { name: 'Root', role: 'admin', posts: 25, thanks: 9, location: 'Oslo' },
  { name: 'mike', role: 'member', posts: 12, thanks: 4 },
  { name: 'helper', role: 'bot', posts: 500, thanks: 50 },
];
const BY_NAME = ['adam', 'bella', 'Mia', 'mike', 'Root', 'Zoe'];
// Most posts first; Zoe and mike tie at 12: the later one (mike) first, as the server orders ties.
const BY_POSTS = ['adam', 'Root', 'mike', 'Zoe', 'Mia', 'bella'];

describe.skipIf(chromiumMissing)('the member list in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const users = new Map<string, Member>();
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const table = (p: Page) => p.locator('table.members');
  const names = (p: Page) => table(p).locator('tbody th.member-name').allTextContents();
  /** The rows as shown: name, rank, posts, joined, thanks, location. */
  const rows = (p: Page) =>
    table(p).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
  const heading = (p: Page, label: string) => table(p).locator('thead th', { has: p.getByRole('link', { name: label, exact: true }) });
  /** Where the page is: path and query. */
  const address = (p: Page) => p.evaluate(() => location.pathname + location.search);

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const start = Date.parse('2026-01-01T12:00:00Z');
    for (const [i, who] of PEOPLE.entries()) {
      const u = await s.user(who.name, who.role);
      users.set(who.name, u);
      await s.models.User.updateOne(
        { _id: u.id },
        { $set: { postCount: who.posts, thanksReceived: who.thanks, joinedAt: new Date(start + i * 86_400_000), ...(who.location && { location: who.location }) } },
      );
    }
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /members, with or without a query', async () => {
    await expectPageShell(s.url, ['/members', '/members?sort=posts&order=asc&filter=team&prefix=mi&page=2']);
  });

  it('a guest opens it from the header: everyone but bots, by name, with rank, posts, joined, thanks and location', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/`);
    await p.locator('.account').getByRole('link', { name: 'Members', exact: true }).click();
    await p.waitForURL(/\/members$/, LIVE);
    await expect.poll(() => names(p), LIVE).toEqual(BY_NAME);
    expect(await p.locator('h1.page-title').textContent()).toBe('Members');
    expect(await p.locator('.member-results .action-bar.top .total').textContent()).toBe('6 members');
    expect(await table(p).locator('thead th').allTextContents()).toEqual(['Username ▲', 'Rank', 'Posts', 'Joined', 'Thanks received', 'Location']);
    expect(await heading(p, 'Username').getAttribute('aria-sort')).toBe('ascending');
    // Ranks as the server gives them; the rest as set above.
    const listed = (await s.api('GET', '/members')).body.members as Array<{ username: string; rank: string }>;
    const rank = (name: string) => listed.find((m) => m.username === name)!.rank;
    expect(listed.map((m) => m.username)).toEqual(BY_NAME);
    expect(await rows(p)).toEqual([
      ['adam', rank('adam'), '40', '2 Jan 2026', '7', 'Lisbon'],
      ['bella', rank('bella'), '0', '4 Jan 2026', '2', ''],
      ['Mia', rank('Mia'), '3', '3 Jan 2026', '0', ''],
      ['mike', rank('mike'), '12', '6 Jan 2026', '4', ''],
      ['Root', rank('Root'), '25', '5 Jan 2026', '9', 'Oslo'],
      ['Zoe', rank('Zoe'), '12', '1 Jan 2026', '1', ''],
    ]);
    expect(rank('adam')).toBeTruthy();
    // Names are coloured by role, and the list pages on its own (one page here).
    expect(await table(p).getByRole('link', { name: 'Root' }).getAttribute('class')).toContain('role-admin');
    expect(await p.locator('.member-results .pagination .page-of').first().textContent()).toBe('Page 1 of 1');
  });

  it('sorts by a clicked heading, turns it round on a second click, and keeps it through Back and reload', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/members`);
    await expect.poll(() => names(p), LIVE).toEqual(BY_NAME);

    await table(p).getByRole('link', { name: 'Posts', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    expect(await address(p)).toBe('/members?sort=posts');
    expect(await table(p).locator('tbody td.member-posts').allTextContents()).toEqual(['40', '25', '12', '12', '3', '0']);
    expect(await heading(p, 'Posts').getAttribute('aria-sort')).toBe('descending');
    expect(await heading(p, 'Username').getAttribute('aria-sort')).toBeNull();

    // The current sort's heading turns the list round: fewest posts first (the tie now the other way too).
    await table(p).getByRole('link', { name: 'Posts', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual([...BY_POSTS].reverse());
    expect(await address(p)).toBe('/members?sort=posts&order=asc');
    expect(await heading(p, 'Posts').getAttribute('aria-sort')).toBe('ascending');

    // Back: most posts first again; reload keeps it.
    await p.goBack();
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    expect(await address(p)).toBe('/members?sort=posts');
    await p.reload();
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    expect(await heading(p, 'Posts').getAttribute('aria-sort')).toBe('descending');

    // Another heading starts in its own direction: thanks, most first; joined, earliest first.
    await table(p).getByRole('link', { name: 'Thanks received', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual(['Root', 'adam', 'mike', 'bella', 'Zoe', 'Mia']);
    expect(await address(p)).toBe('/members?sort=thanks');
    await table(p).getByRole('link', { name: 'Joined', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual(['Zoe', 'adam', 'Mia', 'bella', 'Root', 'mike']);
    expect(await address(p)).toBe('/members?sort=joined');
    // And the name heading, clicked while sorted by it, goes Z to A.
    await table(p).getByRole('link', { name: 'Username', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual(BY_NAME);
    await table(p).getByRole('link', { name: 'Username', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual([...BY_NAME].reverse());
    expect(await address(p)).toBe('/members?order=desc');
  });

  it('shows the team alone and everyone again, keeping the sort', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/members?sort=posts`);
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    await p.getByRole('navigation', { name: 'Everyone or the team' }).getByRole('link', { name: 'The team' }).click();
    await expect.poll(() => names(p), LIVE).toEqual(['Root', 'Mia']);
    expect(await address(p)).toBe('/members?sort=posts&filter=team');
    expect(await p.locator('h1.page-title').textContent()).toBe('The team');
    expect(await p.locator('.member-tabs a[aria-current="page"]').textContent()).toBe('The team');
    expect(await p.locator('.member-results .total').textContent()).toBe('2 members');
    await p.reload();
    await expect.poll(() => names(p), LIVE).toEqual(['Root', 'Mia']);
    await p.getByRole('navigation', { name: 'Everyone or the team' }).getByRole('link', { name: 'Everyone' }).click();
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    expect(await address(p)).toBe('/members?sort=posts');
  });

  it('finds members by the start of the name, in any case, and clears it', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/members?sort=posts`);
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    const find = p.getByRole('search', { name: 'Find a member' });
    await find.getByLabel('Find a member').fill('MI');
    await find.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => names(p), LIVE).toEqual(['mike', 'Mia']);
    expect(await address(p)).toBe('/members?sort=posts&prefix=MI');
    expect(await p.locator('.member-results .total').textContent()).toBe('2 members');
    // Reload: the same two, the box still holding what was typed.
    await p.reload();
    await expect.poll(() => names(p), LIVE).toEqual(['mike', 'Mia']);
    expect(await p.locator('#member-prefix').inputValue()).toBe('MI');

    // No such name: said so, not an empty table.
    await p.locator('#member-prefix').fill('nobody');
    await p.locator('#member-prefix').press('Enter');
    await p.locator('table.members .no-members', { hasText: 'No members found for this search criterion.' }).waitFor(LIVE);
    expect(await names(p)).toEqual([]);
    expect(await p.locator('.member-results .total').textContent()).toBe('0 members');

    await p.getByRole('link', { name: 'Clear', exact: true }).click();
    await expect.poll(() => names(p), LIVE).toEqual(BY_POSTS);
    expect(await address(p)).toBe('/members?sort=posts');
    expect(await p.locator('#member-prefix').inputValue()).toBe('');
  });

  it('links each name to the member’s profile', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/members`);
    await expect.poll(() => names(p), LIVE).toEqual(BY_NAME);
    await table(p).getByRole('link', { name: 'adam', exact: true }).click();
    await p.waitForURL(`**/u/${users.get('adam')!.id}`, LIVE);
    await p.locator('h1.page-title', { hasText: 'Viewing profile - adam' }).waitFor(LIVE);
    await p.goBack();
    await expect.poll(() => names(p), LIVE).toEqual(BY_NAME);
  });

  it('a member has the Members link too, and the pages keep the sort', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 30; i++) await s.user(`page_member_${String(i).padStart(2, '0')}`);
    const p = await newPage();
    await logIn(p, users.get('bella')!, '/');
    await p.locator('.account').getByRole('link', { name: 'Members', exact: true }).click();
    await p.waitForURL(/\/members$/, LIVE);
    await expect.poll(() => names(p).then((n) => n.length), LIVE).toBe(25);
    expect(await p.locator('.member-results .total').textContent()).toBe('36 members');
    await table(p).getByRole('link', { name: 'Posts', exact: true }).click();
    await expect.poll(() => names(p).then((n) => n.slice(0, 5)), LIVE).toEqual(BY_POSTS.slice(0, 5));
    // Page 2, by most posts: the 0-post members, the later joined first, bella (the earliest of them) last.
    await p.locator('.member-results .action-bar.bottom .pagination').getByRole('link', { name: 'Next' }).click();
    await expect.poll(() => names(p), LIVE).toEqual([...Array.from({ length: 10 }, (_, i) => `page_member_${String(9 - i).padStart(2, '0')}`), 'bella']);
    expect(await address(p)).toBe('/members?sort=posts&page=2');
    expect(await p.locator('.member-results .pagination .page-of').first().textContent()).toBe('Page 2 of 2');
    // A new sort starts at page 1.
    await table(p).getByRole('link', { name: 'Posts', exact: true }).click();
    await expect.poll(() => address(p), LIVE).toBe('/members?sort=posts&order=asc');
    await expect.poll(() => names(p).then((n) => n[0]), LIVE).toBe('bella');
  });
});
