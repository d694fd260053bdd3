// Posts awaiting approval in Chromium (APPROVE_POSTS_UNDER=2: members with no posts are held):
// a guest is asked to log in and a member is refused, with no Queue link; a moderator's Queue
// badge rises live when a member's reply is held, and the reply shows live on /mcp/queue as it
// would be posted (the server's bodyHtml; markup in the title and body shown as text); Approve
// posts it (the item leaves here and in another moderator's open queue, the badges drop); Reject
// with a reason logs it; a held new topic says so, with its poll; a refused approval (the topic
// locked meanwhile) says why under the item, which stays; the queue pages oldest first and a
// post held meanwhile joins the last page; and a member whose quick reply is held is told it
// awaits approval, and it is not in the topic. The real server (serving the built client) on
// port 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LIMITS } from '../../shared/limits.js';
import type { TestServer } from '../helpers/server.js';
import { rejectAllHeld } from '../helpers/queue.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('queue');

type Queued = { id: string; kind: string; subject: string; bodyHtml: string };

/** A title and a body a browser must show as text where they are text (the body's `**` is Markdown, and renders). */
const TITLE = 'Watches <b>cheap</b> & <img src=x onerror=alert(1)>';
const HELD_BODY = 'Hello **there**, <b>not bold</b> & <i>not italic</i>';
const REASON = 'Advertising <i>again</i>';
const AWAITING = 'Your reply is awaiting a moderator’s approval. It will appear here once approved.';
const PER_PAGE = LIMITS.queuePerPage;

