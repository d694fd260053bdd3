// phpBB's subforums in Chromium: the board index gives a row only to forums that stand on their
// own, lists a forum's subforums under its description and adds their counts and newest post into
// its row (live, as posts land two levels down); a forum's page lists its subforums above its
// topics; breadcrumbs run down through the forums a forum sits in; and a subforum whose parent
// the member may not read stands on its own. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('subforums');

const LIVE = { timeout: 6_000 };

describe.skipIf(chromiumMissing)('subforums in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: { id: string; username: string; token: string };
  let alice: { id: string; username: string; token: string };
  let parent: string;
  let child: string;
  let grandchild: string;
  let other: string;
  let childReply: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const makeForum = async (title: string, parentId?: string) => (await s.forum(admin, { title, description: `About ${title}.`, ...(parentId && { parentId }) })).id as string;
  const startTopic = async (forumId: string, title: string) => (await s.topic(forumId, admin, { title, body: `${title}, first post.` })).topic.id as string;
  const row = (p: Page, forumId: string) => p.locator(`table.forums tr[data-forum-id="${forumId}"]`);
  const cell = (p: Page, forumId: string, label: string) => row(p, forumId).locator(`[data-label="${label}"]`);
  const crumbs = (p: Page) => p.locator('.crumbs li').allTextContents();

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    parent = await makeForum('Parent');
    child = await makeForum('Child', parent);
    grandchild = await makeForum('Grandchild', child);
    other = await makeForum('Other');
    // Parent: 1 topic, 1 post; Child: 1 topic, 2 posts (its reply the newest post of all); Grandchild: 1 topic, 1 post.
    await startTopic(grandchild, 'Deep topic');
    await startTopic(parent, 'Parent topic');
    const childTopic = await startTopic(child, 'Child topic');
    childReply = (await s.api('POST', `/topics/${childTopic}/posts`, { token: admin.token, body: { body: 'The newest post.' } })).body.post.subject as string;
    await startTopic(other, 'Elsewhere');
    // Alice has read everything so far: New marks then come only from what follows.
    expect((await s.api('POST', '/forums/read', { token: alice.token, body: {} })).status).toBe(200);
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('gives only top-level forums rows, summing their subforums, live as a post lands two levels down', { timeout: 40_000 }, async () => {
    const p = await newPage();
    await logIn(p, alice, '/');
    await row(p, parent).waitFor();
    expect(await p.locator('table.forums tr[data-forum-id]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-forum-id')))).toEqual([parent, other]);
    expect(await row(p, parent).locator('.subforums').textContent()).toBe('Subforums: Child');
    expect(await row(p, parent).locator('.subforums a').getAttribute('href')).toBe(`/f/${child}`);
    expect(await cell(p, parent, 'Topics').textContent()).toBe('3');
    expect(await cell(p, parent, 'Posts').textContent()).toBe('4');
    expect(await cell(p, parent, 'Last post').locator('a').first().textContent()).toBe(childReply);
    expect(await row(p, parent).locator('.badge.new').count()).toBe(0);
    await markPage(p);

    // Someone starts a topic in Grandchild: Parent's row counts it, shows it as its last post, and
    // marks it and Child (the subforum it is in) New, without a reload.
    await startTopic(grandchild, 'Fresh from below');
    await expect.poll(() => cell(p, parent, 'Topics').textContent(), LIVE).toBe('4');
    expect(await cell(p, parent, 'Posts').textContent()).toBe('5');
    expect(await cell(p, parent, 'Last post').locator('a').first().textContent()).toBe('Fresh from below');
    expect(await row(p, parent).getAttribute('class')).toBe('unread');
    expect(await row(p, parent).locator(`.subforum[data-subforum-id="${child}"] .badge.new`).count()).toBe(1);
    expect(await cell(p, other, 'Topics').textContent()).toBe('1');
    expect(await notReloaded(p)).toBe(true);
    await p.context().close();
  });

  it("lists a forum's subforums above its topics, summed and live, with breadcrumbs down through its parents", { timeout: 40_000 }, async () => {
    const p = await newPage();
    await logIn(p, alice, `/f/${parent}`);
    const table = p.locator('table.subforum-list');
    await table.locator(`tr[data-forum-id="${child}"]`).waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Subforums', 'Topics', 'Posts', 'Last post']);
    expect(await table.locator('tr[data-forum-id]').count()).toBe(1); // Child; Grandchild is Child's
    expect(await row(p, child).locator('.subforums a').allTextContents()).toEqual(['Grandchild']);
    expect(await row(p, child).locator(`.subforum.unread[data-subforum-id="${grandchild}"] .badge.new`).count()).toBe(1);
    expect(await cell(p, child, 'Topics').textContent()).toBe('3');
    expect(await cell(p, child, 'Posts').textContent()).toBe('4');
    // Above the topics: the subforums come before the topic table.
    expect(await p.locator('.forum-listing > table').evaluateAll((ts) => ts.map((t) => t.className))).toEqual(['list forums subforum-list', 'list topics']);
    expect(await crumbs(p)).toEqual(['Board index', 'Parent']);
    await markPage(p);
    await startTopic(grandchild, 'Another from below');
    await expect.poll(() => cell(p, child, 'Topics').textContent(), LIVE).toBe('4');
    expect(await cell(p, child, 'Last post').locator('a').first().textContent()).toBe('Another from below');
    expect(await notReloaded(p)).toBe(true);

    // phpBB's "Mark subforums read": Child and Grandchild lose their New marks; the button is only where there are subforums.
    expect(await row(p, child).locator('.badge.new').count()).toBeGreaterThan(0);
    await p.getByRole('button', { name: 'Mark subforums read' }).click();
    await expect.poll(() => row(p, child).locator('.badge.new').count(), LIVE).toBe(0);
    expect((await s.api('GET', '/forums', { token: alice.token })).body.forums.filter((f: { id: string; unread?: boolean }) => [child, grandchild].includes(f.id)).map((f: { unread?: boolean }) => f.unread)).toEqual([false, false]);

    // A forum without subforums has no such table; Grandchild's trail runs through both its parents.
    await p.goto(`${s.url}/f/${grandchild}`);
    await p.locator('tr[data-topic-id]').first().waitFor();
    await expect.poll(() => crumbs(p)).toEqual(['Board index', 'Parent', 'Child', 'Grandchild']);
    expect(await p.locator('.crumbs li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['/', `/f/${parent}`, `/f/${child}`]);
    expect(await p.locator('table.subforum-list').count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Mark subforums read' }).count()).toBe(0);

    // A topic in it: the same trail, then the topic; "Return to" its own forum.
    const topicId = await p.locator('tr[data-topic-id]').first().getAttribute('data-topic-id');
    await p.goto(`${s.url}/t/${topicId}`);
    await p.locator('article.post').first().waitFor();
    const title = await p.locator('h1.topic-title').textContent();
    await expect.poll(() => crumbs(p)).toEqual(['Board index', 'Parent', 'Child', 'Grandchild', title]);
    const back = p.locator('.action-bar.bottom a.return');
    expect(await back.textContent()).toBe('Return to “Grandchild”');
    expect(await back.getAttribute('href')).toBe(`/f/${grandchild}`);
    await p.context().close();
  });

  it('lets a subforum whose parent the member may not read stand on its own', { timeout: 30_000 }, async () => {
    expect((await s.api('PATCH', `/forums/${parent}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    await startTopic(grandchild, 'Unread again'); // the previous test marked the subforums read
    const p = await newPage();
    await logIn(p, alice, '/');
    await row(p, child).waitFor();
    expect(await p.locator('table.forums tr[data-forum-id]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-forum-id')))).toEqual([child, other]);
    expect(await row(p, child).locator('.subforums a').allTextContents()).toEqual(['Grandchild']);
    expect(await row(p, child).locator(`.subforum.unread[data-subforum-id="${grandchild}"] .badge.new`).count()).toBe(1);
    expect(await cell(p, child, 'Topics').textContent()).toBe('5');
    await p.goto(`${s.url}/f/${grandchild}`);
    await p.locator('tr[data-topic-id]').first().waitFor();
    await expect.poll(() => crumbs(p)).toEqual(['Board index', 'Child', 'Grandchild']);

    // The admin still sees Parent, with Child in it.
    const a = await newPage();
    await logIn(a, admin, '/');
    await row(a, parent).waitFor();
    expect(await a.locator('table.forums tr[data-forum-id]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-forum-id')))).toEqual([parent, other]);
    await p.context().close();
    await a.context().close();
  });
});
