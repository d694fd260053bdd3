import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from '../server/db/connect.js';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const user = (id: string) => s.models.User.findById(id).lean().orFail();
const topicSeq = async (topicId: string) => (await s.models.Topic.findById(topicId).lean().orFail()).seq;

/** Everything thanks can move, for "nothing changed" checks. */
async function thanksState(topicId: string, postId: string, userIds: string[]) {
  const post = await s.models.Post.findById(postId).lean().orFail();
  const users = await s.models.User.find({}, { thanksGiven: 1, thanksReceived: 1 }).lean();
  return {
    seq: await topicSeq(topicId),
    thanksCount: post.thanksCount,
    docs: await s.models.Thanks.countDocuments({}),
    events: await s.models.Event.countDocuments({ topicId }),
    users: users.filter((u) => userIds.includes(String(u._id))).map((u) => [String(u._id), u.thanksGiven, u.thanksReceived]),
  };
}

describe('thanks over REST and Socket.IO', () => {
  it('adds and removes over REST; a watcher gets thanks:changed with absolute counts at the next seq', async () => {
    const { member, topic, forum, firstPost } = await seedForum(s);
    const fan = await s.user('fan_rest');
    const watcher = await s.socket();
    const sub = await ack(watcher, 'topic:subscribe', { topicId: topic.id });
    const seq0 = sub.data.seq;

    const added = collect(watcher, 'thanks:changed', 1);
    const r = await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect(r.status).toBe(201);
    const expected = { postId: firstPost.id, thanksCount: 1, giver: { id: fan.id, thanksGiven: 1 }, receiver: { id: member.id, thanksReceived: 1 } };
    expect(r.body).toEqual({ thanks: expected });
    expect((await added)[0]).toEqual({ topicId: topic.id, forumId: forum.id, seq: seq0 + 1, forumSeq: expect.any(Number), thanks: expected });

    const page = await s.api('GET', `/topics/${topic.id}`);
    expect(page.body.seq).toBe(seq0 + 1);
    expect(page.body.posts[0]).toMatchObject({ thanksCount: 1, thankedBy: [fan.id], thankedByNames: ['fan_rest'] });
    expect(page.body.posts[0].author).toMatchObject({ thanksReceived: 1, thanksGiven: 0 });
    expect((await s.api('GET', `/users/${fan.id}`)).body.user).toMatchObject({ thanksGiven: 1, thanksReceived: 0 });

    const removed = collect(watcher, 'thanks:changed', 1);
    const d = await s.api('DELETE', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect(d.status).toBe(200);
    const zero = { postId: firstPost.id, thanksCount: 0, giver: { id: fan.id, thanksGiven: 0 }, receiver: { id: member.id, thanksReceived: 0 } };
    expect(d.body).toEqual({ thanks: zero });
    expect((await removed)[0]).toMatchObject({ seq: seq0 + 2, thanks: zero });
    expect((await s.api('GET', `/topics/${topic.id}`)).body.posts[0]).toMatchObject({ thanksCount: 0, thankedBy: [], thankedByNames: [] });
    expect(await s.models.Thanks.countDocuments({ postId: firstPost.id })).toBe(0);
  });

  it('adds and removes over the socket; a second client (forum room too) sees both', async () => {
    const { member, topic, forum, firstPost } = await seedForum(s);
    const fan = await s.user('fan_socket');
    const actor = await s.socket(fan.token);
    const topicWatcher = await s.socket();
    const forumWatcher = await s.socket();
    await ack(topicWatcher, 'topic:subscribe', { topicId: topic.id });
    await ack(forumWatcher, 'forum:subscribe', { forumId: forum.id });
    const seq0 = await topicSeq(topic.id);
    const inTopic = collect(topicWatcher, 'thanks:changed', 2);
    const inForum = collect(forumWatcher, 'thanks:changed', 2);

    const a = await ack(actor, 'thanks:add', { postId: firstPost.id });
    expect(a).toEqual({ ok: true, data: { thanks: { postId: firstPost.id, thanksCount: 1, giver: { id: fan.id, thanksGiven: 1 }, receiver: { id: member.id, thanksReceived: 1 } } } });
    const b = await ack(actor, 'thanks:remove', { postId: firstPost.id });
    expect(b.data.thanks).toMatchObject({ thanksCount: 0, giver: { thanksGiven: 0 }, receiver: { thanksReceived: 0 } });

    for (const got of [await inTopic, await inForum]) {
      expect(got.map((e) => [e.seq, e.thanks.thanksCount])).toEqual([[seq0 + 1, 1], [seq0 + 2, 0]]);
    }
    // Replay carries the same events for a client that was away.
    const late = await s.socket();
    const replay = await ack(late, 'topic:subscribe', { topicId: topic.id, sinceSeq: seq0 });
    expect(replay.data.missed.map((e: any) => [e.type, e.data.thanks.thanksCount])).toEqual([['thanks:changed', 1], ['thanks:changed', 0]]);
  });

  it('is idempotent: a repeated thanks or a missing one to remove answers 200, stores nothing, emits nothing', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const fan = await s.user('fan_twice');
    const actor = await s.socket(fan.token);
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: topic.id });

    const missing = await s.api('DELETE', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect(missing).toEqual({ status: 200, body: { thanks: { postId: firstPost.id, thanksCount: 0, giver: { id: fan.id, thanksGiven: 0 }, receiver: { id: member.id, thanksReceived: 0 } } } });

    const first = collect(watcher, 'thanks:changed', 1);
    expect((await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token })).status).toBe(201);
    await first;
    const before = await thanksState(topic.id, firstPost.id, [fan.id, member.id]);
    const heard = receivedWithin(watcher, 'thanks:changed', 500);
    const again = await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect(again.status).toBe(200);
    expect(again.body.thanks).toMatchObject({ thanksCount: 1, giver: { thanksGiven: 1 }, receiver: { thanksReceived: 1 } });
    const overSocket = await ack(actor, 'thanks:add', { postId: firstPost.id });
    expect(overSocket.data.thanks).toEqual(again.body.thanks);
    expect(await heard).toBe(false);
    expect(await thanksState(topic.id, firstPost.id, [fan.id, member.id])).toEqual(before);
  });
});

