// Edit conflicts in Chromium (Discourse's): the post editor sends the editCount of the version
// its text started from. A moderator's edit arriving live while a member edits leaves the editor
// and the member's text as they were (the post is drawn again around it) and says who edited,
// with "Load their version" and "Keep mine". A save the server refuses as a conflict shows the
// server's words in the editor with "Load their version" and "Save mine anyway" (sent from
// their version: knowingly replacing it), the text kept; and that works when the live event was
// never received (the current version is then fetched). A plain edit, with no one else editing,
// saves as before. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, markPage, notReloaded, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('edit-conflict');

describe.skipIf(chromiumMissing)('edit conflicts in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let topicId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const article = (p: Page, postId: string) => p.locator(`article.post[data-post-id="${postId}"]`);
  const editor = (p: Page, postId: string) => article(p, postId).locator('form.edit-form');
  const textarea = (p: Page, postId: string) => editor(p, postId).getByRole('textbox', { name: 'Edit message' });
  const notice = (p: Page, postId: string) => editor(p, postId).locator('.edit-conflict');
  /** The post's drawn body (not the editor's preview, drawn like one). */
  const body = (p: Page, postId: string) => article(p, postId).locator('.postbody > .content');
  const content = async (p: Page, postId: string) => (await body(p, postId).textContent())?.trim();
  const stored = async (postId: string) => (await s.models.Post.findById(postId, { body: 1, editCount: 1 }).lean())!;
  const reply = async (body: string) => (await s.api('POST', `/topics/${topicId}/posts`, { token: alice.token, body: { body } })).body.post.id as string;
  const modEdits = async (postId: string, body: string) => expect((await s.api('PATCH', `/posts/${postId}`, { token: mod.token, body: { body } })).status).toBe(200);

  /** Every PATCH of a post the page sends: its JSON body, and the status the server answered. */
  function patches(p: Page): Array<{ body: Record<string, unknown>; status?: number }> {
    const sent: Array<{ body: Record<string, unknown>; status?: number }> = [];
    p.on('request', (r) => {
      if (r.method() === 'PATCH' && /\/api\/v1\/posts\/[^/]+$/.test(r.url())) sent.push({ body: r.postDataJSON() });
    });
    p.on('response', (r) => {
      const request = r.request();
      if (request.method() !== 'PATCH' || !/\/api\/v1\/posts\/[^/]+$/.test(r.url())) return;
      const entry = sent.find((e) => e.status === undefined);
      if (entry) entry.status = r.status();
    });
    return sent;
  }

  /** Alice on the topic, with the editor open on `postId` and `text` typed in it. */
  async function aliceEditing(p: Page, postId: string, text: string): Promise<void> {
    await logIn(p, alice, `/t/${topicId}`);
    await openTopic(p, s.url, topicId);
    await markPage(p);
    await article(p, postId).getByRole('button', { name: /^Edit post/ }).click();
    await textarea(p, postId).fill(text);
    // Marked, to tell the same textarea (with its text, caret and focus) from one drawn afresh.
    await textarea(p, postId).evaluate((el) => el.setAttribute('data-same-editor', 'yes'));
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('root', 'admin');
    mod = await s.user('mia', 'moderator');
    alice = await s.user('alice');
    const forum = await s.forum(admin, { title: 'Workplace', description: 'Desks and chairs.' });
    topicId = (await s.topic(forum.id, admin, { title: 'Standing desks', body: 'Opening post.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('a plain edit, with no one else editing, sends the editCount it started from and saves', { timeout: 60_000 }, async () => {
    const postId = await reply('Plain first words.');
    const a = await newPage();
    const sent = patches(a);
    await aliceEditing(a, postId, 'Plain, edited once.');
    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => content(a, postId), LIVE).toBe('Plain, edited once.');
    expect(await editor(a, postId).count()).toBe(0);
    expect(await stored(postId)).toMatchObject({ body: 'Plain, edited once.', editCount: 1 });

    // Edited again: the editor now starts from version 1.
    await article(a, postId).getByRole('button', { name: /^Edit post/ }).click();
    await textarea(a, postId).fill('Plain, edited twice.');
    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => content(a, postId), LIVE).toBe('Plain, edited twice.');
    expect(sent).toEqual([
      { body: { body: 'Plain, edited once.', editCount: 0 }, status: 200 },
      { body: { body: 'Plain, edited twice.', editCount: 1 }, status: 200 },
    ]);
    expect(await stored(postId)).toMatchObject({ body: 'Plain, edited twice.', editCount: 2 });
    expect(await notReloaded(a)).toBe(true);
    await a.context().close();
  });

  it('keeps the editor through a live edit by a moderator, tells of it, and settles a refused save', { timeout: 90_000 }, async () => {
    const postId = await reply('Alice wrote this first.');
    const a = await newPage();
    const sent = patches(a);
    await aliceEditing(a, postId, 'Alice, half-way through a rewrite');
    expect(await notice(a, postId).count()).toBe(0);

    // The moderator saves meanwhile: the post is drawn again, live, and the editor, text and
    // focus, stays; it says who edited, at once.
    await modEdits(postId, 'Moderator, version one.');
    await expect.poll(() => article(a, postId).locator('.edited').textContent(), LIVE).toMatch(/^Last edited by mia on /);
    await notice(a, postId).waitFor(LIVE);
    expect(await notice(a, postId).getAttribute('role')).toBe('status');
    expect(await notice(a, postId).locator('.edit-conflict-text').textContent()).toBe('mia edited this post while you were editing.');
    expect(await textarea(a, postId).inputValue()).toBe('Alice, half-way through a rewrite');
    expect(await textarea(a, postId).getAttribute('data-same-editor')).toBe('yes');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-same-editor'))).toBe('yes');
    expect(await editor(a, postId).count()).toBe(1);
    // The post's Edit button stays hidden while its editor is open.
    expect(await article(a, postId).getByRole('button', { name: /^Edit post/ }).isHidden()).toBe(true);

    // "Load their version": their text in the editor, the notice gone.
    await notice(a, postId).getByRole('button', { name: 'Load their version' }).click();
    expect(await textarea(a, postId).inputValue()).toBe('Moderator, version one.');
    expect(await notice(a, postId).count()).toBe(0);

    // She writes on top of theirs; the moderator edits again; she keeps hers.
    await textarea(a, postId).fill('Alice, on top of version one.');
    await modEdits(postId, 'Moderator, version two.');
    await notice(a, postId).waitFor(LIVE);
    expect(await notice(a, postId).locator('.edit-conflict-text').textContent()).toBe('mia edited this post while you were editing.');
    expect(await textarea(a, postId).inputValue()).toBe('Alice, on top of version one.');
    await notice(a, postId).getByRole('button', { name: 'Keep mine' }).click();
    expect(await notice(a, postId).count()).toBe(0);
    expect(await textarea(a, postId).inputValue()).toBe('Alice, on top of version one.');

    // Save, from version one: refused; the server's words and the two choices, her text kept.
    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    const refused = editor(a, postId).locator('.edit-conflict.refused');
    await refused.waitFor(LIVE);
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.locator('.edit-conflict-text').textContent()).toMatch(/^mia edited this post while you were editing it \(it has been edited 2 times\)/);
    expect(await refused.getByRole('button').allTextContents()).toEqual(['Load their version', 'Save mine anyway']);
    expect(await textarea(a, postId).inputValue()).toBe('Alice, on top of version one.');
    expect(await stored(postId)).toMatchObject({ body: 'Moderator, version two.', editCount: 2 });
    expect(await body(a, postId).count()).toBe(0); // still editing: the editor stands in the body's place

    // "Save mine anyway": sent from their version, knowingly replacing it; saved.
    await refused.getByRole('button', { name: 'Save mine anyway' }).click();
    await expect.poll(() => content(a, postId), LIVE).toBe('Alice, on top of version one.');
    expect(await editor(a, postId).count()).toBe(0);
    expect(await article(a, postId).getByRole('button', { name: /^Edit post/ }).isVisible()).toBe(true);
    expect(await article(a, postId).locator('.edited').textContent()).toMatch(/^Last edited by alice on .+, edited 3 times in total\.$/);
    expect(await stored(postId)).toMatchObject({ body: 'Alice, on top of version one.', editCount: 3 });
    expect(sent).toEqual([
      { body: { body: 'Alice, on top of version one.', editCount: 1 }, status: 409 },
      { body: { body: 'Alice, on top of version one.', editCount: 2 }, status: 200 },
    ]);
    expect(await notReloaded(a)).toBe(true);
    await a.context().close();
  });

  it('settles a refused save whose live event never came: their version is fetched', { timeout: 90_000 }, async () => {
    const postId = await reply('Quiet words.');
    const a = await newPage();
    const sent = patches(a);
    // The page's socket, with its post:updated events dropped while `deaf`.
    let deaf = false;
    let dropped = 0;
    await a.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (deaf && typeof m === 'string' && m.startsWith('42["post:updated"')) return void (dropped += 1);
        ws.send(m);
      });
    });
    /** The page's look-ups of one post's current version (GET of its topic page, by post). */
    const lookups: string[] = [];
    a.on('request', (r) => {
      if (r.method() === 'GET' && r.url().includes(`/api/v1/topics/${topicId}?post=`)) lookups.push(new URL(r.url()).searchParams.get('post')!);
    });
    await aliceEditing(a, postId, 'Alice, unaware.');

    deaf = true;
    await modEdits(postId, 'Moderator, unseen.');
    await expect.poll(() => dropped, LIVE).toBe(1);
    expect(await textarea(a, postId).getAttribute('data-same-editor')).toBe('yes');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await notice(a, postId).count()).toBe(0); // nothing told the page

    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    const refused = editor(a, postId).locator('.edit-conflict.refused');
    await refused.waitFor(LIVE);
    expect(await refused.locator('.edit-conflict-text').textContent()).toMatch(/^mia edited this post while you were editing it \(it has been edited 1 time/);
    expect(await textarea(a, postId).inputValue()).toBe('Alice, unaware.');

    // "Load their version" fetches it; saved from it.
    await refused.getByRole('button', { name: 'Load their version' }).click();
    await expect.poll(() => textarea(a, postId).inputValue(), LIVE).toBe('Moderator, unseen.');
    expect(await notice(a, postId).count()).toBe(0);
    await textarea(a, postId).fill('Alice, having read theirs.');
    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => content(a, postId), LIVE).toBe('Alice, having read theirs.');
    expect(await stored(postId)).toMatchObject({ body: 'Alice, having read theirs.', editCount: 2 });

    // Again, unseen; this time "Save mine anyway" (the current version fetched for its editCount).
    await article(a, postId).getByRole('button', { name: /^Edit post/ }).click();
    await textarea(a, postId).fill('Alice, final say.');
    const before = dropped;
    await modEdits(postId, 'Moderator, unseen again.');
    await expect.poll(() => dropped, LIVE).toBe(before + 1);
    await editor(a, postId).getByRole('button', { name: 'Save' }).click();
    await refused.waitFor(LIVE);
    await refused.getByRole('button', { name: 'Save mine anyway' }).click();
    await expect.poll(() => content(a, postId), LIVE).toBe('Alice, final say.');
    expect(await stored(postId)).toMatchObject({ body: 'Alice, final say.', editCount: 4 });
    expect(sent.map((e) => [e.body.editCount, e.status])).toEqual([
      [0, 409],
      [1, 200],
      [2, 409],
      [3, 200],
    ]);
    expect(lookups).toEqual([postId, postId]);
    await a.context().close();
  });

  // Caught up either from the events missed (replayed), or, when the server no longer holds
  // them, by loading the page again (resync): either way the editor is drawn again, and stays.
  it.each([
    { how: 'replays the events missed', resync: false },
    { how: 'loads the page again', resync: true },
  ])('keeps the editor, and tells of the edit, when the page $how after the server was down', { timeout: 90_000 }, async ({ resync }) => {
    const postId = await reply(`Before the outage (${resync ? 'resync' : 'replay'}).`);
    const a = await newPage();
    const loads: string[] = [];
    a.on('request', (r) => {
      if (r.method() === 'GET' && r.url().includes(`/api/v1/topics/${topicId}?`)) loads.push(r.url());
    });
    await aliceEditing(a, postId, 'Alice, typing through the outage.');
    const loadsBefore = loads.length;
    const moderator = { id: mod.id, username: mod.username, role: 'moderator' as const };
    await s.restart({
      whileDown: async (app) => {
        await expect.poll(() => a.locator('#connection').getAttribute('data-state'), LIVE).toBe('reconnecting');
        const { seq } = await app.services.posts.edit(moderator, postId, { body: 'Moderator, during the outage.' });
        // As if the topic's older events had been pruned: the page cannot catch up from them.
        if (resync) await s.models.Topic.updateOne({ _id: topicId }, { $max: { logFloor: seq } });
      },
    });
    await notice(a, postId).waitFor({ timeout: 15_000 });
    expect(loads.length - loadsBefore).toBe(resync ? 1 : 0);
    expect(await notice(a, postId).locator('.edit-conflict-text').textContent()).toBe('mia edited this post while you were editing.');
    expect(await textarea(a, postId).inputValue()).toBe('Alice, typing through the outage.');
    expect(await textarea(a, postId).getAttribute('data-same-editor')).toBe('yes');
    expect(await editor(a, postId).count()).toBe(1);
    await editor(a, postId).getByRole('button', { name: 'Load their version' }).click();
    expect(await textarea(a, postId).inputValue()).toBe('Moderator, during the outage.');
    expect(await notReloaded(a)).toBe(true);
    await a.context().close();
  });
});
