// Ignoring a member in Chromium: Alice ignores Bob from his profile (her other tab's topic page
// folds his posts at once); in the topic Bob's posts are folded for her ("on your ignore list",
// number and anchor kept), never a moderator's, and not for Carol; "Show this post" unfolds one,
// which stays unfolded through an edit; Bob's new post arrives live folded and stays folded
// through an edit; staff profiles offer no Ignore button and a refusal shows inline; Bob's New
// message to her shows the server's refusal; the User Control Panel lists Bob, and Stop ignoring
// there unfolds his posts (live in her other tab, and after a reload). The real server (serving
// the built client) on port 0, checked against its REST answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell } from '../helpers/browser-pages.js';

reportIfMissing('ignore');

const FOLDED = 'This post was made by bob who is on your ignore list.';
const BOB_BODY = 'Bob’s first reply, <b>not</b> bold.';

describe.skipIf(chromiumMissing)('ignoring a member in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let admin: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let dave: Member;
  let topicId: string;
  let alicePostId: string;
  let bobPostId: string;
  let modPostId: string;
  const { newPage, watch, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const article = (p: Page, postId: string) => p.locator(`article.post[data-post-id="${postId}"]`);
  /** A post's body as shown (the server's HTML ends with a line break). */
  const bodyOf = async (p: Page, postId: string) => (await article(p, postId).locator('.content').textContent())?.trim();
  const isFolded = async (p: Page, postId: string) => ((await article(p, postId).getAttribute('class')) ?? '').split(' ').includes('folded');
  const ignoring = async (who: Member) => (await s.api('GET', '/users/me', { token: who.token })).body.ignoring;
  const ignoreButton = (p: Page) => p.getByRole('button', { name: /^(Ignore this member|Stop ignoring)$/ });
  async function openTopic(p: Page): Promise<void> {
    await p.goto(`${s.url}/t/${topicId}`);
    await article(p, modPostId).waitFor(LIVE);
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    admin = await s.user('root', 'admin');
    mod = await s.user('mia', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    dave = await s.user('dave');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    const made = await s.topic(forum.id, alice, { title: 'Hello there', body: 'Alice opens.' });
    topicId = made.topic.id;
    alicePostId = made.post.id;
    bobPostId = (await s.api('POST', `/topics/${topicId}/posts`, { token: bob.token, body: { body: BOB_BODY } })).body.post.id;
    modPostId = (await s.api('POST', `/topics/${topicId}/posts`, { token: mod.token, body: { body: 'Be nice, everyone.' } })).body.post.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /u/:id and /ucp', async () => {
    await expectPageShell(s.url, [`/u/${bob.id}`, '/ucp']);
  });

  it('ignores from the profile, folds the posts, unfolds on request, and stops from the UCP', { timeout: 90_000 }, async () => {
    // Alice's second tab is on the topic before she ignores anyone: nothing folded.
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    const other = await a.context().newPage();
    watch(other);
    await openTopic(other);
    expect(await isFolded(other, bobPostId)).toBe(false);
    expect(await other.locator('article.post.folded').count()).toBe(0);

    // Bob's profile: Ignore this member; then it says so, and the server has it.
    await a.goto(`${s.url}/u/${bob.id}`);
    await a.locator('.member-profile').waitFor(LIVE);
    expect(await ignoreButton(a).textContent()).toBe('Ignore this member');
    expect(await a.locator('.ignore-state').isHidden()).toBe(true);
    await ignoreButton(a).click();
    await expect.poll(() => ignoreButton(a).textContent(), LIVE).toBe('Stop ignoring');
    expect(await a.locator('.ignore-state').textContent()).toBe(
      'You are ignoring bob: their posts are folded away, and they cannot notify you or start a private conversation with you.',
    );
    expect(await a.locator('.ignore-notes [role="alert"]').isHidden()).toBe(true);
    expect(await ignoring(alice)).toEqual([{ id: bob.id, username: 'bob' }]);
    // The other tab folds Bob's post without a reload.
    await expect.poll(() => isFolded(other, bobPostId), LIVE).toBe(true);

    // The topic: Bob's post is folded, in its place, with its number and anchor; Alice's and the moderator's are not.
    await openTopic(a);
    const bobPost = article(a, bobPostId);
    expect(await isFolded(a, bobPostId)).toBe(true);
    expect(await bobPost.locator('.folded-note').textContent()).toBe(FOLDED);
    expect(await bobPost.locator('.folded-note a').getAttribute('href')).toBe(`/u/${bob.id}`);
    expect(await bobPost.getAttribute('id')).toBe(`p${bobPostId}`);
    expect(await bobPost.locator('.post-number').textContent()).toBe('#2');
    expect(await bobPost.locator('.content').count()).toBe(0);
    expect(await bobPost.textContent()).not.toContain('not bold');
    expect(await isFolded(a, alicePostId)).toBe(false);
    expect(await isFolded(a, modPostId)).toBe(false);
    expect(await a.locator('article.post').evaluateAll((els) => els.map((el) => el.id))).toEqual([`p${alicePostId}`, `p${bobPostId}`, `p${modPostId}`]);
    expect(await a.locator('.action-bar.top .total').getAttribute('data-post-total')).toBe('3');
    expect(await a.locator('.action-bar.top .total').textContent()).toBe('3 posts');

    // Carol, who ignores no one, sees Bob's post as it is.
    const c = await newPage();
    await logIn(c, carol, `/t/${topicId}`);
    await article(c, modPostId).waitFor(LIVE);
    expect(await c.locator('article.post.folded').count()).toBe(0);
    expect(await bodyOf(c, bobPostId)).toBe(BOB_BODY);

    // Show this post: unfolded, as written, focus on its heading; the other tab keeps it folded.
    await bobPost.getByRole('button', { name: 'Show this post' }).click();
    await expect.poll(() => isFolded(a, bobPostId), LIVE).toBe(false);
    expect(await bodyOf(a, bobPostId)).toBe(BOB_BODY);
    expect(await bobPost.locator('.post-number').textContent()).toBe('#2');
    expect(await a.evaluate(() => document.activeElement?.closest('article')?.id)).toBe(`p${bobPostId}`);
    expect(await isFolded(other, bobPostId)).toBe(true);
    // An edit redraws it, still shown (on this page view).
    expect((await s.api('PATCH', `/posts/${bobPostId}`, { token: bob.token, body: { body: `${BOB_BODY} Edited.` } })).status).toBe(200);
    await expect.poll(() => bodyOf(a, bobPostId), LIVE).toBe(`${BOB_BODY} Edited.`);
    expect(await isFolded(a, bobPostId)).toBe(false);

    // Bob's new post arrives live: folded for Alice (both tabs), shown to Carol; the count goes up.
    const fresh = await s.api('POST', `/topics/${topicId}/posts`, { token: bob.token, body: { body: 'Bob again, live.' } });
    expect(fresh.status).toBe(201);
    const freshId: string = fresh.body.post.id;
    await article(a, freshId).waitFor(LIVE);
    expect(await isFolded(a, freshId)).toBe(true);
    expect(await article(a, freshId).locator('.folded-note').textContent()).toBe(FOLDED);
    expect(await article(a, freshId).locator('.post-number').textContent()).toBe('#4');
    await expect.poll(() => a.locator('.action-bar.top .total').getAttribute('data-post-total'), LIVE).toBe('4');
    await article(other, freshId).waitFor(LIVE);
    expect(await isFolded(other, freshId)).toBe(true);
    await expect.poll(() => bodyOf(c, freshId), LIVE).toBe('Bob again, live.');
    // Edited, it is drawn again, still folded.
    expect((await s.api('PATCH', `/posts/${freshId}`, { token: bob.token, body: { body: 'Bob again, edited.' } })).status).toBe(200);
    await expect.poll(() => bodyOf(c, freshId), LIVE).toBe('Bob again, edited.');
    expect(await isFolded(a, freshId)).toBe(true);
    expect(await article(a, freshId).textContent()).not.toContain('edited');
    // A reload folds the shown one again (showing lasts one page view).
    await openTopic(a);
    expect(await isFolded(a, bobPostId)).toBe(true);
    expect(await isFolded(a, freshId)).toBe(true);

    // The User Control Panel lists Bob; Stop ignoring empties it, and the other tab unfolds live.
    await a.goto(`${s.url}/ucp`);
    const section = a.getByRole('region', { name: 'Ignored members' });
    await section.waitFor(LIVE);
    expect(await section.locator('ul.ignored-members li').allTextContents()).toEqual(['bob Stop ignoring']);
    expect(await section.locator('ul.ignored-members li a').getAttribute('href')).toBe(`/u/${bob.id}`);
    expect(await section.locator('.no-ignored').isHidden()).toBe(true);
    await section.getByRole('button', { name: 'Stop ignoring bob' }).click();
    await section.locator('.no-ignored').waitFor(LIVE);
    expect(await section.locator('.no-ignored').textContent()).toBe('You are not ignoring anyone.');
    expect(await section.locator('ul.ignored-members li').count()).toBe(0);
    expect(await a.evaluate(() => document.activeElement?.id)).toBe('ucp-ignored-heading');
    expect(await ignoring(alice)).toEqual([]);
    await expect.poll(() => other.locator('article.post.folded').count(), LIVE).toBe(0);
    expect(await bodyOf(other, freshId)).toBe('Bob again, edited.');
    // After a reload, nothing is folded.
    await openTopic(a);
    expect(await a.locator('article.post.folded').count()).toBe(0);
    expect(await bodyOf(a, bobPostId)).toBe(`${BOB_BODY} Edited.`);
    await a.context().close();
    await c.context().close();
  });

  it('offers no Ignore button on staff profiles, one’s own, or to guests, and shows a refusal inline', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/u/${mod.id}`);
    for (const staff of [mod, admin]) {
      await a.goto(`${s.url}/u/${staff.id}`);
      await a.locator('.member-links .send-message').waitFor(LIVE);
      expect(await ignoreButton(a).count()).toBe(0);
    }
    await a.goto(`${s.url}/u/${alice.id}`);
    await a.getByRole('link', { name: 'Edit your profile' }).waitFor(LIVE);
    expect(await ignoreButton(a).count()).toBe(0);
    const g = await newPage();
    await g.goto(`${s.url}/u/${bob.id}`);
    await g.locator('.member-profile').waitFor(LIVE);
    expect(await ignoreButton(g).count()).toBe(0);
    await g.context().close();

    // Dave is made a moderator while Alice has his profile open: the server's refusal shows beside the button.
    await a.goto(`${s.url}/u/${dave.id}`);
    await ignoreButton(a).waitFor(LIVE);
    await s.models.User.updateOne({ _id: dave.id }, { $set: { role: 'moderator' } });
    await ignoreButton(a).click();
    const alert = a.locator('.ignore-notes [role="alert"]');
    await alert.waitFor(LIVE);
    expect(await alert.textContent()).toBe('Moderators and admins cannot be ignored');
    expect(await ignoreButton(a).textContent()).toBe('Ignore this member');
    expect((await ignoring(alice)).map((m: { id: string }) => m.id)).not.toContain(dave.id);
    await s.models.User.updateOne({ _id: dave.id }, { $set: { role: 'member' } });
    await a.context().close();
  });

  it('shows an ignored member the refusal when they write to the member', { timeout: 60_000 }, async () => {
    expect((await s.api('PUT', `/users/${bob.id}/ignore`, { token: alice.token })).status).toBe(200);
    const b = await newPage();
    await logIn(b, bob, '/messages?to=alice');
    const form = b.getByRole('form', { name: 'New message' });
    await form.waitFor(LIVE);
    expect(await form.getByLabel('To').inputValue()).toBe('alice');
    await form.getByLabel('Title').fill('Hi');
    await form.getByLabel('Message').fill('Can we talk?');
    await form.getByRole('button', { name: 'Send' }).click();
    const alert = form.locator('[role="alert"]');
    await alert.waitFor(LIVE);
    expect(await alert.textContent()).toBe('alice does not take private messages from you');
    expect(await s.models.Conversation.countDocuments({})).toBe(0);
    await b.context().close();
  });
});
