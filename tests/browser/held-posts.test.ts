// A member's own posts awaiting approval, in Chromium (APPROVE_POSTS_UNDER=2: members with fewer
// than two posts are held): a held reply shows after the topic's posts (its subject, the server's
// bodyHtml, when, "Awaiting a moderator’s approval"), once, whether the form's 202 or the
// queue:held push comes first, and in the member's other tab live; approved, it goes and the post
// arrives live; rejected, a line with the reason takes its place, linking the private message
// when one went (not when the moderator unticked "Tell the author"); a page reloaded lists what is
// held, and one that reconnects catches up with decisions and holds made while it was away. The
// forum page does the same for held new topics. The moderators' queue page sends `tell: false`
// when "Tell the author" is unticked, and says when an author could not be told. The real server
// (serving the built client) on port 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { HeldForApproval } from '../../server/services/approval.service.js';
import type { TestServer } from '../helpers/server.js';
import { rejectAllHeld } from '../helpers/queue.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('held-posts');

type Queued = { id: string; kind: string; subject: string; topicTitle: string; bodyHtml: string; createdAt: string };

const TITLE = 'Watches <b>cheap</b> & more';
const AWAITING = 'Awaiting a moderator’s approval';
const TOLD = 'A moderator sent you a private message.';

describe.skipIf(chromiumMissing)('a member’s own posts awaiting approval, in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: Member;
  let mod: Member;
  let forumId: string;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const heldBlock = (p: Page) => p.locator('main section.my-held');
  const heldItems = (p: Page) => heldBlock(p).locator('article.held-post');
  const heldItem = (p: Page, id: string) => heldBlock(p).locator(`article.held-post[data-queued-id="${id}"]`);
  const rejectedLine = (p: Page, id: string) => heldBlock(p).locator(`.held-rejected[data-queued-id="${id}"]`);
  const postWith = (p: Page, text: string) => p.locator('article.post', { hasText: text });

  async function heldReply(who: Member, body: string): Promise<Queued> {
    const res = await s.api('POST', `/topics/${topicId}/posts`, { token: who.token, body: { body } });
    expect(res.status).toBe(202);
    return res.body.queued;
  }
  async function heldTopic(who: Member, title: string): Promise<Queued> {
    const res = await s.api('POST', `/forums/${forumId}/topics`, { token: who.token, body: { title, body: `About ${title}` } });
    expect(res.status).toBe(202);
    return res.body.queued;
  }
  const reject = async (id: string, body: { reason?: string; tell?: boolean }) => (await s.api('POST', `/queue/${id}/reject`, { token: mod.token, body })).body;
  const conversationsOf = async (who: Member) => (await s.api('GET', '/conversations', { token: who.token })).body.conversations as Array<{ id: string; title: string }>;

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig({ approvePostsUnder: 2 }));
    admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    forumId = (await s.forum(admin, { title: 'General', description: 'Anything.' })).id;
    topicId = (await s.topic(forumId, admin, { title: TITLE, body: 'Welcome.' })).topic.id;
  }, 60_000);

  afterEach(async () => {
    if (mod) await rejectAllHeld(s, mod.token);
  });

  afterAll(() => finish(browser, s));

  it('shows a held reply after the posts, once, in every tab; approved it goes and the post arrives live', { timeout: 60_000 }, async () => {
    const dave = await s.user('dave');
    const a = await newPage();
    await logIn(a, dave, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    const b = await newPage();
    await logIn(b, dave, `/t/${topicId}`);
    await openTopic(b, s.url, topicId);
    expect(await heldBlock(a).isHidden()).toBe(true);
    expect(await heldItems(a).count()).toBe(0);
    await markPage(a);
    await markPage(b);

    // Tab a replies through its form: held (202), and shown here once, after the posts.
    await a.locator('#reply-body').fill('My **first** reply <i>here</i>');
    await a.getByRole('form', { name: 'Post a reply' }).getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => heldItems(a).count(), LIVE).toBe(1);
    const queued = (await s.api('GET', '/queue/mine', { token: dave.token })).body.posts as Queued[];
    expect(queued).toHaveLength(1);
    const held = queued[0];
    const item = heldItem(a, held.id);
    expect(await item.locator('.held-subject').textContent()).toBe(`Re: ${TITLE}`);
    expect(await item.locator('.held-badge').textContent()).toBe(AWAITING);
    expect(await item.locator('time').getAttribute('datetime')).toBe(held.createdAt);
    expect(await item.locator('.held-body').innerHTML()).toBe(held.bodyHtml);
    expect(await item.locator('.held-body strong').textContent()).toBe('first');
    expect(await item.locator('.held-body').textContent()).toContain('<i>here</i>');
    expect(await heldBlock(a).locator('i, b, script').count()).toBe(0);
    expect(await heldBlock(a).isVisible()).toBe(true);
    // After the posts, before the bottom bar; not a post itself.
    expect(await a.evaluate(() => document.querySelector('section.posts')!.nextElementSibling?.matches('section.my-held'))).toBe(true);
    expect(await postWith(a, 'My first reply').count()).toBe(0);
    // The other tab hears queue:held; and this tab's own push (the same id) does not add it twice.
    await expect.poll(() => heldItems(b).count(), LIVE).toBe(1);
    expect(await heldItem(b, held.id).locator('.held-body').innerHTML()).toBe(held.bodyHtml);
    await a.waitForTimeout(300);
    expect(await heldItems(a).count()).toBe(1);

    // A moderator approves it: the block empties in both tabs, and the post arrives live, once.
    expect((await s.api('POST', `/queue/${held.id}/approve`, { token: mod.token, body: {} })).status).toBe(200);
    for (const p of [a, b]) {
      await expect.poll(() => heldItems(p).count(), LIVE).toBe(0);
      await expect.poll(() => heldBlock(p).isHidden(), LIVE).toBe(true);
      await expect.poll(() => postWith(p, 'My first reply').count(), LIVE).toBe(1);
      expect(await p.locator('.held-rejected').count()).toBe(0);
      expect(await notReloaded(p)).toBe(true);
    }
    await a.context().close();
    await b.context().close();
  });

  it('leaves a line with the reason where a rejected reply was, saying a private message came only when one did', { timeout: 60_000 }, async () => {
    const erin = await s.user('erin');
    const a = await newPage();
    await logIn(a, erin, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    await markPage(a);
    // Held from elsewhere (another device): pushed here.
    const spam = await heldReply(erin, 'Buy my watches!');
    const early = await heldReply(erin, 'Too early, perhaps');
    await expect.poll(() => heldItems(a).count(), LIVE).toBe(2);
    expect(await heldItems(a).evaluateAll((els) => els.map((el) => el.getAttribute('data-queued-id')))).toEqual([spam.id, early.id]);

    // Rejected untold (spam): a line without the message; then told, with the reason: the message is named and linked.
    expect(await reject(spam.id, { reason: 'Advertising', tell: false })).toMatchObject({ told: false });
    await rejectedLine(a, spam.id).waitFor(LIVE);
    expect(await heldItem(a, spam.id).count()).toBe(0);
    expect(await rejectedLine(a, spam.id).textContent()).toBe('Your post was not approved: Advertising.');
    expect(await reject(early.id, { reason: 'Please read the rules first' })).toMatchObject({ told: true });
    const told = rejectedLine(a, early.id);
    await expect.poll(() => told.textContent(), LIVE).toBe(`Your post was not approved: Please read the rules first. ${TOLD}`);
    const [conversation] = await conversationsOf(erin);
    expect(conversation.title).toBe(`Not approved: ${early.subject}`);
    expect(await told.getByRole('link', { name: 'private message' }).getAttribute('href')).toBe(`/messages/${conversation.id}`);
    // The first, rejected untold, still names no message.
    expect(await rejectedLine(a, spam.id).textContent()).toBe('Your post was not approved: Advertising.');
    expect(await heldItems(a).count()).toBe(0);
    expect(await postWith(a, 'Buy my watches!').count()).toBe(0);
    expect(await notReloaded(a)).toBe(true);

    // A held reply to another topic stays off this page.
    const other = (await s.topic(forumId, admin, { title: 'Elsewhere', body: 'Here.' })).topic.id as string;
    const res = await s.api('POST', `/topics/${other}/posts`, { token: erin.token, body: { body: 'Another topic' } });
    expect(res.status).toBe(202);
    const mine = await heldReply(erin, 'Back on this topic');
    await heldItem(a, mine.id).waitFor(LIVE);
    expect(await heldItems(a).count()).toBe(1);
    await a.context().close();
  });

  it('lists what is held on load, and catches up after a reconnect with what was decided and held meanwhile', { timeout: 60_000 }, async () => {
    const fay = await s.user('fay');
    const first = await heldReply(fay, 'Held before the page opened');
    const a = await newPage();
    await logIn(a, fay, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    await heldItem(a, first.id).waitFor(LIVE);
    expect(await heldItem(a, first.id).locator('.held-body').innerHTML()).toBe(first.bodyHtml);

    // While the server is down: the first is rejected and another is held (their pushes reach no one).
    let second: Queued | undefined;
    await s.restart({
      whileDown: async (app) => {
        await expect.poll(() => a.locator('#connection').getAttribute('data-state'), LIVE).toBe('reconnecting');
        await app.services.approval.reject({ id: mod.id, username: mod.username, role: 'moderator' as const }, first.id, { tell: false });
        try {
          await app.services.posts.reply({ id: fay.id, username: fay.username, role: 'member' as const }, topicId, { body: 'Held while you were away' });
        } catch (err) {
          if (!(err instanceof HeldForApproval)) throw err;
          second = err.queued as Queued;
        }
      },
    });
    expect(second).toBeDefined();
    await expect.poll(() => a.locator('#connection').getAttribute('data-state'), { timeout: 15_000 }).toBe('connected');
    await heldItem(a, second!.id).waitFor({ timeout: 10_000 });
    await expect.poll(() => heldItem(a, first.id).count(), LIVE).toBe(0);
    expect(await heldItems(a).count()).toBe(1);
    await a.context().close();
  });

  it('shows a held new topic on its forum’s page, once, and takes it away live when decided', { timeout: 60_000 }, async () => {
    const gus = await s.user('gus');
    const a = await newPage();
    await logIn(a, gus, `/f/${forumId}`);
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await a.locator('main table').first().waitFor(LIVE);
    await markPage(a);
    expect(await heldBlock(a).isHidden()).toBe(true);

    // Through the New Topic form: held, shown above the listing once (the 202 and the push are the same post).
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    const form = a.locator('#new-topic');
    await form.getByLabel('Subject').fill('Lunch <b>today</b>?');
    await form.locator('#topic-body').fill('Who is in?');
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => heldItems(a).count(), LIVE).toBe(1);
    const [lunch] = (await s.api('GET', '/queue/mine', { token: gus.token })).body.posts as Queued[];
    const item = heldItem(a, lunch.id);
    expect(await item.locator('.held-subject').textContent()).toBe('Lunch <b>today</b>?');
    expect(await item.locator('.held-badge').textContent()).toBe(AWAITING);
    expect(await item.locator('time').getAttribute('datetime')).toBe(lunch.createdAt);
    expect(await heldBlock(a).locator('b').count()).toBe(0);
    expect(await a.evaluate(() => document.querySelector('section.my-held')!.nextElementSibling?.matches('.forum-listing'))).toBe(true);
    await a.waitForTimeout(300);
    expect(await heldItems(a).count()).toBe(1);
    expect(await a.locator('main table', { hasText: 'Lunch <b>today</b>?' }).count()).toBe(0);

    // Held from elsewhere: pushed here. A reply held in this forum is not a new topic: not here.
    const idea = await heldTopic(gus, 'A rejected idea');
    await heldReply(gus, 'A reply, not a topic');
    await heldItem(a, idea.id).waitFor(LIVE);
    expect(await heldItems(a).count()).toBe(2);

    // Approved: it leaves the block, and the topic comes into the listing live.
    expect((await s.api('POST', `/queue/${lunch.id}/approve`, { token: mod.token, body: {} })).status).toBe(200);
    await expect.poll(() => heldItem(a, lunch.id).count(), LIVE).toBe(0);
    await a.locator('main table', { hasText: 'Lunch <b>today</b>?' }).waitFor(LIVE);
    // Rejected with a reason (told): the line says so, names the topic, and the message.
    await reject(idea.id, { reason: 'Off topic here' });
    await expect.poll(() => rejectedLine(a, idea.id).textContent(), LIVE).toBe(`Your topic “A rejected idea” was not approved: Off topic here. ${TOLD}`);
    expect(await heldItems(a).count()).toBe(0);
    expect(await notReloaded(a)).toBe(true);
    await a.context().close();
  });

  it('rejects untold when "Tell the author" is unticked, told by default, and says when an author could not be told', { timeout: 60_000 }, async () => {
    const hal = await s.user('hal');
    const m = await newPage();
    await logIn(m, mod, '/mcp/queue');
    await m.locator('ol.queue').waitFor({ state: 'attached', ...LIVE });
    const rejectThrough = async (held: Queued, opts: { tell: boolean; reason?: string }) => {
      const item = m.locator(`ol.queue li.queued-post[data-queued-id="${held.id}"]`);
      await item.waitFor(LIVE);
      await item.getByRole('button', { name: 'Reject', exact: true }).click();
      const form = item.getByRole('form', { name: `Reject ${held.subject}` });
      const tell = form.getByLabel('Tell the author');
      expect(await tell.isChecked()).toBe(true);
      if (!opts.tell) await tell.uncheck();
      if (opts.reason) await form.getByLabel('Reason (optional)').fill(opts.reason);
      const sent = m.waitForRequest((r) => r.url().endsWith(`/queue/${held.id}/reject`));
      const answered = m.waitForResponse((r) => r.url().endsWith(`/queue/${held.id}/reject`));
      await form.getByRole('button', { name: 'Reject post' }).click();
      const [request, response] = await Promise.all([sent, answered]);
      await item.waitFor({ state: 'detached', ...LIVE });
      return { body: request.postDataJSON(), answer: await response.json() };
    };

    // Unticked: tell:false goes, the author gets no message, and nothing is said about it.
    const spam = await heldReply(hal, 'Cheap watches here');
    const untold = await rejectThrough(spam, { tell: false, reason: 'Spam' });
    expect(untold.body).toEqual({ reason: 'Spam', tell: false });
    expect(untold.answer).toEqual({ id: spam.id, rejected: true, told: false });
    expect(await m.locator('.reject-untold').isHidden()).toBe(true);
    // Ticked (the default): the author is told, in a private message.
    const early = await heldReply(hal, 'Hello all');
    const told = await rejectThrough(early, { tell: true });
    expect(told.body).toEqual({});
    expect(told.answer).toEqual({ id: early.id, rejected: true, told: true });
    expect((await conversationsOf(hal)).map((c) => c.title)).toEqual([`Not approved: ${early.subject}`]);
    expect(await m.locator('.reject-untold').isHidden()).toBe(true);

    // An author who cannot be told (gone since): the page says so.
    const ida = await s.user('ida');
    const lost = await heldReply(ida, 'I am leaving');
    await s.models.User.deleteOne({ _id: ida.id });
    const failed = await rejectThrough(lost, { tell: true });
    expect(failed.answer).toMatchObject({ told: false });
    await m.locator('.reject-untold').waitFor(LIVE);
    expect(await m.locator('.reject-untold').textContent()).toBe('The post was rejected, but ida could not be sent a private message about it.');
    await m.context().close();
  });
});
