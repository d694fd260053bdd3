// The live thread viewer, end to end: the real server (serving the built client) on port 0,
// Debian's Chromium driven by playwright-core, two members in two browser contexts.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';

reportIfMissing('thread-viewer');

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const DOCS_SHOT = fileURLToPath(new URL('../../docs/screenshot-topic.png', import.meta.url));
const XSS_IMG = '<img src=x onerror=alert(1)>';
const XSS_SCRIPT = '<script>alert(2)</script>';
const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

describe.skipIf(chromiumMissing)('live thread viewer in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let a: Page; // alice
  let b: Page; // bob
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let topicId: string;
  let bot: Socket;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  const posts = (p: Page) => p.locator('article.post');
  const postWith = (p: Page, text: string) => p.locator('article.post', { hasText: text });
  const counter = (p: Page, userId: string, field: string) => p.locator(`.postprofile[data-user-id="${userId}"] [data-field="${field}"]`);

  async function watch(p: Page): Promise<void> {
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    p.on('pageerror', (err) => pageErrors.push(err.message));
    if (process.env.DEBUG_BROWSER) p.on('console', (m) => process.stderr.write(`[browser] ${m.type()} ${m.text()}\n`));
  }

  async function logIn(p: Page, who: Member): Promise<void> {
    await p.goto(`${s.url}/login?next=${encodeURIComponent(`/t/${topicId}`)}`);
    const form = p.getByRole('form', { name: 'Log in' });
    await form.getByLabel('Username').fill(who.username);
    await form.getByLabel('Password').fill('password-123');
    await form.getByRole('button', { name: 'Log in' }).click();
    await p.waitForURL(`**/t/${topicId}`);
    await p.locator('#connection[data-state="connected"]').waitFor();
    await expect.poll(() => posts(p).count()).toBe(4);
    expect(await p.locator('.account .whoami').textContent()).toBe(`Logged in as ${who.username}`);
  }

  beforeAll(async () => {
    // Short presence windows, so a closed tab leaves who-is-online within the test; presence
    // lists capped at one name, so the viewers and who-is-online show "and N more".
    ({ s, browser } = await startBrowserRig({ presenceGraceMs: 200, onlineWindowMs: 2000, presenceListLimit: 1 }));
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    const profile = async (m: Member, body: unknown) => expect((await s.api('PATCH', '/users/me', { token: m.token, body })).status).toBe(200);
    await profile(alice, { location: 'Lisbon, Portugal', fields: { Nationality: 'Portuguese' }, signature: 'Keep calm and [b]post on[/b].' });
    await profile(bob, { location: 'Leeds, UK', fields: { Nationality: 'British' } });
    await profile(carol, { location: 'Montréal', signature: '_Sent from my typewriter_' });
    expect((await s.api('PATCH', `/users/${alice.id}/groups`, { token: admin.token, body: { groups: ['Donator'] } })).status).toBe(200);

    const forum = await s.forum(admin, { title: 'General Discussion', description: 'Talk about anything.' });
    topicId = (await s.topic(forum.id, alice, { title: 'Show us your battle station', body: 'Post a description of your desk setup. Photos welcome, [b]cable mess[/b] forgiven.' })).topic.id;
    const reply = (m: Member, body: string) => s.api('POST', `/topics/${topicId}/posts`, { token: m.token, body: { body } });
    await reply(carol, 'Two monitors here. Once you go dual you never go back.');
    await reply(bob, '[quote="carol"]Two monitors here.[/quote]\nThree, actually. The third one is for the forum.');
    await reply(carol, `Careful with pasted HTML: ${XSS_IMG} and ${XSS_SCRIPT} must show as text.`);

    ctxA = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    ctxB = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    a = await ctxA.newPage();
    b = await ctxB.newPage();
    await watch(a);
    await watch(b);
  }, 60_000);

  afterAll(async () => {
    bot?.disconnect();
    await browser?.close();
    await s?.close();
  });

  it('serves the client at its routes and leaves /api alone', async () => {
    for (const route of ['/', '/login', `/t/${topicId}?page=2`, `/f/${'0'.repeat(24)}`]) {
      const res = await fetch(s.url + route);
      expect(res.status, route).toBe(200);
      expect(await res.text()).toContain('<script type="module" src="/app.js">');
    }
    const js = await fetch(`${s.url}/app.js`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, expect.stringContaining('javascript')]);
    expect((await fetch(`${s.url}/no-such-page`)).status).toBe(404);
    const api = await fetch(`${s.url}/api/v1/no-such-route`);
    expect([api.status, await api.json()]).toEqual([404, { error: { code: 'NOT_FOUND', message: expect.any(String) } }]);
  });

  it('logs two members in through the login form, onto the topic', async () => {
    await Promise.all([logIn(a, alice), logIn(b, bob)]);

    // A crawler watching the topic too, for the "[Bot]" entries.
    bot = ioClient(s.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { 'user-agent': BINGBOT } });
    await new Promise<void>((resolve, reject) => bot.once('connect', resolve).once('connect_error', reject));
    expect(await bot.timeout(5000).emitWithAck('topic:subscribe', { topicId })).toMatchObject({ ok: true });
  });

  it('renders the topic phpBB-style, with the pasted HTML inert', async () => {
    await expect.poll(() => a.locator('h1.topic-title').textContent()).toBe('Show us your battle station');
    await expect(a.locator('article.post .subject').nth(1).textContent()).resolves.toBe('Re: Show us your battle station');
    const card = a.locator(`.postprofile[data-user-id="${alice.id}"]`).first();
    for (const text of ['alice', 'New member', 'Donator', 'Lisbon, Portugal', 'Nationality', 'Portuguese', 'Has thanked', 'Been thanked']) {
      await expect(card.textContent()).resolves.toContain(text);
    }
    await expect(postWith(a, 'cable mess').locator('.content strong').textContent()).resolves.toBe('cable mess');
    await expect(postWith(a, 'cable mess').locator('.signature strong').textContent()).resolves.toBe('post on');
    await expect(postWith(a, 'Three, actually').locator('blockquote cite').textContent()).resolves.toBe('carol wrote:');
    await expect(a.locator('.action-bar.bottom .return').textContent()).resolves.toBe('Return to “General Discussion”');

    const xss = postWith(a, 'Careful with pasted HTML');
    await expect(xss.locator('.content').textContent()).resolves.toContain(`${XSS_IMG} and ${XSS_SCRIPT}`);
    expect(await xss.locator('.content img, .content script').count()).toBe(0);
    expect(await a.locator('img[src="x"]').count()).toBe(0);
  });

  it('shows who is online, the viewers of the topic and who is replying', async () => {
    await expect.poll(() => a.locator('#viewers').getAttribute('data-viewers')).toBe('3');
    await expect.poll(() => a.locator('.viewers .viewer-names').textContent()).toBe('alice, Bing [Bot] and 1 more member');
    await expect.poll(() => a.locator('#online .online-names').textContent(), { timeout: 10_000 }).toBe('Registered users: alice, Bing [Bot] and 1 more');
    expect(await a.locator('#online .online-total').textContent()).toContain('2 registered');

    await b.getByLabel('Message').pressSequentially('Hello from Bob');
    await expect.poll(() => a.locator('#typing').textContent()).toBe('bob is replying…');
  });

  it('shows a reply live in the other browser, once', async () => {
    const before = await posts(a).count();
    await b.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => postWith(a, 'Hello from Bob').count()).toBe(1);
    expect(await posts(a).count()).toBe(before + 1);
    await expect(postWith(a, 'Hello from Bob').locator('.subject').textContent()).resolves.toBe('Re: Show us your battle station');
    await expect.poll(() => a.locator('#typing').textContent()).toBe('');
    // The author's own page shows it once too (from the ack, then the live event is a repeat).
    await expect.poll(() => postWith(b, 'Hello from Bob').count()).toBe(1);
    await b.waitForTimeout(300);
    expect(await postWith(b, 'Hello from Bob').count()).toBe(1);
    await expect(b.getByLabel('Message').inputValue()).resolves.toBe('');

    // Pasted HTML arriving live is as inert as on load.
    await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: `Live: ${XSS_IMG} ${XSS_SCRIPT}` } });
    await expect.poll(() => postWith(a, 'Live: <img').locator('.content').textContent()).toContain(`${XSS_IMG} ${XSS_SCRIPT}`);
    expect(await a.locator('img[src="x"], .content script').count()).toBe(0);
  });

  it('updates the thanks count, the list and both profile cards in the other browser', async () => {
    const bobsPost = postWith(a, 'Hello from Bob');
    const thank = bobsPost.getByRole('button', { name: 'Thank' });
    // Keyboard: focus the button and press Enter; it keeps focus as it changes.
    await thank.focus();
    await a.keyboard.press('Enter');
    const onB = postWith(b, 'Hello from Bob');
    await expect.poll(() => onB.locator('[data-thanks-count]').getAttribute('data-thanks-count')).toBe('1');
    await expect.poll(() => onB.locator('.thanked-by').textContent()).toBe('alice thanked bob for this post');
    for (const cardCounter of [counter(b, bob.id, 'thanksReceived'), counter(b, alice.id, 'thanksGiven')]) {
      expect(await cardCounter.count()).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => (await cardCounter.evaluateAll((els) => els.map((e) => e.getAttribute('data-value')))).every((v) => v === '1')).toBe(true);
    }
    await expect(counter(b, bob.id, 'thanksReceived').first().textContent()).resolves.toBe('1 time');
    // The giver's own page, too, and the button now takes the thanks back.
    await expect.poll(() => counter(a, alice.id, 'thanksGiven').first().getAttribute('data-value')).toBe('1');
    await expect.poll(() => bobsPost.locator('button.thank').getAttribute('aria-pressed')).toBe('true');
    await expect(bobsPost.locator('button.thank').textContent()).resolves.toBe('Remove thanks');
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Remove thanks');
    // Bob cannot thank his own post.
    expect(await onB.locator('button.thank').isVisible()).toBe(false);

    await a.keyboard.press('Enter');
    await expect.poll(() => onB.locator('[data-thanks-count]').getAttribute('data-thanks-count')).toBe('0');
    await expect.poll(() => onB.locator('.thanked-by').isVisible()).toBe(false);
    await expect.poll(() => counter(b, bob.id, 'thanksReceived').first().getAttribute('data-value')).toBe('0');
    await expect.poll(() => counter(b, alice.id, 'thanksGiven').first().getAttribute('data-value')).toBe('0');

    await a.keyboard.press('Enter'); // thank again: the screenshot shows a thanked post
    await expect.poll(() => onB.locator('[data-thanks-count]').getAttribute('data-thanks-count')).toBe('1');
  });

  it('applies edits and deletes in place', async () => {
    const bobsPostId = await postWith(a, 'Hello from Bob').getAttribute('data-post-id');
    const edited = await s.api('PATCH', `/posts/${bobsPostId}`, { token: bob.token, body: { body: 'Hello from Bob. Mine is a [b]standing[/b] desk.' } });
    expect(edited.status).toBe(200);
    const post = a.locator(`article[data-post-id="${bobsPostId}"]`);
    await expect.poll(() => post.locator('.content').textContent()).toContain('Mine is a standing desk.');
    await expect(post.locator('.edited').isVisible()).resolves.toBe(true);
    await expect(post.locator('.edited').textContent()).resolves.toMatch(/^Last edited by bob on .+, edited 1 time in total\.$/);
    await expect(post.locator('.edited a.username').getAttribute('href')).resolves.toBe(`/u/${bob.id}`);
    // The edit carries no thanks list: the one shown stays.
    await expect(post.locator('[data-thanks-count]').getAttribute('data-thanks-count')).resolves.toBe('1');

    const liveXss = await postWith(a, 'Live: <img').getAttribute('data-post-id');
    expect((await s.api('DELETE', `/posts/${liveXss}`, { token: carol.token })).status).toBe(200);
    await expect.poll(() => a.locator(`article[data-post-id="${liveXss}"]`).count()).toBe(0);
    await expect.poll(() => b.locator(`article[data-post-id="${liveXss}"]`).count()).toBe(0);
  });

  it('looks like a forum (screenshot) and stacks the author card at phone width', async () => {
    await b.getByLabel('Message').pressSequentially('Nice');
    await expect.poll(() => a.locator('#typing').textContent()).toBe('bob is replying…');
    await saveScreenshot(a, 'topic-page', { fullPage: true });
    // The committed copy for the README is refreshed on request, so a test run leaves the tree clean.
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(DOCS_SHOT)) {
      mkdirSync(path.dirname(DOCS_SHOT), { recursive: true });
      copyFileSync(`${ARTIFACTS}topic-page.png`, DOCS_SHOT);
    }

    await a.setViewportSize({ width: 390, height: 844 });
    const first = posts(a).first();
    const card = await first.locator('.postprofile').boundingBox();
    const body = await first.locator('.postbody').boundingBox();
    expect(card && body).toBeTruthy();
    expect(card!.y + card!.height).toBeLessThanOrEqual(body!.y + 1);
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await a.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(a, 'topic-page-phone');
    await a.setViewportSize({ width: 1200, height: 900 });
    await b.getByLabel('Message').fill('');
  });

  it('drops the second member from the viewers and who-is-online when their browser closes', async () => {
    await ctxB.close();
    await expect.poll(() => a.locator('#viewers').getAttribute('data-viewers'), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => a.locator('.viewers .viewer-names').textContent()).toBe('alice, Bing [Bot]');
    await expect.poll(() => a.locator('#online .online-names').textContent(), { timeout: 10_000 }).toBe('Registered users: alice, Bing [Bot]');
  });

  it('shows reconnecting, then catches up with the posts made while the server was down', async () => {
    await a.evaluate(() => {
      const el = document.getElementById('connection')!;
      const seen: string[] = [el.dataset.state ?? ''];
      (window as unknown as { __states: string[] }).__states = seen;
      new MutationObserver(() => seen.push(el.dataset.state ?? '')).observe(el, { attributes: true, attributeFilter: ['data-state'] });
    });
    const author = { id: carol.id, username: carol.username, role: 'member' as const };
    await s.restart({
      whileDown: async (app) => {
        await expect.poll(() => a.locator('#connection').getAttribute('data-state')).toBe('reconnecting');
        await app.services.posts.reply(author, topicId, { body: 'Posted while you were away (1)' });
        await app.services.posts.reply(author, topicId, { body: 'Posted while you were away (2)' });
      },
    });
    await expect.poll(() => postWith(a, 'while you were away').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => a.locator('#connection').getAttribute('data-state')).toBe('connected');
    const states = await a.evaluate(() => (window as unknown as { __states: string[] }).__states);
    expect(states.indexOf('reconnecting')).toBeGreaterThanOrEqual(0);
    expect(states.lastIndexOf('connected')).toBeGreaterThan(states.indexOf('reconnecting'));

    // Live again after the catch-up, in order, nothing twice.
    await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: 'And one after the restart' } });
    await expect.poll(() => postWith(a, 'And one after the restart').count()).toBe(1);
    const texts = await a.locator('article.post .content').allTextContents();
    const order = ['Posted while you were away (1)', 'Posted while you were away (2)', 'And one after the restart'].map((t) => texts.findIndex((x) => x.includes(t)));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(texts.filter((x) => x.includes('while you were away')).length).toBe(2);
  });

  it('pages a long topic, and on an earlier page links to new posts instead of adding them', async () => {
    const author = { id: bob.id, username: bob.username, role: 'member' as const };
    const forumId = await a.evaluate(() => document.querySelector<HTMLAnchorElement>('.action-bar.bottom .return')!.pathname.split('/')[2]);
    const { topic: long } = await s.app.services.posts.createTopic(author, forumId, { title: 'A long thread', body: 'Post 1' });
    for (let i = 2; i <= 21; i++) await s.app.services.posts.reply(author, long.id, { body: `Post ${i}` });

    await a.goto(`${s.url}/t/${long.id}`);
    await expect.poll(() => posts(a).count()).toBe(20);
    const pages = a.getByRole('navigation', { name: 'Topic pages' }).first();
    await expect(pages.textContent()).resolves.toContain('Page 1 of 2');
    await expect(pages.getByRole('link', { name: 'Next' }).getAttribute('href')).resolves.toBe(`/t/${long.id}?page=2`);
    await a.locator('#connection[data-state="connected"]').waitFor();
    // Let the subscription settle (the viewer count arrives once it is in place).
    await expect.poll(() => a.locator('#viewers').getAttribute('data-viewers')).toBe('1');

    const made = await s.api('POST', `/topics/${long.id}/posts`, { token: carol.token, body: { body: 'Post 22, while you read page 1' } });
    const link = a.locator('.new-posts a');
    await expect.poll(() => link.textContent()).toBe('1 new post since you opened this page');
    expect(await posts(a).count()).toBe(20);
    await expect(link.getAttribute('href')).resolves.toBe(`/t/${long.id}?page=2#p${made.body.post.id}`);

    await link.click();
    await expect.poll(() => postWith(a, 'Post 22, while you read page 1').count()).toBe(1);
    expect(await posts(a).count()).toBe(2);
    await expect(a.getByRole('navigation', { name: 'Topic pages' }).first().getByRole('link', { name: 'Previous' }).getAttribute('href')).resolves.toBe(`/t/${long.id}`);
    // On the last page, new posts come in place again.
    const last = await s.api('POST', `/topics/${long.id}/posts`, { token: carol.token, body: { body: 'Post 23, live on page 2' } });
    await expect.poll(() => posts(a).count()).toBe(3);

    // "Last post" in the forum's list goes to the page holding it, scrolled to it.
    await a.goto(`${s.url}/f/${forumId}`);
    await a.locator(`tr[data-topic-id="${long.id}"] .lastpost a[title="Go to last post"]`).click();
    await a.waitForURL(`**/t/${long.id}?page=2#p${last.body.post.id}`);
    await expect.poll(() => posts(a).count()).toBe(3);
    await expect(a.locator(`#p${last.body.post.id}`).isVisible()).resolves.toBe(true);
  });

  it('says so, live, when a moderator deletes the topic, and offers no reply', async () => {
    const longId = new URL(a.url()).pathname.split('/')[2];
    await expect(a.locator('.reply-area').isVisible()).resolves.toBe(true);
    const mod = await s.user('browser_mod', 'moderator');
    expect((await s.api('DELETE', `/topics/${longId}`, { token: mod.token })).status).toBe(200);
    await expect.poll(() => a.locator('.deleted-notice').isVisible()).toBe(true);
    await expect(a.locator('.deleted-notice').textContent()).resolves.toBe('This topic was deleted by a moderator.');
    await expect(a.locator('.reply-area').isVisible()).resolves.toBe(false);
    await expect(a.locator('.action-bar.top').getByRole('link', { name: 'Post Reply' }).count()).resolves.toBe(0);
  });

  it('keeps a forum\'s topic list live: a reply moves its topic up, a new topic appears, a deleted one goes', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    await a.goto(`${s.url}/f/${forumId}`);
    const LIVE = { timeout: 5_000 }; // the list is fetched again 250 ms after a burst of events
    const rows = () => a.locator('table.topics tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('.topictitle')?.textContent));
    await expect.poll(rows, LIVE).toEqual(['Show us your battle station']); // the long thread was deleted above
    await a.locator('#connection[data-state="connected"]').waitFor();

    const made = await s.api('POST', `/forums/${forumId}/topics`, { token: carol.token, body: { title: 'Standing or sitting?', body: 'Asking for my back.' } });
    await expect.poll(rows, LIVE).toEqual(['Standing or sitting?', 'Show us your battle station']);
    await s.api('POST', `/topics/${topicId}/posts`, { token: bob.token, body: { body: 'Bumping the battle stations.' } });
    await expect.poll(rows, LIVE).toEqual(['Show us your battle station', 'Standing or sitting?']);
    await expect(a.locator(`tr[data-topic-id="${topicId}"] .last`).textContent()).resolves.toContain('bob');
    const mod = await s.user('browser_mod_2', 'moderator');
    expect((await s.api('DELETE', `/topics/${made.body.topic.id}`, { token: mod.token })).status).toBe(200);
    await expect.poll(rows, LIVE).toEqual(['Show us your battle station']);
  });

  it('starts a topic from the forum page and lands on it; what is typed survives a live refresh', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    await a.goto(`${s.url}/f/${forumId}`);
    await a.locator('#connection[data-state="connected"]').waitFor();
    await a.getByRole('button', { name: 'New Topic' }).click();
    const form = a.getByRole('form', { name: 'Post a new topic' });
    await expect(form.getByLabel('Subject').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await form.getByLabel('Subject').pressSequentially('Cable trays: worth it?');
    // A reply elsewhere in the forum makes the page fetch its listing again meanwhile.
    await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: 'Bump while someone types.' } });
    await expect.poll(() => a.locator(`tr[data-topic-id="${topicId}"] .last`).textContent(), { timeout: 5_000 }).toContain('carol');
    await expect(form.getByLabel('Subject').inputValue()).resolves.toBe('Cable trays: worth it?');
    await form.getByLabel('Message').fill('Mine are **zip ties** and hope.');
    await form.getByRole('button', { name: 'Submit' }).click();
    await a.waitForURL(/\/t\/[a-f0-9]{24}$/);
    await expect(a.locator('h1.topic-title').textContent()).resolves.toBe('Cable trays: worth it?');
    await expect(posts(a).first().locator('.content strong').textContent()).resolves.toBe('zip ties');
  });

  it('offers a guest New Topic as a way to log in, and brings them back to the forum to post', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    const guestCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const g = await guestCtx.newPage();
      await watch(g);
      await g.goto(`${s.url}/f/${forumId}`);
      const link = g.locator('.action-bar').first().getByRole('link', { name: 'New Topic' });
      await expect(link.getAttribute('href')).resolves.toBe(`/login?next=${encodeURIComponent(`/f/${forumId}`)}`);
      await link.click();
      const form = g.getByRole('form', { name: 'Log in' });
      await form.getByLabel('Username').fill(carol.username);
      await form.getByLabel('Password').fill('password-123');
      await form.getByRole('button', { name: 'Log in' }).click();
      await g.waitForURL(`**/f/${forumId}`);
      await g.getByRole('button', { name: 'New Topic' }).click();
      await expect(g.getByRole('form', { name: 'Post a new topic' }).isVisible()).resolves.toBe(true);
    } finally {
      await guestCtx.close();
    }
  });

  it('keeps a half-written reply when the member is signed out, and gives it back once they log in again', async () => {
    const dora = await s.user('dora');
    const mod = await s.user('browser_mod_3', 'moderator');
    const doraCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const logInAsDora = async (d: Page) => {
      const form = d.getByRole('form', { name: 'Log in' });
      await form.getByLabel('Username').fill('dora');
      await form.getByLabel('Password').fill('password-123');
      await form.getByRole('button', { name: 'Log in' }).click();
      await d.waitForURL(`**/t/${topicId}`);
      await d.locator('#connection[data-state="connected"]').waitFor();
    };
    try {
      const d = await doraCtx.newPage();
      await watch(d);
      await d.goto(`${s.url}/login?next=${encodeURIComponent(`/t/${topicId}`)}`);
      await logInAsDora(d);
      await d.locator('#reply-body').fill('Half-written thought');

      // A ban revokes her token: the page carries on as a guest and says why.
      expect((await s.api('POST', `/users/${dora.id}/ban`, { token: mod.token, body: { reason: 'a test', minutes: 1 } })).status).toBe(200);
      await d.locator('.page-notice').waitFor();
      await expect(d.locator('.page-notice').textContent()).resolves.toContain('signed out');
      await expect(d.locator('#reply-body').count()).resolves.toBe(0);

      expect((await s.api('DELETE', `/users/${dora.id}/ban`, { token: mod.token })).status).toBe(200);
      await d.locator('.account').getByRole('link', { name: 'Log in' }).click();
      await logInAsDora(d);
      await expect(d.locator('.page-notice').isVisible()).resolves.toBe(false);
      await expect(d.locator('#reply-body').inputValue()).resolves.toBe('Half-written thought');

      // Sent, the draft is forgotten: the form comes back empty.
      await d.getByRole('button', { name: 'Submit' }).click();
      await expect.poll(async () => s.models.Post.countDocuments({ body: 'Half-written thought' })).toBe(1);
      // The page forgets the draft when its send is answered, which can come after the post is
      // stored: wait for the form to clear before reloading (under load the reload won the race).
      await expect.poll(() => d.locator('#reply-body').inputValue()).toBe('');
      await d.reload();
      await d.locator('#connection[data-state="connected"]').waitFor();
      await expect(d.locator('#reply-body').inputValue()).resolves.toBe('');
    } finally {
      await doraCtx.close();
    }
  });

  it('quotes a post into the reply form, and the reply shows the quote attributed', async () => {
    await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: 'Quotable **words**.' } });
    await a.goto(`${s.url}/t/${topicId}?page=999`);
    const quoted = postWith(a, 'Quotable words.');
    await quoted.waitFor();
    await quoted.getByRole('button', { name: 'Quote carol' }).click();
    const message = a.getByLabel('Message');
    await expect(message.inputValue()).resolves.toBe('[quote="carol"]\nQuotable **words**.\n[/quote]\n');
    await expect(message.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await message.pressSequentially('Agreed.');
    await a.getByRole('button', { name: 'Submit' }).click();
    const reply = postWith(a, 'Agreed.');
    await reply.waitFor();
    await expect(reply.locator('.content blockquote cite').textContent()).resolves.toBe('carol wrote:');
    await expect(reply.locator('.content blockquote strong').textContent()).resolves.toBe('words');
  });

  it('lets a member edit and delete their own post in place, and no one else\'s', async () => {
    const postId = (await postWith(a, 'Agreed.').getAttribute('data-post-id'))!;
    const mine = a.locator(`article[data-post-id="${postId}"]`);
    await expect(postWith(a, 'Quotable words.').first().getByRole('button', { name: /^Edit/ }).count()).resolves.toBe(0);

    await mine.getByRole('button', { name: /^Edit post/ }).click();
    const editor = mine.getByLabel('Edit message');
    await expect(editor.inputValue()).resolves.toBe('[quote="carol"]\nQuotable **words**.\n[/quote]\nAgreed.');
    await editor.fill('Agreed, *mostly*.');
    await mine.getByRole('button', { name: 'Save' }).click();
    const edited = mine;
    await expect.poll(async () => (await edited.locator('.content').textContent())?.trim()).toBe('Agreed, mostly.');
    await expect(edited.locator('.content em').textContent()).resolves.toBe('mostly');
    await expect(edited.locator('.edited').isVisible()).resolves.toBe(true);
    expect((await s.models.Post.findById(postId).lean())!.body).toBe('Agreed, *mostly*.');

    const del = edited.getByRole('button', { name: /^Delete post/ });
    await del.click();
    await expect(del.textContent()).resolves.toBe('Really delete?');
    expect((await s.models.Post.findById(postId).lean())!.deleted).toBe(false); // one click asks, it does not delete
    await del.click();
    await expect.poll(() => a.locator(`article[data-post-id="${postId}"]`).count()).toBe(0);
    expect((await s.models.Post.findById(postId).lean())!.deleted).toBe(true);
  });

  it('locks live: members lose the reply form and their Edit; a moderator still replies, and members see it', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    const made = await s.topic(forumId, alice, { title: 'Soon locked', body: 'My own words.' });
    const lockedId = made.topic.id as string;
    await a.goto(`${s.url}/t/${lockedId}`);
    await a.locator('#connection[data-state="connected"]').waitFor();
    const own = a.locator(`article[data-post-id="${made.post.id}"]`);
    await own.waitFor(); // the page is drawn once its REST answers are in, which may come after the socket connects
    await expect(own.getByRole('button', { name: /^Edit post/ }).isVisible()).resolves.toBe(true);

    const mod = await s.user('browser_mod_4', 'moderator');
    expect((await s.api('POST', `/topics/${lockedId}/lock`, { token: mod.token })).status).toBe(200);
    await expect.poll(() => a.locator('.locked-notice').isVisible()).toBe(true);
    await expect(a.locator('.locked-notice').textContent()).resolves.toBe('This topic is locked: you cannot reply to it.');
    await expect(a.locator('.reply-area').isVisible()).resolves.toBe(false);
    await expect(own.getByRole('button', { name: /^Edit post/ }).isVisible()).resolves.toBe(false);
    await expect(own.getByRole('button', { name: /^Quote/ }).isVisible()).resolves.toBe(false);

    const modCtx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    try {
      const m = await modCtx.newPage();
      await watch(m);
      await m.goto(`${s.url}/login?next=${encodeURIComponent(`/t/${lockedId}`)}`);
      const login = m.getByRole('form', { name: 'Log in' });
      await login.getByLabel('Username').fill('browser_mod_4');
      await login.getByLabel('Password').fill('password-123');
      await login.getByRole('button', { name: 'Log in' }).click();
      await m.waitForURL(`**/t/${lockedId}`);
      await expect(m.locator('.locked-notice').textContent()).resolves.toBe('This topic is locked: only moderators can reply.');
      await expect(m.locator('.action-bar.top').getByRole('link', { name: 'Post Reply' }).count()).resolves.toBe(1);
      await m.locator('#reply-body').fill('Locked: asked and answered.');
      await m.getByRole('button', { name: 'Submit' }).click();
      await postWith(a, 'Locked: asked and answered.').waitFor();
    } finally {
      await modCtx.close();
    }
  });

  /** Every GET of `path` (the web client's API, e.g. `/forums`) this page makes from now on. */
  function countFetches(p: Page, apiPath: string): { readonly urls: string[]; stop(): void } {
    const urls: string[] = [];
    const listener = (r: { method(): string; url(): string }) => {
      const { pathname } = new URL(r.url());
      if (r.method() !== 'GET' || !pathname.startsWith('/api/v1/')) return;
      const at = pathname.slice('/api/v1'.length);
      if (at === apiPath) urls.push(r.url());
    };
    p.on('request', listener);
    return { urls, stop: () => p.off('request', listener) };
  }

  it('keeps the board index live: new posts move counts, "last post" and New in place, without fetching it again', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    const fetches = countFetches(a, '/forums');
    try {
      await a.goto(`${s.url}/`);
      const row = a.locator(`tr[data-forum-id="${forumId}"]`);
      await row.waitFor();
      await a.locator('#connection[data-state="connected"]').waitFor();
      // Alice has read everything: no New mark yet.
      await s.api('POST', '/forums/read', { token: alice.token, body: {} });
      await a.reload();
      await row.waitFor();
      await expect.poll(() => row.getAttribute('class')).toBeNull();
      const number = async (label: string) => Number(await row.locator(`[data-label="${label}"]`).textContent());
      const [posts0, topics0] = [await number('Posts'), await number('Topics')];
      const fetched = fetches.urls.length;
      // The statistics: totals are the rows' sums; members, the newest and the record come from GET /stats.
      const stat = (name: string) => a.locator(`.statistics [data-stat="${name}"]`);
      const totalPosts0 = Number(await stat('posts').textContent());
      const stats = (await s.api('GET', '/stats')).body;
      expect(Number(await stat('members').textContent())).toBe(stats.members);
      expect(await stat('newest').textContent()).toBe(stats.newestMember.username);
      expect(Number(await stat('most-online').textContent())).toBeGreaterThanOrEqual(2); // alice and bob were online together

      const reply = (await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: 'Seen from the index.' } })).body.post;
      await expect.poll(() => number('Posts')).toBe(posts0 + 1);
      expect(await row.locator('.last').textContent()).toContain('carol');
      expect(await row.getAttribute('class')).toBe('unread');
      const started = (await s.api('POST', `/forums/${forumId}/topics`, { token: bob.token, body: { title: 'A topic from the index', body: 'Hello index.' } })).body;
      await expect.poll(() => number('Topics')).toBe(topics0 + 1);
      expect(await number('Posts')).toBe(posts0 + 2);
      expect(Number(await stat('posts').textContent())).toBe(totalPosts0 + 2);
      expect(await row.locator('.last a').first().textContent()).toBe('A topic from the index');
      // Patched from the events alone: the page did not ask the server (a fetch would come a second after the event).
      await a.waitForTimeout(1_500);
      expect(fetches.urls.length).toBe(fetched);

      // A deletion's effect cannot be worked out from the event: the index asks once.
      expect((await s.api('DELETE', `/posts/${reply.id}`, { token: carol.token })).status).toBe(200);
      await expect.poll(() => number('Posts'), { timeout: 6_000 }).toBe(posts0 + 1);
      expect(fetches.urls.length).toBe(fetched + 1);
      expect((await s.api('DELETE', `/posts/${started.post.id}`, { token: bob.token })).status).toBe(200);
    } finally {
      fetches.stop();
    }
  });

  it('keeps a forum page live: a new topic and a reply take the top row in place; a lock fetches the page', async () => {
    const forumId = String((await s.models.Topic.findById(topicId).lean())!.forumId);
    const fetches = countFetches(a, `/forums/${forumId}/topics`);
    try {
      await a.goto(`${s.url}/f/${forumId}`);
      await a.locator('table.topics tbody tr[data-topic-id]').first().waitFor();
      await a.locator('#connection[data-state="connected"]').waitFor();
      const fetched = fetches.urls.length;
      const firstRow = a.locator('table.topics tbody tr').first();

      const started = (await s.api('POST', `/forums/${forumId}/topics`, { token: bob.token, body: { title: 'Fresh on the forum page', body: 'First.' } })).body;
      await expect.poll(() => firstRow.getAttribute('data-topic-id')).toBe(started.topic.id);
      expect(await firstRow.locator('.topictitle').textContent()).toBe('Fresh on the forum page');
      expect(await firstRow.getAttribute('class')).toBe('unread');
      await s.api('POST', `/topics/${topicId}/posts`, { token: carol.token, body: { body: 'Back to the top.' } });
      await expect.poll(() => firstRow.getAttribute('data-topic-id')).toBe(topicId);
      expect(await firstRow.locator('.last').textContent()).toContain('carol');
      expect(await a.locator(`tr[data-topic-id="${started.topic.id}"] [data-label="Replies"]`).textContent()).toBe('0');
      await a.waitForTimeout(700); // a fetch would come 250 ms after the event
      expect(fetches.urls.length).toBe(fetched);

      // A lock: the page asks again, and shows it.
      const mod = await s.user('listing-mod', 'moderator');
      expect((await s.api('POST', `/topics/${started.topic.id}/lock`, { token: mod.token, body: {} })).status).toBe(200);
      await a.locator(`tr[data-topic-id="${started.topic.id}"] .badge.locked`).waitFor();
      expect(fetches.urls.length).toBe(fetched + 1);
    } finally {
      fetches.stop();
    }
  });

  it('never ran pasted script and threw no page errors', () => {
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
