import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { startTestServer, seedForum, ack, receivedWithin, type TestServer, type TestSocket } from './helpers/server.js';
import { watch, sleep, openSocket } from './helpers/watch.js';
import type { PresenceDetail, PresenceTopic } from '../shared/schemas.js';
import { room } from '../shared/rooms.js';
import { topicIntervalMs } from '../server/presence/presence.service.js';
import { createNewcomerBatcher } from '../server/presence/newcomers.js';

const GRACE = 300;
const TOPIC_INTERVAL = 250;

let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
beforeAll(async () => {
  s = await startTestServer({ presenceGraceMs: GRACE });
  board = await seedForum(s);
});
afterAll(() => s?.close());

let n = 0;
const name = (p: string) => `${p}_${++n}`;
const ids = (e: PresenceTopic | undefined) => (e?.viewers ?? []).map((v) => v.id);

async function newTopic(title = name('topic')): Promise<string> {
  const r = await s.api('POST', `/forums/${board.forum.id}/topics`, { token: board.member.token, body: { title, body: 'hello' } });
  expect(r.status).toBe(201);
  return r.body.topic.id;
}

/** A member watching a topic's presence (watchers count as viewers themselves). */
async function watcherOn(topicId: string) {
  const w = await s.user(name('watcher'));
  const socket = await s.socket(w.token);
  const events = watch<PresenceTopic>(socket, 'presence:topic');
  expect((await ack(socket, 'topic:subscribe', { topicId })).ok).toBe(true);
  await events.until((e) => e.topicId === topicId && ids(e).includes(w.id));
  return { user: w, socket, events };
}

