// phpBB's "Split topic", "Move posts" and "Merge topic" in Chromium, driven through the moderator
// tools on a topic page: a moderator ticks two replies (members get no boxes, the opening post
// none) and splits them into a new topic in another forum; a member watching the topic sees them
// leave live with "Posts #2 and #4 were moved to <the new topic>", and the new topic's page shows
// them in order. Moving a reply to the topic it is in is refused as the server words it; given by
// its address, another topic takes it. Then the moderator merges the topic (a second click
// confirms) and the watcher reads "This topic was merged into <the target>". The real server
// (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { replyAs, type TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('post-moves');

const LIVE = { timeout: 6_000 };

describe.skipIf(chromiumMissing)('split, move and merge in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let general: string;
  let archive: string;
  let sourceId: string;
  let targetId: string;
  /** The source topic's posts, by number. */
  const posts: Record<number, string> = {};
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const onTopic = (p: Page, id: string) => openTopic(p, s.url, id);
  /** The posts a page shows, by id, in page order. */
  const shownPosts = (p: Page) => p.locator('article.post').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.postId));
  const tools = (p: Page) => p.locator('details.mod-tools');
  const moves = (p: Page) => p.locator('fieldset.mod-post-moves');
  const topicOf = async (id: string, token = mod.token) => (await s.api('GET', `/topics/${id}`, { token })).body;

  /** Alice watching the source topic (her page marked, to tell a reload) and the moderator on it. */
  async function watcherAndModerator(): Promise<{ w: Page; m: Page }> {
    const w = await newPage();
    await logIn(w, alice, `/t/${sourceId}`);
    await onTopic(w, sourceId);
    const m = await newPage();
    await logIn(m, mod, `/t/${sourceId}`);
    await onTopic(m, sourceId);
    await markPage(w);
    return { w, m };
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    const forum = async (title: string) => (await s.forum(admin, { title, description: `About ${title}.` })).id as string;
    general = await forum('General');
    archive = await forum('Archive');
    const made = await s.topic(general, alice, { title: 'Garden tools', body: 'Which spade should I buy?' });
    sourceId = made.topic.id;
    posts[1] = made.post.id;
    posts[2] = await replyAs(s, sourceId, bob, 'Off topic: has anyone seen my cat?');
    posts[3] = await replyAs(s, sourceId, carol, 'A stainless one, with a wooden handle.');
    posts[4] = await replyAs(s, sourceId, bob, 'Still looking for the cat, she is grey.');
    targetId = (await s.topic(general, carol, { title: 'Spades and shovels', body: 'All about digging.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('splits two ticked replies into a new topic; a member watching sees them leave, live, and where they went', { timeout: 60_000 }, async () => {
    const { w, m } = await watcherAndModerator();

    // Boxes for the moderator on each reply, none on the opening post; none at all for a member.
    expect(await w.getByRole('checkbox', { name: /^Select post/ }).count()).toBe(0);
    expect(await m.getByRole('checkbox', { name: /^Select post/ }).count()).toBe(3);
    expect(await m.getByRole('checkbox', { name: 'Select post #1' }).count()).toBe(0);
    expect(await m.locator(`article.post[data-post-id="${posts[2]}"]`).getByRole('checkbox', { name: 'Select post #2' }).count()).toBe(1);

    // Ticking the first reply opens the tools, which count what is ticked.
    expect(await tools(m).evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await m.getByRole('checkbox', { name: 'Select post #4' }).check();
    await m.getByRole('checkbox', { name: 'Select post #2' }).check();
    expect(await tools(m).evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await moves(m).locator('.selected-count').textContent()).toBe('2 replies selected.');

    // Split them into a new topic in another forum (this one is the default), with a reason.
    const split = m.getByRole('form', { name: 'Split into a new topic' });
    expect(await split.getByLabel('In forum').inputValue()).toBe(general);
    await split.getByLabel('New title').fill('Lost grey cat');
    await split.getByLabel('In forum').selectOption(archive);
    await m.getByLabel('Reason (optional)').fill('Not about garden tools');
    await saveScreenshot(m, 'post-moves-selected', { fullPage: true });
    await split.getByRole('button', { name: 'Split into a new topic' }).click();

    // The moderator is told where they went, linked.
    const status = moves(m).locator('.moved-status');
    await status.getByText('2 posts moved to Lost grey cat.').waitFor(LIVE);
    const newHref = await status.getByRole('link', { name: 'Lost grey cat' }).getAttribute('href');
    const newId = /^\/t\/([a-f0-9]{24})$/.exec(newHref ?? '')?.[1];
    expect(newId).toBeTruthy();
    expect(await m.getByLabel('Reason (optional)').inputValue()).toBe('');
    await expect.poll(() => moves(m).locator('.selected-count').textContent(), LIVE).toMatch(/^No replies selected/);

    // The watcher: both leave the page without a reload, and the page says where to, linked.
    await expect.poll(() => shownPosts(w), LIVE).toEqual([posts[1], posts[3]]);
    const notice = w.locator('.moved-notice');
    await expect.poll(() => notice.textContent(), LIVE).toBe('Posts #2 and #4 were moved to Lost grey cat.');
    expect(await notice.getByRole('link', { name: 'Lost grey cat' }).getAttribute('href')).toBe(`/t/${newId}`);
    expect(await w.locator('.action-bar.top .total').textContent()).toBe('2 posts');
    expect(await notReloaded(w)).toBe(true);
    await saveScreenshot(w, 'post-moves-watcher', { fullPage: true });
    // The moderator's page lost them too.
    await expect.poll(() => shownPosts(m), LIVE).toEqual([posts[1], posts[3]]);

    // The server agrees, and logged why.
    const made = await topicOf(newId!);
    expect(made.topic).toMatchObject({ title: 'Lost grey cat', forumId: archive, postCount: 2 });
    expect(made.posts.map((p: { id: string; number: number }) => [p.id, p.number])).toEqual([[posts[2], 1], [posts[4], 2]]);
    const log = (await s.api('GET', '/modlog', { token: mod.token })).body.entries as Array<{ action: string; reason?: string }>;
    expect(log.find((e) => e.action === 'topic.split')?.reason).toBe('Not about garden tools');

    // The link opens the new topic, showing the two posts in their order.
    await notice.getByRole('link', { name: 'Lost grey cat' }).click();
    await w.waitForURL(`${s.url}/t/${newId}`, LIVE);
    await w.locator('h1.topic-title').getByText('Lost grey cat').waitFor(LIVE);
    await expect.poll(() => shownPosts(w), LIVE).toEqual([posts[2], posts[4]]);
    expect((await w.locator('article.post .content').allTextContents()).map((t) => t.trim())).toEqual(['Off topic: has anyone seen my cat?', 'Still looking for the cat, she is grey.']);
    await w.close();
    await m.close();
  });

  it('refuses a move into the same topic as the server words it; a topic’s address moves a reply there', { timeout: 40_000 }, async () => {
    const { w, m } = await watcherAndModerator();

    await m.getByRole('checkbox', { name: 'Select post #3' }).check();
    const move = m.getByRole('form', { name: 'Move to another topic' });
    const error = moves(m).locator('.form-error');
    // Not a topic: refused before anything is sent.
    await move.getByLabel('To topic').fill('the other one');
    await move.getByRole('button', { name: 'Move to another topic' }).click();
    await error.getByText('Name the topic by its id or its address (/t/…).').waitFor(LIVE);
    // This very topic, by the page's own address: the server's refusal, word for word.
    await move.getByLabel('To topic').fill(m.url());
    await move.getByRole('button', { name: 'Move to another topic' }).click();
    await error.getByText('Posts cannot move to the topic they are in').waitFor(LIVE);
    expect((await topicOf(sourceId)).posts.map((p: { id: string }) => p.id)).toEqual([posts[1], posts[3]]);
    expect(await m.getByRole('checkbox', { name: 'Select post #3' }).isChecked()).toBe(true);

    // Another topic, by its full address with a page: Carol's reply goes to its end.
    await move.getByLabel('To topic').fill(`${s.url}/t/${targetId}?page=1`);
    await move.getByRole('button', { name: 'Move to another topic' }).click();
    await moves(m).locator('.moved-status').getByText('1 post moved to Spades and shovels.').waitFor(LIVE);
    expect(await error.isHidden()).toBe(true);
    await expect.poll(() => w.locator('.moved-notice').textContent(), LIVE).toBe('Post #3 was moved to Spades and shovels.');
    await expect.poll(() => shownPosts(w), LIVE).toEqual([posts[1]]);
    expect(await notReloaded(w)).toBe(true);
    const target = await topicOf(targetId);
    expect(target.posts.map((p: { id: string; number: number }) => [p.id, p.number]).slice(1)).toEqual([[posts[3], 2]]);
    await w.close();
    await m.close();
  });

  it('merges the topic into another after a second click; the member watching reads where it went', { timeout: 40_000 }, async () => {
    const { w, m } = await watcherAndModerator();

    await tools(m).locator('summary').click();
    const merge = m.getByRole('form', { name: 'Merge topic' });
    await merge.getByLabel('Merge this topic into').fill(targetId);
    await merge.getByRole('button', { name: 'Merge topic' }).click();
    // The first click only asks.
    await merge.getByRole('button', { name: 'Really merge?' }).waitFor();
    expect((await topicOf(sourceId)).topic.deleted).toBeUndefined();
    await merge.getByRole('button', { name: 'Really merge?' }).click();
    await m.locator('.merge-status').getByText('Topic merged into Spades and shovels.').waitFor(LIVE);

    // The watcher: the opening post leaves too, and the page says where the topic went.
    const merged = w.locator('.merged-notice');
    await expect.poll(() => merged.textContent(), LIVE).toBe('This topic was merged into Spades and shovels.');
    expect(await merged.getByRole('link', { name: 'Spades and shovels' }).getAttribute('href')).toBe(`/t/${targetId}`);
    expect(await w.locator('.deleted-notice').isHidden()).toBe(true);
    await expect.poll(() => shownPosts(w), LIVE).toEqual([]);
    expect(await w.locator('.moved-notice').textContent()).toBe('Post #1 was moved to Spades and shovels.');
    expect(await notReloaded(w)).toBe(true);
    await saveScreenshot(w, 'post-moves-merged', { fullPage: true });

    // The moderator's page says it too, and offers no restore (its posts are elsewhere now).
    await expect.poll(() => m.locator('.merged-notice').textContent(), LIVE).toBe('This topic was merged into Spades and shovels.');
    expect(await m.getByRole('button', { name: 'Restore topic' }).count()).toBe(0);
    expect(await merge.isHidden()).toBe(true);

    // Opened later by a moderator, the merged topic names its target (looked up).
    const later = await newPage();
    await logIn(later, mod, `/t/${sourceId}`);
    await later.locator('.merged-notice').getByRole('link', { name: 'Spades and shovels' }).waitFor(LIVE);

    const target = await topicOf(targetId);
    expect(target.posts.map((p: { id: string }) => p.id).slice(1)).toEqual([posts[3], posts[1]]);
    expect((await topicOf(sourceId)).topic).toMatchObject({ deleted: true, mergedInto: targetId });
  });
});
