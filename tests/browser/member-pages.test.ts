// Members' and moderators' pages in Chromium: registering from the header, profile pages linked
// from every name, the User Control Panel (profile, hidden status, password), search, buttons
// that follow the server's `may`, quick-mod tools and the moderation log, Post Reply's focus.
// The real server (serving the built client) on port 0, checked against its REST answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { expectPageShell } from '../helpers/browser-pages.js';

reportIfMissing('member-pages');

describe.skipIf(chromiumMissing)('member pages in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let alice: Member;
  let topicId: string;
  const pageErrors: string[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const p = await context.newPage();
    p.on('pageerror', (err) => pageErrors.push(err.message));
    return p;
  }

  async function logIn(p: Page, who: Member, password = 'password-123', next = '/'): Promise<void> {
    await p.goto(`${s.url}/login?next=${encodeURIComponent(next)}`);
    const form = p.getByRole('form', { name: 'Log in' });
    await form.getByLabel('Username').fill(who.username);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Log in' }).click();
    await p.locator('.account .whoami').waitFor();
  }

  const me = async (token: string) => (await s.api('GET', '/users/me', { token })).body;

  beforeAll(async () => {
    ({ s, browser } = await startBrowserRig());
    const admin = await s.user('admin', 'admin');
    alice = await s.user('alice');
    await s.api('PATCH', '/users/me', { token: alice.token, body: { location: 'Lisbon', fields: { Nationality: 'Portuguese' }, signature: 'Keep calm and [b]post on[/b].' } });
    await s.api('PATCH', `/users/${alice.id}/groups`, { token: admin.token, body: { groups: ['Donator'] } });
    const forum = await s.forum(admin, { title: 'General', description: 'Anything.' });
    topicId = (await s.topic(forum.id, alice, { title: 'Hello there', body: 'First post.' })).topic.id;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    expect(pageErrors).toEqual([]);
  });

  it('serves the page shell at /register, /ucp and /u/:id', async () => {
    await expectPageShell(s.url, ['/register', '/ucp', '/mcp', '/unread', '/search?q=hello', `/u/${alice.id}`]);
    expect((await fetch(`${s.url}/u/not-an-id`)).status).toBe(404);
  });

  it('a guest registers from the header and comes back to the page, signed in', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/t/${topicId}`);
    await p.locator('.account').getByRole('link', { name: 'Register' }).click();
    await p.waitForURL(`**/register?next=${encodeURIComponent(`/t/${topicId}`)}`);
    // The register form is the one to type in.
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('register-username');
    const form = p.getByRole('form', { name: 'Register' });
    await form.getByLabel('Username').fill('newcomer');
    await form.getByLabel('Password').fill('a-long-password');
    await form.getByRole('button', { name: 'Register' }).click();
    await p.waitForURL(`**/t/${topicId}`);
    expect(await p.locator('.account .whoami').textContent()).toBe('Logged in as newcomer');
    const created = await s.models.User.findOne({ username: 'newcomer' }).lean();
    expect(created).not.toBeNull();
    // The header's name is the way to one's own profile.
    await p.locator('.account .whoami a').click();
    await p.waitForURL(`**/u/${String(created!._id)}`);
    await expect.poll(() => p.locator('h1.page-title').textContent()).toBe('Viewing profile - newcomer');
    await expect(p.getByRole('link', { name: 'Edit your profile' }).getAttribute('href')).resolves.toBe('/ucp');
    await p.context().close();
  });

  it('every name links to the member’s profile page, which shows the whole card and the signature', async () => {
    const p = await newPage();
    await p.goto(`${s.url}/t/${topicId}`);
    await p.locator('article.post').first().waitFor();
    // phpBB's "Who posted?": asked for when opened, each poster linked with their count.
    const who = p.locator('details.who-posted');
    expect(await who.locator('li').count()).toBe(0);
    await who.locator('summary').click();
    await expect.poll(() => who.locator('li').allTextContents()).toEqual(['alice (1 post)']);
    expect(await who.locator('li a').getAttribute('href')).toBe(`/u/${alice.id}`);
    // The author line of the post, the card beside it and the forum's topic list all link.
    expect(await p.locator('article.post .author a.username').first().getAttribute('href')).toBe(`/u/${alice.id}`);
    await p.locator(`.postprofile[data-user-id="${alice.id}"] a.username`).first().click();
    await p.waitForURL(`**/u/${alice.id}`);
    const profile = p.locator('.member-profile');
    await profile.waitFor();
    for (const text of ['alice', 'New member', 'Donator', 'Lisbon', 'Nationality', 'Portuguese', 'Has thanked', 'Been thanked']) {
      await expect(profile.textContent()).resolves.toContain(text);
    }
    await expect(profile.locator('.member-signature strong').textContent()).resolves.toBe('post on');
    // phpBB's "Most active forum/topic": her one post, in General's "Hello there".
    expect(await profile.locator('.member-activity dd').allTextContents()).toEqual(['General (1 post / 100% of user’s posts)', 'Hello there (1 post / 100% of user’s posts)']);
    expect(await profile.locator('.member-activity dd a').last().getAttribute('href')).toBe(`/t/${topicId}`);
    // phpBB's "Last active": she posted over REST in the set-up, so it reads a moment ago, the exact time on hover.
    expect(await profile.locator('.last-active strong').textContent()).toBe('Last active: ');
    expect(await profile.locator('.last-active time').textContent()).toMatch(/^(just now|\d+ s ago|\d+ min ago)$/);
    expect(await profile.locator('.last-active time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await p.title()).toBe('Viewing profile - alice · Realtime Forum');
    // Someone else's page has no edit link; an id with no member is "Not found".
    expect(await p.getByRole('link', { name: 'Edit your profile' }).count()).toBe(0);
    await p.goto(`${s.url}/u/${'0'.repeat(24)}`);
    await expect.poll(() => p.locator('.error-panel h1').textContent()).toBe('Not found');
    await p.context().close();
  });

  it('the User Control Panel saves the profile and hidden status, and shows what the server refuses', async () => {
    const bob = await s.user('bob');
    const p = await newPage();
    await p.goto(`${s.url}/ucp`);
    await expect.poll(() => p.locator('main').textContent()).toContain('Log in to change your profile and settings.');

    await logIn(p, bob, 'password-123', '/ucp');
    await p.waitForURL('**/ucp');
    const form = p.getByRole('form', { name: 'Edit profile' });
    await form.getByLabel('Location').fill('Leeds, UK');
    await form.getByLabel('Signature').fill('[i]Cheers[/i]');
    await form.getByLabel('Field 1 name').fill('Favourite tea');
    await form.getByLabel('Field 1 value').fill('Builder’s');
    await form.getByLabel('Hide my online status').check();
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => form.locator('.saved').textContent()).toBe('Your profile has been updated.');
    const saved = await me(bob.token);
    expect(saved).toMatchObject({ hidden: true, user: { location: 'Leeds, UK', signature: '[i]Cheers[/i]', fields: { 'Favourite tea': 'Builder’s' } } });

    // A fresh load shows what is stored.
    await p.reload();
    await expect.poll(() => form.getByLabel('Location').inputValue()).toBe('Leeds, UK');
    expect(await form.getByLabel('Field 1 name').inputValue()).toBe('Favourite tea');
    expect(await form.getByLabel('Hide my online status').isChecked()).toBe(true);

    // The server refuses a non-http avatar: its message shows and nothing changes.
    await form.getByLabel('Avatar URL').fill('ftp://example.com/me.png');
    await form.getByLabel('Location').fill('Elsewhere');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => form.locator('.form-error').textContent()).toContain('http');
    expect(await form.locator('.saved').isHidden()).toBe(true);
    expect(await me(bob.token)).toEqual(saved);

    // Clearing a value and the checkbox saves them cleared.
    await form.getByLabel('Avatar URL').fill('');
    await form.getByLabel('Location').fill('');
    await form.getByLabel('Field 1 name').fill('');
    await form.getByLabel('Hide my online status').uncheck();
    await form.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => form.locator('.saved').isVisible()).toBe(true);
    const cleared = await me(bob.token);
    expect(cleared.hidden).toBe(false);
    expect(cleared.user).not.toHaveProperty('location');
    expect(cleared.user).not.toHaveProperty('fields');
    expect(cleared.user.signature).toBe('[i]Cheers[/i]');
    await p.context().close();
  });

  it('changes the password in the User Control Panel and stays signed in with the new token', async () => {
    const carol = await s.user('carol');
    const p = await newPage();
    await logIn(p, carol, 'password-123', '/ucp');
    await p.waitForURL('**/ucp');
    const form = p.getByRole('form', { name: 'Change password' });
    const fill = async (current: string, next: string, confirm: string) => {
      await form.getByLabel('Current password').fill(current);
      await form.getByLabel('New password', { exact: true }).fill(next);
      await form.getByLabel('Confirm new password').fill(confirm);
      await form.getByRole('button', { name: 'Change password' }).click();
    };
    await fill('password-123', 'brand-new-secret', 'brand-new-secrex');
    await expect.poll(() => form.locator('.form-error').textContent()).toBe('The new passwords do not match.');
    await fill('wrong-password', 'brand-new-secret', 'brand-new-secret');
    await expect.poll(() => form.locator('.form-error').textContent()).toBe('Current password is wrong');
    const login = (password: string) => s.api('POST', '/auth/login', { body: { username: 'carol', password } });
    expect((await login('password-123')).status).toBe(200);

    // Another tab of the same browser, on the board: its token is revoked too.
    const other = await p.context().newPage();
    await other.goto(`${s.url}/`);
    await other.locator('#connection[data-state="connected"]').waitFor();
    expect(await other.locator('.account .whoami').textContent()).toBe('Logged in as carol');

    await fill('password-123', 'brand-new-secret', 'brand-new-secret');
    await expect.poll(async () => (await p.locator('main').textContent()) + ((await p.locator('.page-notice').textContent()) ?? '')).toContain('Your password has been changed.');
    // The other tab carries on with the new token (tabs share the session), and so does a new one.
    const stored = () => p.evaluate(() => JSON.parse(localStorage.getItem('forum.session') ?? 'null')?.token as string | undefined);
    await expect.poll(async () => (await stored()) !== undefined && (await stored()) !== carol.token).toBe(true);
    await expect.poll(() => other.locator('.account .whoami').textContent()).toBe('Logged in as carol');
    await other.locator('#connection[data-state="connected"]').waitFor();
    const third = await p.context().newPage();
    await third.goto(`${s.url}/`);
    await expect.poll(() => third.locator('.account .whoami').textContent()).toBe('Logged in as carol');
    expect((await login('password-123')).status).toBe(401);
    expect((await login('brand-new-secret')).status).toBe(200);
    // Still signed in, live, with a token the server takes.
    expect(await p.locator('.account .whoami').textContent()).toBe('Logged in as carol');
    await p.locator('#connection[data-state="connected"]').waitFor();
    const token = await p.evaluate(() => JSON.parse(localStorage.getItem('forum.session') ?? 'null')?.token as string | undefined);
    expect(token).toBeTruthy();
    expect((await me(token!)).user.username).toBe('carol');
    expect((await me(carol.token)).user).toBeUndefined();
    await p.context().close();
  });

  it('offers New Topic and Post Reply only where the forum lets the member write, and follows a lock', async () => {
    const admin = await s.user('forum_admin', 'admin');
    const mod = await s.user('forum_mod', 'moderator');
    const dave = await s.user('dave');
    // Announcements: only staff start topics or reply.
    const forum = await s.forum(admin, { title: 'Announcements', description: 'Staff only.' });
    const staffOnly = { post: ['moderator', 'admin'], reply: ['moderator', 'admin'] };
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: staffOnly } })).status).toBe(200);
    const topic = (await s.topic(forum.id, mod, { title: 'Rules', body: 'Be kind.' })).topic;

    const member = await newPage();
    await logIn(member, dave, 'password-123', `/f/${forum.id}`);
    await member.waitForURL(`**/f/${forum.id}`);
    await member.locator('tr[data-topic-id]').first().waitFor();
    expect(await member.locator('.new-topic').count()).toBe(0);
    await member.goto(`${s.url}/t/${topic.id}`);
    await member.locator('article.post').first().waitFor();
    expect(await member.getByRole('link', { name: 'Post Reply' }).count()).toBe(0);
    expect(await member.locator('#reply').isVisible()).toBe(false);

    const staff = await newPage();
    await logIn(staff, mod, 'password-123', `/f/${forum.id}`);
    await staff.waitForURL(`**/f/${forum.id}`);
    await staff.locator('button.new-topic').waitFor();
    await staff.goto(`${s.url}/t/${topic.id}`);
    await staff.locator('#reply textarea').waitFor();

    // In an open forum the member replies; a lock takes that away live, an unlock gives it back.
    const open = (await s.topic(forum.id, mod, { title: 'Moved soon', body: 'x' })).topic;
    const general = (await s.api('GET', '/forums')).body.forums.find((f: { title: string }) => f.title === 'General');
    expect((await s.api('POST', `/topics/${open.id}/move`, { token: mod.token, body: { forumId: general.id } })).status).toBe(200);
    await member.goto(`${s.url}/t/${open.id}`);
    await member.locator('#reply textarea').waitFor();
    expect(await member.getByRole('link', { name: 'Post Reply' }).count()).toBe(1);
    expect((await s.api('POST', `/topics/${open.id}/lock`, { token: mod.token, body: {} })).status).toBe(200);
    await expect.poll(() => member.locator('#reply').isVisible()).toBe(false);
    expect(await member.getByRole('link', { name: 'Post Reply' }).count()).toBe(0);
    expect((await s.api('POST', `/topics/${open.id}/unlock`, { token: mod.token, body: {} })).status).toBe(200);
    await expect.poll(() => member.locator('#reply').isVisible()).toBe(true);
    await member.getByRole('link', { name: 'Post Reply' }).waitFor();
    await member.context().close();
    await staff.context().close();
  });

  it('searches from the header, links each hit to its post, and lists a member’s posts from their profile', async () => {
    const erin = await s.user('erin');
    const reply = (body: string) => s.api('POST', `/topics/${topicId}/posts`, { token: erin.token, body: { body } });
    expect((await reply('The [b]axolotl[/b] is a salamander.')).status).toBe(201);
    expect((await reply('An axolotl <script>x()</script> regrows limbs.')).status).toBe(201);
    expect((await reply('Nothing to see here.')).status).toBe(201);
    const p = await newPage();
    await p.goto(`${s.url}/`);
    const box = p.locator('.site-header').getByRole('search');
    await box.getByLabel('Search for').fill('AXOLOTL limbs');
    await box.getByRole('button', { name: 'Search' }).click();
    await p.waitForURL('**/search?q=AXOLOTL+limbs');
    await expect.poll(() => p.locator('.search-results .total').textContent()).toBe('Search found 1 match');
    const hit = p.locator('.hit');
    // Plain text, the script shown as text and never run.
    await expect(hit.locator('.snippet').textContent()).resolves.toBe('An axolotl <script>x()</script> regrows limbs.');
    await expect(hit.locator('.meta').textContent()).resolves.toContain('in General › Hello there');
    await hit.getByRole('link', { name: 'Re: Hello there' }).click();
    await p.waitForURL(new RegExp(`/t/${topicId}#p[0-9a-f]{24}$`));
    await p.locator('article.post', { hasText: 'regrows limbs' }).waitFor();

    // Too short a query: the server's refusal, shown.
    await p.goto(`${s.url}/search?q=x`);
    await expect.poll(() => p.locator('.error-panel').textContent()).toContain('q');
    // From a profile: every post of that member, newest first.
    await p.goto(`${s.url}/u/${erin.id}`);
    await p.getByRole('link', { name: 'Search user’s posts' }).click();
    await p.waitForURL(`**/search?authorId=${erin.id}`);
    await expect.poll(() => p.locator('.search-results .total').textContent()).toBe('Search found 3 matches');
    expect(await p.locator('.hit .snippet').allTextContents()).toEqual(['Nothing to see here.', 'An axolotl <script>x()</script> regrows limbs.', 'The axolotl is a salamander.']);
    expect(await p.locator('.search-what').textContent()).toBe('Posts by erin');

    // "Search this topic…" on a topic page: that topic's posts only, and the way back to it.
    const elsewhere = (await s.topic((await s.api('GET', `/topics/${topicId}`)).body.topic.forumId, erin, { title: 'Other axolotls', body: 'An axolotl elsewhere.' })).topic;
    expect(elsewhere.id).toBeTruthy();
    await p.goto(`${s.url}/t/${topicId}`);
    const inTopic = p.getByRole('search', { name: 'Search this topic' });
    // Typed into while a live post redraws the page's bars: the text stays.
    await inTopic.getByLabel('Search this topic for').fill('axolotl');
    expect((await reply('Yet another post, live.')).status).toBe(201);
    await p.locator('article.post', { hasText: 'Yet another post, live.' }).waitFor();
    expect(await inTopic.getByLabel('Search this topic for').inputValue()).toBe('axolotl');
    await inTopic.getByRole('button', { name: 'Search' }).click();
    await p.waitForURL(`**/search?q=axolotl&topicId=${topicId}`);
    await expect.poll(() => p.locator('.search-results .total').textContent()).toBe('Search found 2 matches');
    expect(await p.locator('.search-what').textContent()).toBe('Posts containing “axolotl” in “Hello there”');
    await p.locator('.search-what').getByRole('link', { name: '“Hello there”' }).click();
    await p.waitForURL(`**/t/${topicId}`);
    await p.context().close();
  });

  it('gives moderators quick-mod tools on the topic (lock, rename, move, delete, restore) and a log of them', async () => {
    const mod = await s.user('quick_mod', 'moderator');
    const frank = await s.user('frank');
    const general = (await s.api('GET', '/forums')).body.forums.find((f: { title: string }) => f.title === 'General');
    const archive = await s.forum(await s.user('archive_admin', 'admin'), { title: 'Archive', description: 'Old things.' });
    const topic = (await s.topic(general.id, frank, { title: 'Wrong place', body: 'Hi.' })).topic;
    const state = async () => (await s.api('GET', `/topics/${topic.id}`, { token: mod.token })).body.topic;

    // A member watching the topic sees each change live; members get no tools.
    const watcher = await newPage();
    await logIn(watcher, frank, 'password-123', `/t/${topic.id}`);
    await watcher.waitForURL(`**/t/${topic.id}`);
    await watcher.locator('#connection[data-state="connected"]').waitFor();
    expect(await watcher.locator('.mod-tools').count()).toBe(0);

    const p = await newPage();
    await logIn(p, mod, 'password-123', `/t/${topic.id}`);
    await p.waitForURL(`**/t/${topic.id}`);
    const tools = p.locator('.mod-tools');
    await tools.locator('summary').click();
    await tools.getByLabel('Reason (optional)').fill('Heated');
    await tools.getByRole('button', { name: 'Lock topic' }).click();
    await expect.poll(async () => (await state()).locked).toBe(true);
    await tools.getByRole('button', { name: 'Unlock topic' }).waitFor(); // redrawn from the live event
    await expect.poll(() => watcher.locator('.locked-notice').isVisible()).toBe(true);

    await tools.getByLabel('Title', { exact: true }).fill('Right place');
    await tools.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => watcher.locator('h1.topic-title').textContent()).toBe('Right place');

    await tools.getByLabel('Move to', { exact: true }).selectOption({ label: 'Archive' });
    await tools.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(async () => (await state()).forumId).toBe(archive.id);
    await expect.poll(() => watcher.locator('.crumbs').textContent()).toContain('Archive');

    await tools.getByRole('button', { name: 'Delete topic' }).click();
    await tools.getByRole('button', { name: 'Really delete?' }).click();
    await expect.poll(async () => (await state()).deleted).toBe(true);
    await expect.poll(() => p.locator('.deleted-notice').isVisible()).toBe(true);
    // What the server refuses is shown as it words it, and changes nothing.
    await tools.getByLabel('Title', { exact: true }).fill('Renamed while deleted');
    await tools.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => tools.locator(':scope > .form-error').textContent()).toBe('This topic is deleted; restore it first');
    expect((await state()).title).toBe('Right place');
    await tools.getByRole('button', { name: 'Restore topic' }).click();
    await expect.poll(async () => (await state()).deleted).toBeUndefined();
    await tools.getByRole('button', { name: 'Delete topic' }).waitFor();

    // The log, newest first, with the reason given.
    await p.locator('.account').getByRole('link', { name: 'Moderation log' }).click();
    await p.waitForURL('**/mcp');
    const rows = p.locator('table.modlog tbody tr');
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    expect(actions.slice(0, 5)).toEqual(['topic.restore', 'topic.delete', 'topic.move', 'topic.rename', 'topic.lock']);
    await expect(rows.nth(4).textContent()).resolves.toContain('Heated');
    await expect(rows.nth(3).textContent()).resolves.toContain('“Wrong place” → “Right place”');
    // Members are refused the log.
    await watcher.goto(`${s.url}/mcp`);
    await expect.poll(() => watcher.locator('.error-panel').isVisible()).toBe(true);
    expect(await watcher.locator('.account').getByRole('link', { name: 'Moderation log' }).count()).toBe(0);
    await p.context().close();
    await watcher.context().close();
  });

  it('pins a topic from the quick-mod tools: a reader on the forum page sees it go to the top, marked Pinned, and come back down', async () => {
    const mod = await s.user('pin_mod', 'moderator');
    const gus = await s.user('gus');
    const forum = await s.forum(await s.user('pin_admin', 'admin'), { title: 'Pins', description: 'Pinning.' });
    const rules = (await s.topic(forum.id, mod, { title: 'Board rules', body: 'Be kind.' })).topic;
    const chat = (await s.topic(forum.id, gus, { title: 'Chat', body: 'Hi.' })).topic;

    const reader = await newPage();
    await logIn(reader, gus, 'password-123', `/f/${forum.id}`);
    await reader.waitForURL(`**/f/${forum.id}`);
    await reader.locator('#connection[data-state="connected"]').waitFor();
    const order = () => reader.locator('table.topics tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-topic-id')));
    await expect.poll(order).toEqual([chat.id, rules.id]);

    const p = await newPage();
    await logIn(p, mod, 'password-123', `/t/${rules.id}`);
    await p.waitForURL(`**/t/${rules.id}`);
    const tools = p.locator('.mod-tools');
    await tools.locator('summary').click();
    await tools.getByRole('button', { name: 'Pin topic' }).click();
    await tools.getByRole('button', { name: 'Unpin topic' }).waitFor(); // redrawn from the live event
    await expect.poll(order).toEqual([rules.id, chat.id]);
    const pinnedRow = reader.locator(`tr[data-topic-id="${rules.id}"]`);
    expect(await pinnedRow.locator('.badge.pinned').textContent()).toBe('Pinned');
    expect(await pinnedRow.getAttribute('class')).toContain('pinned');
    // A reply to the other topic, applied in place, stays below the pinned one.
    await s.api('POST', `/topics/${chat.id}/posts`, { token: mod.token, body: { body: 'Still below the rules.' } });
    await expect.poll(() => reader.locator(`tr[data-topic-id="${chat.id}"] .last`).textContent()).toContain('pin_mod');
    expect(await order()).toEqual([rules.id, chat.id]);

    await tools.getByRole('button', { name: 'Unpin topic' }).click();
    await expect.poll(order).toEqual([chat.id, rules.id]);
    expect(await reader.locator('.badge.pinned').count()).toBe(0);
    await reader.context().close();
    await p.context().close();
  });

  it('marks what a member has not read, jumps to the first unread post, and clears it as they read', async () => {
    const admin = await s.user('unread_admin', 'admin');
    const gina = await s.user('gina');
    const hal = await s.user('hal');
    const forum = await s.forum(admin, { title: 'Unread things', description: 'For the markers.' });
    const topic = (await s.topic(forum.id, hal, { title: 'Long one', body: 'Post 1' })).topic;
    const replies: string[] = [];
    for (let n = 2; n <= 22; n++) replies[n] = (await s.api('POST', `/topics/${topic.id}/posts`, { token: hal.token, body: { body: `Post ${n}` } })).body.post.id;
    // Gina has read up to #20, the end of page 1.
    expect((await s.api('POST', `/topics/${topic.id}/read`, { token: gina.token, body: { number: 20 } })).status).toBe(200);

    const p = await newPage();
    await logIn(p, gina, 'password-123', '/');
    // "Unread posts" in the header lists the topic, with its forum.
    await p.locator('.account').getByRole('link', { name: 'Unread posts' }).click();
    await p.waitForURL('**/unread');
    const listed = p.locator(`tr[data-topic-id="${topic.id}"]`);
    await expect.poll(() => listed.getAttribute('class')).toBe('unread');
    await expect(listed.locator('.meta').textContent()).resolves.toContain('in Unread things');
    await p.goto(`${s.url}/`);
    const forumRow = p.locator(`tr[data-forum-id="${forum.id}"]`);
    await expect.poll(() => forumRow.getAttribute('class')).toBe('unread');
    await forumRow.locator('.forumtitle').click();
    const row = p.locator(`tr[data-topic-id="${topic.id}"]`);
    await expect.poll(() => row.getAttribute('class')).toBe('unread');
    // "New" goes to page 2, scrolled to #21.
    await row.getByRole('link', { name: 'New' }).click();
    await p.waitForURL(`**/t/${topic.id}?page=2#p${replies[21]}`);
    await p.locator(`article[data-post-id="${replies[21]}"]`).waitFor();
    // The posts she had not read are marked New (#21 and #22, the whole of page 2).
    expect(await p.locator('article.post:has(.post-new)').evaluateAll((els) => els.map((e) => e.getAttribute('data-post-id')))).toEqual([replies[21], replies[22]]);
    // Having seen page 2, the topic is read (the page told the server).
    await expect.poll(async () => (await s.api('GET', `/forums/${forum.id}/topics`, { token: gina.token })).body.topics[0].unread).toBe(false);
    // A reply arriving live while the page is open is read too.
    const live = (await s.api('POST', `/topics/${topic.id}/posts`, { token: hal.token, body: { body: 'Post 23, live' } })).body.post;
    await p.locator(`article[data-post-id="${live.id}"]`).waitFor();
    expect(await p.locator(`article[data-post-id="${live.id}"] .post-new`).count()).toBe(1); // come since: new too
    await expect.poll(async () => (await s.models.TopicRead.findOne({ userId: gina.id, topicId: topic.id }).lean())?.number).toBe(23);

    // Mark forums read clears the board; a newer post marks it again.
    await s.api('POST', `/topics/${topic.id}/posts`, { token: hal.token, body: { body: 'Post 24' } });
    await p.goto(`${s.url}/`);
    await expect.poll(() => forumRow.getAttribute('class')).toBe('unread');
    await p.getByRole('button', { name: 'Mark forums read' }).click();
    await expect.poll(() => forumRow.getAttribute('class')).toBeNull();
    expect(await p.locator('tr.unread').count()).toBe(0);
    await p.goto(`${s.url}/unread`);
    await expect.poll(() => p.locator('table.topics').textContent()).toContain('No unread posts: you are up to date.');
    await p.context().close();
  });

  it('Post Reply puts the caret in the reply box', async () => {
    const p = await newPage();
    await logIn(p, alice, 'password-123', `/t/${topicId}`);
    await p.waitForURL(`**/t/${topicId}`);
    await p.getByRole('link', { name: 'Post Reply' }).first().click();
    await expect.poll(() => p.evaluate(() => document.activeElement?.closest('#reply') !== null && document.activeElement?.tagName)).toBe('TEXTAREA');
    await p.context().close();
  });
});
