// Friends in Chromium (phpBB's other half of "Friends and Foes"): Alice adds Bob from his profile
// (Add friend, next to Ignore; her User Control Panel in another tab lists him at once); her
// board tab's who-is-online box, with no reload, says none of her friends is online, then marks
// Bob (class `friend`, a ★ read out as "(friend)") and names him in "Friends online" as his
// socket connects, and unmarks him as he leaves; Carol, online too, is never marked, nor marked
// for Carol. Remove in the UCP takes him off everywhere, live. The server's refusals show as it
// words them: befriending someone ignored, ignoring a friend. No button on one's own profile or
// for guests; staff can be friends. The real server (serving the built client) on port 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestServer, TestSocket } from '../helpers/server.js';
import { chromiumMissing, reportIfMissing } from '../helpers/chromium.js';
import { LIVE, startBrowserRig, type Member } from '../helpers/browser-rig.js';
import { browserPages, expectPageShell, markPage, notReloaded } from '../helpers/browser-pages.js';

reportIfMissing('friends');

/** Long enough for a closed socket's grace and the last REST visit's window (both short here) to pass. */
const GONE = { timeout: 10_000 };
/** No push for this long: the server has nothing more to say (pushes come at most once a second; a REST visit counts for one). */
const QUIET_MS = 3_000;

