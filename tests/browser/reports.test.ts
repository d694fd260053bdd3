// Reports in Chromium: a member reports another member's post through the Report button's inline
// form (never a dialog); a moderator's reports page shows it arrive live (reason, post link,
// author, reporter) and the header's Reports badge rises; a member gets no Report button on her
// own post and no Reports link; the moderator closes it with a note: it leaves the Open list (here
// and in the moderator's other tab), the badge drops, and it shows under Closed with the note; the
// moderation log has the `report.close`. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('reports');

/** A title, reasons and a note a browser must show as text, never as markup. */
const TITLE = 'Cheap <b>watches</b> & <img src=x onerror=alert(1)> here';
const BOB_BODY = 'Buy my watches at example.test, best prices!';
const REASON = 'Spam: <script>alert(1)</script> & adverts';
const REASON_AGAIN = 'Spam, and he posted it twice <i>today</i>';
const NOTE = 'Warned bob <b>once</b>';
const REPORTED = 'Reported: thank you; a moderator will look at it.';

describe.skipIf(chromiumMissing)('reports in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let topicId: string;
  let bobPostId: string;
  let alicePostId: string;
  const { watch, newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const badge = (p: Page) => p.locator('.account .reports-link .report-count');
  /** The header badge as shown: its number, or 0 when hidden. */
  const shownCount = async (p: Page) => ((await badge(p).isVisible()) ? Number(await badge(p).textContent()) : 0);
  /** Open a moderator's reports page the way they would: the header's Reports link. */
  async function openReports(p: Page): Promise<void> {
    await p.locator('.account').getByRole('link', { name: /^Reports/ }).click();
    await p.waitForURL(/\/mcp\/reports$/, LIVE);
    await p.locator('ol.reports').waitFor({ state: 'attached', ...LIVE });
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    mod = await s.user('mod', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    const made = await s.topic(forum.id, bob, { title: TITLE, body: BOB_BODY });
    topicId = made.topic.id;
    bobPostId = made.post.id;
    const replied = await s.api('POST', `/topics/${topicId}/posts`, { token: alice.token, body: { body: 'Please stop posting adverts.' } });
    expect(replied.status).toBe(201);
    alicePostId = replied.body.post.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /mcp/reports', async () => {
    await expectPageShell(s.url, ['/mcp/reports', '/mcp/reports?status=closed&page=2']);
  });

  it('reports through the inline form, shows it to moderators live, and closes it with a note', { timeout: 90_000 }, async () => {
    // The moderator: the header's Reports link (no open reports yet), then the empty Open list.
    const m = await newPage();
    await logIn(m, mod, '/');
    await m.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await m.locator('.account .reports-link').waitFor(LIVE);
    await expect.poll(() => badge(m).getAttribute('data-count'), LIVE).toBe('0');
    expect(await badge(m).isHidden()).toBe(true);
    await openReports(m);
    await m.locator('.no-reports', { hasText: 'There are no open reports.' }).waitFor(LIVE);
    expect(await m.locator('li.report').count()).toBe(0);
    expect(await m.locator('.report-tabs a[aria-current="page"]').textContent()).toBe('Open 0');
    await markPage(m);
    // A second tab of the moderator's, also on the Open list.
    const m2 = await m.context().newPage();
    watch(m2);
    await m2.goto(`${s.url}/`);
    await m2.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await openReports(m2);
    await m2.locator('.no-reports').waitFor(LIVE);
    await markPage(m2);

    // Alice, a member, in the topic: no Reports link, no Report button on her own post, one on Bob's.
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    const bobPost = a.locator(`article.post[data-post-id="${bobPostId}"]`);
    const alicePost = a.locator(`article.post[data-post-id="${alicePostId}"]`);
    await alicePost.waitFor(LIVE);
    expect(await a.locator('.account .reports-link').count()).toBe(0);
    expect(await a.locator('.account').getByRole('link', { name: /Reports|Moderation log/ }).count()).toBe(0);
    expect(await alicePost.getByRole('button', { name: /^Report/ }).count()).toBe(0);
    const report = bobPost.getByRole('button', { name: 'Report post #1' });
    expect(await report.isVisible()).toBe(true);
    expect(await report.textContent()).toBe('Report');

    // Report opens a small form under the post; Cancel closes it, sending nothing.
    await report.click();
    const form = bobPost.getByRole('form', { name: 'Report post #1' });
    await form.waitFor(LIVE);
    expect(await report.isHidden()).toBe(true);
    await form.getByLabel('Why should a moderator look at this post?').fill('never mind');
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.count()).toBe(0);
    expect(await report.isVisible()).toBe(true);
    // An empty reason is not sent.
    await report.click();
    await form.getByRole('button', { name: 'Send' }).click();
    expect(await form.isVisible()).toBe(true);
    // Bob edits his post meanwhile: it is redrawn live, and what Alice is typing stays.
    await form.getByLabel('Why should a moderator look at this post?').fill(REASON);
    const edited = await s.api('PATCH', `/posts/${bobPostId}`, { token: bob.token, body: { body: `${BOB_BODY} (edited)` } });
    expect(edited.status).toBe(200);
    await expect.poll(() => bobPost.locator('.content').textContent(), LIVE).toContain('(edited)');
    expect(await form.getByLabel('Why should a moderator look at this post?').inputValue()).toBe(REASON);
    expect(await report.isHidden()).toBe(true);
    // The reason, sent: the thank-you takes the form's place.
    await form.getByRole('button', { name: 'Send' }).click();
    await bobPost.locator('.report-done').waitFor(LIVE);
    expect(await bobPost.locator('.report-done').textContent()).toBe(REPORTED);
    expect(await form.count()).toBe(0);
    const stored = (await s.api('GET', '/reports?status=open', { token: mod.token })).body;
    expect(stored.openCount).toBe(1);
    expect(stored.reports[0].reason).toBe(REASON);

    // The moderator sees it arrive without a reload: what, where, whose, by whom and why.
    const lines = m.locator('li.report');
    await expect.poll(() => lines.count(), LIVE).toBe(1);
    const line = lines.first();
    expect(await line.getAttribute('data-report-id')).toBe(stored.reports[0].id);
    expect(await line.locator('.reason-text').textContent()).toBe(REASON);
    const postLink = line.locator('a.report-post');
    expect(await postLink.textContent()).toBe(TITLE);
    expect(await postLink.getAttribute('href')).toBe(`/t/${topicId}?post=${bobPostId}#p${bobPostId}`);
    expect(await line.locator('.post-number').textContent()).toBe('#1');
    expect(await line.locator('.report-post-author a.username').textContent()).toBe('bob');
    expect(await line.locator('.report-snippet').textContent()).toContain('Buy my watches');
    expect(await line.locator('.report-by a.username').textContent()).toBe('alice');
    expect(await line.locator('.report-by time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await m.locator('ol.reports script, ol.reports img, ol.reports b').count()).toBe(0);
    expect(await m.locator('.no-reports').isHidden()).toBe(true);
    await expect.poll(() => shownCount(m), LIVE).toBe(1);
    expect(await m.locator('.report-tabs .open-count').textContent()).toBe('1');
    await expect.poll(() => m2.locator('li.report').count(), LIVE).toBe(1);
    await expect.poll(() => shownCount(m2), LIVE).toBe(1);
    expect(await notReloaded(m)).toBe(true);

    // Reporting it again while open only changes the reason: the same line, redrawn in place.
    await report.click();
    await form.getByLabel('Why should a moderator look at this post?').fill(REASON_AGAIN);
    await form.getByRole('button', { name: 'Send' }).click();
    await bobPost.locator('.report-done').waitFor(LIVE);
    await expect.poll(() => line.locator('.reason-text').textContent(), LIVE).toBe(REASON_AGAIN);
    expect(await lines.count()).toBe(1);
    expect(await shownCount(m)).toBe(1);
    await saveScreenshot(m, 'reports-open', { fullPage: true });
    await saveScreenshot(a, 'report-sent', { fullPage: true });

    // The moderator closes it with a note: it leaves the Open list here and in the other tab, and the badges drop.
    await line.getByLabel('Note (optional)').fill(NOTE);
    await line.getByRole('button', { name: 'Close report' }).click();
    await expect.poll(() => lines.count(), LIVE).toBe(0);
    await m.locator('.no-reports').waitFor(LIVE);
    await expect.poll(() => shownCount(m), LIVE).toBe(0);
    expect(await badge(m).isHidden()).toBe(true);
    expect(await m.locator('.report-tabs .open-count').textContent()).toBe('0');
    await expect.poll(() => m2.locator('li.report').count(), LIVE).toBe(0);
    await expect.poll(() => shownCount(m2), LIVE).toBe(0);
    expect(await notReloaded(m)).toBe(true);
    expect(await notReloaded(m2)).toBe(true);

    // Under Closed: who closed it, when, and the note.
    await m.locator('.report-tabs').getByRole('link', { name: 'Closed' }).click();
    await m.waitForURL(/\/mcp\/reports\?status=closed$/, LIVE);
    const closed = m.locator('li.report[data-status="closed"]');
    await expect.poll(() => closed.count(), LIVE).toBe(1);
    expect(await closed.locator('.reason-text').textContent()).toBe(REASON_AGAIN);
    expect(await closed.locator('.report-closed a.username').textContent()).toBe('mod');
    expect(await closed.locator('.report-closed time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await closed.locator('.note-text').textContent()).toBe(NOTE);
    expect(await closed.getByRole('button', { name: 'Close report' }).count()).toBe(0);
    expect(await m.locator('ol.reports b').count()).toBe(0);
    await saveScreenshot(m, 'reports-closed', { fullPage: true });

    // The moderation log has it, and its page links to the reports.
    const log = (await s.api('GET', '/modlog', { token: mod.token })).body;
    const entry = log.entries.find((e: { action: string }) => e.action === 'report.close');
    expect(entry).toMatchObject({ action: 'report.close', actor: { username: 'mod' }, target: { type: 'post', id: bobPostId }, reason: NOTE });
    await m.locator('.account').getByRole('link', { name: 'Moderation log' }).click();
    await m.waitForURL(/\/mcp$/, LIVE);
    await m.locator('table.modlog tr[data-action="report.close"]').waitFor(LIVE);
    expect(await m.locator('table.modlog tr[data-action="report.close"]').textContent()).toContain('Closed report');
    const toReports = m.getByRole('link', { name: 'Reported posts' });
    expect(await toReports.getAttribute('href')).toBe('/mcp/reports');
    await toReports.click();
    await m.waitForURL(/\/mcp\/reports$/, LIVE);
    await m.locator('.no-reports').waitFor(LIVE);

    // Alice still has no way into the queue: the server refuses her, and the page says so.
    await a.evaluate(() => {
      history.pushState(null, '', '/mcp/reports');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await a.locator('main .error-panel').waitFor(LIVE);
    expect(await a.locator('li.report').count()).toBe(0);
    await a.context().close();
    await m.context().close();
  });
});
