// Preview in Chromium (phpBB's Preview): under the topic's quick reply, a member's Markdown and
// BBCode show as the server renders them (POST /preview: HTML as text, never markup), follow the
// typing once it pauses (one request per pause; an older text's late answer never wins), and go
// with the sent reply, whose post then shows exactly what was previewed. An empty body shows the
// server's refusal instead of a stale preview; Close preview hides it (aria-expanded, focus). The
// New Topic form, the editor of one's own post, the New message form, a conversation's reply and
// the editor of one's own message have it too; a guest has no form, so no button. The real server
// (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, saveScreenshot, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, openTopic } from '../helpers/browser-pages.js';

reportIfMissing('preview');

/** Markdown, BBCode and HTML the renderer must show as text. */
const TEXT = '**bold** and [i]italic[/i] <b>not html</b>';
const PREVIEW = '**/api/v1/preview';

describe.skipIf(chromiumMissing)('preview in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let bob: Member;
  let forumId: string;
  let topicId: string;
  /** Alice's reply in the topic: she may edit it. */
  let alicePostId: string;
  const { newPage, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  /** What the server renders for a body: the request the page makes, made by the test. */
  async function rendered(body: string): Promise<string> {
    const res = await s.api('POST', '/preview', { token: alice.token, body: { body } });
    expect(res.status).toBe(200);
    return res.body.bodyHtml as string;
  }
  /** The server's refusal of a body, as it words it. */
  async function refusal(body: string): Promise<string> {
    const res = await s.api('POST', '/preview', { token: alice.token, body: { body } });
    expect([res.status, res.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    return res.body.error.message as string;
  }
  // `exact`: "Close preview" is a button too, once the panel shows.
  const button = (form: Locator) => form.getByRole('button', { name: 'Preview', exact: true });
  const panel = (form: Locator) => form.locator('section.preview');
  const previewBody = (form: Locator) => panel(form).locator('.content');
  /** Whether the form's Preview says its panel is open, and whether the panel is shown. */
  const state = async (form: Locator) => [await button(form).getAttribute('aria-expanded'), await panel(form).isVisible()];
  /** Click Preview and wait for the server's rendering of `text` in the panel. */
  async function expectPreviewOf(form: Locator, text: string): Promise<void> {
    await button(form).click();
    const html = await rendered(text);
    await expect.poll(() => previewBody(form).innerHTML(), LIVE).toBe(html);
    expect(await state(form)).toEqual(['true', true]);
  }
  /** The bodies the page has sent to POST /preview, in order. */
  function previewsSent(p: Page): string[] {
    const sent: string[] = [];
    p.on('request', (r) => void (r.url().endsWith('/api/v1/preview') && sent.push((r.postDataJSON() as { body: string }).body)));
    return sent;
  }

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    bob = await s.user('bob');
    forumId = (await s.forum(admin, { title: 'Workshop', description: 'Drafts welcome.' })).id;
    topicId = (await s.topic(forumId, bob, { title: 'Formatting help', body: 'How do I make text bold?' })).topic.id;
    alicePostId = (await s.api('POST', `/topics/${topicId}/posts`, { token: alice.token, body: { body: 'Like this: **bold**.' } })).body.post.id;
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('a guest has no reply form, so no Preview', async () => {
    const g = await newPage();
    await openTopic(g, s.url, topicId);
    expect(await g.locator('#reply').count()).toBe(0);
    expect(await g.getByRole('button', { name: 'Preview', exact: true }).count()).toBe(0);
    await g.context().close();
  });

  it('the quick reply previews what the server renders, follows the typing, and the sent post shows the same', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    const form = a.locator('#reply');
    const body = a.locator('#reply-body');
    const sent = previewsSent(a);
    // Closed at first; the button names the panel it opens.
    expect(await state(form)).toEqual(['false', false]);
    expect(await button(form).getAttribute('aria-controls')).toBe(await panel(form).getAttribute('id'));

    await body.fill(TEXT);
    await expectPreviewOf(form, TEXT);
    const html = await previewBody(form).innerHTML();
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('&lt;b&gt;not html&lt;/b&gt;');
    expect(await previewBody(form).locator('b').count()).toBe(0);
    expect(await panel(form).getByRole('heading', { name: 'Preview' }).count()).toBe(1);
    expect(await panel(form).getByRole('alert').count()).toBe(0);
    // The panel is a region named by its heading, drawn as a post's body is.
    expect(await a.getByRole('region', { name: 'Preview' }).count()).toBe(1);
    await saveScreenshot(form, 'preview-reply');

    // Typing on: once it pauses, the preview follows, asked for once, not at every key.
    const more = ', [u]underlined[/u]';
    await body.press('End');
    await body.pressSequentially(more, { delay: 20 });
    const followed = await rendered(TEXT + more);
    await expect.poll(() => previewBody(form).innerHTML(), LIVE).toBe(followed);
    expect(followed).toContain('underlined');
    expect(sent).toEqual([TEXT, TEXT + more]);

    // Sending: the panel closes and empties; the post shows exactly what was previewed.
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => body.inputValue(), LIVE).toBe('');
    expect(await state(form)).toEqual(['false', false]);
    expect(await previewBody(form).innerHTML()).toBe('');
    const posts = (await s.api('GET', `/topics/${topicId}`)).body.posts as Array<{ id: string; body: string; bodyHtml: string }>;
    const post = posts.at(-1)!;
    expect([post.body, post.bodyHtml]).toEqual([TEXT + more, followed]);
    await expect.poll(() => a.locator(`article.post[data-post-id="${post.id}"] .content`).innerHTML(), LIVE).toBe(followed);
    // Nothing was previewed after the send.
    expect(sent).toEqual([TEXT, TEXT + more]);
    await a.context().close();
  });

  it('an older text’s answer that comes late never replaces the newer one’s', { timeout: 30_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    const form = a.locator('#reply');
    const body = a.locator('#reply-body');
    const OLD = 'The _old_ text';
    const NEW = 'The **new** text';

    // The old text's answer is held at the network until the new one is shown.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await a.route(PREVIEW, async (route) => {
      if ((route.request().postDataJSON() as { body: string }).body === OLD) await held;
      await route.continue();
    });
    await body.fill(OLD);
    await button(form).click();
    await body.fill(NEW);
    await expect.poll(() => previewBody(form).innerHTML(), LIVE).toBe(await rendered(NEW));

    const late = a.waitForResponse((r) => r.url().endsWith('/api/v1/preview') && (r.request().postDataJSON() as { body: string }).body === OLD);
    release();
    await (await late).finished();
    await a.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200))); // the page has had the answer
    expect(await previewBody(form).innerHTML()).toBe(await rendered(NEW));
    await a.unroute(PREVIEW);
    await body.fill('');
    await a.context().close();
  });

  it('an empty body shows the server’s refusal, not a stale preview; Close preview hides the panel', { timeout: 30_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/t/${topicId}`);
    await openTopic(a, s.url, topicId);
    const form = a.locator('#reply');
    const body = a.locator('#reply-body');
    const alert = panel(form).getByRole('alert');

    // Nothing written: the server says why there is nothing to show.
    expect(await body.inputValue()).toBe('');
    await button(form).click();
    await expect.poll(() => alert.textContent(), LIVE).toBe(await refusal(''));
    expect(await alert.isVisible()).toBe(true);
    expect(await state(form)).toEqual(['true', true]);
    expect(await previewBody(form).isVisible()).toBe(false);
    expect(await previewBody(form).innerHTML()).toBe('');

    // Something written: its preview replaces the refusal; emptied again, the refusal replaces it.
    await body.fill('Now *something*.');
    await expect.poll(() => previewBody(form).innerHTML(), LIVE).toBe(await rendered('Now *something*.'));
    expect(await alert.isVisible()).toBe(false);
    await body.fill('   ');
    await expect.poll(() => alert.isVisible(), LIVE).toBe(true);
    expect(await alert.textContent()).toBe(await refusal('   '));
    expect(await previewBody(form).isVisible()).toBe(false);
    expect(await previewBody(form).innerHTML()).toBe('');

    // Close preview: hidden, the button says so and has the focus back; Preview opens it again.
    await body.fill('Back to *work*.');
    await expect.poll(() => previewBody(form).innerHTML(), LIVE).toBe(await rendered('Back to *work*.'));
    await panel(form).getByRole('button', { name: 'Close preview' }).click();
    expect(await state(form)).toEqual(['false', false]);
    expect(await a.evaluate(() => document.activeElement?.textContent)).toBe('Preview');
    await expectPreviewOf(form, 'Back to *work*.');
    await body.fill('');
    await a.context().close();
  });

  it('New Topic and the editor of one’s own post have Preview too', { timeout: 30_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/f/${forumId}`);
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    const newTopic = a.locator('#new-topic');
    await newTopic.locator('#topic-body').fill('A [b]new[/b] topic');
    await expectPreviewOf(newTopic, 'A [b]new[/b] topic');
    // Cancel throws the text away, and its preview with it: opened again, the form shows none.
    await newTopic.getByRole('button', { name: 'Cancel' }).click();
    await a.getByRole('button', { name: 'New Topic' }).first().click();
    expect(await state(newTopic)).toEqual(['false', false]);
    expect(await previewBody(newTopic).innerHTML()).toBe('');
    await newTopic.getByRole('button', { name: 'Cancel' }).click();

    await openTopic(a, s.url, topicId);
    const post = a.locator(`article.post[data-post-id="${alicePostId}"]`);
    await post.getByRole('button', { name: /^Edit post/ }).click();
    const editor = post.locator('form.edit-form');
    await editor.getByRole('textbox', { name: 'Edit message' }).fill('Edited, *in italics*');
    await expectPreviewOf(editor, 'Edited, *in italics*');
    // Its panel is its own (the quick reply on the page has another).
    const reply = a.locator('#reply');
    const ids = [await button(editor).getAttribute('aria-controls'), await button(reply).getAttribute('aria-controls')];
    expect(new Set(ids).size).toBe(2);
    expect(await a.evaluate((id) => document.getElementById(id!)?.closest('form')?.classList.contains('edit-form'), ids[0])).toBe(true);
    await a.context().close();
  });

  it('private messages have Preview: New message, a conversation’s reply, and the editor of one’s own message', { timeout: 30_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, '/messages');
    await a.getByRole('button', { name: 'New message' }).click();
    const newMessage = a.getByRole('form', { name: 'New message' });
    await newMessage.getByLabel('Message').fill('Hello **Bob**');
    await expectPreviewOf(newMessage, 'Hello **Bob**');
    await newMessage.getByLabel('To').fill('bob');
    await newMessage.getByLabel('Title').fill('About bold');
    await newMessage.getByRole('button', { name: 'Send' }).click();
    await a.waitForURL(/\/messages\/[a-f0-9]{24}$/, LIVE);
    const own = a.locator('section.messages article.message').first();
    await own.waitFor(LIVE);

    const reply = a.locator('#reply');
    await a.locator('#reply-body').fill('A [i]reply[/i]');
    await expectPreviewOf(reply, 'A [i]reply[/i]');

    await own.getByRole('button', { name: /^Edit message/ }).click();
    const editor = own.locator('form.edit-form');
    await editor.getByRole('textbox', { name: 'Edit message' }).fill('Hello **Bob**, edited');
    await expectPreviewOf(editor, 'Hello **Bob**, edited');
    await a.context().close();
  });
});