describe.skipIf(chromiumMissing)('friends in Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let mod: Member;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let dave: Member;
  /** A guest socket that hears every who-is-online push, to tell a box that changed on its own from one a push changed. */
  let spy: TestSocket;
  let pushes = 0;
  let lastPushAt = 0;
  const { newPage, watch, logIn, finish } = browserPages({ browser: () => browser, url: () => s.url, defaultTimeoutMs: 5_000 });

  const friendsOf = async (who: Member) => (await s.api('GET', '/users/me', { token: who.token })).body.friends;
  const friendButton = (p: Page) => p.getByRole('button', { name: /^(Add friend|Remove friend)$/ });
  const ignoreButton = (p: Page) => p.getByRole('button', { name: /^(Ignore this member|Stop ignoring)$/ });
  const onlineNames = (p: Page) => p.locator('#online .online-names');
  const friendsLine = (p: Page) => p.locator('#online .friends-online');
  const marked = (p: Page) => onlineNames(p).locator('a.friend').allTextContents();
  /** Wait until who is online has settled: no push for a while, none on its way. */
  async function settled(): Promise<void> {
    await expect.poll(() => Date.now() - lastPushAt, { timeout: 20_000, interval: 250 }).toBeGreaterThan(QUIET_MS);
  }
  async function openProfile(p: Page, who: Member): Promise<void> {
    await p.goto(`${s.url}/u/${who.id}`);
    await p.locator('.member-profile').waitFor(LIVE);
  }

  beforeAll(async () => {
    // A member who leaves is gone from who is online within a couple of seconds.
    ({ s, browser } = await startBrowserRig({ presenceGraceMs: 200, onlineWindowMs: 1_000 }));
    spy = await s.socket();
    spy.on('presence:online', () => {
      pushes++;
      lastPushAt = Date.now();
    });
    mod = await s.user('mia', 'moderator');
    alice = await s.user('alice');
    bob = await s.user('bob');
    carol = await s.user('carol');
    dave = await s.user('dave');
  }, 60_000);

  afterAll(() => finish(browser, s));

  it('serves the page shell at /u/:id and /ucp', async () => {
    await expectPageShell(s.url, [`/u/${bob.id}`, '/ucp']);
  });

  it('adds a friend from the profile, marks them in who is online as they come and go, and removes them from the UCP', { timeout: 90_000 }, async () => {
    // Alice's board tab: who is online, no friends yet, so no "Friends online" line.
    const a = await newPage();
    await logIn(a, alice, '/');
    await expect.poll(() => onlineNames(a).textContent(), LIVE).toBe('Registered users: alice');
    await markPage(a);
    expect(await friendsLine(a).count()).toBe(0);
    // Carol comes online: not a friend, not marked.
    const c = await newPage();
    await logIn(c, carol, '/');
    await expect.poll(() => onlineNames(a).textContent(), LIVE).toBe('Registered users: alice, carol');
    expect(await marked(a)).toEqual([]);

    // Alice's User Control Panel, in a second tab: no friends listed.
    const ucp = await a.context().newPage();
    watch(ucp);
    await ucp.goto(`${s.url}/ucp`);
    const section = ucp.getByRole('region', { name: 'Friends', exact: true });
    await section.waitFor(LIVE);
    expect(await section.locator('.no-friends').textContent()).toBe('You have no friends listed.');
    expect(await section.locator('ul.friends li').count()).toBe(0);

    // A third tab: Bob's profile offers Add friend, next to Ignore.
    const profile = await a.context().newPage();
    watch(profile);
    await openProfile(profile, bob);
    expect(await profile.locator('.member-links button').allTextContents()).toEqual(['Add friend', 'Ignore this member']);
    await settled();
    const quietSince = pushes;
    await friendButton(profile).click();
    await expect.poll(() => friendButton(profile).textContent(), LIVE).toBe('Remove friend');
    expect(await profile.locator('.friend-notes [role="alert"]').isHidden()).toBe(true);
    expect(await friendsOf(alice)).toEqual([{ id: bob.id, username: 'bob' }]);

    // The UCP lists him at once, linked to his profile.
    await expect.poll(() => section.locator('ul.friends li').allTextContents(), LIVE).toEqual(['bob Remove']);
    expect(await section.locator('ul.friends li a').getAttribute('href')).toBe(`/u/${bob.id}`);
    expect(await section.locator('.no-friends').isHidden()).toBe(true);
    // The board tab learns of him too, with no push to prompt it: a friend, not online.
    await expect.poll(() => friendsLine(a).textContent(), LIVE).toBe('None of your friends is online.');
    expect(await marked(a)).toEqual([]);
    expect(pushes).toBe(quietSince);

    // Bob comes online (his page's socket connects): marked and named in Alice's box, live.
    const b = await newPage();
    await logIn(b, bob, '/');
    await expect.poll(() => friendsLine(a).textContent(), LIVE).toBe('Friends online: bob');
    expect(await friendsLine(a).locator('a').getAttribute('href')).toBe(`/u/${bob.id}`);
    expect(await marked(a)).toEqual(['bob']);
    expect(await onlineNames(a).textContent()).toBe('Registered users: alice, bob★ (friend), carol');
    // Seen as a star, heard as "(friend)".
    expect(await onlineNames(a).locator('.friend-mark [aria-hidden="true"]').textContent()).toBe('★');
    const heard = await onlineNames(a).ariaSnapshot();
    expect(heard).toMatch(/- link "bob":\n\s+- \/url: \/u\/\w+\n\s+- text: \(friend\) ,\n/);
    expect(heard).not.toContain('★');
    expect(await notReloaded(a)).toBe(true);
    // Carol sees Bob online, unmarked: he is not her friend.
    await expect.poll(() => onlineNames(c).textContent(), LIVE).toBe('Registered users: alice, bob, carol');
    expect(await marked(c)).toEqual([]);
    expect(await friendsLine(c).count()).toBe(0);

    // Bob leaves: unmarked, and none of her friends is online.
    await b.context().close();
    await expect.poll(() => friendsLine(a).textContent(), GONE).toBe('None of your friends is online.');
    expect(await onlineNames(a).textContent()).toBe('Registered users: alice, carol');
    // And back again.
    const b2 = await newPage();
    await logIn(b2, bob, '/');
    await expect.poll(() => marked(a), LIVE).toEqual(['bob']);
    expect(await friendsLine(a).textContent()).toBe('Friends online: bob');

    // Remove in the UCP: the list empties, focus goes to its heading, and the profile and board
    // tabs follow (with no push to prompt the board's box).
    await settled();
    const quietAgain = pushes;
    await section.getByRole('button', { name: 'Remove bob from your friends' }).click();
    await section.locator('.no-friends').waitFor(LIVE);
    expect(await section.locator('ul.friends li').count()).toBe(0);
    expect(await ucp.evaluate(() => document.activeElement?.id)).toBe('ucp-friends-heading');
    expect(await friendsOf(alice)).toEqual([]);
    await expect.poll(() => friendButton(profile).textContent(), LIVE).toBe('Add friend');
    await expect.poll(() => marked(a), LIVE).toEqual([]);
    expect(await friendsLine(a).count()).toBe(0);
    expect(await onlineNames(a).textContent()).toBe('Registered users: alice, bob, carol');
    expect(pushes).toBe(quietAgain);
    expect(await notReloaded(a)).toBe(true);
    // After a reload too.
    await ucp.reload();
    await section.locator('.no-friends').waitFor(LIVE);
    expect(await section.locator('.no-friends').isVisible()).toBe(true);
    await a.context().close();
    await b2.context().close();
    await c.context().close();
  });

  it('shows the server’s refusals: befriending someone ignored, ignoring a friend', { timeout: 60_000 }, async () => {
    // Whatever the test before left behind: Alice starts with no friends.
    await s.models.User.updateOne({ _id: alice.id }, { $set: { friends: [] } });
    expect((await s.api('PUT', `/users/${dave.id}/ignore`, { token: alice.token })).status).toBe(200);
    const a = await newPage();
    await logIn(a, alice, `/u/${dave.id}`);
    await a.locator('.member-profile').waitFor(LIVE);
    expect(await ignoreButton(a).textContent()).toBe('Stop ignoring');
    await friendButton(a).click();
    const refused = a.locator('.friend-notes [role="alert"]');
    await refused.waitFor(LIVE);
    expect(await refused.textContent()).toBe('You are ignoring dave; stop ignoring them first');
    expect(await friendButton(a).textContent()).toBe('Add friend');
    expect(await friendsOf(alice)).toEqual([]);

    // Carol, a friend, cannot be ignored until she is no longer one.
    await openProfile(a, carol);
    await friendButton(a).click();
    await expect.poll(() => friendButton(a).textContent(), LIVE).toBe('Remove friend');
    await ignoreButton(a).click();
    const ignoreRefused = a.locator('.ignore-notes [role="alert"]');
    await ignoreRefused.waitFor(LIVE);
    expect(await ignoreRefused.textContent()).toBe('carol is your friend; remove them from your friends first');
    expect(await ignoreButton(a).textContent()).toBe('Ignore this member');
    expect(await friendsOf(alice)).toEqual([{ id: carol.id, username: 'carol' }]);
    // Remove friend takes her off again.
    await friendButton(a).click();
    await expect.poll(() => friendButton(a).textContent(), LIVE).toBe('Add friend');
    expect(await friendsOf(alice)).toEqual([]);
    await a.context().close();
  });

  it('marks friends among those viewing a topic too', { timeout: 60_000 }, async () => {
    const admin = await s.user('fr_admin', 'admin');
    const forum = (await s.forum(admin, { title: 'Lounge' })).id as string;
    const topic = (await s.topic(forum, admin, { title: 'Sit down', body: 'Hello' })).topic.id as string;
    expect((await s.api('PUT', `/users/${bob.id}/friend`, { token: alice.token })).status).toBe(200);
    const [a, b, c] = [await newPage(), await newPage(), await newPage()];
    await logIn(b, bob, `/t/${topic}`);
    await logIn(c, carol, `/t/${topic}`);
    await logIn(a, alice, `/t/${topic}`);
    const viewing = a.locator('.viewers .viewer-names');
    await expect.poll(() => viewing.locator('a').allTextContents(), LIVE).toEqual(['alice', 'bob', 'carol']);
    expect(await viewing.locator('a.friend').allTextContents()).toEqual(['bob']);
    expect(await viewing.locator('.friend-mark').count()).toBe(1);
    // Carol has no friends: nothing marked for her.
    await expect.poll(() => c.locator('.viewers .viewer-names a').count(), LIVE).toBe(3);
    expect(await c.locator('.viewers .viewer-names a.friend').count()).toBe(0);
    expect((await s.api('DELETE', `/users/${bob.id}/friend`, { token: alice.token })).status).toBe(200);
    for (const p of [a, b, c]) await p.context().close();
  });

  it('offers Add friend on staff profiles, but not on one’s own or to guests', { timeout: 60_000 }, async () => {
    const a = await newPage();
    await logIn(a, alice, `/u/${mod.id}`);
    await a.locator('.member-links .send-message').waitFor(LIVE);
    expect(await friendButton(a).textContent()).toBe('Add friend');
    expect(await ignoreButton(a).count()).toBe(0);
    await openProfile(a, alice);
    await a.getByRole('link', { name: 'Edit your profile' }).waitFor(LIVE);
    expect(await friendButton(a).count()).toBe(0);
    const g = await newPage();
    await openProfile(g, bob);
    expect(await friendButton(g).count()).toBe(0);
    await g.context().close();
    await a.context().close();
  });
});
