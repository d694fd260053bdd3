// Warnings in Chromium (phpBB's Warn user / Warn post): a moderator warns a member from one of
// their posts (the Warn button's inline form, never a dialog: "Warning sent."), and from the
// member's profile ("Warn this member"), where the Warnings panel lists them (when, by whom, why,
// the post linked, until when or "expired") with the active count, read again from the server
// after each action; Remove (a second click) takes one back. Warn is offered on members' posts
// only (not on staff's, nor to members); a refusal (the author became staff meanwhile) shows in
// the form; a live redraw of the post keeps the form being typed in. The member's User Control
// Panel lists their warnings without the moderator's name. The real server (serving the built
// client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('warnings');

type Warning = { id: string; reason: string; post?: { id: string; topicId: string }; createdAt: string; expiresAt: string };

/** Reasons a browser must show as text, never as markup. */
const FOR_POST = 'Advertising <b>again</b> & again';
const GENERAL = 'Rude in <i>private messages</i>';

describe.skipIf(chromiumMissing)('warnings in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: Member;
  let mod: Member;
  let bob: Member;
  let carol: Member;
  let topicId: string;
  let bobPostId: string;
  let adminPostId: string;
  let carolPostId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const warningsOf = async (who: Member) => (await s.api('GET', `/users/${who.id}/warnings`, { token: mod.token })).body as { warnings: Warning[]; active: number };
  const postOf = (p: Page, id: string) => p.locator(`article.post[data-post-id="${id}"]`);
  const warnButtons = (p: Page) => p.locator('article.post .post-head button.warn');

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    bob = await s.user('bob');
    carol = await s.user('carol');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    const made = await s.topic(forum.id, bob, { title: 'Cheap watches', body: 'Buy my watches at example.test!' });
    topicId = made.topic.id;
    bobPostId = made.post.id;
    const reply = async (who: Member, body: string) => (await s.api('POST', `/topics/${topicId}/posts`, { token: who.token, body: { body } })).body.post.id as string;
    adminPostId = await reply(admin, 'No adverts here, please.');
    carolPostId = await reply(carol, 'I agree with the admin.');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('warns from a post and from the profile, lists and removes them, and shows them to the member', { timeout: 90_000 }, async () => {
    // A member has no Warn anywhere.
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await openTopic(b, s.url, topicId);
    await postOf(b, carolPostId).waitFor(LIVE);
    expect(await warnButtons(b).count()).toBe(0);

    // The moderator: Warn on the members' posts, not on the admin's.
    const m = await newPage();
    await logIn(m, mod, `/t/${topicId}`);
    await openTopic(m, s.url, topicId);
    await postOf(m, carolPostId).waitFor(LIVE);
    expect(await warnButtons(m).count()).toBe(2);
    expect(await postOf(m, adminPostId).getByRole('button', { name: /^Warn/ }).count()).toBe(0);
    const warn = postOf(m, bobPostId).getByRole('button', { name: 'Warn bob for post #1' });
    expect(await warn.textContent()).toBe('Warn');
    await markPage(m);

    // Warn opens a small form under the post; Cancel closes it, an empty reason is not sent.
    await warn.click();
    const form = postOf(m, bobPostId).getByRole('form', { name: 'Warn bob for post #1' });
    await form.waitFor(LIVE);
    expect(await warn.isHidden()).toBe(true);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.count()).toBe(0);
    expect(await warn.isVisible()).toBe(true);
    await warn.click();
    await form.getByRole('button', { name: 'Warn' }).click();
    expect(await form.isVisible()).toBe(true);
    expect((await warningsOf(bob)).warnings).toHaveLength(0);

    // bob edits his post meanwhile: it is redrawn live, and what the moderator is typing stays.
    await form.getByLabel('Why are you warning bob for this post?').fill(FOR_POST);
    expect((await s.api('PATCH', `/posts/${bobPostId}`, { token: bob.token, body: { body: 'Buy my watches! (edited)' } })).status).toBe(200);
    await expect.poll(() => postOf(m, bobPostId).locator('.content').textContent(), LIVE).toContain('(edited)');
    expect(await form.getByLabel('Why are you warning bob for this post?').inputValue()).toBe(FOR_POST);
    expect(await warn.isHidden()).toBe(true);

    // Sent with a reason: "Warning sent." takes the form's place; the post is named in the warning.
    await form.getByRole('button', { name: 'Warn' }).click();
    const sent = postOf(m, bobPostId).locator('.warning-sent');
    await sent.waitFor(LIVE);
    expect(await sent.textContent()).toBe('Warning sent. bob now has 1 active warning.');
    expect(await form.count()).toBe(0);
    const [first] = (await warningsOf(bob)).warnings;
    expect(first).toMatchObject({ reason: FOR_POST, post: { id: bobPostId, topicId } });
    // bob is told by a private message from the moderator.
    const conversations = (await s.api('GET', '/conversations', { token: bob.token })).body.conversations as Array<{ title: string }>;
    expect(conversations.map((c) => c.title)).toContain('You have received a warning');
    expect(await notReloaded(m)).toBe(true);
    await saveScreenshot(m, 'warning-sent', { fullPage: true });

    // A refusal shows in the form: carol became a moderator after the page was drawn.
    await s.models.User.updateOne({ _id: carol.id }, { $set: { role: 'moderator' } });
    await postOf(m, carolPostId).getByRole('button', { name: 'Warn carol for post #3' }).click();
    const carolForm = postOf(m, carolPostId).getByRole('form', { name: 'Warn carol for post #3' });
    await carolForm.getByLabel('Why are you warning carol for this post?').fill('Too late');
    await carolForm.getByRole('button', { name: 'Warn' }).click();
    await expect.poll(() => carolForm.locator('.form-error').textContent(), LIVE).toBe('Only members can be warned');
    expect(await carolForm.locator('.form-error').isVisible()).toBe(true);
    expect(await postOf(m, carolPostId).locator('.warning-sent').count()).toBe(0);
    expect((await warningsOf(carol)).warnings).toHaveLength(0);
    // Drawn again, her post (now staff's) offers no Warn.
    await m.reload();
    await openTopic(m, s.url, topicId);
    await postOf(m, carolPostId).waitFor(LIVE);
    expect(await postOf(m, carolPostId).getByRole('button', { name: /^Warn/ }).count()).toBe(0);
    expect(await warnButtons(m).count()).toBe(1);

    // bob's profile, through his name on his post: the Warnings panel.
    await postOf(m, bobPostId).locator('.author a.username').click();
    await m.waitForURL(new RegExp(`/u/${bob.id}$`), LIVE);
    const panel = m.getByRole('region', { name: 'Warnings' });
    const count = panel.locator('.warning-count');
    const rows = panel.locator('li.warning');
    await expect.poll(() => count.textContent(), LIVE).toBe('1 active warning');
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute('data-warning-id')).toBe(first.id);
    expect(await row.locator('.warning-reason').textContent()).toBe(FOR_POST);
    expect(await row.locator('a.username').textContent()).toBe('mod');
    expect(await row.locator('a.warning-post').getAttribute('href')).toBe(`/t/${topicId}?post=${bobPostId}#p${bobPostId}`);
    expect(await row.locator('a.warning-post').textContent()).toBe('“Cheap watches”');
    expect(await row.locator('time').first().getAttribute('datetime')).toBe(first.createdAt);
    expect(await row.locator('.warning-until time').getAttribute('datetime')).toBe(first.expiresAt);
    expect(await row.locator('.warning-expired').count()).toBe(0);

    // "Warn this member": a general warning; the panel is read again (newest first, no post).
    const memberForm = panel.getByRole('form', { name: 'Warn this member' });
    await memberForm.getByLabel('Reason for warning bob').fill(GENERAL);
    await memberForm.getByRole('button', { name: 'Warn' }).click();
    await expect.poll(() => count.textContent(), LIVE).toBe('2 active warnings');
    expect(await panel.locator('.warning-sent').textContent()).toBe('Warning sent. bob now has 2 active warnings.');
    expect(await memberForm.getByLabel('Reason for warning bob').inputValue()).toBe('');
    expect(await rows.count()).toBe(2);
    const stored = (await warningsOf(bob)).warnings;
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-warning-id')))).toEqual(stored.map((w) => w.id));
    expect(await rows.first().locator('.warning-reason').textContent()).toBe(GENERAL);
    expect(await rows.first().locator('a.warning-post').count()).toBe(0);
    expect(await panel.locator('b, i').count()).toBe(0);
    await saveScreenshot(m, 'warnings-profile', { fullPage: true });

    // The first one runs out: shown "expired", and no longer counted.
    await s.models.Warning.updateOne({ _id: first.id }, { $set: { expiresAt: new Date(Date.now() - 60_000) } });
    await m.reload();
    await expect.poll(() => count.textContent(), LIVE).toBe('1 active warning');
    const expired = panel.locator(`li.warning[data-warning-id="${first.id}"]`);
    expect(await expired.locator('.warning-expired').textContent()).toBe('expired');
    expect(await expired.locator('.warning-until').count()).toBe(0);

    // bob's User Control Panel: both, without the moderator's name.
    await b.locator('.account').getByRole('link', { name: 'User Control Panel' }).click();
    await b.waitForURL(/\/ucp$/, LIVE);
    const mine = b.getByRole('region', { name: 'Your warnings' });
    await expect.poll(() => mine.locator('.warning-count').textContent(), LIVE).toBe('You have 1 active warning.');
    const myRows = mine.locator('li.warning');
    expect(await myRows.count()).toBe(2);
    expect(await myRows.locator('.warning-reason').allTextContents()).toEqual([GENERAL, FOR_POST]);
    expect(await myRows.nth(0).locator('.warning-until time').getAttribute('datetime')).toBe(stored[0].expiresAt);
    expect(await myRows.nth(1).locator('.warning-expired').textContent()).toBe('expired');
    expect(await myRows.nth(1).locator('a.warning-post').getAttribute('href')).toBe(`/t/${topicId}?post=${bobPostId}#p${bobPostId}`);
    expect(await mine.locator('a.username').count()).toBe(0);
    await saveScreenshot(b, 'warnings-ucp', { fullPage: true });

    // The moderator removes the active one: a second click; the panel is read again.
    const active = panel.locator(`li.warning[data-warning-id="${stored[0].id}"]`);
    const remove = active.getByRole('button', { name: 'Remove' });
    await remove.click();
    expect(await remove.textContent()).toBe('Really remove?');
    expect((await warningsOf(bob)).warnings).toHaveLength(2);
    await remove.click();
    await expect.poll(() => count.textContent(), LIVE).toBe('0 active warnings');
    expect(await rows.count()).toBe(1);
    expect(await active.count()).toBe(0);
    expect((await warningsOf(bob)).warnings.map((w) => w.id)).toEqual([first.id]);

    // bob's UCP, opened again: no active warnings, the expired one still listed.
    await b.reload();
    await expect.poll(() => mine.locator('.warning-count').textContent(), LIVE).toBe('You have no active warnings.');
    expect(await myRows.count()).toBe(1);

    // The moderation log says so.
    await m.locator('.account').getByRole('link', { name: 'Moderation log' }).click();
    await m.waitForURL(/\/mcp$/, LIVE);
    await m.locator('table.modlog tr[data-action="user.unwarn"]').waitFor(LIVE);
    expect(await m.locator('table.modlog tr[data-action="user.warn"]').count()).toBe(2);
    expect(await m.locator('table.modlog tr[data-action="user.warn"]').first().textContent()).toContain('Warned user bob');
    expect(await m.locator('table.modlog tr[data-action="user.unwarn"]').textContent()).toContain('Removed warning');
    await m.context().close();
    await b.context().close();
  });

  it('has no Warnings panel for a member’s own eyes or on staff’s profiles, and a member with none is told so', { timeout: 60_000 }, async () => {
    const dave = await s.user('dave');
    // dave, never warned: his UCP says so; his profile has no Warnings panel.
    const d = await newPage();
    await logIn(d, dave, '/ucp');
    const mine = d.getByRole('region', { name: 'Your warnings' });
    await expect.poll(() => mine.locator('.warning-count').textContent(), LIVE).toBe('You have no warnings.');
    expect(await mine.locator('li.warning').count()).toBe(0);
    await d.goto(`${s.url}/u/${dave.id}`);
    await d.locator('.member-profile').waitFor(LIVE);
    expect(await d.getByRole('region', { name: 'Warnings' }).count()).toBe(0);
    // Nor on another member's, for a member.
    await d.goto(`${s.url}/u/${bob.id}`);
    await d.locator('.member-profile').waitFor(LIVE);
    expect(await d.locator('.member-warnings').count()).toBe(0);

    // The moderator: dave's panel says he was never warned; the admin's profile has none.
    const m = await newPage();
    await logIn(m, mod, `/u/${dave.id}`);
    const panel = m.getByRole('region', { name: 'Warnings' });
    await expect.poll(() => panel.locator('.warning-count').textContent(), LIVE).toBe('0 active warnings');
    expect(await panel.locator('.no-warnings').textContent()).toBe('dave has never been warned.');
    await m.goto(`${s.url}/u/${admin.id}`);
    await m.locator('.member-profile').waitFor(LIVE);
    expect(await m.locator('.member-warnings').count()).toBe(0);
    await m.context().close();
    await d.context().close();
  });
});