describe('thanks refused', () => {
  it('refuses own posts, guests, deleted, unknown and malformed ids, operator objects; nothing changes', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const fan = await s.user('fan_refused');
    const reply = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'to be deleted' } });
    const deletedId = reply.body.post.id;
    expect((await s.api('DELETE', `/posts/${deletedId}`, { token: member.token })).status).toBe(200);
    const memberSocket = await s.socket(member.token);
    const fanSocket = await s.socket(fan.token);
    const guestSocket = await s.socket();
    const unknown = 'a'.repeat(24);
    const before = await thanksState(topic.id, firstPost.id, [fan.id, member.id]);

    const rest: Array<[string, string | undefined, number, string]> = [
      [firstPost.id, member.token, 403, 'FORBIDDEN'],
      [firstPost.id, undefined, 401, 'UNAUTHORIZED'],
      [deletedId, fan.token, 404, 'NOT_FOUND'],
      [unknown, fan.token, 404, 'NOT_FOUND'],
      ['not-an-id', fan.token, 400, 'BAD_REQUEST'],
      ['%24gt', fan.token, 400, 'BAD_REQUEST'],
    ];
    for (const [id, token, status, code] of rest) {
      const r = await s.api('POST', `/posts/${id}/thanks`, { token });
      expect([id, r.status, r.body.error?.code]).toEqual([id, status, code]);
    }
    for (const [id, token, status, code] of rest.slice(1)) {
      const r = await s.api('DELETE', `/posts/${id}/thanks`, { token });
      expect([id, r.status, r.body.error?.code]).toEqual([id, status, code]);
    }

    const socketCases: Array<[typeof fanSocket, string, unknown, string]> = [
      [memberSocket, 'thanks:add', { postId: firstPost.id }, 'FORBIDDEN'],
      [guestSocket, 'thanks:add', { postId: firstPost.id }, 'UNAUTHORIZED'],
      [guestSocket, 'thanks:remove', { postId: firstPost.id }, 'UNAUTHORIZED'],
      [fanSocket, 'thanks:add', { postId: deletedId }, 'NOT_FOUND'],
      [fanSocket, 'thanks:add', { postId: unknown }, 'NOT_FOUND'],
      [fanSocket, 'thanks:add', { postId: 'zz' }, 'BAD_REQUEST'],
      [fanSocket, 'thanks:add', { postId: { $gt: '' } }, 'BAD_REQUEST'],
      [fanSocket, 'thanks:add', { postId: firstPost.id, extra: 1 }, 'BAD_REQUEST'],
      [fanSocket, 'thanks:remove', null, 'BAD_REQUEST'],
      [fanSocket, 'thanks:remove', 'x'.repeat(10_000), 'BAD_REQUEST'],
    ];
    for (const [socket, event, payload, code] of socketCases) {
      const a = await ack(socket, event, payload);
      expect([event, a.ok, a.error?.code]).toEqual([event, false, code]);
    }
    expect(await thanksState(topic.id, firstPost.id, [fan.id, member.id])).toEqual(before);
    // Still serving.
    expect((await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token })).status).toBe(201);
  });
});