describe('presence:topic', () => {
  it('counts a user with two tabs once, and drops them only after the last tab closes, within the grace period', async () => {
    const topicId = await newTopic();
    const { user: w, events } = await watcherOn(topicId);
    const alice = await s.user(name('alice'));
    const tab1 = await s.socket(alice.token);
    const tab2 = await s.socket(alice.token);
    await ack(tab1, 'topic:subscribe', { topicId });
    await ack(tab2, 'topic:subscribe', { topicId });
    const both = await events.until((e) => ids(e).includes(alice.id));
    expect(ids(both).filter((id) => id === alice.id)).toHaveLength(1);
    expect(both).toEqual({
      topicId,
      viewers: [w, alice].map((u) => ({ id: u.id, username: u.username, role: 'member' })).sort((a, b) => a.username.localeCompare(b.username)),
      viewerCount: 2,
      guestCount: 0,
      bots: [],
      hiddenCount: 0,
    });

    const closedFirst = Date.now();
    tab1.disconnect();
    await sleep(GRACE + TOPIC_INTERVAL + 300);
    // One tab is still open: no announcement ever dropped her.
    expect(events.since(closedFirst).every((e) => ids(e.data).includes(alice.id))).toBe(true);

    const closedLast = Date.now();
    tab2.disconnect();
    const gone = await events.until((e) => !ids(e).includes(alice.id), 3_000);
    const took = Date.now() - closedLast;
    expect(ids(gone)).toEqual([w.id]);
    expect(took).toBeGreaterThanOrEqual(GRACE - 20);
    expect(took).toBeLessThan(GRACE + TOPIC_INTERVAL + 500);
  });

  it('shows no leave and join when a user reconnects within the grace period', async () => {
    const topicId = await newTopic();
    const { events } = await watcherOn(topicId);
    const bob = await s.user(name('bob'));
    const first = await s.socket(bob.token);
    await ack(first, 'topic:subscribe', { topicId });
    await events.until((e) => ids(e).includes(bob.id));
    // Past the coalescing window, so a leave would be announced at once rather than folded away.
    await events.quiet(TOPIC_INTERVAL + 100);
    const from = Date.now();
    first.disconnect();
    await sleep(GRACE / 2);
    const again = await s.socket(bob.token);
    const hisOwn = watch<PresenceTopic>(again, 'presence:topic');
    expect((await ack(again, 'topic:subscribe', { topicId })).ok).toBe(true);
    // The new socket gets the current view, to itself...
    expect(ids(await hisOwn.until((e) => e.topicId === topicId, 2_000))).toContain(bob.id);
    await sleep(GRACE + TOPIC_INTERVAL + 400);
    // ...and the room hears nothing: neither the reconnect nor the old socket's expiry changed the view.
    expect(events.since(from)).toEqual([]);
    expect(hisOwn.seen).toHaveLength(1);
    expect(ids(events.latest())).toContain(bob.id);
  });

  it('sends a new subscriber the current view alone when it changes nothing, and a change to everyone', async () => {
    const topicId = await newTopic();
    const { user: w, events } = await watcherOn(topicId);
    const carol = await s.user(name('carol'));
    const tab1 = await s.socket(carol.token);
    await ack(tab1, 'topic:subscribe', { topicId });
    await events.until((e) => ids(e).includes(carol.id));
    await events.quiet(TOPIC_INTERVAL + 100);

    // A second tab of carol: the view is the same, so only the tab hears it.
    const from = Date.now();
    const tab2 = await s.socket(carol.token);
    const tab2Heard = watch<PresenceTopic>(tab2, 'presence:topic');
    const tab1Heard = watch<PresenceTopic>(tab1, 'presence:topic');
    expect((await ack(tab2, 'topic:subscribe', { topicId })).ok).toBe(true);
    const snapshot = await tab2Heard.until(() => true, 2_000);
    expect(snapshot).toMatchObject({ topicId, viewerCount: 2, guestCount: 0 });
    expect(ids(snapshot).sort()).toEqual([w.id, carol.id].sort());
    await sleep(TOPIC_INTERVAL * 2 + 200);
    expect(events.since(from)).toEqual([]);
    expect(tab1Heard.seen).toEqual([]);
    expect(tab2Heard.seen).toHaveLength(1);

    // Someone new: the watcher and both tabs hear it, the newcomer gets the view too.
    const dan = await s.user(name('dan'));
    const danSocket = await s.socket(dan.token);
    const danHeard = watch<PresenceTopic>(danSocket, 'presence:topic');
    await ack(danSocket, 'topic:subscribe', { topicId });
    for (const heard of [events, tab1Heard, tab2Heard, danHeard]) {
      const e = await heard.until((x) => ids(x).includes(dan.id), 2_000);
      expect(e.viewerCount).toBe(3);
    }

    // An unsubscribed socket gets no more views of that topic.
    await ack(tab2, 'topic:unsubscribe', { topicId });
    const tab2Count = tab2Heard.seen.length;
    danSocket.disconnect();
    await events.until((x) => !ids(x).includes(dan.id), 3_000);
    await sleep(100);
    expect(tab2Heard.seen).toHaveLength(tab2Count);
  });

  it('counts guests per session: two sockets of one session are one guest', async () => {
    const topicId = await newTopic();
    const { events } = await watcherOn(topicId);
    const g1 = await s.socket(undefined, { auth: { sessionId: 'guest-session-one' } });
    const g2 = await s.socket(undefined, { auth: { sessionId: 'guest-session-one' } });
    const g3 = await s.socket(undefined, { auth: { sessionId: 'guest-session-two' } });
    for (const g of [g1, g2, g3]) await ack(g, 'topic:subscribe', { topicId });
    await events.until((e) => e.guestCount === 2);
    await sleep(TOPIC_INTERVAL + 100);
    expect(events.latest()!.guestCount).toBe(2);
    g3.disconnect();
    await events.until((e) => e.guestCount === 1, 3_000);
    await ack(g1, 'topic:unsubscribe', { topicId });
    await sleep(TOPIC_INTERVAL + 100);
    expect(events.latest()!.guestCount).toBe(1); // g2 still there
    await ack(g2, 'topic:unsubscribe', { topicId });
    await events.until((e) => e.guestCount === 0, 3_000);
  });

  it('keeps hidden members unnamed, shows bot accounts and crawlers as bots', async () => {
    const topicId = await newTopic();
    const { events } = await watcherOn(topicId);
    const shy = await s.user(name('shy'));
    await s.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    const robo = await s.user(name('robo'), 'bot');
    const shySocket = await s.socket(shy.token);
    const roboSocket = await s.socket(robo.token);
    const crawler = ioClient(s.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    }) as TestSocket;
    try {
      await new Promise<void>((resolve, reject) => {
        crawler.once('connect', resolve);
        crawler.once('connect_error', reject);
      });
      for (const sock of [shySocket, roboSocket, crawler]) expect((await ack(sock, 'topic:subscribe', { topicId })).ok).toBe(true);
      const e = await events.until((x) => x.bots.length === 2 && x.hiddenCount === 1);
      expect(e.bots).toEqual([{ name: 'Google [Bot]' }, { name: `${robo.username} [Bot]` }].sort((a, b) => a.name.localeCompare(b.name)));
      expect(ids(e)).not.toContain(shy.id);
      expect(ids(e)).not.toContain(robo.id);
      expect(e.guestCount).toBe(0);
    } finally {
      crawler.disconnect();
    }
  });

  it('hides a connected member the moment they choose to be hidden, and names them again when they choose not to', async () => {
    const topicId = await newTopic();
    const { events } = await watcherOn(topicId);
    const shy = await s.user(name('changes_mind'));
    const sock = await s.socket(shy.token);
    expect((await ack(sock, 'topic:subscribe', { topicId })).ok).toBe(true);
    await events.until((e) => ids(e).includes(shy.id));
    const listed = async () => (await s.api('GET', '/online')).body.registered.some((u: { id: string }) => u.id === shy.id);
    expect(await listed()).toBe(true);

    expect((await s.api('PATCH', '/users/me', { token: shy.token, body: { hidden: true } })).status).toBe(200);
    const hidden = await events.until((e) => e.topicId === topicId && !ids(e).includes(shy.id));
    expect(hidden.hiddenCount).toBe(1);
    expect(await listed()).toBe(false);
    expect((await s.api('GET', '/online')).body.hiddenCount).toBeGreaterThanOrEqual(1);

    expect((await s.api('PATCH', '/users/me', { token: shy.token, body: { hidden: false } })).status).toBe(200);
    await events.until((e) => e.topicId === topicId && ids(e).includes(shy.id) && !e.hiddenCount);
    expect(await listed()).toBe(true);
  });

  it('gives moderators presence:detail (topic, page, hidden members) and members nothing', async () => {
    const topicId = await newTopic();
    const mod = await s.user(name('mod'), 'moderator');
    const modSocket = await s.socket(mod.token);
    const detail = watch<PresenceDetail>(modSocket, 'presence:detail');
    const reader = await s.user(name('reader'));
    const readerSocket = await s.socket(reader.token);
    const memberHeard = receivedWithin(readerSocket, 'presence:detail', 2_500);
    const shy = await s.user(name('hiddenreader'));
    await s.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    const shySocket = await s.socket(shy.token);

    expect((await ack(readerSocket, 'topic:subscribe', { topicId, page: 2 })).ok).toBe(true);
    expect((await ack(shySocket, 'topic:subscribe', { topicId })).ok).toBe(true);
    const got = await detail.until(
      (d) => d.entries.some((x) => x.id === reader.id && x.topicId === topicId) && d.entries.some((x) => x.id === shy.id && x.topicId === topicId),
    );
    const title = (await s.models.Topic.findById(topicId, { title: 1 }).lean())!.title;
    expect(got.entries.find((x) => x.id === reader.id)).toMatchObject({ kind: 'member', username: reader.username, role: 'member', hidden: false, topicId, topicTitle: title, page: 2 });
    expect(got.entries.find((x) => x.id === shy.id)).toMatchObject({ kind: 'member', hidden: true, topicId });
    const entry = got.entries.find((x) => x.id === reader.id)!;
    expect(Date.parse(entry.since)).toBeLessThanOrEqual(Date.parse(entry.lastActive));

    // Subscribing again with another page moves them.
    await ack(readerSocket, 'topic:subscribe', { topicId, page: 3 });
    await detail.until((d) => d.entries.some((x) => x.id === reader.id && x.page === 3));

    // A guest reading over HTTP is recorded with its topic and page too.
    await s.api('GET', `/topics/${topicId}?page=1`, { headers: { 'user-agent': 'DetailTestBrowser/1.0' } });
    await detail.until((d) => d.entries.some((x) => x.kind === 'guest' && x.topicId === topicId && x.page === 1));

    expect(await memberHeard).toBe(false);
    // At most one presence:detail per second (arrival times jitter; the count cannot), besides
    // the one the moderator's socket got to itself on connecting.
    const pushes = detail.seen.slice(1);
    const span = pushes.at(-1)!.at - pushes[0].at;
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(span / 1000) + 1);
  });

  it('gives newcomers arriving together their first views, each one, and presence:detail to the moderator among them alone', async () => {
    const topicId = await newTopic();
    const mod = await s.user(name('mod'), 'moderator');
    const members = await Promise.all([1, 2, 3, 4, 5].map(() => s.user(name('together'))));
    const everyone = [mod, ...members];
    const { events } = await watcherOn(topicId);
    const firstTabs = await Promise.all(everyone.map((u) => s.socket(u.token)));
    for (const tab of firstTabs) expect((await ack(tab, 'topic:subscribe', { topicId })).ok).toBe(true);
    const present = (await events.until((e) => everyone.every((u) => ids(e).includes(u.id)))).viewerCount;

    // Second tabs, all at once: they change nothing anyone sees, so no room push is due, and each
    // tab learns the views from its own newcomer push (arrivals close together share one).
    const tabs = everyone.map((u) => openSocket(s.url, { token: u.token }));
    try {
      const online = tabs.map((t) => watch(t.socket, 'presence:online'));
      const topic = tabs.map((t) => watch<PresenceTopic>(t.socket, 'presence:topic'));
      const detail = tabs.map((t) => watch<PresenceDetail>(t.socket, 'presence:detail'));
      const sockets = await Promise.all(tabs.map((t) => t.connected));
      expect((await Promise.all(sockets.map((sock) => ack(sock, 'topic:subscribe', { topicId })))).every((a) => a.ok)).toBe(true);

      for (const heard of topic) expect((await heard.until((e) => e.topicId === topicId)).viewerCount).toBe(present);
      await Promise.all(online.map((heard) => heard.until(() => true)));
      await detail[0].until((d) => d.entries.some((x) => x.id === mod.id));
      await sleep(1_500); // past presence:detail's interval: none reaches a member's tab
      expect(detail.slice(1).map((heard) => heard.seen.length)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      for (const t of [...tabs.map((t) => t.socket), ...firstTabs]) t.disconnect();
    }
  });

  it("gives moderators a forum's topic list as where a visitor is, over socket and HTTP alike: the latest page wins", async () => {
    const topicId = await newTopic();
    const forumId = board.forum.id;
    const forumTitle = (await s.models.Forum.findById(forumId, { title: 1 }).lean())!.title;
    const topicTitle = (await s.models.Topic.findById(topicId, { title: 1 }).lean())!.title;
    const mod = await s.user(name('mod'), 'moderator');
    const detail = watch<PresenceDetail>(await s.socket(mod.token), 'presence:detail');
    const entryOf = (d: PresenceDetail, match: (e: PresenceDetail['entries'][number]) => boolean) => d.entries.find(match);

    // A member reads a topic, then opens the forum's page in another tab: the forum is where they are.
    const reader = await s.user(name('reader'));
    const tab1 = await s.socket(reader.token);
    expect((await ack(tab1, 'topic:subscribe', { topicId })).ok).toBe(true);
    await detail.until((d) => entryOf(d, (e) => e.id === reader.id)?.topicId === topicId);
    await sleep(5);
    const tab2 = await s.socket(reader.token);
    expect((await ack(tab2, 'forum:subscribe', { forumId, browsing: true })).ok).toBe(true);
    const onForum = await detail.until((d) => entryOf(d, (e) => e.id === reader.id)?.forumId === forumId);
    const readerEntry = entryOf(onForum, (e) => e.id === reader.id)!;
    expect(readerEntry).toMatchObject({ forumId, forumTitle });
    expect(readerEntry.topicId).toBeUndefined();
    // Back on the topic (subscribed again later): the topic again.
    await sleep(5);
    expect((await ack(tab1, 'topic:subscribe', { topicId, page: 2 })).ok).toBe(true);
    const back = await detail.until((d) => entryOf(d, (e) => e.id === reader.id)?.page === 2);
    expect(entryOf(back, (e) => e.id === reader.id)).toMatchObject({ topicId, topicTitle, page: 2 });
    expect(entryOf(back, (e) => e.id === reader.id)!.forumId).toBeUndefined();

    // A crawler over HTTP: a topic's page, then the forum's listing, then the topic again.
    // (A crawler no other test here connects with: one with a socket is placed by its socket.)
    const crawler = { 'user-agent': 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)' };
    const bot = (d: PresenceDetail) => entryOf(d, (e) => e.kind === 'bot' && e.name === 'DuckDuckGo [Bot]');
    expect((await s.api('GET', `/topics/${topicId}`, { headers: crawler })).status).toBe(200);
    expect(bot(await detail.until((d) => bot(d)?.topicId === topicId))).toMatchObject({ topicId, topicTitle, page: 1 });
    expect((await s.api('GET', `/forums/${forumId}/topics`, { headers: crawler })).status).toBe(200);
    const listed = bot(await detail.until((d) => bot(d)?.forumId === forumId))!;
    expect(listed).toMatchObject({ forumId, forumTitle });
    expect(listed.topicId).toBeUndefined();
    // A request that shows no place (the board index) leaves it where it was; a refused one too.
    await sleep(5);
    const later = Date.now();
    expect((await s.api('GET', '/forums', { headers: crawler })).status).toBe(200);
    expect((await s.api('GET', '/topics/0123456789abcdef01234567', { headers: crawler })).status).toBe(404);
    expect(bot(await detail.until((d) => Date.parse(bot(d)?.lastActive ?? '') >= later))).toMatchObject({ forumId });
    // The page recorded is the one served: this one-page topic's ?page=3 serves page 1.
    expect((await s.api('GET', `/topics/${topicId}?page=3`, { headers: crawler })).status).toBe(200);
    expect(bot(await detail.until((d) => bot(d)?.topicId === topicId))).toMatchObject({ topicId, page: 1 });
  });

  it('holds coalescing under 200 joins and leaves in one second, and ends on the final state', async () => {
    const topicId = await newTopic();
    const { user: w, events } = await watcherOn(topicId);
    const members = await Promise.all(Array.from({ length: 10 }, () => s.user(name('burst'))));
    const sockets = [
      ...(await Promise.all(members.map((m) => s.socket(m.token)))),
      ...(await Promise.all(Array.from({ length: 10 }, (_, i) => s.socket(undefined, { auth: { sessionId: `burst-guest-${n}-${i}` } })))),
    ];
    // These end subscribed (they start with a leave, so their 10 alternating ops end on a join).
    const stay = new Set([0, 1, 2, 3, 10, 11, 12]);
    await events.quiet(TOPIC_INTERVAL + 200);

    // 10 rounds of 20 concurrent commands, about 100 ms apart; one socket's commands stay in order.
    const start = Date.now();
    for (let round = 0; round < 10; round++) {
      const roundStart = Date.now();
      const acks = sockets.map((sock, i) => {
        const join = stay.has(i) ? round % 2 === 1 : round % 2 === 0;
        return ack(sock, join ? 'topic:subscribe' : 'topic:unsubscribe', { topicId });
      });
      expect((await Promise.all(acks)).every((a) => a.ok)).toBe(true);
      await sleep(Math.max(0, 100 - (Date.now() - roundStart)));
    }
    expect(Date.now() - start).toBeLessThan(2_500);
    await events.quiet(TOPIC_INTERVAL * 3);

    const burst = events.since(start);
    const duration = burst.at(-1)!.at - start;
    expect(duration).toBeGreaterThan(500);
    expect(burst.length).toBeGreaterThan(1);
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(duration / TOPIC_INTERVAL) + 1);

    const expected = [w, ...members.filter((_, i) => stay.has(i))].map((u) => u.id).sort();
    const last = burst.at(-1)!.data;
    expect(ids(last).sort()).toEqual(expected);
    expect(last.guestCount).toBe(3);
    // And it is what the room really holds.
    const inRoom = await s.app.io.in(room.topic(topicId)).fetchSockets();
    expect(inRoom).toHaveLength(1 + stay.size);
  });
});

