// Attachments in Chromium: Alice picks a PNG with the reply form's Attach file ("Uploading…",
// then its markup at the caret, kept in the draft); her reply shows the image, and Bob's open
// page of the topic gets the post live with the image loaded. A text file shows the server's
// refusal beside the button and inserts nothing. In the New Topic form an image pasted over a
// selection replaces it, and two files dropped at once go in one after another, in order; a
// post's Edit form attaches too. The User Control Panel lists her uploads (type, size, usage of
// the quota), Delete (two clicks) removes one, whose file then answers 404; a member with none
// sees so, and one with more than a page of them pages through. The real server on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('attachments');

type Listed = { id: string; url: string; name: string; type: string; size: number; createdAt: string };

/** A 2x2 PNG (red, blue): 73 bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4zwAE/xkgFAAb8gP91pbyKwAAAABJRU5ErkJggg==', 'base64');
/** A 1x1 GIF: 42 bytes. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** The PNG with 1500 bytes after its end (browsers ignore them): 1573 bytes, "1.5 KiB". */
const PADDED = Buffer.concat([PNG, Buffer.alloc(1500)]);
const QUOTA = 1.5 * 1024 * 1024;
const MARKUP = /\[img\]\/attachments\/([0-9a-f]{32})\[\/img\]/g;