describe('counts under concurrency never drift', () => {
  let crowd: Array<{ id: string; token: string }>;
  beforeAll(async () => {
    crowd = await Promise.all(Array.from({ length: 100 }, (_, i) => s.user(`crowd_${i}`)));
  });

  it('100 members thanking one post at once: exact counts, 100 consecutive seqs, the last event says 100', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: topic.id });
    const seq0 = await topicSeq(topic.id);
    const live = collect(watcher, 'thanks:changed', 100, 80_000);

    const answers = await Promise.all(crowd.map((u) => s.api('POST', `/posts/${firstPost.id}/thanks`, { token: u.token })));
    expect(answers.map((a) => a.status)).toEqual(crowd.map(() => 201));
    expect(answers.map((a) => a.body.thanks.thanksCount).sort((x, y) => x - y)).toEqual(crowd.map((_, i) => i + 1));

    const events = await live;
    expect(events.map((e) => e.seq)).toEqual(crowd.map((_, i) => seq0 + i + 1));
    // Applied in seq order, the counts climb one by one: no stale snapshot overtakes a newer one.
    expect(events.map((e) => e.thanks.thanksCount)).toEqual(crowd.map((_, i) => i + 1));
    expect(events.map((e) => e.thanks.receiver.thanksReceived)).toEqual(crowd.map((_, i) => i + 1));

    expect((await s.models.Post.findById(firstPost.id).lean().orFail()).thanksCount).toBe(100);
    expect((await user(member.id)).thanksReceived).toBe(100);
    const givers = await s.models.User.find({ _id: op({ $in: crowd.map((u) => u.id) }) }, { thanksGiven: 1 }).lean();
    expect(givers.map((g) => g.thanksGiven)).toEqual(crowd.map(() => 1));
    expect(await topicSeq(topic.id)).toBe(seq0 + 100);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
   }, 90_000);

  it('100 concurrent add/remove pairs: every counter matches the stored thanks; recount finds nothing', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const second = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'second' } })).body.post;
    const sockets = await Promise.all(crowd.slice(0, 50).map((u) => s.socket(u.token)));

    // Half the crowd: add then remove in order (ends at zero); the other half fires both at
    // once on the other post, over REST and socket, so either may win.
    await Promise.all([
      ...sockets.map(async (sock) => {
        expect((await ack(sock, 'thanks:add', { postId: firstPost.id }, 100_000)).ok).toBe(true);
        expect((await ack(sock, 'thanks:remove', { postId: firstPost.id }, 100_000)).ok).toBe(true);
      }),
      ...crowd.slice(50).flatMap((u) => [
        s.api('POST', `/posts/${second.id}/thanks`, { token: u.token }),
        s.api('DELETE', `/posts/${second.id}/thanks`, { token: u.token }),
      ]),
    ]);

    expect((await s.models.Post.findById(firstPost.id).lean().orFail()).thanksCount).toBe(0);
    const kept = await s.models.Thanks.countDocuments({ postId: second.id });
    expect((await s.models.Post.findById(second.id).lean().orFail()).thanksCount).toBe(kept);
    // Counts from the earlier test (100 on another post) plus what survived here.
    expect((await user(member.id)).thanksReceived).toBe(await s.models.Thanks.countDocuments({ receiverId: member.id }));
    for (const u of crowd) {
      expect([u.id, (await user(u.id)).thanksGiven]).toEqual([u.id, await s.models.Thanks.countDocuments({ giverId: u.id })]);
    }
    // Every seq taken in the topic is a committed event (thanks or noop): no holes.
    const seq = await topicSeq(topic.id);
    expect(await s.models.Event.countDocuments({ topicId: topic.id })).toBe(seq);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
   }, 120_000);
});

