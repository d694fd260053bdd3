// Bookmarks in Chromium: a member bookmarks a post with its own button (Bookmarked, pressed, kept
// across a reload; a post arriving live is not); the header's Bookmarks link lists it as a search
// hit (subject linked to the post, topic, forum, author, snippet, note) and the link opens the
// topic at that post; Remove in the list and the button on the topic page both take it off, as the
// server then says. A refusal shows under the post; the list pages, and removing the last row of a
// page shows the one before. A guest gets no button and is asked to log in at /bookmarks. The real
// server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { replyAs, type TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('bookmarks');

/** Each post's Bookmark button as shown: post id, label, aria-pressed. */
type Buttons = Array<[postId: string, label: string, pressed: string | null]>;

/** A title and a note a browser must show as text, never as markup. */
const TITLE = 'Tea <b>brewing</b> & steeping times';
const NOTE = 'try this <i>tomorrow</i>';

describe.skipIf(chromiumMissing)('bookmarks in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let bob: Member;
  let forumTitle: string;
  let topicId: string;
  let firstPostId: string;
  let replyId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const article = (p: Page, postId: string) => p.locator(`article.post[data-post-id="${postId}"]`);
  const bookmarkButton = (p: Page, postId: string) => article(p, postId).locator('button.bookmark');
  const buttons = (p: Page): Promise<Buttons> =>
    p
      .locator('article.post button.bookmark')
      .evaluateAll((els) => els.map((el) => [el.closest('article')?.dataset.postId ?? '', el.textContent ?? '', el.getAttribute('aria-pressed')] as [string, string, string | null]));
  /** The post ids the server lists as the member's bookmarks (page 1), newest first. */
  const serverList = async (who: Member, page = 1): Promise<string[]> => {
    const res = await s.api('GET', `/bookmarks?page=${page}`, { token: who.token });
    expect(res.status).toBe(200);
    return (res.body.bookmarks as Array<{ post: { id: string } }>).map((b) => b.post.id);
  };
  const row = (p: Page, postId: string) => p.locator(`ol.bookmarks li.bookmark[data-post-id="${postId}"]`);
  const rows = (p: Page) => p.locator('ol.bookmarks li.bookmark').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.postId ?? ''));
  const inView = (p: Page, postId: string) =>
    article(p, postId).evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight;
    });

  async function onTopic(p: Page, id: string): Promise<void> {
    await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await p.locator('article.post').first().waitFor(LIVE);
    expect(p.url()).toContain(`/t/${id}`);
  }

  const reply = (id: string, who: Member, body: string) => replyAs(s, id, who, body);

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'Kitchen', description: 'Food and drink.' });
    forumTitle = forum.title;
    const made = await s.topic(forum.id, bob, { title: TITLE, body: 'How long do you steep green tea?' });
    topicId = made.topic.id;
    firstPostId = made.post.id;
    replyId = await reply(topicId, bob, 'Two minutes at eighty degrees, never boiling water.');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /bookmarks', async () => {
    await expectPageShell(s.url, ['/bookmarks', '/bookmarks?page=2']);
  });

  it('a guest sees no Bookmark button nor Bookmarks link, and /bookmarks asks to log in', async () => {
    const g = await newPage();
    await g.goto(`${s.url}/t/${topicId}`);
    await onTopic(g, topicId);
    expect(await g.locator('article.post').count()).toBe(2);
    expect(await buttons(g)).toEqual([]);
    expect(await g.getByRole('button', { name: /bookmark/i }).count()).toBe(0);
    expect(await g.locator('.account .bookmarks-link').count()).toBe(0);

    const res = await g.goto(`${s.url}/bookmarks`);
    expect(res?.status()).toBe(200);
    await g.locator('main .panel', { hasText: 'to see your bookmarks.' }).waitFor(LIVE);
    expect(await g.locator('main').textContent()).toBe('BookmarksLog in to see your bookmarks.');
    expect(await g.locator('main').getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe(`/login?next=${encodeURIComponent('/bookmarks')}`);
    expect(await g.title()).toBe('Bookmarks · Realtime Forum');
    // The API refuses a guest too.
    expect((await s.api('GET', '/bookmarks')).status).toBe(401);
    await g.context().close();
  });

  it('a member bookmarks a post, keeps it across a reload, lists and follows it, and removes it from the list and from the topic', { timeout: 90_000 }, async () => {
    expect(await serverList(alice)).toEqual([]);
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);
    expect(await buttons(a)).toEqual([
      [firstPostId, 'Bookmark', 'false'],
      [replyId, 'Bookmark', 'false'],
    ]);
    await markPage(a);

    // Bookmark Bob's reply: the button says so (pressed, marked) and keeps focus; the server lists it.
    await bookmarkButton(a, replyId).click();
    await expect.poll(() => buttons(a), LIVE).toEqual([
      [firstPostId, 'Bookmark', 'false'],
      [replyId, 'Bookmarked', 'true'],
    ]);
    // Marked to the eye too: the pressed button is drawn unlike an unpressed one.
    const look = (postId: string) => bookmarkButton(a, postId).evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(await look(replyId)).not.toBe(await look(firstPostId));
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Bookmarked');
    expect(await serverList(alice)).toEqual([replyId]);
    expect(await notReloaded(a)).toBe(true);

    // A post that arrives live is not bookmarked.
    const liveId = await reply(topicId, bob, 'Oolong takes longer: three or four minutes.');
    await article(a, liveId).waitFor(LIVE);
    expect(await bookmarkButton(a, liveId).textContent()).toBe('Bookmark');
    expect(await bookmarkButton(a, liveId).getAttribute('aria-pressed')).toBe('false');

    // After a reload the page answer says which posts are bookmarked.
    await a.reload();
    await onTopic(a, topicId);
    await expect.poll(() => buttons(a), LIVE).toEqual([
      [firstPostId, 'Bookmark', 'false'],
      [replyId, 'Bookmarked', 'true'],
      [liveId, 'Bookmark', 'false'],
    ]);
    await saveScreenshot(a, 'bookmarks-topic', { fullPage: true });

    // A second bookmark, with a note, through the API: newest first.
    const put = await s.api('PUT', `/posts/${firstPostId}/bookmark`, { token: alice.token, body: { note: NOTE } });
    expect(put.status).toBe(200);
    expect(await serverList(alice)).toEqual([firstPostId, replyId]);

    // The header's Bookmarks link opens the list: each post as a search hit, with its note.
    await a.locator('.account').getByRole('link', { name: 'Bookmarks' }).click();
    await a.waitForURL(`${s.url}/bookmarks`, LIVE);
    await row(a, replyId).waitFor(LIVE);
    expect(await a.title()).toBe('Bookmarks · Realtime Forum');
    expect(await a.locator('.crumbs').textContent()).toBe('Board indexBookmarks');
    expect(await rows(a)).toEqual([firstPostId, replyId]);
    expect(await a.locator('main .total').textContent()).toBe('2 bookmarks');
    const served = (await s.api('GET', '/bookmarks', { token: alice.token })).body.bookmarks as Array<{ post: { id: string; subject: string; snippet: string } }>;
    const replyHit = served.find((b) => b.post.id === replyId)!;
    expect(replyHit.post.snippet).toContain('Two minutes at eighty degrees');
    const r = row(a, replyId);
    expect(await r.locator('h3 a').textContent()).toBe(replyHit.post.subject);
    expect(replyHit.post.subject).toBe(`Re: ${TITLE}`);
    expect(await r.locator('h3 a').getAttribute('href')).toBe(`/t/${topicId}?post=${replyId}#p${replyId}`);
    expect(await r.locator('.meta').getByRole('link', { name: TITLE, exact: true }).getAttribute('href')).toBe(`/t/${topicId}`);
    expect(await r.locator('.meta').getByRole('link', { name: forumTitle, exact: true }).count()).toBe(1);
    expect(await r.locator('.meta .username').textContent()).toBe('bob');
    expect(await r.locator('.snippet').textContent()).toBe(replyHit.post.snippet);
    expect(await r.locator('.bookmark-note').count()).toBe(0);
    expect(await row(a, firstPostId).locator('.bookmark-note').textContent()).toBe(`Note: ${NOTE}`);
    expect(await a.locator('ol.bookmarks b, ol.bookmarks i').count()).toBe(0);
    await saveScreenshot(a, 'bookmarks-list', { fullPage: true });

    // Following the subject opens the topic at that post, which shows as bookmarked.
    await r.locator('h3 a').click();
    await a.waitForURL(`${s.url}/t/${topicId}#p${replyId}`, LIVE);
    await onTopic(a, topicId);
    await expect.poll(() => bookmarkButton(a, replyId).textContent(), LIVE).toBe('Bookmarked');
    expect(await bookmarkButton(a, firstPostId).textContent()).toBe('Bookmarked');
    expect(await inView(a, replyId)).toBe(true);

    // Unbookmarking from the topic page: the button goes back, the server no longer lists it.
    await bookmarkButton(a, replyId).click();
    await expect.poll(() => bookmarkButton(a, replyId).getAttribute('aria-pressed'), LIVE).toBe('false');
    expect(await bookmarkButton(a, replyId).textContent()).toBe('Bookmark');
    expect(await serverList(alice)).toEqual([firstPostId]);

    // Remove in the list takes the row away, and the bookmark with it; then the empty state.
    await a.locator('.account').getByRole('link', { name: 'Bookmarks' }).click();
    await row(a, firstPostId).waitFor(LIVE);
    expect(await rows(a)).toEqual([firstPostId]);
    await row(a, firstPostId).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => rows(a), LIVE).toEqual([]);
    expect(await a.locator('.no-bookmarks').textContent()).toBe('You have no bookmarks yet.');
    expect(await a.locator('.no-bookmarks').isVisible()).toBe(true);
    expect(await a.locator('main .total').textContent()).toBe('0 bookmarks');
    expect(await serverList(alice)).toEqual([]);

    // And the topic page agrees.
    await a.goto(`${s.url}/t/${topicId}`);
    await onTopic(a, topicId);
    await expect.poll(() => buttons(a), LIVE).toEqual([
      [firstPostId, 'Bookmark', 'false'],
      [replyId, 'Bookmark', 'false'],
      [liveId, 'Bookmark', 'false'],
    ]);

    // A fresh list with nothing in it says so from the start.
    await a.goto(`${s.url}/bookmarks`);
    await a.locator('.no-bookmarks').waitFor(LIVE);
    expect(await a.locator('.no-bookmarks').textContent()).toBe('You have no bookmarks yet.');
    expect(await rows(a)).toEqual([]);
    await a.context().close();
  });

  it('a refusal shows under the post; the list pages, and emptying a page shows the one before', { timeout: 90_000 }, async () => {
    const made = await s.topic((await s.api('GET', `/topics/${topicId}`)).body.topic.forumId, bob, { title: 'Twenty-one teas', body: 'Tea number 1.' });
    const longId: string = made.topic.id;
    const ids = [made.post.id as string];
    for (let n = 2; n <= 21; n++) ids.push(await reply(longId, bob, `Tea number ${n}.`));

    // The post is deleted behind the page's back (in the database, which pushes nothing): the
    // server refuses the bookmark, and the page says why under the post.
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);
    await s.models.Post.updateOne({ _id: replyId }, { $set: { deleted: true } });
    const refused = await s.api('PUT', `/posts/${replyId}/bookmark`, { token: alice.token, body: {} });
    expect(refused.status).toBe(404);
    await bookmarkButton(a, replyId).click();
    await expect.poll(() => article(a, replyId).getByRole('alert').textContent(), LIVE).toBe(refused.body.error.message);
    expect(await bookmarkButton(a, replyId).textContent()).toBe('Bookmark');
    expect(await bookmarkButton(a, replyId).getAttribute('aria-pressed')).toBe('false');
    expect(await serverList(alice)).toEqual([]);
    await s.models.Post.updateOne({ _id: replyId }, { $set: { deleted: false } });

    // 21 bookmarks: two pages, 20 and 1.
    for (const id of ids) expect((await s.api('PUT', `/posts/${id}/bookmark`, { token: alice.token, body: {} })).status).toBe(200);
    await a.locator('.account').getByRole('link', { name: 'Bookmarks' }).click();
    await a.locator('ol.bookmarks li.bookmark').first().waitFor(LIVE);
    const page1 = await rows(a);
    expect(page1).toEqual(await serverList(alice, 1));
    expect(page1).toHaveLength(20);
    expect(await a.locator('main .total').first().textContent()).toBe('21 bookmarks');
    expect(await a.locator('main .pagination').first().locator('.page-of').textContent()).toBe('Page 1 of 2');

    await a.locator('main .pagination').first().getByRole('link', { name: 'Next' }).click();
    await a.waitForURL(`${s.url}/bookmarks?page=2`, LIVE);
    const last = (await serverList(alice, 2))[0];
    await row(a, last).waitFor(LIVE);
    expect(await rows(a)).toEqual([last]);
    expect(await a.locator('main .pagination').first().locator('.page-of').textContent()).toBe('Page 2 of 2');

    // Removing page 2's only bookmark shows page 1, which now holds them all.
    await row(a, last).getByRole('button', { name: 'Remove' }).click();
    await a.waitForURL(`${s.url}/bookmarks`, LIVE);
    await expect.poll(() => rows(a), LIVE).toEqual(page1);
    expect(await a.locator('main .total').first().textContent()).toBe('20 bookmarks');
    expect(await a.locator('main .pagination').first().locator('.page-of').textContent()).toBe('Page 1 of 1');
    expect((await serverList(alice)).sort()).toEqual([...page1].sort());
    await a.context().close();
  });

  it('edits a bookmark’s note in place: added, changed and cleared as the server keeps it; a refusal shows', { timeout: 60_000 }, async () => {
    const carol = await s.user('carol');
    const noted = await reply(topicId, bob, 'A post to take notes on.');
    const doomed = await reply(topicId, bob, 'A post soon deleted.');
    for (const id of [noted, doomed]) expect((await s.api('PUT', `/posts/${id}/bookmark`, { token: carol.token, body: {} })).status).toBe(200);
    const stored = async (postId: string) => ((await s.api('GET', '/bookmarks', { token: carol.token })).body.bookmarks as Array<{ post: { id: string }; note?: string }>).find((b) => b.post.id === postId)?.note;
    const a = await newPage();
    await logIn(a, carol, '/bookmarks');
    await row(a, noted).waitFor(LIVE);
    const r = row(a, noted);
    expect(await r.locator('.bookmark-note').count()).toBe(0);

    // Add: the note shows as text, and the server has it.
    await r.getByRole('button', { name: /^Add a note on/ }).click();
    await r.getByRole('textbox', { name: /^Note on/ }).fill(NOTE);
    await r.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => r.locator('.bookmark-note').textContent(), LIVE).toBe(`Note: ${NOTE}`);
    expect(await r.locator('i').count()).toBe(0);
    expect(await stored(noted)).toBe(NOTE);
    expect(await r.getByRole('button', { name: /^Edit the note on/ }).textContent()).toBe('Edit note');

    // Change, then Cancel: nothing sent.
    await r.getByRole('button', { name: /^Edit the note on/ }).click();
    expect(await r.getByRole('textbox', { name: /^Note on/ }).inputValue()).toBe(NOTE);
    await r.getByRole('textbox', { name: /^Note on/ }).fill('not kept');
    await r.getByRole('button', { name: 'Cancel' }).click();
    expect(await r.locator('.bookmark-note').textContent()).toBe(`Note: ${NOTE}`);
    expect(await stored(noted)).toBe(NOTE);

    // Cleared: no note, "Add note" again.
    await r.getByRole('button', { name: /^Edit the note on/ }).click();
    await r.getByRole('textbox', { name: /^Note on/ }).fill('   ');
    await r.getByRole('button', { name: 'Save' }).click();
    await r.getByRole('button', { name: /^Add a note on/ }).waitFor(LIVE);
    expect(await r.locator('.bookmark-note').count()).toBe(0);
    expect(await stored(noted)).toBeUndefined();

    // A post deleted while its note is being written: the server's refusal shows, the form stays.
    const d = row(a, doomed);
    await d.getByRole('button', { name: /^Add a note on/ }).click();
    await d.getByRole('textbox', { name: /^Note on/ }).fill('too late');
    const mod = await s.user('note_mod', 'moderator');
    expect((await s.api('DELETE', `/posts/${doomed}`, { token: mod.token })).status).toBe(200);
    const refusal = await s.api('PUT', `/posts/${doomed}/bookmark`, { token: carol.token, body: { note: 'too late' } });
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    await d.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => d.getByRole('alert').textContent(), LIVE).toBe(refusal.body.error.message);
    expect(await d.getByRole('textbox', { name: /^Note on/ }).inputValue()).toBe('too late');
    await a.context().close();
  });
});