describe.skipIf(chromiumMissing)('attachments in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let forumId: string;
  let topicId: string;
  /** The PNG Alice attached to her reply. */
  let chartId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const mine = async (who: Member, page = 1) => (await s.api('GET', `/users/me/attachments?page=${page}`, { token: who.token })).body;
  const fileStatus = async (id: string) => (await fetch(`${s.url}/attachments/${id}`)).status;
  /** Upload straight to the server (as a script would), answering its status and body. */
  async function uploadDirect(who: Member, bytes: Buffer, name: string): Promise<{ status: number; body: any }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${s.url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${who.token}` }, body: form });
    return { status: res.status, body: await res.json() };
  }
  /** Every image in a post: where it points and whether it loaded (its natural width). */
  const images = (p: Page, postId: string) =>
    p.locator(`article.post[data-post-id="${postId}"] .content img`).evaluateAll((els) => els.map((img) => [img.getAttribute('src'), (img as HTMLImageElement).naturalWidth]));
  const ids = (text: string) => [...text.matchAll(MARKUP)].map((m) => m[1]);

  async function onTopic(p: Page, id: string): Promise<void> {
    await p.goto(`${s.url}/t/${id}`);
    await p.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await p.locator('article.post').first().waitFor(LIVE);
  }
  /** Choose files with a form's Attach file button, through the browser's file chooser. */
  async function pick(p: Page, scope: string, files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
    const chooser = p.waitForEvent('filechooser');
    await p.locator(scope).getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles(files);
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig({ attachmentQuotaBytes: QUOTA, attachmentMaxBytes: 1024 * 1024, rateUploadPoints: 1000 }));
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    forumId = (await s.forum(admin, { title: 'Show and tell', description: 'Pictures welcome.' })).id;
    topicId = (await s.topic(forumId, bob, { title: 'Your charts', body: 'Post them here.' })).topic.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at the topic and the User Control Panel', async () => {
    await expectPageShell(s.url, [`/t/${topicId}`, '/ucp']);
  });

  it('a PNG picked in the reply form goes in at the caret, and the reply shows it, live in another member’s page', { timeout: 60_000 }, async () => {
    const b = await newPage();
    await logIn(b, bob, `/t/${topicId}`);
    await onTopic(b, topicId);
    await markPage(b);
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);

    const body = a.locator('#reply-body');
    await body.fill('Here it is:  Enjoy.');
    await body.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(12, 12)); // between the two spaces

    // The upload is held at the network until the page has said it is uploading.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await a.route('**/api/v1/attachments', async (route) => {
      await held;
      await route.continue();
    });
    await pick(a, '#reply', [{ name: 'chart.png', mimeType: 'image/png', buffer: PNG }]);
    const status = a.locator('#reply .attach [role="status"]');
    await expect.poll(() => status.textContent(), LIVE).toBe('Uploading…');
    release();
    await expect.poll(async () => ids(await body.inputValue()).length, LIVE).toBe(1);
    await a.unroute('**/api/v1/attachments');
    const text = await body.inputValue();
    chartId = ids(text)[0];
    expect(text).toBe(`Here it is: [img]/attachments/${chartId}[/img] Enjoy.`);
    expect(await status.textContent()).toBe('');
    expect(await a.locator('#reply .attach [role="alert"]').count()).toBe(0);
    // The draft heard the change (the page dispatched `input`), as if typed.
    expect(await a.evaluate((key) => sessionStorage.getItem(key), `draft:reply:${topicId}`)).toBe(text);
    // What the server keeps: her file, as sent.
    expect((await mine(alice)).attachments.map((x: Listed) => [x.id, x.name, x.type, x.size])).toEqual([[chartId, 'chart.png', 'image/png', PNG.length]]);
    const served = await fetch(`${s.url}/attachments/${chartId}`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    await a.locator('#reply').getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => body.inputValue(), LIVE).toBe('');
    const replies = (await s.api('GET', `/topics/${topicId}`)).body.posts as Array<{ id: string; body: string }>;
    const postId = replies.at(-1)!.id;
    expect(replies.at(-1)!.body).toBe(text);
    // Her page and Bob's (live, no reload) show the image, loaded: 2 pixels wide.
    const shown = [[`/attachments/${chartId}`, 2]];
    await expect.poll(() => images(a, postId), LIVE).toEqual(shown);
    await expect.poll(() => images(b, postId), LIVE).toEqual(shown);
    expect(await notReloaded(b)).toBe(true);
    // Wider than the post it would not be: images keep within it.
    expect(await b.locator(`article.post[data-post-id="${postId}"] .content img`).evaluate((img) => getComputedStyle(img).maxWidth)).toBe('100%');
    await a.context().close();
    await b.context().close();
  });

  it('a file of a type not allowed shows the server’s refusal beside the button, and nothing goes in', async () => {
    const notes = Buffer.from('Just some notes, not a picture.\n');
    const direct = await uploadDirect(alice, notes, 'notes.txt');
    expect([direct.status, direct.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const refusal: string = direct.body.error.message;
    expect(refusal).toMatch(/PNG/);

    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await onTopic(a, topicId);
    const body = a.locator('#reply-body');
    await body.fill('Nothing to attach here.');
    await pick(a, '#reply', [{ name: 'notes.txt', mimeType: 'text/plain', buffer: notes }]);
    const alert = a.locator('#reply .attach [role="alert"]');
    await expect.poll(() => alert.textContent(), LIVE).toBe(`notes.txt: ${refusal}`);
    expect(await alert.isVisible()).toBe(true);
    expect(await body.inputValue()).toBe('Nothing to attach here.');
    expect(await a.locator('#reply .attach [role="status"]').textContent()).toBe('');
    expect((await mine(alice)).total).toBe(1);

    // The next file that is taken clears it.
    await pick(a, '#reply', [{ name: 'again.png', mimeType: 'image/png', buffer: PNG }]);
    await expect.poll(async () => ids(await body.inputValue()).length, LIVE).toBe(1);
    expect(await alert.count()).toBe(0);
    const again = ids(await body.inputValue())[0];
    expect((await s.api('DELETE', `/attachments/${again}`, { token: alice.token })).status).toBe(200);
    await body.fill('');
    await a.context().close();
  });

  it('New Topic: a pasted image replaces the selection; two dropped files go in one after another; Edit attaches too', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    await a.locator('#topic-title').fill('My pictures');
    const body = a.locator('#topic-body');
    await body.fill('Before [here] after');

    // Paste over "[here]": an image on the clipboard, as a screenshot is.
    await body.evaluate((el: HTMLTextAreaElement, b64) => {
      el.focus();
      el.setSelectionRange(7, 13);
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG.toString('base64'));
    await expect.poll(async () => ids(await body.inputValue()).length, LIVE).toBe(1);
    const [pastedId] = ids(await body.inputValue());
    expect(await body.inputValue()).toBe(`Before [img]/attachments/${pastedId}[/img] after`);

    // Drop two files at the end: both go in, in the order dropped, a line apiece.
    await body.evaluate(
      (el: HTMLTextAreaElement, files) => {
        el.setSelectionRange(el.value.length, el.value.length);
        const data = new DataTransfer();
        for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
        const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true });
        el.dispatchEvent(over);
        if (!over.defaultPrevented) throw new Error('the textarea did not take the drag');
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [
        { name: 'padded.png', type: 'image/png', b64: PADDED.toString('base64') },
        { name: 'dot.gif', type: 'image/gif', b64: GIF.toString('base64') },
      ],
    );
    await expect.poll(async () => ids(await body.inputValue()).length, LIVE).toBe(3);
    const [, paddedId, gifId] = ids(await body.inputValue());
    expect(await body.inputValue()).toBe(`Before [img]/attachments/${pastedId}[/img] after[img]/attachments/${paddedId}[/img]\n[img]/attachments/${gifId}[/img]`);
    // Uploaded one after another: the server saw them in that order (its list is newest first).
    expect((await mine(alice)).attachments.map((x: Listed) => [x.id, x.name, x.size])).toEqual([
      [gifId, 'dot.gif', GIF.length],
      [paddedId, 'padded.png', PADDED.length],
      [pastedId, 'image.png', PNG.length],
      [chartId, 'chart.png', PNG.length],
    ]);

    await a.locator('#new-topic').getByRole('button', { name: 'Submit' }).click();
    await a.waitForURL(/\/t\/[0-9a-f]{24}/, LIVE);
    const newTopicId = /\/t\/([0-9a-f]{24})/.exec(a.url())![1];
    await a.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    const firstPostId = (await s.api('GET', `/topics/${newTopicId}`)).body.posts[0].id as string;
    await expect.poll(() => images(a, firstPostId), LIVE).toEqual([
      [`/attachments/${pastedId}`, 2],
      [`/attachments/${paddedId}`, 2],
      [`/attachments/${gifId}`, 1],
    ]);

    // Edit: the editor has its own Attach file, which adds at its caret.
    await a.getByRole('button', { name: 'Edit post #1' }).click();
    const editor = a.locator(`article.post[data-post-id="${firstPostId}"] form.edit-form`);
    const editBody = editor.getByRole('textbox', { name: 'Edit message' });
    await editBody.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 0));
    await pick(a, `article.post[data-post-id="${firstPostId}"] form.edit-form`, [{ name: 'edit.png', mimeType: 'image/png', buffer: PNG }]);
    await expect.poll(async () => ids(await editBody.inputValue()).length, LIVE).toBe(4);
    const editId = ids(await editBody.inputValue())[0];
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await images(a, firstPostId))[0], LIVE).toEqual([`/attachments/${editId}`, 2]);
    expect((await s.api('GET', `/topics/${newTopicId}`)).body.posts[0].body.startsWith(`[img]/attachments/${editId}[/img]Before`)).toBe(true);
    await a.context().close();
  });

  it('the User Control Panel lists the uploads with sizes and usage; Delete (two clicks) removes one, whose file is then gone', { timeout: 60_000 }, async () => {
    const listed = (await mine(alice)) as { attachments: Listed[]; usedBytes: number; total: number };
    const sizes = PNG.length * 3 + PADDED.length + GIF.length; // 1834 bytes
    expect([listed.total, listed.usedBytes]).toEqual([5, sizes]);

    const a = await newPage();
    await logIn(a, alice, '/ucp');
    const section = a.getByRole('region', { name: 'Attachments' });
    const usage = section.locator('.attachment-usage');
    await expect.poll(() => usage.textContent(), LIVE).toBe('1.8 KiB used of 1.5 MiB');
    const rows = () =>
      section.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((cell) => cell.textContent)).map(([name, type, size]) => `${name} | ${type} | ${size}`),
      );
    expect(await rows()).toEqual([
      'edit.png | PNG image | 73 bytes',
      'dot.gif | GIF image | 42 bytes',
      'padded.png | PNG image | 1.5 KiB',
      'image.png | PNG image | 73 bytes',
      'chart.png | PNG image | 73 bytes',
    ]);
    const chartRow = section.locator(`tr[data-attachment-id="${chartId}"]`);
    expect(await chartRow.getByRole('link', { name: 'chart.png' }).getAttribute('href')).toBe(`/attachments/${chartId}`);
    expect(await chartRow.locator('time').getAttribute('datetime')).toBe(listed.attachments[4].createdAt);
    expect(await section.locator('.attachment-pages').isHidden()).toBe(true);

    // Delete asks again first; nothing is gone after one click.
    const del = chartRow.getByRole('button', { name: 'Delete chart.png' });
    await del.click();
    expect(await del.textContent()).toBe('Really delete?');
    expect(await fileStatus(chartId)).toBe(200);
    await del.click();
    await chartRow.waitFor({ state: 'detached', ...LIVE });
    await expect.poll(() => usage.textContent(), LIVE).toBe('1.7 KiB used of 1.5 MiB');
    expect(await rows()).toHaveLength(4);
    expect((await mine(alice)).attachments.map((x: Listed) => x.id)).not.toContain(chartId);
    expect(await fileStatus(chartId)).toBe(404);
    await a.context().close();

    // Bob has uploaded nothing: the panel says so.
    const b = await newPage();
    await logIn(b, bob, '/ucp');
    const bobs = b.getByRole('region', { name: 'Attachments' });
    await bobs.locator('.no-attachments').waitFor(LIVE);
    expect(await bobs.locator('.no-attachments').textContent()).toMatch(/^You have not uploaded any files/);
    expect(await bobs.locator('.attachment-usage').textContent()).toBe('0 bytes used of 1.5 MiB');
    expect(await bobs.locator('table').isHidden()).toBe(true);
    await b.context().close();
  });

  it('an uploaded image becomes the avatar: the UCP fills the field, Save keeps it, the profile card shows it', { timeout: 60_000 }, async () => {
    const dave = await s.user('dave');
    const d = await newPage();
    await logIn(d, dave, '/ucp');
    const form = d.getByRole('form', { name: 'Edit profile' });
    const chooser = d.waitForEvent('filechooser');
    await form.getByRole('button', { name: 'Upload an image' }).click();
    await (await chooser).setFiles([{ name: 'me.png', mimeType: 'image/png', buffer: PNG }]);
    const field = form.getByLabel('Avatar URL');
    await expect.poll(() => field.inputValue(), LIVE).toMatch(/^\/attachments\/[0-9a-f]{32}$/);
    const url = await field.inputValue();
    expect(await form.locator('img.avatar-preview').getAttribute('src')).toBe(url);
    await form.getByRole('button', { name: 'Save profile' }).click();
    await form.getByText('Your profile has been updated.').waitFor(LIVE);
    expect((await s.api('GET', `/users/${dave.id}`)).body.user.avatarUrl).toBe(url);

    await d.goto(`${s.url}/u/${dave.id}`);
    const avatar = d.locator('img.avatar').first();
    await avatar.waitFor(LIVE);
    expect(await avatar.getAttribute('src')).toBe(url);
    await expect.poll(() => avatar.evaluate((img) => (img as HTMLImageElement).naturalWidth), LIVE).toBe(2);
    await d.context().close();
  });

  it('more than a page of uploads pages in the panel', { timeout: 60_000 }, async () => {
    for (let i = 1; i <= 51; i++) expect((await uploadDirect(carol, GIF, `dot-${i}.gif`)).status).toBe(201);
    const c = await newPage();
    await logIn(c, carol, '/ucp');
    const section = c.getByRole('region', { name: 'Attachments' });
    const pages = section.getByRole('navigation', { name: 'Attachment pages' });
    await pages.waitFor(LIVE);
    // The server's pages, as it orders them (newest first).
    const names = async (page: number) => ((await mine(carol, page)).attachments as Listed[]).map((x) => x.name);
    const [first, second] = [await names(1), await names(2)];
    expect([first.length, second.length]).toEqual([50, 1]);
    expect(await section.locator('tbody tr th').allTextContents()).toEqual(first);
    expect(await pages.locator('.page-of').textContent()).toBe('Page 1 of 2');
    expect(await pages.getByRole('button', { name: 'Previous' }).count()).toBe(0);
    await pages.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pages.locator('.page-of').textContent(), LIVE).toBe('Page 2 of 2');
    expect(await section.locator('tbody tr th').allTextContents()).toEqual(second);
    expect(await pages.getByRole('button', { name: 'Next' }).count()).toBe(0);
    await pages.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => pages.locator('.page-of').textContent(), LIVE).toBe('Page 1 of 2');
    await c.context().close();
  });
});