describe('two servers on one database', () => {
  it('racing the same thanks on both: one 201 per change, every claimed seq committed, counts exact', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const other = await startTestServer({}, s.dbName);
    try {
      const fan = await s.user('fan_two_nodes');
      const rounds = 15;
      for (let i = 0; i < rounds; i++) {
        const adds = await Promise.all([s, other].map((srv) => srv.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token })));
        expect(adds.map((r) => r.status).sort()).toEqual([200, 201]);
        // The change answers with what its $inc left; the no-op with a read that may precede it.
        expect(adds.find((r) => r.status === 201)?.body.thanks.thanksCount).toBe(1);
        const removes = await Promise.all([s, other].map((srv) => srv.api('DELETE', `/posts/${firstPost.id}/thanks`, { token: fan.token })));
        expect(removes.map((r) => r.status)).toEqual([200, 200]);
        expect(removes.map((r) => r.body.thanks.thanksCount)).toContain(0);
      }
      const events = await s.models.Event.find({ topicId: topic.id }, { type: 1 }).lean();
      const seq = await topicSeq(topic.id);
      // Races that lost after claiming left a noop, never a hole and never a second thanks:changed.
      expect(events.length).toBe(seq);
      expect(events.filter((e) => e.type === 'thanks:changed').length).toBe(rounds * 2);
      expect((await user(fan.id)).thanksGiven).toBe(0);
      expect((await user(member.id)).thanksReceived).toBe(await s.models.Thanks.countDocuments({ receiverId: member.id }));
      expect((await s.app.services.recount.run()).corrections).toEqual([]);
    } finally {
      // Not other.close(): that drops the shared database.
      await other.app.close();
      await other.conn.close();
    }
   }, 60_000);

  it('many thanks at once on both: the last thanks:changed in seq order carries the final count', async () => {
    const { topic, firstPost } = await seedForum(s);
    const other = await startTestServer({}, s.dbName);
    try {
      const fans = await Promise.all(Array.from({ length: 20 }, (_, i) => s.user(`fan_both_${i}`)));
      for (let round = 0; round < 6; round++) {
        // Each node's queue orders its own thanks; the two nodes' claims and stores interleave.
        const answers = await Promise.all(fans.map((fan, i) => [s, other][i % 2].api(round % 2 ? 'DELETE' : 'POST', `/posts/${firstPost.id}/thanks`, { token: fan.token })));
        expect(answers.map((r) => r.status)).toEqual(fans.map(() => (round % 2 ? 200 : 201)));
        const said = (await s.models.Event.find({ topicId: topic.id, type: 'thanks:changed' }, { seq: 1, data: 1 }).sort({ seq: 1 }).lean()).at(-1);
        expect(JSON.parse(said!.data).thanks.thanksCount).toBe(round % 2 ? 0 : fans.length);
      }
      expect((await s.app.services.recount.run()).corrections).toEqual([]);
    } finally {
      await other.app.close();
      await other.conn.close();
    }
  }, 60_000);
});

