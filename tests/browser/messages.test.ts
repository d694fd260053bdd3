// Private messages in Chromium: the header's Messages badge rising live in both of a member's
// tabs as another member writes to her; the inbox listing each conversation (title, who, last
// message) and moving one to the top as a message arrives; the conversation page showing its
// messages, reading them (the badge drops in every tab), sending a reply through the form and
// showing the other member's reply live; starting a conversation through the New message form,
// with the server's refusals shown; editing one's own message in place, seen live elsewhere. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('messages');

type Conv = { id: string; title: string; unread: boolean; messageCount: number; participants: Array<{ id: string; username: string }>; lastMessage: { id: string; snippet: string; author: { username: string } } };

/** A title a browser must show as text, never as markup. */
const TITLE = 'Saturday <b>plans</b> & <img src=x onerror=alert(1)> more';
const FIRST_BODY = 'Hello **Alice**, are you coming on Saturday? <img src=x onerror=alert(1)>';

describe.skipIf(chromiumMissing)('private messages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  const { watch, newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url });

  const badge = (p: Page) => p.locator('.account .messages-link .message-count');
  /** The badge as shown: its number, or 0 when hidden. */
  const shownCount = async (p: Page) => ((await badge(p).isVisible()) ? Number(await badge(p).textContent()) : 0);
  const inbox = async (who: Member) => {
    const res = await s.api('GET', '/conversations', { token: who.token });
    expect(res.status).toBe(200);
    return res.body as { conversations: Conv[]; unreadCount: number };
  };
  const start = async (from: Member, to: string[], title: string, body: string) => {
    const res = await s.api('POST', '/conversations', { token: from.token, body: { to, title, body } });
    expect(res.status).toBe(201);
    return res.body as { conversation: Conv; message: { id: string } };
  };
  const send = async (from: Member, conversationId: string, body: string) => {
    const res = await s.api('POST', `/conversations/${conversationId}/messages`, { token: from.token, body: { body } });
    expect(res.status).toBe(201);
    return res.body.message as { id: string; number: number };
  };
  const rows = (p: Page) => p.locator('table.conversations tr.conversation');
  const rowIds = (p: Page) => rows(p).evaluateAll((els) => els.map((el) => `${el.getAttribute('data-conversation-id')}:${el.classList.contains('unread')}`));
  const articles = (p: Page) => p.locator('section.messages article.message');

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /messages and /messages/:id', async () => {
    await expectPageShell(s.url, ['/messages', '/messages?page=2', `/messages/${'a'.repeat(24)}`, `/messages/${'a'.repeat(24)}?page=last`]);
  });

  it('asks a guest to log in, and gives guests no Messages link', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/messages`);
    await p.locator('main .panel', { hasText: 'to read and send private messages.' }).waitFor(LIVE);
    expect(await p.locator('main').getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe(`/login?next=${encodeURIComponent('/messages')}`);
    await p.locator('.account').getByRole('link', { name: 'Log in' }).waitFor(LIVE);
    expect(await p.locator('.messages-link').count()).toBe(0);
    await p.context().close();
  });

  it('counts up live in both tabs, lists, opens and reads, replies both ways live, and keeps others out', { timeout: 90_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, '/');
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    const link = a.locator('.account').getByRole('link', { name: 'Messages' });
    await link.waitFor(LIVE);
    expect(await badge(a).isHidden()).toBe(true);
    expect(await badge(a).getAttribute('data-count')).toBe('0');
    const a2 = await a.context().newPage();
    watch(a2);
    await a2.goto(`${s.url}/`);
    await a2.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await a2.locator('.account .messages-link').waitFor(LIVE);
    await markPage(a);
    await markPage(a2);

    // Bob writes to Alice: her badge reads 1 in both tabs, without a reload.
    const { conversation: conv } = await start(bob, ['alice'], TITLE, FIRST_BODY);
    await expect.poll(() => shownCount(a), LIVE).toBe(1);
    await expect.poll(() => shownCount(a2), LIVE).toBe(1);
    expect(await badge(a).getAttribute('data-count')).toBe('1');
    expect((await inbox(alice)).unreadCount).toBe(1);

    // Her inbox: the conversation, its title as text, with Bob, his message's snippet, unread and bold.
    await link.click();
    await a.waitForURL('**/messages');
    await expect.poll(() => rows(a).count(), LIVE).toBe(1);
    const row = rows(a).first();
    expect(await row.getAttribute('data-conversation-id')).toBe(conv.id);
    expect(await row.locator('.conversation-title').textContent()).toBe(TITLE);
    expect(await row.locator('.conversation-title').getAttribute('href')).toBe(`/messages/${conv.id}#m${conv.lastMessage.id}`);
    expect(await row.locator('.participants').textContent()).toBe('with bob');
    expect(await row.locator('.last-author').textContent()).toBe('bob');
    const snippet = (await inbox(alice)).conversations[0].lastMessage.snippet;
    expect(snippet).toContain('are you coming on Saturday?');
    expect(await row.locator('.snippet').textContent()).toBe(snippet);
    expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await row.getAttribute('class')).toContain('unread');
    expect(await row.locator('.badge.new').isVisible()).toBe(true);
    expect(await row.locator('.conversation-title').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await a.locator('main img, main b').count()).toBe(0);
    expect(await a.locator('main .total').textContent()).toBe('1 unread conversation');

    // She opens it: Bob's message, its HTML as the server rendered it; the badge drops in both tabs.
    await row.locator('.conversation-title').click();
    await a.waitForURL(new RegExp(`/messages/${conv.id}#m${conv.lastMessage.id}$`), LIVE);
    await expect.poll(() => articles(a).count(), LIVE).toBe(1);
    const first = articles(a).first();
    expect(await first.getAttribute('data-message-id')).toBe(conv.lastMessage.id);
    expect(await first.locator('.author .username').textContent()).toBe('bob');
    expect(await first.locator('.content strong').textContent()).toBe('Alice');
    expect(await first.locator('.content').textContent()).toContain('are you coming on Saturday?');
    expect(await first.locator('.content [onerror]').count()).toBe(0);
    expect(await a.locator('h1.conversation-title').textContent()).toBe(TITLE);
    expect(await a.locator('main .participants').textContent()).toBe('Between bob and alice');
    expect(await a.title()).toBe(`${TITLE} · Realtime Forum`);
    await expect.poll(() => shownCount(a), LIVE).toBe(0);
    await expect.poll(() => shownCount(a2), LIVE).toBe(0);
    expect(await badge(a2).isHidden()).toBe(true);
    expect((await inbox(alice)).unreadCount).toBe(0);

    // She replies through the form: shown once (the answer and the push are the same message),
    // and Bob's view has it.
    const form = a.getByRole('form', { name: 'Reply' });
    await form.getByLabel('Message').fill('Yes, I **will** be there.');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => articles(a).count(), LIVE).toBe(2);
    expect(await form.getByLabel('Message').inputValue()).toBe('');
    const bobView = (await s.api('GET', `/conversations/${conv.id}`, { token: bob.token })).body;
    expect(bobView.messages.map((m: { author: { username: string }; body: string }) => `${m.author.username}: ${m.body}`)).toEqual([
      `bob: ${FIRST_BODY}`,
      'alice: Yes, I **will** be there.',
    ]);
    expect(await articles(a).nth(1).getAttribute('data-message-id')).toBe(bobView.messages[1].id);
    expect(await articles(a).nth(1).locator('.content strong').textContent()).toBe('will');
    expect((await inbox(bob)).unreadCount).toBe(1);
    await a.waitForTimeout(300); // the push of her own message has come by now: still one of it
    expect(await articles(a).count()).toBe(2);
    expect(await shownCount(a)).toBe(0);

    // Bob answers: it appears in her open conversation without a reload; read there, so no badge stays.
    const answer = await send(bob, conv.id, 'Great, see you *then*.');
    await expect.poll(() => articles(a).count(), LIVE).toBe(3);
    expect(await articles(a).nth(2).getAttribute('data-message-id')).toBe(answer.id);
    expect(await articles(a).nth(2).locator('.author .username').textContent()).toBe('bob');
    expect(await articles(a).nth(2).locator('.content em').textContent()).toBe('then');
    expect(await a.locator('main .total[data-message-total]').first().textContent()).toBe('3 messages');
    await expect.poll(async () => (await inbox(alice)).unreadCount, LIVE).toBe(0);
    await expect.poll(() => shownCount(a), LIVE).toBe(0);
    await expect.poll(() => shownCount(a2), LIVE).toBe(0);
    expect(await notReloaded(a)).toBe(true);
    expect(await notReloaded(a2)).toBe(true);
    await saveScreenshot(a, 'conversation-page', { fullPage: true });

    // Someone else cannot read it, write in it or mark it, and does not see it listed; the page says Not found.
    expect((await s.api('GET', `/conversations/${conv.id}`, { token: carol.token })).status).toBe(404);
    expect((await s.api('POST', `/conversations/${conv.id}/messages`, { token: carol.token, body: { body: 'Hi?' } })).status).toBe(404);
    expect((await s.api('POST', `/conversations/${conv.id}/read`, { token: carol.token, body: {} })).status).toBe(404);
    expect((await inbox(carol)).conversations).toEqual([]);
    const c = await newPage();
    await logIn(c, carol, `/messages/${conv.id}`);
    await c.waitForURL(`**/messages/${conv.id}`, LIVE);
    await c.locator('main .error-panel h1', { hasText: 'Not found' }).waitFor(LIVE);
    expect(await c.locator('main').textContent()).not.toContain('Saturday');
    await c.context().close();

    // Back on her inbox, new messages move their conversation to the top, unread, without a reload.
    await a.locator('main').getByRole('link', { name: 'Return to Private messages' }).click();
    await a.waitForURL('**/messages', LIVE);
    await expect.poll(() => rowIds(a), LIVE).toEqual([`${conv.id}:false`]);
    const { conversation: other } = await start(bob, ['alice', 'carol'], 'Another thing', 'Also: who brings the cake?');
    await expect.poll(() => rowIds(a), LIVE).toEqual([`${other.id}:true`, `${conv.id}:false`]);
    expect(await rows(a).first().locator('.participants').textContent()).toBe('with bob and carol');
    await expect.poll(() => shownCount(a2), LIVE).toBe(1);
    const later = await send(bob, conv.id, 'Oh, and bring a coat.');
    await expect.poll(() => rowIds(a), LIVE).toEqual([`${conv.id}:true`, `${other.id}:true`]);
    expect(await rows(a).first().locator('.snippet').textContent()).toBe('Oh, and bring a coat.');
    expect(await rows(a).first().locator('td.num').textContent()).toBe('4');
    expect(await rows(a).first().locator('.conversation-title').getAttribute('href')).toBe(`/messages/${conv.id}#m${later.id}`);
    await expect.poll(() => shownCount(a), LIVE).toBe(2);
    await expect.poll(() => shownCount(a2), LIVE).toBe(2);
    expect(await a.locator('main .total').first().textContent()).toBe('2 unread conversations');
    await saveScreenshot(a, 'messages-page', { fullPage: true });
    expect(await notReloaded(a2)).toBe(true);

    // Reading one in the other tab shows here at once: no longer bold, the count down.
    await a2.goto(`${s.url}/messages/${other.id}`);
    await expect.poll(() => articles(a2).count(), LIVE).toBe(1);
    await expect.poll(() => rowIds(a), LIVE).toEqual([`${conv.id}:true`, `${other.id}:false`]);
    await expect.poll(() => shownCount(a), LIVE).toBe(1);
    expect(await rows(a).nth(1).locator('.conversation-title').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('400');
    await a.context().close();
  });

  it('starts a conversation through the New message form, and shows why one is refused', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, '/messages');
    await a.waitForURL('**/messages', LIVE);
    const form = a.getByRole('form', { name: 'New message' });
    expect(await form.isHidden()).toBe(true);
    await a.getByRole('button', { name: 'New message' }).click();
    await form.waitFor(LIVE);
    const error = form.locator('.form-error');

    // An unknown name: the server's refusal names it; nothing is sent and what was typed stays.
    await form.getByLabel('To').fill('bob, nobody_here');
    await form.getByLabel('Title').fill('Lunch?');
    await form.getByLabel('Message').fill('Shall we have **lunch** on Monday?');
    await form.getByRole('button', { name: 'Send' }).click();
    await error.waitFor(LIVE);
    expect(await error.textContent()).toContain('nobody_here');
    expect(a.url()).toBe(`${s.url}/messages`);
    expect(await form.getByLabel('Title').inputValue()).toBe('Lunch?');
    expect((await inbox(bob)).conversations.some((c) => c.title === 'Lunch?')).toBe(false);

    // Only herself: refused too.
    await form.getByLabel('To').fill('alice');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await error.isVisible()) && !(await error.textContent())?.includes('nobody_here'), LIVE).toBe(true);
    expect(a.url()).toBe(`${s.url}/messages`);

    // Bob: sent, and the page moves to the new conversation.
    await form.getByLabel('To').fill(' bob ');
    await form.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(/\/messages\/[a-f0-9]{24}$/, LIVE);
    const id = a.url().split('/').pop()!;
    await expect.poll(() => articles(a).count(), LIVE).toBe(1);
    expect(await a.locator('h1.conversation-title').textContent()).toBe('Lunch?');
    expect(await articles(a).first().locator('.content strong').textContent()).toBe('lunch');
    expect(await a.locator('main .participants').textContent()).toBe('Between alice and bob');
    const bobs = await inbox(bob);
    const started = bobs.conversations.find((c) => c.id === id);
    expect(started?.title).toBe('Lunch?');
    expect(started?.unread).toBe(true);
    expect(started?.participants.map((p) => p.username)).toEqual(['alice', 'bob']);

    // The form starts empty next time (the draft went with the send).
    await a.goto(`${s.url}/messages`);
    await a.getByRole('button', { name: 'New message' }).click();
    expect(await form.getByLabel('To').inputValue()).toBe('');
    expect(await form.getByLabel('Title').inputValue()).toBe('');
    await a.context().close();
  });

  it('"Send private message" on a member\'s profile opens the form addressed to them', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/u/${bob.id}`);
    const link = a.getByRole('link', { name: 'Send private message' });
    await link.waitFor(LIVE);
    await link.click();
    await a.waitForURL(`**/messages?to=bob`, LIVE);
    const form = a.getByRole('form', { name: 'New message' });
    await form.waitFor(LIVE);
    expect(await form.getByLabel('To').inputValue()).toBe('bob');
    await form.getByLabel('Title').fill('From the profile');
    await form.getByLabel('Message').fill('Hi there');
    await form.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(/\/messages\/[a-f0-9]{24}$/, LIVE);
    expect((await inbox(bob)).conversations.some((c) => c.title === 'From the profile')).toBe(true);
    // Her own profile has no such link.
    await a.goto(`${s.url}/u/${alice.id}`);
    await a.getByRole('link', { name: 'Search your posts' }).waitFor(LIVE);
    expect(await a.getByRole('link', { name: 'Send private message' }).count()).toBe(0);
    await a.context().close();
  });

  it('leaves a conversation with two clicks: back to the inbox without it, the count down, the others carry on', { timeout: 60_000 }, async () => {
    const { conversation: conv } = await start(carol, ['alice', 'bob'], 'To be left', 'Anyone there?');
    const a = await newPage();
    await logIn(a, alice, `/messages/${conv.id}`);
    await expect.poll(() => articles(a).count(), LIVE).toBe(1);
    const leave = a.getByRole('button', { name: 'Leave conversation' });
    await leave.click();
    expect(await a.getByRole('button', { name: 'Really leave?' }).isVisible()).toBe(true);
    expect((await inbox(alice)).conversations.some((c) => c.id === conv.id)).toBe(true); // one click does nothing
    await a.getByRole('button', { name: 'Really leave?' }).click();
    await a.waitForURL('**/messages', LIVE);
    await expect.poll(() => rowIds(a), LIVE).not.toContain(`${conv.id}:true`);
    expect((await rowIds(a)).some((r) => r.startsWith(conv.id))).toBe(false);
    expect((await inbox(alice)).conversations.some((c) => c.id === conv.id)).toBe(false);
    const seen = (await s.api('GET', `/conversations/${conv.id}`, { token: bob.token })).body.conversation;
    expect(seen.participants.map((p: { username: string }) => p.username)).toEqual(['carol', 'bob']);
    await a.context().close();
  });

  it('pages a long conversation and announces a message for the next page', { timeout: 60_000 }, async () => {
    const { conversation: conv } = await start(bob, ['alice'], 'A long one', 'Message 1');
    for (let n = 2; n <= 20; n++) await send(bob, conv.id, `Message ${n}`);
    const a = await newPage();
    await logIn(a, alice, `/messages/${conv.id}`);
    await expect.poll(() => articles(a).count(), LIVE).toBe(20);
    expect(await a.locator('main nav.pagination .page-of').first().textContent()).toBe('Page 1 of 1');
    await markPage(a);

    // Number 21 belongs on page 2: page 1 stays as it is, with a link to it.
    const next = await send(bob, conv.id, 'Message 21');
    const notice = a.locator('main .new-messages');
    await notice.waitFor({ state: 'visible', ...LIVE });
    expect(await notice.textContent()).toBe('1 new message since you opened this page');
    expect(await articles(a).count()).toBe(20);
    expect(await a.locator('main nav.pagination .page-of').first().textContent()).toBe('Page 1 of 2');
    expect(await notice.locator('a').getAttribute('href')).toBe(`/messages/${conv.id}?page=2#m${next.id}`);
    await notice.locator('a').click();
    await a.waitForURL(`**/messages/${conv.id}?page=2#m${next.id}`, LIVE);
    await expect.poll(() => articles(a).evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id'))), LIVE).toEqual([next.id]);
    expect(await notReloaded(a)).toBe(true);

    // `?page=last` opens the newest page, and the address says which.
    await a.goto(`${s.url}/messages/${conv.id}?page=last`);
    await expect.poll(() => articles(a).count(), LIVE).toBe(1);
    expect(a.url()).toBe(`${s.url}/messages/${conv.id}?page=2`);
    await a.context().close();
  });

  it('the author edits her message in place: the other member and her other tab see it live, an open editor stays, an empty one is refused', { timeout: 60_000 }, async () => {
    const { conversation: conv, message: mine } = await start(alice, ['bob'], 'To be edited', 'Helo bob, see you at *noon*');
    const his = await send(bob, conv.id, 'See you then');
    const path = `/messages/${conv.id}`;
    const a = await newPage();
    await logIn(a, alice, path);
    await expect.poll(() => articles(a).count(), LIVE).toBe(2);
    const a2 = await a.context().newPage();
    watch(a2);
    await a2.goto(`${s.url}${path}`);
    await expect.poll(() => articles(a2).count(), LIVE).toBe(2);
    const b = await newPage();
    await logIn(b, bob, path);
    await expect.poll(() => articles(b).count(), LIVE).toBe(2);
    for (const p of [a2, b]) await markPage(p);
    const article = (p: Page, id: string) => p.locator(`section.messages article[data-message-id="${id}"]`);
    const editOf = (p: Page, id: string) => article(p, id).getByRole('button', { name: /^Edit message/ });

    // Edit only on one's own messages: Alice's for her, Bob's for him.
    expect(await editOf(a, mine.id).count()).toBe(1);
    expect(await editOf(a, his.id).count()).toBe(0);
    expect(await editOf(b, mine.id).count()).toBe(0);
    expect(await editOf(b, his.id).count()).toBe(1);
    expect(await article(b, mine.id).locator('.edited').count()).toBe(0);

    // Her second tab opens the editor too, and leaves it open.
    await editOf(a2, mine.id).click();
    const editor2 = article(a2, mine.id).getByRole('textbox', { name: 'Edit message' });
    await editor2.waitFor({ timeout: 2_000 });

    // Edit: the textarea holds the source. Emptied, Save is refused with the server's reason, and nothing changes.
    await editOf(a, mine.id).click();
    const editor = article(a, mine.id).getByRole('textbox', { name: 'Edit message' });
    await editor.waitFor({ timeout: 2_000 });
    expect(await editor.inputValue()).toBe('Helo bob, see you at *noon*');
    const refusal = await s.api('PATCH', `/conversations/${conv.id}/messages/${mine.id}`, { token: alice.token, body: { body: '   ' } });
    expect(refusal.status).toBe(400);
    await editor.fill('   ');
    await article(a, mine.id).getByRole('button', { name: 'Save' }).click();
    const alert = article(a, mine.id).getByRole('alert');
    await alert.waitFor({ timeout: 2_000 });
    expect(await alert.textContent()).toBe(refusal.body.error.message);
    expect(await editor.isVisible()).toBe(true);
    const stored = async () => (await s.api('GET', `/conversations/${conv.id}`, { token: bob.token })).body.messages[0] as { body: string; editCount?: number; editedAt?: string };
    expect(await stored()).toMatchObject({ body: 'Helo bob, see you at *noon*' });
    expect((await stored()).editCount).toBeUndefined();
    expect(await article(b, mine.id).locator('.content p').textContent()).toBe('Helo bob, see you at noon');

    // Saved: redrawn from the answer, the editor gone, "Edited 1 time, last on …".
    await editor.fill('Hello **bob**, see you at *one*');
    await article(a, mine.id).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => article(a, mine.id).locator('.content p').textContent(), { timeout: 2_000 }).toBe('Hello bob, see you at one');
    expect(await article(a, mine.id).locator('.content strong').textContent()).toBe('bob');
    expect(await article(a, mine.id).locator('textarea').count()).toBe(0);
    expect(await article(a, mine.id).getByRole('alert').isHidden()).toBe(true);
    const note = /^Edited 1 time, last on \w{3},? \d{1,2} \w{3} \d{4}, \d\d:\d\d$/;
    expect(await article(a, mine.id).locator('.edited').textContent()).toMatch(note);
    const edited = await stored();
    expect(edited).toMatchObject({ body: 'Hello **bob**, see you at *one*', editCount: 1, editedAt: expect.any(String) });

    // Bob's page has it live, without a reload; still no Edit for him on it; his own message untouched.
    await expect.poll(() => article(b, mine.id).locator('.content p').textContent(), LIVE).toBe('Hello bob, see you at one');
    expect(await article(b, mine.id).locator('.content em').textContent()).toBe('one');
    expect(await article(b, mine.id).locator('.edited').textContent()).toMatch(note);
    expect(await article(b, mine.id).locator('.edited time').getAttribute('datetime')).toBe(edited.editedAt);
    expect(await editOf(b, mine.id).count()).toBe(0);
    expect(await article(b, his.id).locator('.content p').textContent()).toBe('See you then');
    expect(await articles(b).count()).toBe(2);
    expect(await notReloaded(b)).toBe(true);

    // Her other tab kept its editor open with what it held; Cancel there shows the edit.
    await a2.waitForTimeout(300); // the push has come by now
    expect(await editor2.isVisible()).toBe(true);
    expect(await editor2.inputValue()).toBe('Helo bob, see you at *noon*');
    await article(a2, mine.id).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => article(a2, mine.id).locator('.content p').textContent(), { timeout: 2_000 }).toBe('Hello bob, see you at one');
    expect(await article(a2, mine.id).locator('.edited').textContent()).toMatch(note);
    expect(await editOf(a2, mine.id).isVisible()).toBe(true);
    expect(await notReloaded(a2)).toBe(true);
    await a.context().close();
    await b.context().close();
  });

  it('the author deletes her message with two clicks: both members see its place kept, its text gone, live', { timeout: 60_000 }, async () => {
    const { conversation: conv, message: mine } = await start(alice, ['bob'], 'To be deleted', 'My <i>old</i> phone number is **555**');
    const his = await send(bob, conv.id, 'Noted');
    const path = `/messages/${conv.id}`;
    const a = await newPage();
    await logIn(a, alice, path);
    const b = await newPage();
    await logIn(b, bob, path);
    for (const p of [a, b]) await expect.poll(() => articles(p).count(), LIVE).toBe(2);
    await markPage(b);
    const article = (p: Page, id: string) => p.locator(`section.messages article[data-message-id="${id}"]`);
    const deleteOf = (p: Page, id: string) => article(p, id).getByRole('button', { name: /^Delete message/ });

    // Delete only on one's own messages.
    expect([await deleteOf(a, mine.id).count(), await deleteOf(a, his.id).count(), await deleteOf(b, mine.id).count(), await deleteOf(b, his.id).count()]).toEqual([1, 0, 0, 1]);

    // The first click only asks; the second deletes.
    await deleteOf(a, mine.id).click();
    expect(await deleteOf(a, mine.id).textContent()).toBe('Really delete?');
    expect((await s.api('GET', `/conversations/${conv.id}`, { token: bob.token })).body.messages[0].deleted).toBeUndefined();
    await deleteOf(a, mine.id).click();
    for (const p of [a, b]) {
      await expect.poll(() => article(p, mine.id).locator('.content').textContent(), LIVE).toBe('This message was deleted.');
      expect(await article(p, mine.id).getAttribute('class')).toBe('message deleted');
      expect(await article(p, mine.id).getByRole('button').count()).toBe(0);
      expect(await article(p, mine.id).locator('.post-number').textContent()).toBe('#1');
      expect(await article(p, his.id).locator('.content p').textContent()).toBe('Noted');
    }
    expect(await notReloaded(b)).toBe(true);
    expect((await s.api('GET', `/conversations/${conv.id}`, { token: bob.token })).body.messages[0]).toMatchObject({ deleted: true, body: '', bodyHtml: '' });
    // A reload shows the same.
    await b.reload();
    await expect.poll(() => article(b, mine.id).locator('.content').textContent(), LIVE).toBe('This message was deleted.');
    await a.context().close();
    await b.context().close();
  });
});
