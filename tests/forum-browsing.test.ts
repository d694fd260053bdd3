import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, receivedWithin, type TestServer } from './helpers/server.js';
import { watch, sleep } from './helpers/watch.js';
import type { PresenceForum } from '../shared/schemas.js';

const GRACE = 200;
let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
beforeAll(async () => {
  s = await startTestServer({ presenceGraceMs: GRACE });
  board = await seedForum(s);
});
afterAll(() => s?.close());

let n = 0;
const name = (p: string) => `${p}_${++n}`;
const names = (e: PresenceForum | undefined) => (e?.viewers ?? []).map((v) => v.username);

async function newForum(title = name('forum')) {
  const r = await s.api('POST', '/forums', { token: board.admin.token, body: { title, description: 'd' } });
  const t = await s.api('POST', `/forums/${r.body.forum.id}/topics`, { token: board.member.token, body: { title: 'T', body: 'b' } });
  return { forumId: r.body.forum.id as string, topicId: t.body.topic.id as string };
}

/** A member on the forum's page: subscribed with `browsing`, hearing who else browses it. */
async function browserOf(forumId: string, who?: { id: string; token: string; username: string }) {
  const user = who ?? (await s.user(name('browser')));
  const socket = await s.socket(user.token);
  const events = watch<PresenceForum>(socket, 'presence:forum');
  expect((await ack(socket, 'forum:subscribe', { forumId, browsing: true })).ok).toBe(true);
  await events.until((e) => e.forumId === forumId && names(e).includes(user.username));
  return { user, socket, events };
}