describe('bad subscribe input keeps presence truthful', () => {
  it('agrees with the room when an unsubscribe follows a subscribe still reading the database', async () => {
    const topicId = await newTopic();
    const { user: w, events } = await watcherOn(topicId);
    const racers = await Promise.all(Array.from({ length: 20 }, () => s.user(name('racer'))));
    const sockets = await Promise.all(racers.map((r) => s.socket(r.token)));
    // Each sends subscribe and, 0 to 38 ms later without waiting for its answer, unsubscribe.
    await Promise.all(
      sockets.map((sock, i) => Promise.all([ack(sock, 'topic:subscribe', { topicId }), sleep(i * 2).then(() => ack(sock, 'topic:unsubscribe', { topicId }))])),
    );
    await sleep(TOPIC_INTERVAL * 2 + 200);
    await events.quiet(TOPIC_INTERVAL + 100);
    const inRoom = new Set((await s.app.io.in(room.topic(topicId)).fetchSockets()).map((x) => x.id));
    const viewing = new Set(ids(events.latest()));
    const disagree = racers.filter((r, i) => inRoom.has(sockets[i].id!) !== viewing.has(r.id)).map((r) => r.username);
    expect(disagree).toEqual([]);
    // Each socket's last word was unsubscribe, and one socket's commands for a topic run in order.
    expect(racers.filter((r, i) => inRoom.has(sockets[i].id!) || viewing.has(r.id)).map((r) => r.username)).toEqual([]);
    expect(viewing.has(w.id)).toBe(true);
  });

  it('refuses unknown topics, spoofed fields and bad pages, and shows no viewing', async () => {
    const topicId = await newTopic();
    const mod = await s.user(name('mod'), 'moderator');
    const modSocket = await s.socket(mod.token);
    const detail = watch<PresenceDetail>(modSocket, 'presence:detail');
    const eve = await s.user(name('eve'));
    const eveSocket = await s.socket(eve.token);
    const other = board.member;

    const missing = await ack(eveSocket, 'topic:subscribe', { topicId: 'a'.repeat(24) });
    expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
    for (const payload of [
      { topicId, user: { id: other.id, username: other.username } },
      { topicId, userId: other.id },
      { topicId, page: 0 },
      { topicId, page: 'two' },
      { topicId, page: 1.5 },
      { topicId: { $ne: null } },
    ]) {
      const r = await ack(eveSocket, 'topic:subscribe', payload);
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      expect(r.error.code).toBe('BAD_REQUEST');
    }
    const d = await detail.until((x) => x.entries.some((e) => e.id === eve.id));
    await sleep(1_200); // past the detail interval: the latest state has settled
    const eveEntry = (detail.latest() ?? d).entries.filter((e) => e.id === eve.id);
    expect(eveEntry).toHaveLength(1);
    expect(eveEntry[0].topicId).toBeUndefined();
    expect(eveEntry[0].username).toBe(eve.username);
    expect((detail.latest() ?? d).entries.some((e) => e.topicId === topicId)).toBe(false);
  });

  it('caps one socket at 50 topics, even when 51 subscribes race', async () => {
    const topicIds: string[] = [];
    for (let i = 0; i < 51; i += 10) topicIds.push(...(await Promise.all(Array.from({ length: Math.min(10, 51 - i) }, () => newTopic()))));
    expect(topicIds).toHaveLength(51);
    const greedy = await s.user(name('greedy'));
    const sock = await s.socket(greedy.token);
    const answers = await Promise.all(topicIds.map((topicId) => ack(sock, 'topic:subscribe', { topicId })));
    const refused = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok)).toHaveLength(50);
    expect(refused).toEqual([{ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('50') } }]);
    const refusedTopic = topicIds[answers.findIndex((a) => !a.ok)];
    const okTopic = topicIds[answers.findIndex((a) => a.ok)];

    // The refused topic was never joined: no live events from it.
    const heard = receivedWithin(sock, 'post:created', 600);
    await s.api('POST', `/topics/${refusedTopic}/posts`, { token: board.member.token, body: { body: 'not for you' } });
    expect(await heard).toBe(false);

    // Subscribing again to a topic already held is fine; freeing a slot lets the next one in.
    expect((await ack(sock, 'topic:subscribe', { topicId: okTopic, page: 2 })).ok).toBe(true);
    expect((await ack(sock, 'topic:unsubscribe', { topicId: okTopic })).ok).toBe(true);
    expect((await ack(sock, 'topic:subscribe', { topicId: refusedTopic })).ok).toBe(true);
    expect((await ack(sock, 'topic:subscribe', { topicId: okTopic })).error.code).toBe('RATE_LIMITED');
  });
});

