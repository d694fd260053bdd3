// Per-forum post approval in Chromium: in a forum with `approvePosts`, a member's New Topic form
// and reply form say that posts there are checked by a moderator before they appear, and posting
// there shows the held-post UI (the post awaiting a moderator's approval, not in the topic); in
// another forum the forms say nothing of it and posts appear at once; moderators, never held, are
// not told. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('forum-approval');

const CHECKED = 'Posts in this forum are checked by a moderator before they appear.';
const AWAITING = 'Awaiting a moderator’s approval';

describe.skipIf(chromiumMissing)('per-forum post approval in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let checkedForumId: string;
  let openForumId: string;
  let checkedTopicId: string;
  let openTopicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const topicNotice = (p: Page) => p.locator('#new-topic .approval-notice');
  const replyNotice = (p: Page) => p.locator('#reply .approval-notice');
  const heldItems = (p: Page) => p.locator('main section.my-held article.held-post');

  /** Open a forum's page and its New Topic form. */
  async function openNewTopic(p: Page, forumId: string): Promise<void> {
    await p.goto(`${s.url}/f/${forumId}`);
    await p.locator('main table').first().waitFor(LIVE);
    await p.getByRole('button', { name: 'New Topic' }).first().click();
    await p.locator('#new-topic').waitFor({ state: 'visible', ...LIVE });
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    const forum = async (body: { title: string; approvePosts?: true }) => (await s.forum(admin, body)) as { id: string; approvePosts?: true };
    const checked = await forum({ title: 'Introductions', approvePosts: true });
    expect(checked.approvePosts).toBe(true);
    checkedForumId = checked.id;
    openForumId = (await forum({ title: 'General' })).id;
    const topic = async (forumId: string, title: string) => (await s.topic(forumId, admin, { title, body: 'Welcome.' })).topic.id as string;
    checkedTopicId = await topic(checkedForumId, 'Say hello');
    openTopicId = await topic(openForumId, 'Anything goes');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('tells a member in the forms of a checked forum, and holds what they post there', { timeout: 60_000 }, async () => {
    const dave = await s.user('dave');
    const d = await newPage();
    await logIn(d, dave, '/');

    // The checked forum's New Topic form says so; the topic, sent, waits for a moderator.
    await openNewTopic(d, checkedForumId);
    expect(await topicNotice(d).isVisible()).toBe(true);
    expect(await topicNotice(d).textContent()).toBe(CHECKED);
    const form = d.locator('#new-topic');
    await form.getByLabel('Subject').fill('Hello from dave');
    await form.locator('#topic-body').fill('I am new here.');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => heldItems(d).count(), LIVE).toBe(1);
    expect(await heldItems(d).first().locator('.held-subject').textContent()).toBe('Hello from dave');
    expect(await heldItems(d).first().locator('.held-badge').textContent()).toBe(AWAITING);
    expect(await d.locator('.page-notice').textContent()).toContain('awaiting a moderator’s approval');
    expect(await d.locator('main table', { hasText: 'Hello from dave' }).count()).toBe(0);

    // A topic of the checked forum: the reply form says so; the reply, sent, waits.
    await d.goto(`${s.url}/t/${checkedTopicId}`);
    await openTopic(d, s.url, checkedTopicId);
    await replyNotice(d).waitFor({ state: 'visible', ...LIVE });
    expect(await replyNotice(d).textContent()).toBe(CHECKED);
    await d.locator('#reply-body').fill('Hello, everyone!');
    await d.getByRole('form', { name: 'Post a reply' }).getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => heldItems(d).count(), LIVE).toBe(1);
    expect(await heldItems(d).first().locator('.held-badge').textContent()).toBe(AWAITING);
    expect(await d.locator('article.post', { hasText: 'Hello, everyone!' }).count()).toBe(0);
    const mine = (await s.api('GET', '/queue/mine', { token: dave.token })).body.posts as Array<{ kind: string; forumId: string }>;
    expect(mine.map((p) => [p.kind, p.forumId])).toEqual(expect.arrayContaining([['topic', checkedForumId], ['reply', checkedForumId]]));
    expect(mine).toHaveLength(2);

    // Another forum: neither form says so, and a reply appears at once.
    await openNewTopic(d, openForumId);
    expect(await topicNotice(d).isVisible()).toBe(false);
    await d.goto(`${s.url}/t/${openTopicId}`);
    await openTopic(d, s.url, openTopicId);
    await d.locator('#reply').waitFor(LIVE);
    expect(await replyNotice(d).isVisible()).toBe(false);
    await d.locator('#reply-body').fill('Straight in.');
    await d.getByRole('form', { name: 'Post a reply' }).getByRole('button', { name: 'Submit' }).click();
    await d.locator('article.post', { hasText: 'Straight in.' }).waitFor(LIVE);
    expect(await heldItems(d).count()).toBe(0);
    await d.context().close();
  });

  it('does not tell moderators, whose posts are never held', { timeout: 60_000 }, async () => {
    const m = await newPage();
    await logIn(m, mod, '/');
    await openNewTopic(m, checkedForumId);
    expect(await topicNotice(m).isVisible()).toBe(false);
    await m.goto(`${s.url}/t/${checkedTopicId}`);
    await openTopic(m, s.url, checkedTopicId);
    await m.locator('#reply').waitFor(LIVE);
    expect(await replyNotice(m).isVisible()).toBe(false);
    await m.context().close();
  });
});
