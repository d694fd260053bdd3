// @mention suggestions in Chromium: typing `@al` in a reply lists the names the server gives
// for that prefix (GET /users?prefix=al); the arrow keys, Enter, Tab or a click write the chosen
// one in as the server reads mentions (`@albert`, `@"Al Smith"`), and the posted reply notifies
// them. Escape closes the list, an e-mail address opens none, and a prefix answered once is not
// asked again. The private message forms and the new-topic form offer them too. The real server
// (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages } from '../helpers/browser-pages.js';

reportIfMissing('mentions');

type Notification = { kind: string; postId?: string };

/** Longer than the list's debounce (150 ms) and a local round trip: a list that would open has. */
const SETTLE_MS = 600;

describe.skipIf(chromiumMissing)('@mention suggestions in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let albert: Member;
  let alSmith: Member;
  let bob: Member;
  let forumId: string;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const names = async (prefix: string) => ((await s.api('GET', `/users?prefix=${encodeURIComponent(prefix)}`, { token: alice.token })).body.users as Member[]).map((u) => u.username);
  const notifications = async (who: Member) => (await s.api('GET', '/notifications', { token: who.token })).body.notifications as Notification[];
  /** The names the page lists under a field (none while the list is hidden). */
  const listed = async (list: ReturnType<Page['locator']>) => ((await list.isVisible()) ? list.getByRole('option').allTextContents() : []);
  /** Every GET /users?prefix= the page makes from now on (the prefixes asked). */
  function countLookups(p: Page): string[] {
    const asked: string[] = [];
    p.on('request', (r) => {
      const url = new URL(r.url());
      if (r.method() === 'GET' && url.pathname === '/api/v1/users') asked.push(url.searchParams.get('prefix') ?? '');
    });
    return asked;
  }

  /** Alice on the topic page: its reply box, the box's suggestion list, and the name lookups the page makes. */
  async function aliceReplying() {
    const a = await newPage();
    const asked = countLookups(a);
    await logIn(a, alice, `/t/${topicId}`);
    const box = a.locator('#reply-body');
    const list = a.locator('#reply').getByRole('listbox', { name: 'Mention suggestions', includeHidden: true });
    return { a, asked, box, list };
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    albert = await s.user('albert');
    alSmith = await s.user('Al Smith');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    forumId = forum.id;
    topicId = (await s.topic(forum.id, bob, { title: 'Who is coming?', body: 'Say hello.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('lists the server’s names for @al in a reply, writes the chosen one in, and the posted reply mentions them', { timeout: 60_000 }, async () => {
    // What the server answers for `al`, in its order (lower-case names: "al smith" < "albert" < "alice").
    const forAl = await names('al');
    expect(forAl).toEqual(['Al Smith', 'albert', 'alice']);

    const { a, asked, box, list } = await aliceReplying();
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await box.getAttribute('aria-autocomplete')).toBe('list');
    expect(await box.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    expect(await list.isHidden()).toBe(true);

    await box.click();
    await box.pressSequentially('Hello @al', { delay: 20 });
    await expect.poll(() => listed(list), LIVE).toEqual(forAl);
    // Typed faster than the debounce: one request, for the whole prefix.
    expect(asked).toEqual(['al']);
    const options = list.getByRole('option');
    const ids = await options.evaluateAll((els) => els.map((el) => el.id));
    expect(new Set(ids).size).toBe(3);
    // The first is selected, and the textarea points at it.
    expect(await options.evaluateAll((els) => els.map((el) => el.getAttribute('aria-selected')))).toEqual(['true', 'false', 'false']);
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[0]);

    // ArrowDown moves to the second, ArrowUp wraps from the first to the last.
    await box.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[1]);
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('false');
    await box.press('ArrowUp');
    await box.press('ArrowUp');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[2]);
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(ids[1]);

    // Enter writes the selected name in (no newline), closes the list, and typing carries on after it.
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Hello @albert ');
    expect(await list.isHidden()).toBe(true);
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    expect(await box.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe('Hello @albert '.length);
    await box.pressSequentially('are you coming?');
    expect(await box.inputValue()).toBe('Hello @albert are you coming?');

    // Submit: the reply is posted as written, and Albert is told he was mentioned in it.
    await a.locator('#reply').getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => box.inputValue(), LIVE).toBe('');
    await expect.poll(async () => (await notifications(albert)).filter((n) => n.kind === 'mention').length, LIVE).toBe(1);
    const told = (await notifications(albert)).find((n) => n.kind === 'mention')!;
    const page = (await s.api('GET', `/topics/${topicId}?post=${told.postId}`, { token: alice.token })).body;
    const post = page.posts.find((p: { id: string }) => p.id === told.postId);
    expect(post).toMatchObject({ body: 'Hello @albert are you coming?', author: { username: 'alice' } });
    await a.locator(`article.post[data-post-id="${told.postId}"]`).waitFor(LIVE);
    // Nobody else was mentioned.
    expect((await notifications(alSmith)).some((n) => n.kind === 'mention')).toBe(false);
    expect(asked).toEqual(['al']);
    await a.context().close();
  });

  it('writes a name with a space in quotes (chosen with a click), which the server reads as a mention', { timeout: 60_000 }, async () => {
    const { a, box, list } = await aliceReplying();
    await box.click();
    await box.pressSequentially('Thanks @Al', { delay: 20 });
    await expect.poll(() => listed(list), LIVE).toEqual(await names('Al'));
    await list.getByRole('option', { name: 'Al Smith' }).click();
    expect(await box.inputValue()).toBe('Thanks @"Al Smith" ');
    expect(await list.isHidden()).toBe(true);
    // The click left the caret in the textarea, after the name.
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.pressSequentially('for the tea.');
    await a.locator('#reply').getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => box.inputValue(), LIVE).toBe('');
    await expect.poll(async () => (await notifications(alSmith)).filter((n) => n.kind === 'mention').length, LIVE).toBe(1);
    await a.context().close();
  });

  it('Escape closes the list; it closes when the caret leaves the name or the field; Tab chooses; a prefix is asked once', { timeout: 60_000 }, async () => {
    const { a, asked, box, list } = await aliceReplying();
    await box.click();
    await box.pressSequentially('Hi @al', { delay: 20 });
    await expect.poll(() => listed(list), LIVE).toEqual(['Al Smith', 'albert', 'alice']);

    await box.press('Escape');
    expect(await list.isHidden()).toBe(true);
    expect(await box.inputValue()).toBe('Hi @al');
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    // Still closed a moment later (the keyup does not reopen it) ...
    await a.waitForTimeout(SETTLE_MS);
    expect(await list.isHidden()).toBe(true);
    // ... until the name changes: `ali` is narrowed from what `al` answered, without asking.
    await box.press('i');
    await expect.poll(() => listed(list), LIVE).toEqual(['alice']);
    // Tab writes it in (and the focus stays).
    await box.press('Tab');
    expect(await box.inputValue()).toBe('Hi @alice ');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);

    // Home takes the caret out of the name: the list closes.
    await box.pressSequentially('and @al', { delay: 20 });
    await expect.poll(() => listed(list), LIVE).toEqual(['Al Smith', 'albert', 'alice']);
    await box.press('Home');
    await expect.poll(() => list.isHidden(), LIVE).toBe(true);
    // End brings the caret back to the end of the name: shown again. Leaving the field closes it.
    await box.press('End');
    await expect.poll(() => listed(list), LIVE).toEqual(['Al Smith', 'albert', 'alice']);
    await a.locator('#reply-heading').click();
    await expect.poll(() => list.isHidden(), LIVE).toBe(true);
    expect(await box.inputValue()).toBe('Hi @alice and @al');

    // A name that matches nobody: no list.
    await box.click();
    await box.press('End');
    await box.pressSequentially(' @zz', { delay: 20 });
    await a.waitForTimeout(SETTLE_MS);
    expect(await list.isHidden()).toBe(true);
    // Asked: `al` once in this login, and `zz`.
    expect(asked).toEqual(['al', 'zz']);
    await a.context().close();
  });

  it('offers them while editing a post too, and the edit tells the newly mentioned member', { timeout: 60_000 }, async () => {
    const mine = await s.api('POST', `/topics/${topicId}/posts`, { token: alice.token, body: { body: 'Edit me later.' } });
    expect(mine.status).toBe(201);
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}?post=${mine.body.post.id}`);
    const article = a.locator(`article.post[data-post-id="${mine.body.post.id}"]`);
    await article.getByRole('button', { name: /^Edit post/ }).click();
    const box = article.locator('textarea.edit-body');
    await box.waitFor(LIVE);
    await box.press('End');
    await box.pressSequentially(' cc @alb', { delay: 20 });
    const list = article.getByRole('listbox', { name: 'Mention suggestions', includeHidden: true });
    await expect.poll(() => listed(list), LIVE).toEqual(await names('alb'));
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Edit me later. cc @albert ');
    await article.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await notifications(albert)).some((n) => n.kind === 'mention' && n.postId === mine.body.post.id), LIVE).toBe(true);
    await a.context().close();
  });

  it('opens no list inside an e-mail address or a URL', { timeout: 60_000 }, async () => {
    const { a, asked, box, list } = await aliceReplying();
    await box.click();
    await box.pressSequentially('Write to x@al', { delay: 20 });
    await a.waitForTimeout(SETTLE_MS);
    expect(await list.isHidden()).toBe(true);
    await box.pressSequentially(' or see https://example.com/@bo', { delay: 10 });
    await a.waitForTimeout(SETTLE_MS);
    expect(await list.isHidden()).toBe(true);
    expect(asked).toEqual([]);
    // The same page does suggest once `@` starts a word.
    await box.pressSequentially(' or @bo', { delay: 20 });
    await expect.poll(() => listed(list), LIVE).toEqual(['bob']);
    expect(asked).toEqual(['bo']);
    await a.context().close();
  });

  it('offers them in the new-topic form, the New message form (To and Message) and a conversation’s reply', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).click();
    const topicForm = a.getByRole('form', { name: 'Post a new topic' });
    const topicList = topicForm.getByRole('listbox', { name: 'Mention suggestions', includeHidden: true });
    await topicForm.getByLabel('Message').click();
    await topicForm.getByLabel('Message').pressSequentially('Ask @bo', { delay: 20 });
    await expect.poll(() => listed(topicList), LIVE).toEqual(['bob']);
    await topicForm.getByLabel('Message').press('Enter');
    expect(await topicForm.getByLabel('Message').inputValue()).toBe('Ask @bob ');

    // New message: To completes its last name as a plain name, leaving out names already written.
    await a.goto(`${s.url}/messages`);
    await a.getByRole('button', { name: 'New message' }).click();
    const form = a.getByRole('form', { name: 'New message' });
    const to = form.getByLabel('To', { exact: true });
    const toList = form.getByRole('listbox', { name: 'Name suggestions', includeHidden: true });
    await to.click();
    await to.pressSequentially('bob, al', { delay: 20 });
    await expect.poll(() => listed(toList), LIVE).toEqual(['Al Smith', 'albert', 'alice']);
    await to.press('ArrowDown');
    await to.press('Enter');
    expect(await to.inputValue()).toBe('bob, albert, ');
    expect(await toList.isHidden()).toBe(true);
    await to.pressSequentially('b', { delay: 20 });
    await a.waitForTimeout(SETTLE_MS);
    expect(await toList.isHidden()).toBe(true); // only bob begins so, and he is in To already
    await to.press('Backspace');
    const body = form.getByLabel('Message');
    const bodyList = form.getByRole('listbox', { name: 'Mention suggestions', includeHidden: true });
    await body.click();
    await body.pressSequentially('Bring @Al', { delay: 20 });
    await expect.poll(() => listed(bodyList), LIVE).toEqual(['Al Smith', 'albert', 'alice']);
    await body.press('Enter');
    expect(await body.inputValue()).toBe('Bring @"Al Smith" ');
    await form.getByLabel('Title').fill('Picnic');
    await form.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(/\/messages\/[a-f0-9]{24}$/, LIVE);

    // The conversation's reply form.
    const reply = a.locator('#reply-body');
    const replyList = a.locator('#reply').getByRole('listbox', { name: 'Mention suggestions', includeHidden: true });
    await reply.click();
    await reply.pressSequentially('Thanks @alb', { delay: 20 });
    await expect.poll(() => listed(replyList), LIVE).toEqual(['albert']);
    await reply.press('Enter');
    expect(await reply.inputValue()).toBe('Thanks @albert ');
    await a.context().close();
  });
});