describe('recount', () => {
  it('corrects deliberately corrupted counters, reports each one, and then finds nothing', async () => {
    const { member, firstPost } = await seedForum(s);
    const fan = await s.user('fan_recount');
    await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect((await s.app.services.recount.run()).corrections).toEqual([]);

    await s.models.Post.updateOne({ _id: firstPost.id }, { $set: { thanksCount: 7 } });
    await s.models.User.updateOne({ _id: fan.id }, { $set: { thanksGiven: -3 } });
    await s.models.User.updateOne({ _id: member.id }, { $set: { thanksReceived: 0, postCount: 42 } });

    const report = await s.app.services.recount.run();
    const key = (c: { kind: string; id: string; field: string }) => `${c.kind}:${c.id}:${c.field}`;
    expect([...report.corrections].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [
        { kind: 'post', id: firstPost.id, field: 'thanksCount', was: 7, now: 1 },
        { kind: 'user', id: fan.id, field: 'thanksGiven', was: -3, now: 1 },
        { kind: 'user', id: member.id, field: 'thanksReceived', was: 0, now: 1 },
        { kind: 'user', id: member.id, field: 'postCount', was: 42, now: 1 },
      ].sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(report.skipped).toEqual([]);
    expect(report.scanned.thanks).toBe(await s.models.Thanks.countDocuments({}));
    expect((await s.api('GET', `/users/${member.id}`)).body.user).toMatchObject({ postCount: 1, thanksReceived: 1 });
    expect((await s.api('GET', `/users/${fan.id}`)).body.user).toMatchObject({ thanksGiven: 1 });
    expect((await s.models.Post.findById(firstPost.id).lean().orFail()).thanksCount).toBe(1);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });

  it("puts a topic's and a forum's post counts right after a writer died between claim and store", async () => {
    const { forum, topic, member } = await seedForum(s);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'a stored reply' } });
    // What a reply's claim moves, and then no post: the process was killed before its insert.
    await s.app.services.eventLog.claim(topic.id, { topic: { $inc: { postNumbers: 1, postCount: 1 } }, forum: { $inc: { postCount: 1 } } });
    expect((await s.models.Topic.findById(topic.id).lean().orFail()).postCount).toBe(3);

    const report = await s.app.services.recount.run();
    expect(report.corrections).toEqual(
      expect.arrayContaining([
        { kind: 'topic', id: topic.id, field: 'postCount', was: 3, now: 2 },
        { kind: 'forum', id: forum.id, field: 'postCount', was: 3, now: 2 },
      ]),
    );
    expect(report.scanned.topics).toBe(await s.models.Topic.countDocuments({}));
    const { forums } = (await s.api('GET', '/forums')).body as { forums: Array<{ id: string; postCount: number }> };
    expect(forums.find((f) => f.id === forum.id)?.postCount).toBe(2);
    expect((await s.models.Topic.findById(topic.id).lean().orFail()).postCount).toBe(2);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });

  it('points "last post" back at the newest stored post after a writer died between claim and store', async () => {
    const { forum, topic, member } = await seedForum(s);
    const stored = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'the last stored reply' } })).body.post;
    // A reply's claim names its post as "last post" of the topic and the forum; the post never came.
    const ghost = { id: String(new Types.ObjectId()), topicId: topic.id, subject: 'Re: never stored', authorId: member.id, authorName: member.username, createdAt: new Date() };
    await s.app.services.eventLog.claim(topic.id, { topic: { $inc: { postNumbers: 1, postCount: 1 }, $set: { lastPost: ghost, lastPostAt: ghost.createdAt } }, forum: { $inc: { postCount: 1 }, $set: { lastPost: ghost } } });
    const shown = async () => (await s.api('GET', `/forums/${forum.id}/topics`)).body as { forum: { lastPost: { id: string } }; topics: Array<{ id: string; lastPost: { id: string } }> };
    expect((await shown()).forum.lastPost.id).toBe(ghost.id);

    const report = await s.app.services.recount.run();
    expect(report.corrections).toEqual(
      expect.arrayContaining([
        { kind: 'topic', id: topic.id, field: 'lastPost', was: ghost.id, now: stored.id },
        { kind: 'forum', id: forum.id, field: 'lastPost', was: ghost.id, now: stored.id },
      ]),
    );
    const after = await shown();
    expect(after.forum.lastPost).toMatchObject({ id: stored.id, subject: 'Re: Hello world', authorName: member.username });
    expect(after.topics.find((t) => t.id === topic.id)?.lastPost).toMatchObject({ id: stored.id, createdAt: stored.createdAt });
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });
});
