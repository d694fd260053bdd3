// Edit history in Chromium: a post edited twice (by its author, then by a moderator with a new
// subject) says "edited 2 times in total", and that count is a button (aria-expanded, worked
// from the keyboard) opening a panel under the post: 3 versions, oldest first, with who wrote
// each, the subject change, and the text as the server rendered it (markup drawn, never a
// script). A never-edited post offers no history. Loading and a failure (role=alert, Try
// again) show in the panel. Edited again while it is open, the panel stays open, says it is
// loading the new version, then lists 4, even when the server has not kept the replaced version
// yet. Close hides it and gives focus back. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell } from '../helpers/browser-pages.js';
import { RevisionHistory, type Revision } from '../../client/web/src/live/revision-history.js';

reportIfMissing('edit-history');

const REVISIONS = '**/api/v1/posts/*/revisions';
/** An edit whose text tries to run a script: it must arrive as harmless text or markup. */
const SNEAKY = 'Second draft, **bold** now. <img src=x onerror=alert(1)><script>alert(2)</script>';

const revision = (version: number, by = 'alice'): Revision => ({
  version,
  subject: 'S',
  bodyHtml: `<p>v${version}</p>`,
  writtenAt: new Date(Date.UTC(2025, 0, 1, 0, version)).toISOString(),
  writtenBy: { id: by, username: by },
});

describe('RevisionHistory (what a page has seen of a post’s versions)', () => {
  it('merges answers: a version the server has not kept yet is still known from the answer before', () => {
    const h = new RevisionHistory();
    h.add([revision(0), revision(1), revision(2)]);
    expect(h.missing(2)).toEqual([]);
    // Edited again: the server answers before it keeps version 2 (the one the edit replaced).
    h.add([revision(0), revision(1), revision(3)]);
    expect(h.versions.map((r) => r.version)).toEqual([0, 1, 2, 3]);
    expect(h.missing(3)).toEqual([]);
  });

  it('counts as missing only the versions after the oldest known one, up to the current one', () => {
    const h = new RevisionHistory();
    h.add([revision(3), revision(5)]); // edited before history was kept: 0–2 were never kept
    expect(h.missing(5)).toEqual([4]);
    expect(h.missing(6)).toEqual([4, 6]);
    expect(new RevisionHistory().missing(2)).toEqual([]);
  });
});

