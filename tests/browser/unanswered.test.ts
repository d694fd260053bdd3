// "Unanswered topics" in Chromium: the board index links it; the page lists the topics no one has
// replied to, newest first, each with its forum, New for a member's unread ones, and without a
// page load from the board. Titles show as text. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { replyAs, type TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('unanswered');

describe.skipIf(chromiumMissing)('unanswered and active topics in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });
  /** Each listed topic: title, forum, whether it shows New. */
  const rows = (p: Page) =>
    p.locator('main table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('a.topictitle')?.textContent ?? '', tr.querySelector('a[href^="/f/"]')?.textContent ?? '', !!tr.querySelector('.badge.new')]),
    );

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    const asker = await s.user('asker');
    await s.user('helper'); // joins before the questions: they are unread to them
    const garden = await s.forum(admin, { title: 'Garden', description: 'Plants.' });
    const kitchen = await s.forum(admin, { title: 'Kitchen', description: 'Food.' });
    const ask = async (forumId: string, title: string) => (await s.topic(forumId, asker, { title, body: 'Anyone?' })).topic.id as string;
    const answered = await ask(garden.id, 'Answered already');
    await ask(kitchen.id, 'Best <b>bread</b> flour?');
    await ask(garden.id, 'When to prune roses?');
    await replyAs(s, answered, admin, 'Here is an answer');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /unanswered and /active', async () => {
    await expectPageShell(s.url, ['/unanswered', '/unanswered?page=2', '/active', '/active?page=2']);
  });

  it('the board links it; it lists topics without replies, newest first, with their forums; New for a member', async () => {
    const g = await newPage();
    await g.goto(`${s.url}/`);
    await markPage(g);
    await g.getByRole('link', { name: 'Unanswered topics' }).click();
    await g.locator('main h1', { hasText: 'Unanswered topics' }).waitFor();
    await g.locator('main table tbody tr').first().waitFor();
    expect(await notReloaded(g)).toBe(true);
    expect(g.url()).toBe(`${s.url}/unanswered`);
    expect(await rows(g)).toEqual([
      ['When to prune roses?', 'Garden', false],
      ['Best <b>bread</b> flour?', 'Kitchen', false],
    ]);
    expect(await g.locator('main .total').textContent()).toBe('2 unanswered topics');
    expect(await g.title()).toBe('Unanswered topics · Realtime Forum');
    await g.context().close();

    const m = await newPage();
    await logIn(m, { username: 'helper' }, '/unanswered');
    await m.locator('main table tbody tr').first().waitFor();
    expect(await rows(m)).toEqual([
      ['When to prune roses?', 'Garden', true],
      ['Best <b>bread</b> flour?', 'Kitchen', true],
    ]);
    await m.context().close();
  });
  it('the board links Active topics: every topic posted in this week, last posted in first, answered or not', async () => {
    const g = await newPage();
    await g.goto(`${s.url}/`);
    await markPage(g);
    await g.getByRole('link', { name: 'Active topics' }).click();
    await g.locator('main h1', { hasText: 'Active topics' }).waitFor();
    await g.locator('main table tbody tr').first().waitFor();
    expect(await notReloaded(g)).toBe(true);
    expect(g.url()).toBe(`${s.url}/active`);
    expect(await rows(g)).toEqual([
      ['Answered already', 'Garden', false],
      ['When to prune roses?', 'Garden', false],
      ['Best <b>bread</b> flour?', 'Kitchen', false],
    ]);
    expect(await g.locator('main .total').textContent()).toBe('3 active topics');
    expect(await g.title()).toBe('Active topics · Realtime Forum');
    await g.context().close();
  });
});