describe('big rooms', () => {
  const LIMIT = 2;
  let small: TestServer;
  let smallBoard: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    small = await startTestServer({ presenceGraceMs: GRACE, presenceListLimit: LIMIT });
    smallBoard = await seedForum(small);
  });
  afterAll(() => small?.close());

  async function topicOn(srv: TestServer, b: typeof smallBoard): Promise<string> {
    const r = await srv.api('POST', `/forums/${b.forum.id}/topics`, { token: b.member.token, body: { title: name('big'), body: 'hello' } });
    expect(r.status).toBe(201);
    return r.body.topic.id;
  }

  it('names the first PRESENCE_LIST_LIMIT viewers by name and counts them all; moderators still get every entry', async () => {
    const topicId = await topicOn(small, smallBoard);
    const mod = await small.user(name('mod'), 'moderator');
    const members = await Promise.all(['d', 'b', 'e', 'a'].map((p) => small.user(name(`cap_${p}`))));
    const shy = await small.user(name('cap_shy'));
    await small.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    const sockets = await Promise.all([...members, shy].map((m) => small.socket(m.token)));
    const guest = await small.socket(undefined, { auth: { sessionId: `cap-guest-${n}` } });
    for (const sock of [...sockets, guest]) expect((await ack(sock, 'topic:subscribe', { topicId })).ok).toBe(true);

    // A newcomer's own view is capped too.
    const late = await small.user(name('cap_late'));
    const lateSocket = await small.socket(late.token);
    const heard = watch<PresenceTopic>(lateSocket, 'presence:topic');
    await ack(lateSocket, 'topic:subscribe', { topicId });
    const first = [...members, late].map((u) => u.username).sort((a, b) => a.localeCompare(b)).slice(0, LIMIT);
    const view = await heard.until((e) => e.viewerCount === members.length + 1);
    expect(view.viewers.map((v) => v.username)).toEqual(first);
    expect(view).toMatchObject({ topicId, viewerCount: members.length + 1, guestCount: 1, hiddenCount: 1, bots: [] });

    // A change beyond the cap still shows in the counts of the room's push.
    const before = heard.seen.length;
    sockets[0].disconnect();
    const after = await heard.until((e) => e.viewerCount === members.length, 3_000);
    expect(heard.seen.length).toBeGreaterThan(before);
    expect(after.viewers).toHaveLength(LIMIT);

    // Moderators: presence:detail is complete, sent to a moderator's new socket at once.
    const { socket: modSocket, connected } = openSocket(small.url, { token: mod.token });
    try {
      const detail = watch<PresenceDetail>(modSocket, 'presence:detail');
      await connected;
      const full = await detail.until((d) => d.entries.filter((x) => x.topicId === topicId).length >= members.length + 1, 3_000);
      const inTopic = full.entries.filter((x) => x.topicId === topicId);
      expect(inTopic.filter((x) => x.kind === 'member').map((x) => x.id).sort()).toEqual([...members.slice(1), late, shy].map((u) => u.id).sort());
      expect(inTopic.some((x) => x.kind === 'guest')).toBe(true);
    } finally {
      modSocket.disconnect();
    }
  });

  it('builds a newcomer view once for arrivals close together, and never before an arrival', async () => {
    let applied = 0; // stands for the store: arrivals 1..applied are in it
    const builds: { at: number; arrivals: number[]; applied: number }[] = [];
    const batcher = createNewcomerBatcher<string, number>({
      gapMs: 100,
      onError: (err) => {
        throw err;
      },
      run: async (_key, arrivals) => {
        const seen = applied;
        await sleep(5);
        builds.push({ at: Date.now(), arrivals, applied: seen });
      },
    });
    const served: Promise<void>[] = [];
    const arrive = () => served.push(batcher.send('topic', ++applied));
    const start = Date.now();
    for (let i = 0; i < 10; i++) arrive(); // one turn
    for (let i = 0; i < 30; i++) {
      await sleep(10);
      arrive();
    }
    await Promise.all(served);
    batcher.close();

    expect(builds.flatMap((b) => b.arrivals)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const b of builds) expect(b.applied).toBeGreaterThanOrEqual(Math.max(...b.arrivals));
    expect(builds[0].arrivals).toHaveLength(10);
    // 300+ ms of arrivals: a build at once, then at most one per 100 ms gap.
    expect(builds.length).toBeLessThanOrEqual(Math.ceil((builds.at(-1)!.at - start) / 100) + 1);
    expect(builds.length).toBeGreaterThan(2);
  });

  it('spaces presence:topic pushes further apart as the room grows', async () => {
    expect(topicIntervalMs(0)).toBe(250);
    expect(topicIntervalMs(50)).toBe(250);
    expect(topicIntervalMs(525)).toBe(1125);
    expect(topicIntervalMs(1000)).toBe(2000);
    expect(topicIntervalMs(5000)).toBe(2000);

    // 150 guests and a watcher: 151 viewing, about 436 ms between pushes.
    const topicId = await topicOn(small, smallBoard);
    const { socket: watcher, connected } = openSocket(small.url, { sessionId: `spacing-watch-${n}` });
    try {
      await connected;
      const events = watch<PresenceTopic>(watcher, 'presence:topic');
      await ack(watcher, 'topic:subscribe', { topicId });
      const crowd: TestSocket[] = [];
      for (let i = 0; i < 150; i += 25) {
        const batch = await Promise.all(Array.from({ length: 25 }, (_, k) => small.socket(undefined, { auth: { sessionId: `crowd-${n}-${i + k}` } })));
        await Promise.all(batch.map((sock) => ack(sock, 'topic:subscribe', { topicId })));
        crowd.push(...batch);
      }
      await events.until((e) => e.guestCount === 151, 5_000);
      await events.quiet(topicIntervalMs(151) + 200);

      // One more guest every 50 ms for 2.5 s, so that every push has a new view to carry (a guest
      // coming and going could leave the view as last pushed at a push's turn, and it is skipped).
      const arrivals = await Promise.all(Array.from({ length: 50 }, (_, k) => small.socket(undefined, { auth: { sessionId: `crowd-late-${n}-${k}` } })));
      const start = Date.now();
      for (let i = 0; i < arrivals.length; i++) {
        await ack(arrivals[i], 'topic:subscribe', { topicId });
        await sleep(Math.max(0, start + (i + 1) * 50 - Date.now()));
      }
      await events.quiet(topicIntervalMs(201) + 200);
      const burst = events.since(start);
      expect(burst.length).toBeGreaterThan(2);
      const gaps = burst.slice(1).map((e, i) => e.at - burst[i].at);
      // The interval only grows with the room, so none is shorter than at 151 viewing.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(topicIntervalMs(151) - 40);
      expect(burst.at(-1)!.data.guestCount).toBe(201); // ends on the final state
      for (const sock of [...crowd, ...arrivals]) sock.disconnect();
    } finally {
      watcher.disconnect();
    }
  });
});
