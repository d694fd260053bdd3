import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { startTestServer, seedForum, ack, receivedWithin, type TestServer, type TestSocket } from './helpers/server.js';
import { watch, sleep } from './helpers/watch.js';
import type { PresenceDetail, PresenceTopic } from '../shared/schemas.js';
import { room } from '../shared/rooms.js';

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
    expect((await ack(again, 'topic:subscribe', { topicId })).ok).toBe(true);
    await sleep(GRACE + TOPIC_INTERVAL + 400);
    const after = events.since(from);
    expect(after.every((e) => ids(e.data).includes(bob.id))).toBe(true);
    expect(ids(events.latest())).toContain(bob.id);
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
    expect(got.entries.find((x) => x.id === reader.id)).toMatchObject({ kind: 'member', username: reader.username, role: 'member', hidden: false, topicId, page: 2 });
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
    // At most one presence:detail per second (arrival times jitter; the count cannot).
    const span = detail.seen.at(-1)!.at - detail.seen[0].at;
    expect(detail.seen.length).toBeGreaterThan(1);
    expect(detail.seen.length).toBeLessThanOrEqual(Math.ceil(span / 1000) + 1);
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