describe("presence:forum (phpBB's Users browsing this forum)", () => {
  it("lists those on the forum's page and in its topics, with guests, hidden members and bots counted", async () => {
    const { forumId, topicId } = await newForum();
    const other = await newForum();
    const { user: me, events } = await browserOf(forumId);

    const reader = await s.user(name('reader'));
    const readerSocket = await s.socket(reader.token);
    await ack(readerSocket, 'topic:subscribe', { topicId });
    const guest = await s.socket();
    await ack(guest, 'forum:subscribe', { forumId, browsing: true });
    const crawler = await s.socket(undefined, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' } });
    await ack(crawler, 'forum:subscribe', { forumId, browsing: true });
    const shy = await s.user(name('shy'));
    await s.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    await ack(await s.socket(shy.token), 'topic:subscribe', { topicId });
    // Elsewhere, or following the forum without showing its page: not browsing it.
    const elsewhere = await s.user(name('elsewhere'));
    await ack(await s.socket(elsewhere.token), 'topic:subscribe', { topicId: other.topicId });
    const index = await s.user(name('index'));
    const indexSocket = await s.socket(index.token);
    await ack(indexSocket, 'forum:subscribe', { forumId });

    const all = await events.until((e) => names(e).includes(reader.username) && e.guestCount === 1 && e.hiddenCount === 1 && e.bots.length === 1);
    expect(all).toEqual({
      forumId,
      viewers: [me, reader].map((u) => ({ id: u.id, username: u.username, role: 'member' })).sort((a, b) => a.username.localeCompare(b.username)),
      viewerCount: 2,
      guestCount: 1,
      bots: [{ name: 'Bing [Bot]' }],
      hiddenCount: 1,
    });
    expect(await receivedWithin(indexSocket, 'presence:forum', 300)).toBe(false);

    // Leaving the topic leaves the forum (the reader has no other page there).
    await ack(readerSocket, 'topic:unsubscribe', { topicId });
    expect(names(await events.until((e) => !names(e).includes(reader.username), 3_000))).toEqual([me.username]);
  });

  it("places a member where their latest page is, across tabs, and lets them go after the grace period", async () => {
    const a = await newForum();
    const b = await newForum();
    const onA = await browserOf(a.forumId);
    const onB = await browserOf(b.forumId);
    const carol = await s.user(name('carol'));
    const tab1 = await s.socket(carol.token);
    await ack(tab1, 'topic:subscribe', { topicId: a.topicId });
    await onA.events.until((e) => names(e).includes(carol.username));

    await sleep(5); // the next page is later
    const tab2 = await s.socket(carol.token);
    await ack(tab2, 'forum:subscribe', { forumId: b.forumId, browsing: true });
    await onB.events.until((e) => names(e).includes(carol.username));
    await onA.events.until((e) => !names(e).includes(carol.username));

    const closed = Date.now();
    tab1.disconnect();
    tab2.disconnect();
    await onB.events.until((e) => !names(e).includes(carol.username), 4_000);
    expect(Date.now() - closed).toBeGreaterThanOrEqual(GRACE - 20);
  });

  it("counts HTTP visitors too: a crawler on the forum's listing, a guest reading one of its topics; the latest page moves them", async () => {
    const a = await newForum();
    const b = await newForum();
    const onA = await browserOf(a.forumId);
    const onB = await browserOf(b.forumId);
    // Google: Bing's socket from the first test may still be here, and a crawler with a socket is placed by it.
    const bot = { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    const reader = { 'user-agent': 'HttpOnlyReader/1.0' };

    expect((await s.api('GET', `/forums/${a.forumId}/topics`, { headers: bot })).status).toBe(200);
    expect((await s.api('GET', `/topics/${a.topicId}`, { headers: reader })).status).toBe(200);
    const both = await onA.events.until((e) => e.forumId === a.forumId && e.bots.length === 1 && e.guestCount === 1);
    expect(both.bots).toEqual([{ name: 'Google [Bot]' }]);
    expect(onB.events.latest()).toMatchObject({ forumId: b.forumId, bots: [], guestCount: 0 });

    // The crawler lists forum B now: it leaves A and browses B; the guest stays in A.
    await sleep(5);
    expect((await s.api('GET', `/forums/${b.forumId}/topics`, { headers: bot })).status).toBe(200);
    await onB.events.until((e) => e.bots.length === 1);
    expect(await onA.events.until((e) => e.bots.length === 0)).toMatchObject({ guestCount: 1 });
    // A listing refused (a forum that does not exist) places no one.
    expect((await s.api('GET', '/forums/0123456789abcdef01234567/topics', { headers: reader })).status).toBe(404);
    // Nor does a listing fetched by a client with a live session (the web client's own requests:
    // its socket says where it is, and this session has none on the page).
    expect((await s.api('GET', `/forums/${a.forumId}/topics`, { headers: { 'user-agent': 'WebClient/1.0', 'x-session-id': 'web-session-0001' } })).status).toBe(200);
    await sleep(1_300);
    expect(onA.events.latest()).toMatchObject({ bots: [], guestCount: 1 });
    expect(onB.events.latest()).toMatchObject({ bots: [{ name: 'Google [Bot]' }], guestCount: 0 });

    // A member on the web client fetches the listing over HTTP and browses it on a socket: the
    // socket says where they are, so leaving the page leaves at once (the request's page would
    // otherwise hold them there for the whole online window).
    const web = await s.user(name('web'));
    const webSocket = await s.socket(web.token);
    expect((await s.api('GET', `/forums/${a.forumId}/topics`, { token: web.token })).status).toBe(200);
    expect((await ack(webSocket, 'forum:subscribe', { forumId: a.forumId, browsing: true })).ok).toBe(true);
    await onA.events.until((e) => names(e).includes(web.username));
    expect((await ack(webSocket, 'forum:unsubscribe', { forumId: a.forumId })).ok).toBe(true);
    await onA.events.until((e) => !names(e).includes(web.username), 3_000);
  });

  it('stops when the socket unsubscribes, and follows access: a forum closed to members drops them', async () => {
    const { forumId } = await newForum();
    const mod = await s.user(name('mod'), 'moderator');
    const watcher = await browserOf(forumId, mod);
    const dave = await browserOf(forumId);
    await watcher.events.until((e) => names(e).includes(dave.user.username));

    expect((await ack(dave.socket, 'forum:unsubscribe', { forumId })).ok).toBe(true);
    await watcher.events.until((e) => !names(e).includes(dave.user.username));
    expect(await receivedWithin(dave.socket, 'presence:forum', 1_300)).toBe(false);

    const erin = await browserOf(forumId);
    await watcher.events.until((e) => names(e).includes(erin.user.username));
    await s.api('PATCH', `/forums/${forumId}`, { token: board.admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    await watcher.events.until((e) => !names(e).includes(erin.user.username), 4_000);
    expect(await receivedWithin(erin.socket, 'presence:forum', 1_300)).toBe(false);
    // And may not come back.
    const again = await ack(erin.socket, 'forum:subscribe', { forumId, browsing: true });
    expect(again.ok).toBe(false);
  });

  it('refuses a malformed browsing flag and changes nothing', async () => {
    const { forumId } = await newForum();
    const socket = await s.socket(board.member.token);
    const bad = await ack(socket, 'forum:subscribe', { forumId, browsing: 'yes' });
    expect([bad.ok, bad.error.code]).toEqual([false, 'BAD_REQUEST']);
    expect(await receivedWithin(socket, 'presence:forum', 300)).toBe(false);
  });
});
