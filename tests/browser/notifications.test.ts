// Notifications in Chromium: the header's unread badge rising live as another member replies,
// mentions, quotes and thanks; the notifications page wording each line and linking it to its
// post; following one reads it; "Mark all read" clears the badge in the member's other tab
// through the `notifications:read` push. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('notifications');

/** A topic title a browser must show as text, never as markup. */
const ALICE_TITLE = 'Is <b>this</b> & that <img src=x onerror=alert(1)> ok?';
const BOB_TITLE = 'Bob’s corner';

describe.skipIf(chromiumMissing)('notifications in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let bob: Member;
  let aliceTopic: { id: string };
  let aliceFirstPostId: string;
  let bobTopic: { id: string };
  const { watch, newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url });

  const badge = (p: Page) => p.locator('.account .notifications-link .notification-count');
  /** The badge as shown: its number, or 0 when hidden. */
  const shownCount = async (p: Page) => ((await badge(p).isVisible()) ? Number(await badge(p).textContent()) : 0);
  const serverView = async (who: Member) => (await s.api('GET', '/notifications', { token: who.token })).body;
  const reply = async (topicId: string, body: string) => {
    const res = await s.api('POST', `/topics/${topicId}/posts`, { token: bob.token, body: { body } });
    expect(res.status).toBe(201);
    return res.body.post as { id: string };
  };

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    const mine = await s.topic(forum.id, alice, { title: ALICE_TITLE, body: 'What do you think?' });
    aliceTopic = mine.topic;
    aliceFirstPostId = mine.post.id;
    bobTopic = (await s.topic(forum.id, bob, { title: BOB_TITLE, body: 'My own topic.' })).topic;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /notifications', async () => {
    await expectPageShell(s.url, ['/notifications']);
  });

  it('asks a guest to log in, and gives guests no Notifications link', async () => {
    const p = await newPage();
    const res = await p.goto(`${s.url}/notifications`);
    expect(res?.status()).toBe(200);
    await p.locator('main .panel', { hasText: 'to see your notifications.' }).waitFor({ timeout: 5_000 });
    expect(await p.locator('main').textContent()).toBe('NotificationsLog in to see your notifications.');
    expect(await p.locator('main').getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe(`/login?next=${encodeURIComponent('/notifications')}`);
    await p.locator('.account').getByRole('link', { name: 'Log in' }).waitFor({ timeout: 5_000 });
    expect(await p.locator('.notifications-link').count()).toBe(0);
    await p.context().close();
  });

  it('counts up live, lists each kind in words, reads what is followed, and marks all read in every tab', { timeout: 90_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, '/');
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    const link = a.locator('.account').getByRole('link', { name: 'Notifications' });
    await link.waitFor({ timeout: 5_000 });
    expect(await badge(a).isHidden()).toBe(true);
    expect(await badge(a).getAttribute('data-count')).toBe('0');
    await markPage(a);

    // Bob replies in Alice's topic, mentions her and quotes her in his own, and thanks her post:
    // her badge counts each one without a reload.
    const replyPost = await reply(aliceTopic.id, 'A fine question.');
    await expect.poll(() => shownCount(a), LIVE).toBe(1);
    expect(await badge(a).getAttribute('data-count')).toBe('1');
    const mentionPost = await reply(bobTopic.id, 'What does @alice say?');
    await expect.poll(() => shownCount(a), LIVE).toBe(2);
    const quotePost = await reply(bobTopic.id, '[quote="alice"]What do you think?[/quote]\nI think so too.');
    await expect.poll(() => shownCount(a), LIVE).toBe(3);
    expect((await s.api('POST', `/posts/${aliceFirstPostId}/thanks`, { token: bob.token, body: {} })).status).toBe(201);
    await expect.poll(() => shownCount(a), LIVE).toBe(4);
    expect(await notReloaded(a)).toBe(true);
    expect((await serverView(alice)).unreadCount).toBe(4);

    // A second tab of Alice's, on the board: the count is right from the page load.
    const a2 = await a.context().newPage();
    watch(a2);
    await a2.goto(`${s.url}/`);
    await a2.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => shownCount(a2), LIVE).toBe(4);
    await markPage(a2);

    // The page: newest first, worded per kind, the title shown as text, every line unread.
    await link.click();
    await a.waitForURL('**/notifications');
    const lines = a.locator('li.notification');
    await expect.poll(() => lines.count(), LIVE).toBe(4);
    expect(await a.locator('li.notification .notification-text').allTextContents()).toEqual([
      `bob thanked your post in ${ALICE_TITLE}`,
      `bob quoted you in ${BOB_TITLE}`,
      `bob mentioned you in ${BOB_TITLE}`,
      `bob replied to ${ALICE_TITLE}`,
    ]);
    expect(await a.locator('li.notification .notification-text img, li.notification .notification-text b').count()).toBe(0);
    expect(await lines.evaluateAll((els) => els.map((el) => el.classList.contains('unread')))).toEqual([true, true, true, true]);
    expect(await lines.first().locator('.notification-text').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await lines.first().locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Each links to its post, wherever that is now.
    expect(await lines.evaluateAll((els) => els.map((el) => el.querySelector('a')!.getAttribute('href')))).toEqual([
      `/t/${aliceTopic.id}?post=${aliceFirstPostId}#p${aliceFirstPostId}`,
      `/t/${bobTopic.id}?post=${quotePost.id}#p${quotePost.id}`,
      `/t/${bobTopic.id}?post=${mentionPost.id}#p${mentionPost.id}`,
      `/t/${aliceTopic.id}?post=${replyPost.id}#p${replyPost.id}`,
    ]);

    // One arriving while the page is open goes on top, unread, without a reload.
    const again = await reply(bobTopic.id, 'Still waiting for you, @alice.');
    await expect.poll(() => lines.count(), LIVE).toBe(5);
    expect(await lines.first().locator('.notification-text').textContent()).toBe(`bob mentioned you in ${BOB_TITLE}`);
    expect(await lines.first().getAttribute('class')).toContain('unread');
    expect(await lines.first().locator('a').getAttribute('href')).toBe(`/t/${bobTopic.id}?post=${again.id}#p${again.id}`);
    await expect.poll(() => shownCount(a), LIVE).toBe(5);
    await expect.poll(() => shownCount(a2), LIVE).toBe(5);
    expect(await notReloaded(a)).toBe(true);
    await saveScreenshot(a, 'notifications-page', { fullPage: true });

    // Following the reply goes to that post and reads it (here, in the other tab and on the server);
    // the topic page marks the topic read, which reads its other notification too (the thanks of
    // Alice's first post), as Discourse does.
    const replyLine = a.locator(`li.notification[data-kind="reply"]`);
    const replyId = await replyLine.getAttribute('data-notification-id');
    await replyLine.locator('a').click();
    await a.waitForURL(new RegExp(`/t/${aliceTopic.id}#p${replyPost.id}$`), LIVE);
    await a.locator(`article.post[data-post-id="${replyPost.id}"]`).waitFor(LIVE);
    await expect.poll(async () => (await serverView(alice)).notifications.find((n: { id: string }) => n.id === replyId)?.read, LIVE).toBe(true);
    await expect.poll(async () => (await serverView(alice)).unreadCount, LIVE).toBe(3);
    await expect.poll(() => shownCount(a), LIVE).toBe(3);
    await expect.poll(() => shownCount(a2), LIVE).toBe(3);
    // Back on the list, those two lines are no longer unread.
    await a.goBack();
    await a.waitForURL('**/notifications');
    await expect.poll(() => lines.count(), LIVE).toBe(5);
    expect(await lines.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-kind')}:${el.classList.contains('unread')}`))).toEqual([
      'mention:true',
      'thanks:false',
      'quote:true',
      'mention:true',
      'reply:false',
    ]);
    expect(await replyLine.locator('.notification-text').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('400');

    // "Mark all read": every line here, the badge here and, through the push, in the other tab.
    await a.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => a.locator('li.notification.unread').count(), LIVE).toBe(0);
    await expect.poll(() => badge(a2).getAttribute('data-count'), LIVE).toBe('0');
    expect(await badge(a2).isHidden()).toBe(true);
    expect(await badge(a).isHidden()).toBe(true);
    expect((await serverView(alice)).unreadCount).toBe(0);
    // The other tab was never reloaded: it heard the push.
    expect(await notReloaded(a2)).toBe(true);

    // And the count still rises after that, in both tabs.
    await reply(aliceTopic.id, 'One more thing.');
    await expect.poll(() => shownCount(a2), LIVE).toBe(1);
    await expect.poll(() => a.locator('li.notification.unread').count(), LIVE).toBe(1);
    expect(await a.locator('li.notification').first().getAttribute('data-kind')).toBe('reply');
    await a.context().close();
  });

  it('Watch topic on a topic page: the member is told of its next reply; Stop watching ends it', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${bobTopic.id}`);
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await s.api('POST', '/notifications/read', { token: alice.token, body: {} });
    const button = a.locator('.watch-topic').first();
    await expect.poll(() => button.textContent(), LIVE).toBe('Watch topic');
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    await expect.poll(() => button.textContent(), LIVE).toBe('Stop watching');
    expect((await s.api('GET', `/topics/${bobTopic.id}`, { token: alice.token })).body.watching).toBe(true);

    // She goes back to the board: a reply she sees come in on the topic's page would be read at
    // once (and its notification with it), racing the count this checks.
    await a.locator('.crumbs').getByRole('link', { name: 'Board index' }).click();
    await a.waitForURL(new RegExp(`^${s.url}/$`), LIVE);
    const told = await reply(bobTopic.id, 'Anyone still here?');
    await expect.poll(() => shownCount(a), LIVE).toBe(1);
    expect((await serverView(alice)).notifications[0]).toMatchObject({ kind: 'reply', postId: told.id });

    // Back on the topic, the watch shows as stored; Stop watching ends it.
    await a.goto(`${s.url}/t/${bobTopic.id}`);
    await expect.poll(() => a.locator('.watch-topic').first().textContent(), LIVE).toBe('Stop watching');
    await a.locator('.watch-topic').first().click();
    await expect.poll(() => a.locator('.watch-topic').first().textContent(), LIVE).toBe('Watch topic');
    expect((await s.api('GET', `/topics/${bobTopic.id}`, { token: alice.token })).body.watching).toBe(false);
    await a.context().close();
  });

  it('Watch forum on a forum page: the member is told of its next new topic, in words', { timeout: 60_000 }, async () => {
    const forumId = (await s.api('GET', `/topics/${bobTopic.id}`)).body.topic.forumId as string;
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await s.api('POST', '/notifications/read', { token: alice.token, body: {} });
    await expect.poll(() => shownCount(a), LIVE).toBe(0);
    const button = a.locator('.watch-forum');
    await expect.poll(() => button.textContent(), LIVE).toBe('Watch forum');
    await button.click();
    await expect.poll(() => button.textContent(), LIVE).toBe('Stop watching');
    expect((await s.api('GET', `/forums/${forumId}/topics`, { token: alice.token })).body.watching).toBe(true);

    const made = await s.api('POST', `/forums/${forumId}/topics`, { token: bob.token, body: { title: 'Fresh <i>news</i>', body: 'Read all about it.' } });
    expect(made.status).toBe(201);
    await expect.poll(() => shownCount(a), LIVE).toBe(1);
    // The new topic also arrived in the listing, and the button kept its state.
    await a.getByRole('link', { name: 'Fresh <i>news</i>' }).first().waitFor(LIVE);
    expect(await button.textContent()).toBe('Stop watching');
    await a.locator('.account').getByRole('link', { name: 'Notifications' }).click();
    await a.waitForURL('**/notifications', LIVE);
    await expect.poll(() => a.locator('li.notification .notification-text').first().textContent(), LIVE).toBe('bob started Fresh <i>news</i>');
    await a.context().close();
  });
});
