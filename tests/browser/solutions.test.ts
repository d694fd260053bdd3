// Solutions in Chromium: the topic's author marks a reply as the solution with the post's own
// button; another member's open page shows the "✓ Solution" badge and, under the opening post,
// "Solved: see the answer by <name>" live, and its link goes to the post; the forum listing says
// Solved, live; the answer's author is told (notifications page, linked to the post). The author
// moves it to another reply and unmarks it: every page follows. Members get no button on others'
// topics, the opening post never has one; a refusal shows inline. A moderator marks a reply in a
// locked topic (the author's buttons go with the lock), on a later page: the box links there;
// deleting that post clears it live. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { replyAs, type TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('solutions');

/** What a topic page shows of the solution: posts with a visible badge, the box under the opening post and its link, and each visible button (post, label). */
type Shown = { badges: string[]; box: string | null; href: string | null; buttons: Array<[postId: string, label: string]> };

/** A title a browser must show as text, never as markup. */
const TITLE = 'How do I <b>reset</b> my password?';

describe.skipIf(chromiumMissing)('solutions in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let forumId: string;
  let topicId: string;
  let firstPostId: string;
  let bobPostId: string;
  let carolPostId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const article = (p: Page, postId: string) => p.locator(`article.post[data-post-id="${postId}"]`);
  const box = (p: Page) => p.locator('aside.solved-box');
  /** Everything the page shows of the solution (hidden parts left out). */
  const shown = async (p: Page): Promise<Shown> => {
    const visible = 'article.post .badge.solution:not([hidden])';
    const badges = await p.locator(visible).evaluateAll((els) => els.map((el) => el.closest('article')?.dataset.postId ?? ''));
    const buttons = await p
      .locator('article.post button.mark-solution:not([hidden])')
      .evaluateAll((els) => els.map((el) => [el.closest('article')?.dataset.postId ?? '', el.textContent ?? ''] as [string, string]));
    const open = (await box(p).count()) > 0 && (await box(p).isVisible());
    return { badges, box: open ? await box(p).textContent() : null, href: open ? await box(p).locator('a').getAttribute('href') : null, buttons };
  };
  const serverSolution = async (id: string) => (await s.api('GET', `/topics/${id}`)).body.topic.solution;
  /** Whether the element's top is within the window (it was scrolled to). */
  const inView = (p: Page, postId: string) =>
    article(p, postId).evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight;
    });

  /** A page on a topic (at a page of it), live. */
  const onTopic = (p: Page, id: string, page = 1) => openTopic(p, s.url, id, page);

  const reply = (id: string, who: Member, body: string) => replyAs(s, id, who, body);

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    forumId = (await s.forum(admin, { title: 'Help', description: 'Questions and answers.' })).id;
    const made = await s.topic(forumId, alice, { title: TITLE, body: 'I forgot it and the mail never comes.' });
    topicId = made.topic.id;
    firstPostId = made.post.id;
    bobPostId = await reply(topicId, bob, 'Use the "Forgot password" link, then check your spam folder.');
    carolPostId = await reply(topicId, carol, 'An administrator can reset it for you too.');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at a topic and at a post in it', async () => {
    await expectPageShell(s.url, [`/t/${topicId}`, `/t/${topicId}?post=${bobPostId}`]);
  });

  it('the author marks a reply; pages and the listing follow live; the answer’s author is told; moved, then unmarked', { timeout: 90_000 }, async () => {
    // A guest on the forum listing: no Solved yet.
    const l = await newPage();
    await l.goto(`${s.url}/f/${forumId}`);
    const row = l.locator(`tr[data-topic-id="${topicId}"]`);
    await row.waitFor(LIVE);
    await l.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await row.locator('.badge.solved').count()).toBe(0);
    expect(await row.locator('.topictitle').textContent()).toBe(TITLE);

    // Alice, the author: Mark as solution on each reply, not on her opening post. Carol, a
    // member, sees no button on Alice's topic (nor on her own reply), no badge, no box.
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);
    const c = await newPage();
    await logIn(c, carol, `/t/${topicId}`);
    await onTopic(c, topicId);
    const none: Shown = { badges: [], box: null, href: null, buttons: [] };
    expect(await shown(a)).toEqual({ ...none, buttons: [[bobPostId, 'Mark as solution'], [carolPostId, 'Mark as solution']] });
    expect(await article(a, firstPostId).getByRole('button', { name: /solution/i }).count()).toBe(0);
    expect(await shown(c)).toEqual(none);
    expect(await c.getByRole('button', { name: /solution/i }).count()).toBe(0);
    for (const p of [a, c, l]) await markPage(p);

    // Alice marks Bob's reply: one click; her button now unmarks it (and keeps focus).
    await article(a, bobPostId).getByRole('button', { name: 'Mark as solution' }).click();
    const bobChosen = { badges: [bobPostId], box: '✓ Solved: see the answer by bob', href: `/t/${topicId}#p${bobPostId}` };
    await expect.poll(() => shown(a), LIVE).toEqual({ ...bobChosen, buttons: [[bobPostId, 'Unmark solution'], [carolPostId, 'Mark as solution']] });
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Unmark solution');
    expect(await article(a, bobPostId).locator('.badge.solution').textContent()).toBe('✓ Solution');
    expect(await serverSolution(topicId)).toEqual({ postId: bobPostId, number: 2, authorId: bob.id, authorName: 'bob' });
    await saveScreenshot(a, 'solution-author', { fullPage: true });

    // Carol's open page shows it without a reload: the badge on Bob's post, the box under the
    // opening post (inside it, after its text), and still no buttons.
    await expect.poll(() => shown(c), LIVE).toEqual({ ...bobChosen, buttons: [] });
    expect(await article(c, firstPostId).locator('aside.solved-box').count()).toBe(1);
    expect(await c.getByRole('complementary', { name: 'Solution' }).count()).toBe(1);
    expect(await article(c, carolPostId).locator('.badge.solution').isHidden()).toBe(true);
    // The listing says Solved, live.
    await expect.poll(() => row.locator('.badge.solved').textContent(), LIVE).toBe('Solved');
    await saveScreenshot(c, 'solution-marked', { fullPage: true });

    // The box's link goes to Bob's post, in the page: the browser scrolls, the page is not drawn again.
    await c.evaluate(() => window.scrollTo(0, 0));
    await c.evaluate(() => document.querySelector('main')!.firstElementChild!.setAttribute('data-drawn-once', 'yes'));
    await box(c).getByRole('link', { name: 'see the answer by bob' }).click();
    await c.waitForURL(`${s.url}/t/${topicId}#p${bobPostId}`, LIVE);
    await expect.poll(() => inView(c, bobPostId), LIVE).toBe(true);
    expect(await c.evaluate(() => document.querySelector('main')!.firstElementChild!.getAttribute('data-drawn-once'))).toBe('yes');
    expect(await shown(c)).toEqual({ ...bobChosen, buttons: [] });

    // Bob is told: a `solution` notification from Alice, worded on his notifications page and
    // linked to his post, which opens with its badge (and no button: not his topic).
    const bobsSolutions = async () =>
      ((await s.api('GET', '/notifications', { token: bob.token })).body.notifications as Array<{ kind: string; actor: { username: string }; postId: string; topicId: string }>)
        .filter((n) => n.kind === 'solution')
        .map((n) => ({ actor: n.actor.username, postId: n.postId, topicId: n.topicId }));
    await expect.poll(bobsSolutions, LIVE).toEqual([{ actor: 'alice', postId: bobPostId, topicId }]);
    const b = await newPage();
    await logIn(b, bob, '/notifications');
    const line = b.locator('li.notification[data-kind="solution"]');
    await line.waitFor(LIVE);
    expect(await line.locator('.notification-text').textContent()).toBe(`alice chose your post as the solution in ${TITLE}`);
    expect(await line.locator('a.notification-text').getAttribute('href')).toBe(`/t/${topicId}?post=${bobPostId}#p${bobPostId}`);
    await line.locator('a.notification-text').click();
    await b.waitForURL(`${s.url}/t/${topicId}#p${bobPostId}`, LIVE);
    await b.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => shown(b), LIVE).toEqual({ ...bobChosen, buttons: [] });
    expect(await inView(b, bobPostId)).toBe(true);
    await markPage(b);

    // Alice chooses Carol's reply instead: Bob's badge goes, Carol's comes, the box names her.
    await article(a, carolPostId).getByRole('button', { name: 'Mark as solution' }).click();
    const carolChosen = { badges: [carolPostId], box: '✓ Solved: see the answer by carol', href: `/t/${topicId}#p${carolPostId}` };
    await expect.poll(() => shown(a), LIVE).toEqual({ ...carolChosen, buttons: [[bobPostId, 'Mark as solution'], [carolPostId, 'Unmark solution']] });
    for (const p of [c, b]) await expect.poll(() => shown(p), LIVE).toEqual({ ...carolChosen, buttons: [] });
    expect((await serverSolution(topicId)).postId).toBe(carolPostId);

    // Alice unmarks it: every page goes back to none, the listing too.
    await article(a, carolPostId).getByRole('button', { name: 'Unmark solution' }).click();
    await expect.poll(() => shown(a), LIVE).toEqual({ ...none, buttons: [[bobPostId, 'Mark as solution'], [carolPostId, 'Mark as solution']] });
    for (const p of [c, b]) await expect.poll(() => shown(p), LIVE).toEqual(none);
    await expect.poll(() => row.locator('.badge.solved').count(), LIVE).toBe(0);
    expect(await serverSolution(topicId)).toBeUndefined();
    for (const p of [a, c, b, l]) expect(await notReloaded(p)).toBe(true);

    // A refusal shows under the post: the topic is locked behind the page's back (in the
    // database, which pushes nothing), so the server refuses Alice, and says why.
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { locked: true } });
    await article(a, bobPostId).getByRole('button', { name: 'Mark as solution' }).click();
    await expect.poll(() => article(a, bobPostId).getByRole('alert').textContent(), LIVE).toBe('This topic is locked');
    expect(await serverSolution(topicId)).toBeUndefined();
    expect(await shown(a)).toEqual({ ...none, buttons: [[bobPostId, 'Mark as solution'], [carolPostId, 'Mark as solution']] });
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { locked: false } });
    for (const p of [a, c, b, l]) await p.context().close();
  });

  it('a moderator marks a reply on a later page of a locked topic; the box links there; deleting the post clears it', { timeout: 90_000 }, async () => {
    const made = await s.api('POST', `/forums/${forumId}/topics`, { token: alice.token, body: { title: 'Which backup tool?', body: 'Looking for something simple.' } });
    const longId: string = made.body.topic.id;
    const replies: string[] = [];
    for (let n = 2; n <= 22; n++) replies.push(await reply(longId, n % 2 ? carol : bob, `Answer number ${n}.`));
    const answerId = replies.at(-1)!; // post #22, by Bob, on page 2

    // Alice (the author) and a guest on page 1; the moderator on page 2.
    const a = await newPage();
    await logIn(a, alice, `/t/${longId}`);
    await onTopic(a, longId);
    const g = await newPage();
    await onTopic(g, longId);
    const m = await newPage();
    await logIn(m, mod, `/t/${longId}?page=2`);
    await onTopic(m, longId, 2);
    expect((await shown(a)).buttons).toHaveLength(19);
    expect(await shown(g)).toEqual({ badges: [], box: null, href: null, buttons: [] });
    expect((await shown(m)).buttons).toEqual([
      [replies[19], 'Mark as solution'],
      [answerId, 'Mark as solution'],
    ]);
    for (const p of [a, g, m]) await markPage(p);

    // A moderator locks it: the author's buttons go, live; the moderator keeps his.
    expect((await s.api('POST', `/topics/${longId}/lock`, { token: mod.token })).status).toBe(200);
    await expect.poll(async () => (await shown(a)).buttons, LIVE).toEqual([]);
    await a.locator('.locked-notice').waitFor(LIVE);
    expect((await shown(m)).buttons).toHaveLength(2);

    // The server's rules, as the pages drew them: the author is refused while it is locked, a
    // member always, and the opening post cannot be the answer.
    const refused = await s.api('POST', `/topics/${longId}/solution`, { token: alice.token, body: { postId: answerId } });
    expect([refused.status, refused.body.error.code]).toEqual([423, 'LOCKED']);
    expect((await s.api('POST', `/topics/${longId}/solution`, { token: carol.token, body: { postId: answerId } })).status).toBe(403);
    expect((await s.api('POST', `/topics/${longId}/solution`, { token: mod.token, body: { postId: made.body.post.id } })).status).toBe(400);

    // The moderator marks Bob's post #22 on page 2.
    await article(m, answerId).getByRole('button', { name: 'Mark as solution' }).click();
    await expect.poll(() => shown(m), LIVE).toEqual({
      badges: [answerId],
      box: null, // the opening post is on page 1
      href: null,
      buttons: [
        [replies[19], 'Mark as solution'],
        [answerId, 'Unmark solution'],
      ],
    });
    // Page 1 shows the box live, linked to the post wherever it is.
    const onLaterPage = { badges: [], box: '✓ Solved: see the answer by bob', href: `/t/${longId}?post=${answerId}#p${answerId}` };
    for (const p of [a, g]) await expect.poll(() => shown(p), LIVE).toEqual({ ...onLaterPage, buttons: [] });
    for (const p of [a, g, m]) expect(await notReloaded(p)).toBe(true);

    // Alice follows it: page 2, scrolled to the post, which wears the badge.
    await box(a).getByRole('link', { name: 'see the answer by bob' }).click();
    await a.waitForURL(`${s.url}/t/${longId}?page=2#p${answerId}`, LIVE);
    await expect.poll(() => shown(a), LIVE).toEqual({ badges: [answerId], box: null, href: null, buttons: [] });
    expect(await inView(a, answerId)).toBe(true);
    await saveScreenshot(a, 'solution-later-page');

    // The chosen post is deleted: the solution goes with it, live, from the box on page 1.
    expect((await s.api('DELETE', `/posts/${answerId}`, { token: mod.token })).status).toBe(200);
    await expect.poll(() => shown(g), LIVE).toEqual({ badges: [], box: null, href: null, buttons: [] });
    await expect.poll(() => article(m, answerId).count(), LIVE).toBe(0);
    expect((await shown(m)).buttons).toEqual([[replies[19], 'Mark as solution']]);
    expect(await serverSolution(longId)).toBeUndefined();
    for (const p of [a, g, m]) await p.context().close();
  });

  it('a forum lists all, solved or unsolved topics; the unsolved list drops a topic live when it is solved', { timeout: 60_000 }, async () => {
    const forum = forumId;
    const open = (await s.api('POST', `/forums/${forum}/topics`, { token: bob.token, body: { title: 'Open one', body: 'Anyone?' } })).body.topic.id;
    const openReply = await reply(open, carol, 'Try turning it off and on.');
    const titles = (p: Page) => p.locator('table.topics tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('.topictitle')?.textContent ?? ''));
    const expected = async (solved: 'yes' | 'no') => ((await s.api('GET', `/forums/${forum}/topics?solved=${solved}`)).body.topics as Array<{ title: string }>).map((t) => t.title);

    const a = await newPage();
    await logIn(a, alice, `/f/${forum}`);
    const tabs = a.getByRole('navigation', { name: 'Solved or unsolved topics' });
    await tabs.waitFor(LIVE);
    expect(await tabs.getByRole('link').allTextContents()).toEqual(['All topics', 'Solved', 'Unsolved']);
    expect(await tabs.locator('[aria-current="page"]').textContent()).toBe('All topics');
    await tabs.getByRole('link', { name: 'Unsolved', exact: true }).click();
    await a.waitForURL(`${s.url}/f/${forum}?solved=no`, LIVE);
    await expect.poll(() => titles(a), LIVE).toEqual(await expected('no'));
    expect(await titles(a)).toContain('Open one');
    await markPage(a);

    // Bob marks Carol's reply: his topic leaves the unsolved list in Alice's open page.
    expect((await s.api('POST', `/topics/${open}/solution`, { token: bob.token, body: { postId: openReply } })).status).toBe(200);
    await expect.poll(() => titles(a), LIVE).not.toContain('Open one');
    expect(await titles(a)).toEqual(await expected('no'));
    expect(await notReloaded(a)).toBe(true);

    await tabs.getByRole('link', { name: 'Solved', exact: true }).click();
    await a.waitForURL(`${s.url}/f/${forum}?solved=yes`, LIVE);
    await expect.poll(() => titles(a), LIVE).toContain('Open one');
    expect(await titles(a)).toEqual(await expected('yes'));
    // A new topic is unsolved: the solved list, which an event cannot patch, asks again and still leaves it out.
    const fresh = await s.api('POST', `/forums/${forum}/topics`, { token: carol.token, body: { title: 'Brand new question', body: 'Help?' } });
    expect(fresh.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1_000)); // the event, and the fetch it causes (250 ms later), have come
    expect(await titles(a)).toEqual(await expected('yes'));
    expect(await titles(a)).not.toContain('Brand new question');
    await a.context().close();
  });
});