describe.skipIf(chromiumMissing)('posts awaiting approval in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: Member;
  let mod: Member;
  let mod2: Member;
  let forumId: string;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const badge = (p: Page) => p.locator('.account .queue-link .queue-count');
  /** The header badge as shown: its number, or 0 when hidden. */
  const shownCount = async (p: Page) => ((await badge(p).isVisible()) ? Number(await badge(p).textContent()) : 0);
  const items = (p: Page) => p.locator('ol.queue li.queued-post');
  const itemOf = (p: Page, id: string) => p.locator(`ol.queue li.queued-post[data-queued-id="${id}"]`);
  /** A member with no posts (held), made now. */
  const newcomer = (name: string) => s.user(name);
  /** A reply from this member, held: the queued post the server answered (202). */
  async function heldReply(who: Member, body: string): Promise<Queued> {
    const res = await s.api('POST', `/topics/${topicId}/posts`, { token: who.token, body: { body } });
    expect(res.status).toBe(202);
    return res.body.queued;
  }
  const queueCount = async () => (await s.api('GET', '/queue', { token: mod.token })).body.count as number;
  /** A moderator on the queue page, reached the way they would: the header's Queue link. */
  async function openQueue(p: Page, who: Member): Promise<void> {
    await logIn(p, who, '/');
    await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await p.locator('.account').getByRole('link', { name: /^Queue/ }).click();
    await p.waitForURL(/\/mcp\/queue$/, LIVE);
    await p.locator('ol.queue').waitFor({ state: 'attached', ...LIVE });
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig({ approvePostsUnder: 2 }));
    // Admins and moderators are never held: they make the forum and topic, and judge the queue.
    admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    mod2 = await s.user('mod_two', 'moderator');
    forumId = (await s.forum(admin, { title: 'General', description: 'Anything.' })).id;
    topicId = (await s.topic(forumId, admin, { title: TITLE, body: 'Welcome.' })).topic.id;
  }, 60_000);

  afterEach(async () => {
    if (mod) await rejectAllHeld(s, mod.token);
  });

  afterAll(() => finish(browser, s));

  it('serves the page shell at /mcp/queue', async () => {
    await expectPageShell(s.url, ['/mcp/queue', '/mcp/queue?page=2']);
  });

  it('asks a guest to log in, and refuses a member, who has no Queue link', { timeout: 30_000 }, async () => {
    const g = await newPage();
    await g.goto(`${s.url}/mcp/queue`);
    await g.locator('main h1', { hasText: 'Posts awaiting approval' }).waitFor(LIVE);
    expect(await g.locator('main').getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe('/login?next=%2Fmcp%2Fqueue');
    expect(await g.locator('.account .queue-link').count()).toBe(0);
    await g.context().close();

    const carol = await newcomer('carol');
    const c = await newPage();
    await logIn(c, carol, '/mcp/queue');
    await c.locator('main .error-panel').waitFor(LIVE);
    expect(await c.locator('main .error-panel').textContent()).toContain('Moderators only');
    expect(await c.locator('.account .queue-link').count()).toBe(0);
    expect(await c.locator('.account').getByRole('link', { name: /^Queue/ }).count()).toBe(0);
    expect(await items(c).count()).toBe(0);
    await c.context().close();
  });

  it('shows a held reply live, as it would be posted; Approve posts it and it leaves every moderator’s queue', { timeout: 60_000 }, async () => {
    // The moderator: a Queue link with no badge yet, then the empty queue.
    const m = await newPage();
    await openQueue(m, mod);
    await m.locator('.no-queued', { hasText: 'No posts are awaiting approval.' }).waitFor(LIVE);
    await expect.poll(() => badge(m).getAttribute('data-count'), LIVE).toBe('0');
    expect(await badge(m).isHidden()).toBe(true);
    expect(await m.locator('main h1').textContent()).toBe('Posts awaiting approval');
    await markPage(m);
    // Another moderator, on the queue too.
    const m2 = await newPage();
    await openQueue(m2, mod2);
    await m2.locator('.no-queued').waitFor(LIVE);

    // A new member replies (over the API): held, and it arrives in both queues without a reload.
    const dave = await newcomer('dave');
    const held = await heldReply(dave, HELD_BODY);
    await expect.poll(() => shownCount(m), LIVE).toBe(1);
    await expect.poll(() => items(m).count(), LIVE).toBe(1);
    const item = itemOf(m, held.id);
    expect(await item.locator('.queued-kind').textContent()).toBe('Reply');
    const subject = item.locator('a.queued-subject');
    expect(await subject.textContent()).toBe(`Re: ${TITLE}`);
    expect(await subject.getAttribute('href')).toBe(`/t/${topicId}`);
    expect(await item.locator('a.queued-forum').textContent()).toBe('General');
    expect(await item.locator('a.queued-forum').getAttribute('href')).toBe(`/f/${forumId}`);
    expect(await item.locator('.queued-meta a.username').textContent()).toBe('dave');
    expect(await item.locator('.queued-meta time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await item.locator('.queued-poll').count()).toBe(0);
    // The body is the server's sanitized HTML, as the post would show: Markdown renders, markup written as text stays text.
    expect(await item.locator('.queued-body').innerHTML()).toBe(held.bodyHtml);
    expect(await item.locator('.queued-body strong').textContent()).toBe('there');
    expect(await item.locator('.queued-body').textContent()).toContain('<b>not bold</b> & <i>not italic</i>');
    expect(await m.locator('ol.queue b, ol.queue i, ol.queue img, ol.queue script').count()).toBe(0);
    expect(await m.locator('.queue-summary').textContent()).toBe('1 post awaiting approval');
    expect(await m.locator('.no-queued').isHidden()).toBe(true);
    await expect.poll(() => items(m2).count(), LIVE).toBe(1);
    await expect.poll(() => shownCount(m2), LIVE).toBe(1);
    expect(await notReloaded(m)).toBe(true);
    await saveScreenshot(m, 'queue', { fullPage: true });

    // Approve: it leaves here and, by the server's queue:removed, the other moderator's queue; both badges drop.
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => items(m).count(), LIVE).toBe(0);
    await m.locator('.no-queued').waitFor(LIVE);
    await expect.poll(() => shownCount(m), LIVE).toBe(0);
    expect(await badge(m).isHidden()).toBe(true);
    await expect.poll(() => items(m2).count(), LIVE).toBe(0);
    await expect.poll(() => shownCount(m2), LIVE).toBe(0);
    expect(await notReloaded(m)).toBe(true);
    // Posted, as dave's, in the topic.
    const topic = (await s.api('GET', `/topics/${topicId}`)).body;
    expect(topic.posts.find((p: { body: string }) => p.body === HELD_BODY)).toMatchObject({ author: { username: 'dave' } });
    expect(await queueCount()).toBe(0);
    await m.context().close();
    await m2.context().close();
  });

  it('rejects a held reply with a reason, which the moderation log keeps', { timeout: 60_000 }, async () => {
    const m = await newPage();
    await openQueue(m, mod);
    const erin = await newcomer('erin');
    const held = await heldReply(erin, 'Buy my watches!');
    const item = itemOf(m, held.id);
    await item.waitFor(LIVE);
    await expect.poll(() => shownCount(m), LIVE).toBe(1);

    // Reject opens a small form; Cancel closes it, sending nothing.
    const reject = item.getByRole('button', { name: 'Reject', exact: true });
    await reject.click();
    const form = item.getByRole('form', { name: `Reject ${held.subject}` });
    await form.waitFor(LIVE);
    expect(await reject.isHidden()).toBe(true);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.count()).toBe(0);
    expect(await reject.isVisible()).toBe(true);
    expect(await queueCount()).toBe(1);

    await reject.click();
    await form.getByLabel('Reason (optional)').fill(REASON);
    await form.getByRole('button', { name: 'Reject post' }).click();
    await expect.poll(() => items(m).count(), LIVE).toBe(0);
    await expect.poll(() => shownCount(m), LIVE).toBe(0);
    const log = (await s.api('GET', '/modlog', { token: admin.token })).body;
    const entry = log.entries.find((e: { action: string }) => e.action === 'post.reject');
    expect(entry).toMatchObject({ action: 'post.reject', actor: { username: 'mod' }, target: { type: 'user', id: erin.id }, reason: REASON });
    expect((await s.api('GET', `/topics/${topicId}`)).body.posts.some((p: { body: string }) => p.body === 'Buy my watches!')).toBe(false);
    await m.context().close();
  });

  it('shows a held new topic as a new topic, with its poll', { timeout: 60_000 }, async () => {
    const m = await newPage();
    await openQueue(m, mod);
    const frank = await newcomer('frank');
    const res = await s.api('POST', `/forums/${forumId}/topics`, { token: frank.token, body: { title: 'Lunch <b>today</b>?', body: 'Vote!', poll: { question: 'Where?', options: ['Pizza', 'Sushi'] } } });
    expect(res.status).toBe(202);
    const item = itemOf(m, res.body.queued.id);
    await item.waitFor(LIVE);
    expect(await item.getAttribute('data-kind')).toBe('topic');
    expect(await item.locator('.queued-kind').textContent()).toBe('New topic');
    // No topic page yet: the title is text, not a link.
    expect(await item.locator('.queued-subject').textContent()).toBe('Lunch <b>today</b>?');
    expect(await item.locator('a.queued-subject').count()).toBe(0);
    expect(await item.locator('.queued-poll').textContent()).toBe('Has a poll');
    expect(await item.locator('a.queued-forum').textContent()).toBe('General');
    expect(await item.locator('.queued-meta a.username').textContent()).toBe('frank');
    expect(await m.locator('ol.queue b').count()).toBe(0);
    // Approved, the topic is made with its poll.
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => items(m).count(), LIVE).toBe(0);
    const topics = (await s.api('GET', `/forums/${forumId}/topics`)).body.topics as Array<{ title: string; hasPoll?: boolean }>;
    expect(topics.find((t) => t.title === 'Lunch <b>today</b>?')).toMatchObject({ hasPoll: true });
    await m.context().close();
  });

  it('shows the server’s refusal under the item, which stays (the topic was locked since)', { timeout: 60_000 }, async () => {
    const m = await newPage();
    await openQueue(m, mod);
    const gina = await newcomer('gina');
    const held = await heldReply(gina, 'Late to the party');
    const item = itemOf(m, held.id);
    await item.waitFor(LIVE);
    expect((await s.api('POST', `/topics/${topicId}/lock`, { token: mod.token, body: {} })).status).toBe(200);
    try {
      await item.getByRole('button', { name: 'Approve' }).click();
      const alert = item.getByRole('alert');
      await alert.waitFor(LIVE);
      // The server's own words: the same refusal an approval over the API gets now.
      const refused = await s.api('POST', `/queue/${held.id}/approve`, { token: mod.token, body: {} });
      expect(refused.status).toBe(423);
      expect(await alert.textContent()).toBe(refused.body.error.message);
      expect(await items(m).count()).toBe(1);
      expect(await shownCount(m)).toBe(1);
      expect(await item.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
      expect(await queueCount()).toBe(1);
    } finally {
      expect((await s.api('POST', `/topics/${topicId}/unlock`, { token: mod.token, body: {} })).status).toBe(200);
    }
    // Unlocked, the same item approves, and the refusal's message goes with it.
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => items(m).count(), LIVE).toBe(0);
    await expect.poll(() => shownCount(m), LIVE).toBe(0);
    await m.context().close();
  });

  it('pages the queue oldest first; a post held meanwhile joins the last page only', { timeout: 60_000 }, async () => {
    const ivan = await newcomer('ivan');
    const held: Queued[] = [];
    // One at a time, so each is newer than the one before.
    for (let i = 1; i <= PER_PAGE + 1; i++) held.push(await heldReply(ivan, `Held reply ${i}`));
    const m = await newPage();
    await openQueue(m, mod);
    await expect.poll(() => items(m).count(), LIVE).toBe(PER_PAGE);
    expect(await items(m).first().getAttribute('data-queued-id')).toBe(held[0].id);
    expect(await items(m).last().getAttribute('data-queued-id')).toBe(held[PER_PAGE - 1].id);
    expect(await m.locator('.action-bar.top .page-of').textContent()).toBe('Page 1 of 2');
    await expect.poll(() => shownCount(m), LIVE).toBe(PER_PAGE + 1);

    // Page 1 is full: a post held now belongs on page 2, not here.
    held.push(await heldReply(ivan, 'Held reply, later'));
    await expect.poll(() => m.locator('.queue-summary').textContent(), LIVE).toBe(`${PER_PAGE + 2} posts awaiting approval`);
    expect(await items(m).count()).toBe(PER_PAGE);
    await m.locator('.action-bar.top').getByRole('link', { name: 'Next' }).click();
    await m.waitForURL(/\/mcp\/queue\?page=2$/, LIVE);
    await expect.poll(() => items(m).count(), LIVE).toBe(2);
    expect(await items(m).evaluateAll((els) => els.map((el) => el.getAttribute('data-queued-id')))).toEqual([held[PER_PAGE].id, held[PER_PAGE + 1].id]);
    expect(await m.locator('.action-bar.top .page-of').textContent()).toBe('Page 2 of 2');
    await markPage(m);
    // On the last page, a post held now joins the end of the list, live.
    held.push(await heldReply(ivan, 'Held reply, newest'));
    await expect.poll(() => items(m).count(), LIVE).toBe(3);
    expect(await items(m).last().getAttribute('data-queued-id')).toBe(held.at(-1)!.id);
    expect(await notReloaded(m)).toBe(true);
    await m.context().close();
  });

  it('tells a member whose quick reply is held that it awaits approval, and it is not in the topic', { timeout: 60_000 }, async () => {
    const hank = await newcomer('hank');
    const a = await newPage();
    await logIn(a, hank, `/t/${topicId}`);
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await a.locator('article.post').first().waitFor(LIVE);
    const before = await a.locator('article.post').count();
    await a.locator('#reply-body').fill('My very first reply');
    await a.getByRole('form', { name: 'Post a reply' }).getByRole('button', { name: 'Submit' }).click();
    await a.locator('.page-notice', { hasText: AWAITING }).waitFor(LIVE);
    expect(await a.locator('.page-notice').textContent()).toBe(AWAITING);
    await expect.poll(() => a.locator('#reply-body').inputValue(), LIVE).toBe('');
    expect(await a.locator('article.post').count()).toBe(before);
    expect(await a.locator('article.post', { hasText: 'My very first reply' }).count()).toBe(0);
    expect((await s.api('GET', `/topics/${topicId}`)).body.posts.some((p: { body: string }) => p.body === 'My very first reply')).toBe(false);
    // It is in the queue instead (afterEach rejects it).
    const queued = (await s.api('GET', '/queue', { token: mod.token })).body.posts as Array<Queued & { body: string; author: { username: string } }>;
    expect(queued.map((q) => [q.author.username, q.body])).toEqual([['hank', 'My very first reply']]);
    await a.context().close();
  });

  it('tells a member whose new topic is held that it awaits approval: the page stays, the form closes empty', { timeout: 60_000 }, async () => {
    const ivy = await newcomer('ivy');
    const a = await newPage();
    await logIn(a, ivy, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    const form = a.locator('#new-topic');
    await form.getByLabel('Subject').fill('My first topic here');
    await form.locator('#topic-body').fill('Hello, everyone.');
    await form.getByRole('button', { name: 'Submit' }).click();
    await a.locator('.page-notice', { hasText: 'Your topic is awaiting a moderator’s approval.' }).waitFor(LIVE);
    expect(a.url()).toBe(`${s.url}/f/${forumId}`); // no topic to go to yet
    await expect.poll(() => form.isHidden(), LIVE).toBe(true);
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    expect(await form.locator('#topic-body').inputValue()).toBe(''); // the draft went with the send
    expect(await a.locator('main table', { hasText: 'My first topic here' }).count()).toBe(0);
    const queued = (await s.api('GET', '/queue', { token: mod.token })).body.posts as Array<Queued & { topicTitle: string; author: { username: string } }>;
    expect(queued.map((q) => [q.kind, q.author.username, q.topicTitle])).toEqual([['topic', 'ivy', 'My first topic here']]);
    await a.context().close();
  });
});