describe.skipIf(chromiumMissing)('edit history in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let topicId: string;
  let editedId: string;
  let plainId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const article = (p: Page, postId: string) => p.locator(`article.post[data-post-id="${postId}"]`);
  const toggle = (p: Page) => article(p, editedId).getByRole('button', { name: /^edited \d+ times? in total$/ });
  const panel = (p: Page) => article(p, editedId).locator('section.edit-history');
  /** What the open panel lists, oldest first: its head line (the date left out), subject change, and text. */
  const listed = (p: Page) =>
    panel(p)
      .locator('li.revision')
      .evaluateAll((items) =>
        items.map((li) => ({
          version: Number((li as HTMLElement).dataset.version),
          head: (li.querySelector('.revision-head')?.textContent ?? '').replace(/ on .+?(?= \(|$)/, ' on <date>'),
          by: li.querySelector('.revision-head a.username')?.getAttribute('href'),
          subject: li.querySelector('.revision-subject')?.textContent ?? null,
          text: li.querySelector('.revision-body')?.textContent?.trim(),
          strong: [...li.querySelectorAll('.revision-body strong, .revision-body em')].map((el) => `${el.tagName.toLowerCase()}:${el.textContent}`),
        })),
      );
  const status = (p: Page) => panel(p).getByRole('status').textContent();
  /** Nothing in the page came from the sneaky text as an element or a handler. */
  const noScriptsLet = (p: Page) =>
    p.evaluate(() => ({
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      images: [...document.images].filter((img) => img.getAttribute('src') === 'x').length,
      scripts: [...document.querySelectorAll('main script')].length,
      alerted: (window as unknown as { alerted?: boolean }).alerted ?? false,
    }));
  async function onTopic(p: Page): Promise<void> {
    await p.goto(`${s.url}/t/${topicId}`);
    await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await article(p, plainId).waitFor(LIVE);
    // Any alert the page ran would be recorded by browserPages as a dialog; this catches a quieter one.
    await p.evaluate(() => {
      window.alert = () => void ((window as unknown as { alerted: boolean }).alerted = true);
    });
  }
  /** Hold revisions requests (the next one, or every one until unrouted) until `release` is called, answering them through `answer`. */
  async function hold(p: Page, answer: (route: Route) => Promise<void>, every = false): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await p.route(
      REVISIONS,
      async (route) => {
        await released;
        await answer(route);
      },
      every ? {} : { times: 1 },
    );
    return release;
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('root', 'admin');
    mod = await s.user('mia', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    const forum = await s.forum(admin, { title: 'Workplace', description: 'Desks and chairs.' });
    const made = await s.topic(forum.id, alice, { title: 'Standing desks', body: 'First draft about desks.' });
    topicId = made.topic.id;
    editedId = made.post.id;
    plainId = (await s.api('POST', `/topics/${topicId}/posts`, { token: bob.token, body: { body: 'A reply nobody edits.' } })).body.post.id;
    const byAuthor = await s.api('PATCH', `/posts/${editedId}`, { token: alice.token, body: { body: SNEAKY } });
    expect(byAuthor.status).toBe(200);
    const byMod = await s.api('PATCH', `/posts/${editedId}`, { token: mod.token, body: { body: 'Tidied by the _moderator_.', subject: 'Standing desks: tidied' } });
    expect(byMod.status).toBe(200);
    expect(byMod.body.post.editCount).toBe(2);
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at the topic', async () => {
    await expectPageShell(s.url, [`/t/${topicId}`]);
  });

  it('opens a post’s versions from "edited 2 times in total", live through a new edit, and closes', { timeout: 90_000 }, async () => {
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await onTopic(b);

    // phpBB's note, unchanged in words; its count is the (closed) disclosure button.
    expect(await article(b, editedId).locator('.edited').textContent()).toMatch(/^Last edited by mia on .+, edited 2 times in total\.$/);
    expect(await toggle(b).getAttribute('aria-expanded')).toBe('false');
    expect(await toggle(b).getAttribute('aria-controls')).toBe(`p${editedId}-history`);
    expect(await panel(b).isHidden()).toBe(true);
    // Bob's reply was never edited: no note, no history.
    expect(await article(b, plainId).locator('.edited, .history-toggle, .edit-history').count()).toBe(0);
    expect(await article(b, plainId).getByRole('button', { name: /edited|history/i }).count()).toBe(0);

    // Opened from the keyboard: the panel says it is loading until the answer comes.
    let release = await hold(b, (route) => route.continue());
    await toggle(b).focus();
    await b.keyboard.press('Enter');
    expect(await toggle(b).getAttribute('aria-expanded')).toBe('true');
    await panel(b).waitFor({ state: 'visible', ...LIVE });
    expect(await status(b)).toBe('Loading the edit history…');
    expect(await panel(b).getAttribute('aria-busy')).toBe('true');
    expect(await panel(b).locator('li.revision').count()).toBe(0);
    release();
    await expect.poll(() => status(b), LIVE).toBe('3 versions, oldest first.');
    expect(await panel(b).getAttribute('aria-busy')).toBeNull();
    expect(await panel(b).getByRole('heading').textContent()).toBe('Edit history of post #1');

    const v0 = { version: 0, head: 'Version 0 by alice on <date> (as first written)', by: `/u/${alice.id}`, subject: null, text: 'First draft about desks.', strong: [] };
    const v1 = { version: 1, head: 'Version 1 by alice on <date>', by: `/u/${alice.id}`, subject: null, strong: ['strong:bold'] };
    const v2 = { version: 2, head: 'Version 2 by mia on <date>', by: `/u/${mod.id}`, subject: 'Subject changed: Standing desks → Standing desks: tidied', text: 'Tidied by the moderator.', strong: ['em:moderator'] };
    const three = await listed(b);
    expect(three).toMatchObject([v0, v1, { ...v2, head: `${v2.head} (current)` }]);
    // The author's version: markup drawn, the would-be script only ever as text (or dropped).
    expect(three[1].text).toMatch(/^Second draft, bold now\./);
    expect(await noScriptsLet(b)).toEqual({ handlers: 0, images: 0, scripts: 0, alerted: false });
    // Focus stayed on the button (a disclosure), and the post above shows the current text.
    expect(await b.evaluate(() => document.activeElement?.classList.contains('history-toggle'))).toBe(true);
    expect((await article(b, editedId).locator('.content').textContent())?.trim()).toBe('Tidied by the moderator.');

    // Alice edits again while Bob's panel is open. His page draws the post again, live; the
    // panel stays open, with the same focused button, now saying 3 times, and says a new
    // version is loading (the old list is not passed off as complete). The server is made to
    // answer as if it had not kept the version this edit replaced yet (however often the page
    // asks again): the page still knows it, from before.
    await toggle(b).evaluate((el) => el.setAttribute('data-same-button', 'yes'));
    let withheld = 0;
    release = await hold(
      b,
      async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as { revisions: Revision[] };
        const kept = body.revisions.filter((r) => r.version !== 2);
        withheld += body.revisions.length - kept.length;
        await route.fulfill({ response: res, json: { ...body, revisions: kept } });
      },
      true,
    );
    expect((await s.api('PATCH', `/posts/${editedId}`, { token: alice.token, body: { body: 'Third draft, *live*.' } })).status).toBe(200);
    await expect.poll(async () => (await article(b, editedId).locator('.content').textContent())?.trim(), LIVE).toBe('Third draft, live.');
    expect(await article(b, editedId).locator('.edited').textContent()).toMatch(/^Last edited by alice on .+, edited 3 times in total\.$/);
    expect(await toggle(b).getAttribute('data-same-button')).toBe('yes');
    expect(await toggle(b).getAttribute('aria-expanded')).toBe('true');
    expect(await b.evaluate(() => document.activeElement?.getAttribute('data-same-button'))).toBe('yes');
    await expect.poll(() => status(b), LIVE).toBe('This post was edited again: loading its new version…');
    expect(await panel(b).getAttribute('aria-busy')).toBe('true');
    release();
    await expect.poll(() => status(b), LIVE).toBe('4 versions, oldest first.');
    await b.unroute(REVISIONS);
    expect(withheld).toBeGreaterThanOrEqual(1); // the server's answer did hold version 2, and the page was not given it
    expect(await listed(b)).toMatchObject([
      v0,
      v1,
      v2,
      { version: 3, head: 'Version 3 by alice on <date> (current)', by: `/u/${alice.id}`, subject: null, text: 'Third draft, live.', strong: ['em:live'] },
    ]);
    expect(await panel(b).locator('.history-gap').isHidden()).toBe(true);
    expect(await article(b, editedId).locator('section.edit-history').count()).toBe(1);

    // Close: hidden, collapsed, focus back on the count; Enter opens it again, fetched afresh.
    await panel(b).getByRole('button', { name: 'Close edit history' }).click();
    expect(await panel(b).isHidden()).toBe(true);
    expect(await toggle(b).getAttribute('aria-expanded')).toBe('false');
    expect(await b.evaluate(() => document.activeElement?.getAttribute('data-same-button'))).toBe('yes');
    await b.keyboard.press('Enter');
    await expect.poll(() => status(b), LIVE).toBe('4 versions, oldest first.');
    // A closed panel is not carried through an edit: the post comes back with a closed one.
    await b.keyboard.press('Enter');
    expect((await s.api('PATCH', `/posts/${editedId}`, { token: mod.token, body: { body: 'Fourth and last.' } })).status).toBe(200);
    await expect.poll(async () => (await toggle(b).textContent()), LIVE).toBe('edited 4 times in total');
    expect(await toggle(b).getAttribute('aria-expanded')).toBe('false');
    expect(await panel(b).isHidden()).toBe(true);
    expect(await noScriptsLet(b)).toEqual({ handlers: 0, images: 0, scripts: 0, alerted: false });
    await b.context().close();
  });

  it('shows a failure in the panel, and Try again loads it; a guest may read it too', { timeout: 60_000 }, async () => {
    const g = await newPage();
    await onTopic(g);
    await g.route(REVISIONS, (route) => route.fulfill({ status: 503, json: { error: { code: 'INTERNAL', message: 'The history is resting' } } }), { times: 1 });
    await toggle(g).click();
    const alert = panel(g).getByRole('alert');
    await expect.poll(() => alert.textContent(), LIVE).toBe('The history is resting');
    expect(await alert.isVisible()).toBe(true);
    expect(await panel(g).locator('li.revision').count()).toBe(0);
    expect(await status(g)).toBe('');
    await panel(g).getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => status(g), LIVE).toBe('5 versions, oldest first.');
    expect(await alert.isHidden()).toBe(true);
    expect(await panel(g).getByRole('button', { name: 'Try again' }).isHidden()).toBe(true);
    expect((await listed(g)).map((r) => [r.version, r.head.replace(/ on <date>.*/, ''), r.text])).toEqual([
      [0, 'Version 0 by alice', 'First draft about desks.'],
      [1, 'Version 1 by alice', expect.stringMatching(/^Second draft, bold now\./)],
      [2, 'Version 2 by mia', 'Tidied by the moderator.'],
      [3, 'Version 3 by alice', 'Third draft, live.'],
      [4, 'Version 4 by mia', 'Fourth and last.'],
    ]);
    expect(await noScriptsLet(g)).toEqual({ handlers: 0, images: 0, scripts: 0, alerted: false });
    await saveScreenshot(article(g, editedId), 'edit-history');

    // A version the server never gives (lost): after asking again a few times, the panel lists
    // what it has and says which one is not there, rather than passing the list off as whole.
    // (A page drawn afresh: one that has seen version 1 keeps it, versions never change.)
    await onTopic(g);
    await g.route(REVISIONS, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { revisions: Revision[] };
      await route.fulfill({ response: res, json: { ...body, revisions: body.revisions.filter((r) => r.version !== 1) } });
    });
    await toggle(g).click();
    await expect.poll(() => status(g), LIVE).toBe('4 versions, oldest first.');
    expect(await panel(g).locator('.history-gap').textContent()).toBe('Not in this history: version 1.');
    expect(await panel(g).locator('.history-gap').isVisible()).toBe(true);
    expect((await listed(g)).map((r) => r.version)).toEqual([0, 2, 3, 4]);
    await g.unroute(REVISIONS);
    await g.context().close();
  });
  it('a moderator gives a reason in the editor: every open page shows it after "Last edited by", live, and the history keeps it', { timeout: 60_000 }, async () => {
    const REASON = 'Off-topic <b>link</b> removed';
    const m = await newPage();
    await logIn(m, mod, `/t/${topicId}`);
    await onTopic(m);
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await onTopic(b);
    expect(await article(b, plainId).locator('.edited').count()).toBe(0);

    await article(m, plainId).getByRole('button', { name: /^Edit post/ }).click();
    const editor = article(m, plainId).locator('form.edit-form');
    await editor.getByRole('textbox', { name: 'Edit message' }).fill('A reply, tidied.');
    expect(await editor.getByRole('textbox', { name: 'Reason for editing (optional)' }).inputValue()).toBe('');
    await editor.getByRole('textbox', { name: 'Reason for editing (optional)' }).fill(REASON);
    await editor.getByRole('button', { name: 'Save' }).click();

    const note = /^Last edited by mia on .+, edited 1 time in total\. Reason: Off-topic <b>link<\/b> removed$/;
    for (const p of [m, b]) {
      await expect.poll(() => article(p, plainId).locator('.edited').textContent(), LIVE).toMatch(note);
      expect(await article(p, plainId).locator('.edited b').count()).toBe(0);
    }
    const stored = (await s.api('GET', `/topics/${topicId}`)).body.posts.find((p: { id: string }) => p.id === plainId);
    expect(stored.editReason).toBe(REASON);

    // The history names it with the version that edit wrote.
    await article(b, plainId).getByRole('button', { name: /^edited 1 time in total$/ }).click();
    const heads = article(b, plainId).locator('section.edit-history li.revision .revision-head');
    await expect.poll(() => heads.count(), LIVE).toBe(2);
    expect(await heads.nth(1).textContent()).toMatch(/^Version 1 by mia on .+ \(current\): Off-topic <b>link<\/b> removed$/);

    // Bob's own edit gives none: the reason goes.
    expect((await s.api('PATCH', `/posts/${plainId}`, { token: bob.token, body: { body: 'A reply, mine again.' } })).status).toBe(200);
    await expect.poll(() => article(b, plainId).locator('.edited').textContent(), LIVE).toMatch(/^Last edited by bob on .+, edited 2 times in total\.$/);
    await m.context().close();
    await b.context().close();
  });
});
