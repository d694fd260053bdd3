// Topic tags in Chromium: a member starts a topic with tags through the New Topic form (the form
// checks how many and how long, the server which characters, its refusal shown as it words it);
// the badges show in the forum listing (linked to the forum filtered by the tag) and under the
// topic's title (linked to the tag's page). The author edits them in place; another member's
// topic page and a guest's forum listing follow live; a lock takes the author's Edit tags away
// while a moderator keeps it. The board index links Tags (each tag with its count, linked), a
// tag's page lists its topics from every forum with pages, and `/f/<id>?tag=` shows only tagged
// topics, with "Showing topics tagged X — show all", keeping its pages, the solved tabs and live
// updates to the filter. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';
import { LIMITS } from '../../shared/limits.js';

reportIfMissing('tags');

describe.skipIf(chromiumMissing)('topic tags in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let help: string;
  let kitchen: string;
  let archive: string;
  let printer: string;
  let router: string;
  let untagged: string;
  /** The topic Alice starts through the form. */
  let wifi: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  /** The tag badges under `within`: each [text, href]. */
  const badges = (within: Locator) => within.locator('ul.tags a.badge.tag').evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
  const rowTags = (p: Page, topicId: string) => badges(p.locator(`main tr[data-topic-id="${topicId}"]`));
  const pageTags = (p: Page) => badges(p.locator('main .topic-tags'));
  /** The listed topics: title and tag names. */
  const rows = (p: Page) =>
    p
      .locator('main table.topics tbody tr[data-topic-id]')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('a.topictitle')?.textContent ?? '', [...tr.querySelectorAll('a.badge.tag')].map((a) => a.textContent ?? '')]));
  const serverTags = async (topicId: string) => (await s.api('GET', `/topics/${topicId}`)).body.topic.tags as string[] | undefined;
  /** What the server answers a new topic with these tags (a 400's message: what the page must show). */
  const refusal = async (tags: string[]) => {
    const res = await s.api('POST', `/forums/${help}/topics`, { token: alice.token, body: { title: 'Refused', body: 'b', tags } });
    expect(res.status).toBe(400);
    return res.body.error.message as string;
  };
  const start = async (forumId: string, title: string, tags?: string[], who: Member = bob) => (await s.topic(forumId, who, { title, body: 'Details inside.', ...(tags && { tags }) })).topic.id as string;
  /** A guest's forum listing, live. */
  const watchForum = async (path: string) => {
    const p = await newPage();
    await p.goto(`${s.url}${path}`);
    await p.locator('main table.topics').last().waitFor(LIVE);
    await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    return p;
  };

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = async (title: string) => (await s.forum(admin, { title })).id as string;
    help = await forum('Help');
    kitchen = await forum('Kitchen');
    archive = await forum('Archive');
    // One more than a page of topics tagged "old", and one without, in the archive.
    await start(archive, 'Not old');
    for (let i = 1; i <= LIMITS.topicsPerPage + 1; i++) await start(archive, `Old ${i}`, ['old']);
    router = await start(kitchen, 'Router in the kitchen', ['network']);
    untagged = await start(help, 'No tags here');
    printer = await start(help, 'Printer jam', ['hardware']);
  }, 90_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at a forum filtered by a tag, the tags index and a tag’s page', async () => {
    await expectPageShell(s.url, [`/f/${help}?tag=hardware`, `/f/${help}?tag=hardware&page=2&solved=no`, '/tags', '/tags/hardware', '/tags/hardware?page=2', `/tags/${encodeURIComponent('café')}`]);
  });

  it('a member starts a topic with tags through the New Topic form; the form checks them, the server refuses bad ones in its words', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/f/${help}`);
    await a.locator('main table.topics').last().waitFor(LIVE);
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    const form = a.locator('#new-topic');
    await form.waitFor({ state: 'visible', ...LIVE });
    const tags = form.getByLabel('Tags', { exact: false });
    expect(await form.locator('.tag-hint').textContent()).toContain(`Up to ${LIMITS.tagsPerTopic} tags`);
    await form.getByLabel('Subject').fill('Wifi drops every hour');
    await form.locator('#topic-body').fill('It reconnects after a minute.');
    const submit = form.getByRole('button', { name: 'Submit' });
    const error = form.locator('.form-error');

    // Too many: the hint says so while typing, and Submit sends nothing.
    await tags.fill('a b c d e f');
    expect(await form.locator('.tag-hint.over').textContent()).toBe(`At most ${LIMITS.tagsPerTopic} tags: there are 6.`);
    await submit.click();
    await expect.poll(() => error.textContent(), LIVE).toBe(`At most ${LIMITS.tagsPerTopic} tags: there are 6.`);
    // Too long, likewise.
    await tags.fill(`ok ${'x'.repeat(LIMITS.tagMax + 1)}`);
    expect(await form.locator('.tag-hint.over').textContent()).toContain(`at most ${LIMITS.tagMax} characters`);
    // Characters the server refuses: its message, as it words it.
    await tags.fill('linux under_score');
    expect(await form.locator('.tag-hint.over').count()).toBe(0);
    await submit.click();
    const worded = await refusal(['linux', 'under_score']);
    expect(worded).toMatch(/letters and digits/);
    await expect.poll(() => error.textContent(), LIVE).toBe(worded);
    expect(await s.models.Topic.countDocuments({ title: 'Wifi drops every hour' })).toBe(0);

    // Good ones (any case, commas or spaces, a repeat): the topic opens with them under its title, linked to each tag's page.
    await tags.fill('Linux, network  wifi linux');
    await submit.click();
    await a.waitForURL(/\/t\/[a-f0-9]{24}$/, LIVE);
    wifi = a.url().split('/t/')[1];
    await openTopic(a, s.url, wifi);
    await expect.poll(() => pageTags(a), LIVE).toEqual([
      ['linux', '/tags/linux'],
      ['network', '/tags/network'],
      ['wifi', '/tags/wifi'],
    ]);
    expect(await serverTags(wifi)).toEqual(['linux', 'network', 'wifi']);

    // The forum's listing shows them on its row, linked to the forum filtered by each; not on others'.
    await a.goto(`${s.url}/f/${help}`);
    await a.locator(`main tr[data-topic-id="${wifi}"]`).waitFor(LIVE);
    expect(await rowTags(a, wifi)).toEqual([
      ['linux', `/f/${help}?tag=linux`],
      ['network', `/f/${help}?tag=network`],
      ['wifi', `/f/${help}?tag=wifi`],
    ]);
    expect(await rowTags(a, printer)).toEqual([['hardware', `/f/${help}?tag=hardware`]]);
    expect(await rowTags(a, untagged)).toEqual([]);
    await saveScreenshot(a, 'tags-forum', { fullPage: true });
    await a.context().close();
  });

  it('the author edits the tags in place; another member’s topic page and a guest’s listing follow live; a refusal in the server’s words', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${wifi}`);
    await openTopic(a, s.url, wifi);
    const b = await newPage();
    await logIn(b, bob, `/t/${wifi}`);
    await openTopic(b, s.url, wifi);
    const w = await watchForum(`/f/${help}`);
    for (const p of [a, b, w]) await markPage(p);
    // Only the author (and moderators) may: Bob sees the tags, no Edit tags.
    expect(await b.getByRole('button', { name: 'Edit tags' }).count()).toBe(0);
    expect(await pageTags(b)).toHaveLength(3);

    const edit = a.getByRole('button', { name: 'Edit tags' });
    await edit.click();
    const form = a.getByRole('form', { name: 'Edit tags' });
    const field = form.getByLabel('Tags', { exact: true });
    expect(await field.inputValue()).toBe('linux, network, wifi');
    await saveScreenshot(a, 'tags-edit');
    await field.fill('network wifi-drops');
    await form.getByRole('button', { name: 'Save tags' }).click();
    const retagged = [
      ['network', '/tags/network'],
      ['wifi-drops', '/tags/wifi-drops'],
    ];
    await expect.poll(() => pageTags(a), LIVE).toEqual(retagged);
    expect(await form.isHidden()).toBe(true);
    expect(await serverTags(wifi)).toEqual(['network', 'wifi-drops']);
    // Live elsewhere, without a reload.
    await expect.poll(() => pageTags(b), LIVE).toEqual(retagged);
    await expect.poll(() => rowTags(w, wifi), LIVE).toEqual([
      ['network', `/f/${help}?tag=network`],
      ['wifi-drops', `/f/${help}?tag=wifi-drops`],
    ]);

    // A tag the server refuses: its message in the form; nothing changes.
    await edit.click();
    await field.fill('two--dashes');
    await form.getByRole('button', { name: 'Save tags' }).click();
    const worded = await refusal(['two--dashes']);
    await expect.poll(() => form.locator('.form-error').textContent(), LIVE).toBe(worded);
    expect(await form.isVisible()).toBe(true);
    expect(await serverTags(wifi)).toEqual(['network', 'wifi-drops']);
    expect(await pageTags(a)).toEqual(retagged);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await edit.isVisible()).toBe(true);

    // A lock takes the author's Edit tags away, live; a moderator keeps it and retags, and everyone sees it.
    expect((await s.api('POST', `/topics/${wifi}/lock`, { token: mod.token, body: {} })).status).toBe(200);
    await expect.poll(() => edit.count(), LIVE).toBe(0);
    const m = await newPage();
    await logIn(m, mod, `/t/${wifi}`);
    await openTopic(m, s.url, wifi);
    await m.getByRole('button', { name: 'Edit tags' }).click();
    await m.getByRole('form', { name: 'Edit tags' }).getByLabel('Tags', { exact: true }).fill('network, wifi');
    await m.getByRole('form', { name: 'Edit tags' }).getByRole('button', { name: 'Save tags' }).click();
    const byMod = [
      ['network', '/tags/network'],
      ['wifi', '/tags/wifi'],
    ];
    for (const p of [m, a, b]) await expect.poll(() => pageTags(p), LIVE).toEqual(byMod);
    await expect.poll(() => rowTags(w, wifi), LIVE).toEqual([
      ['network', `/f/${help}?tag=network`],
      ['wifi', `/f/${help}?tag=wifi`],
    ]);
    expect((await s.api('POST', `/topics/${wifi}/unlock`, { token: mod.token, body: {} })).status).toBe(200);
    for (const p of [a, b, w]) expect(await notReloaded(p)).toBe(true);
    for (const p of [a, b, w, m]) await p.context().close();
  });

  it('the board index links Tags: each tag with its count, linked to its topics from every forum, with pages', { timeout: 60_000 }, async () => {
    const g = await newPage();
    await g.goto(`${s.url}/`);
    await markPage(g);
    await g.getByRole('link', { name: 'Tags', exact: true }).click();
    await g.locator('main h1', { hasText: 'Tags' }).waitFor(LIVE);
    await g.locator('main table.tag-index tbody tr[data-tag]').first().waitFor(LIVE);
    expect(g.url()).toBe(`${s.url}/tags`);
    expect(await g.title()).toBe('Tags · Realtime Forum');
    const index = await g
      .locator('main table.tag-index tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('a')?.textContent ?? '', tr.querySelector('a')?.getAttribute('href') ?? '', tr.querySelector('td.num')?.textContent ?? '']));
    expect(index).toEqual([
      ['old', '/tags/old', String(LIMITS.topicsPerPage + 1)],
      ['network', '/tags/network', '2'],
      ['hardware', '/tags/hardware', '1'],
      ['wifi', '/tags/wifi', '1'],
    ]);
    expect(await g.locator('main .total').textContent()).toBe('4 tags');
    await saveScreenshot(g, 'tags-index');

    // A tag's page: its topics from every forum, last posted in first, with their forums and tags (linked to tag pages).
    await g.locator('main table.tag-index').getByRole('link', { name: 'network' }).click();
    await g.locator('main h1', { hasText: 'Topics tagged “network”' }).waitFor(LIVE);
    expect(g.url()).toBe(`${s.url}/tags/network`);
    await g.locator('main table.topics tbody tr[data-topic-id]').first().waitFor(LIVE);
    expect(await rows(g)).toEqual([
      ['Wifi drops every hour', ['network', 'wifi']],
      ['Router in the kitchen', ['network']],
    ]);
    expect(await g.locator(`main tr[data-topic-id="${router}"] a[href="/f/${kitchen}"]`).textContent()).toBe('Kitchen');
    expect(await rowTags(g, wifi)).toEqual([
      ['network', '/tags/network'],
      ['wifi', '/tags/wifi'],
    ]);
    expect(await g.locator('main .total').first().textContent()).toBe('2 topics');
    expect(await g.locator('.crumbs').getByRole('link', { name: 'Tags' }).getAttribute('href')).toBe('/tags');

    // A row's badge goes to that tag's page; pages for a tag with more than a page of topics.
    await g.locator(`main tr[data-topic-id="${wifi}"]`).getByRole('link', { name: 'wifi', exact: true }).click();
    await g.locator('main h1', { hasText: 'Topics tagged “wifi”' }).waitFor(LIVE);
    await expect.poll(() => rows(g), LIVE).toEqual([['Wifi drops every hour', ['network', 'wifi']]]);
    await g.goBack();
    await g.goBack();
    await g.locator('main table.tag-index').getByRole('link', { name: 'old' }).click();
    await g.locator('main h1', { hasText: 'Topics tagged “old”' }).waitFor(LIVE);
    await expect.poll(async () => (await rows(g)).length, LIVE).toBe(LIMITS.topicsPerPage);
    expect(await g.locator('main .total').first().textContent()).toBe(`${LIMITS.topicsPerPage + 1} topics`);
    await g.getByRole('navigation', { name: 'Result pages' }).first().getByRole('link', { name: 'Page 2' }).click();
    await g.waitForURL(`${s.url}/tags/old?page=2`, LIVE);
    await expect.poll(() => rows(g), LIVE).toEqual([['Old 1', ['old']]]);
    expect(await notReloaded(g)).toBe(true);
    await g.context().close();
  });

  it('a forum filtered by a tag shows only its tagged topics, says so with the way back, keeps pages and the solved tabs, and stays live', { timeout: 60_000 }, async () => {
    const g = await newPage();
    await g.goto(`${s.url}/f/${help}`);
    await g.locator(`main tr[data-topic-id="${printer}"]`).waitFor(LIVE);
    await markPage(g);
    await g.locator(`main tr[data-topic-id="${printer}"]`).getByRole('link', { name: 'hardware' }).click();
    await g.waitForURL(`${s.url}/f/${help}?tag=hardware`, LIVE);
    await expect.poll(() => rows(g), LIVE).toEqual([['Printer jam', ['hardware']]]);
    const line = g.locator('main .tag-filter');
    expect(await line.textContent()).toBe('Showing topics tagged hardware — show all · “hardware” in every forum');
    expect(await line.getByRole('link', { name: '“hardware” in every forum' }).getAttribute('href')).toBe('/tags/hardware');
    await saveScreenshot(g, 'tags-forum-filtered');
    // The solved tabs keep the tag; "show all" keeps the solved filter.
    await g.getByRole('navigation', { name: 'Solved or unsolved topics' }).getByRole('link', { name: 'Unsolved' }).click();
    await g.waitForURL(`${s.url}/f/${help}?solved=no&tag=hardware`, LIVE);
    await expect.poll(() => rows(g), LIVE).toEqual([['Printer jam', ['hardware']]]);
    await g.getByRole('navigation', { name: 'Solved or unsolved topics' }).getByRole('link', { name: 'Solved', exact: true }).click();
    await g.waitForURL(`${s.url}/f/${help}?solved=yes&tag=hardware`, LIVE);
    await expect.poll(() => g.locator('main table.topics tbody').last().textContent(), LIVE).toBe('There are no solved topics tagged “hardware” in this forum.');
    await line.getByRole('link', { name: 'show all' }).click();
    await g.waitForURL(`${s.url}/f/${help}?solved=yes`, LIVE);
    await g.getByRole('navigation', { name: 'Solved or unsolved topics' }).getByRole('link', { name: 'All topics' }).click();
    await g.waitForURL(`${s.url}/f/${help}`, LIVE);
    await expect.poll(async () => (await rows(g)).map(([title]) => title), LIVE).toEqual(['Wifi drops every hour', 'Printer jam', 'No tags here']);
    expect(await line.count()).toBe(0);
    expect(await notReloaded(g)).toBe(true);

    // Live: a new topic with the tag comes in, one without does not; a retag takes a topic out.
    await g.goto(`${s.url}/f/${help}?tag=hardware`);
    await g.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => rows(g), LIVE).toEqual([['Printer jam', ['hardware']]]);
    await start(help, 'Scanner too', ['hardware', 'usb']);
    await start(help, 'Off topic');
    await expect.poll(() => rows(g), LIVE).toEqual([
      ['Scanner too', ['hardware', 'usb']],
      ['Printer jam', ['hardware']],
    ]);
    expect((await s.api('PATCH', `/topics/${printer}`, { token: bob.token, body: { tags: ['paper'] } })).status).toBe(200);
    await expect.poll(() => rows(g), LIVE).toEqual([['Scanner too', ['hardware', 'usb']]]);

    // Pages keep the tag: the archive has a page and one more of "old" topics.
    await g.goto(`${s.url}/f/${archive}?tag=old`);
    await expect.poll(async () => (await rows(g)).length, LIVE).toBe(LIMITS.topicsPerPage);
    expect(await rows(g)).not.toContainEqual(['Not old', []]);
    await markPage(g);
    await g.getByRole('navigation', { name: 'Topic pages' }).first().getByRole('link', { name: 'Page 2' }).click();
    await g.waitForURL(`${s.url}/f/${archive}?page=2&tag=old`, LIVE);
    await expect.poll(() => rows(g), LIVE).toEqual([['Old 1', ['old']]]);
    expect(await g.locator('main .tag-filter').textContent()).toContain('Showing topics tagged old');
    expect(await notReloaded(g)).toBe(true);
    await g.context().close();
  });
});
