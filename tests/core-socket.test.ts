import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { room } from '../shared/rooms.js';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe('live posts over Socket.IO', () => {
  it('pushes post:created to two topic subscribers and the forum room, seq rising by one', async () => {
    const { member, forum, topic } = await seedForum(s);
    const a = await s.socket();
    const b = await s.socket(member.token);
    const f = await s.socket();
    expect((await ack(a, 'topic:subscribe', { topicId: topic.id })).data.seq).toBe(1);
    expect((await ack(b, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    expect((await ack(f, 'forum:subscribe', { forumId: forum.id })).ok).toBe(true);

    const gotA = collect(a, 'post:created', 3);
    const gotB = collect(b, 'post:created', 3);
    const gotF = collect(f, 'post:created', 3);
    const r1 = await ack(b, 'post:create', { topicId: topic.id, body: 'over the socket', clientId: 'c1' });
    expect(r1.ok).toBe(true);
    expect(r1.data.post.subject).toBe('Re: Hello world');
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'over REST' } });
    await ack(b, 'post:create', { topicId: topic.id, body: 'third', clientId: 'c3' });

    for (const got of [await gotA, await gotB, await gotF]) {
      expect(got.map((e) => e.seq)).toEqual([2, 3, 4]);
      expect(got.map((e) => e.post.body)).toEqual(['over the socket', 'over REST', 'third']);
      expect(got[0]).toMatchObject({ topicId: topic.id, forumId: forum.id });
    }
  });

  it('treats ids in upper case as the same ids: live events reach such a subscriber, and a deletion named so takes it out', async () => {
    const { admin, member, forum, topic } = await seedForum(s);
    const upper = await s.socket();
    const upperForum = await s.socket();
    expect((await ack(upper, 'topic:subscribe', { topicId: topic.id.toUpperCase() })).ok).toBe(true);
    expect((await ack(upperForum, 'forum:subscribe', { forumId: forum.id.toUpperCase() })).ok).toBe(true);
    const got = collect(upper, 'post:created', 1);
    const gotForum = collect(upperForum, 'post:created', 1);
    await s.api('POST', `/topics/${topic.id.toUpperCase()}/posts`, { token: member.token, body: { body: 'shouting ids' } });
    expect((await got)[0]).toMatchObject({ topicId: topic.id, post: { body: 'shouting ids' } });
    expect((await gotForum)[0]).toMatchObject({ forumId: forum.id });

    expect((await s.api('DELETE', `/topics/${topic.id.toUpperCase()}`, { token: admin.token })).status).toBe(200);
    const server = s.app.io.of('/').sockets.get(upper.id!)!;
    expect(server.rooms.has(room.topic(topic.id))).toBe(false);
    expect((await ack(await s.socket(), 'topic:subscribe', { topicId: topic.id.toUpperCase() })).error.code).toBe('NOT_FOUND');
  });

  it('pushes edits and deletes', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: topic.id });
    const updated = collect(watcher, 'post:updated', 1);
    await s.api('PATCH', `/posts/${firstPost.id}`, { token: member.token, body: { body: 'changed' } });
    expect((await updated)[0]).toMatchObject({ seq: 2, post: { id: firstPost.id, body: 'changed' } });
    const deleted = collect(watcher, 'post:deleted', 1);
    await s.api('DELETE', `/posts/${firstPost.id}`, { token: member.token });
    expect((await deleted)[0]).toMatchObject({ seq: 3, postId: firstPost.id });
  });

  it('lets a guest read and subscribe but not post', async () => {
    const { topic } = await seedForum(s);
    const guest = await s.socket();
    expect((await ack(guest, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    const refused = await ack(guest, 'post:create', { topicId: topic.id, body: 'hi', clientId: 'g1' });
    expect(refused).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    const rest = await s.api('POST', `/topics/${topic.id}/posts`, { body: { body: 'hi' } });
    expect(rest.status).toBe(401);
    expect(await s.models.Post.countDocuments({ topicId: topic.id })).toBe(1);
  });

  it('stops pushing after unsubscribe', async () => {
    const { member, topic } = await seedForum(s);
    const w = await s.socket();
    await ack(w, 'topic:subscribe', { topicId: topic.id });
    expect((await ack(w, 'topic:unsubscribe', { topicId: topic.id })).ok).toBe(true);
    const heard = receivedWithin(w, 'post:created', 400);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'quiet' } });
    expect(await heard).toBe(false);
  });

  it('runs a subscribe and the unsubscribe sent right behind it in order: the socket ends unsubscribed', async () => {
    const { member, forum, topic } = await seedForum(s);
    const sockets = await Promise.all(Array.from({ length: 10 }, () => s.socket()));
    // Both commands leave in the same tick; the subscribe then still has the database to read.
    const answers = await Promise.all(
      sockets.map((w) =>
        Promise.all([
          ack(w, 'topic:subscribe', { topicId: topic.id, sinceSeq: 0 }),
          ack(w, 'topic:unsubscribe', { topicId: topic.id }),
          ack(w, 'forum:subscribe', { forumId: forum.id, sinceSeq: 0 }),
          ack(w, 'forum:unsubscribe', { forumId: forum.id }),
        ]),
      ),
    );
    expect(answers.flat().every((a) => a.ok)).toBe(true);
    expect(answers[0][0].data).toMatchObject({ seq: 1, missed: [expect.anything()] }); // the subscribe did run, first
    const rooms = s.app.io.of('/').adapter.rooms;
    for (const w of sockets) {
      expect(rooms.get(room.topic(topic.id))?.has(w.id!) ?? false).toBe(false);
      expect(rooms.get(room.forum(forum.id))?.has(w.id!) ?? false).toBe(false);
    }
    const heard = Promise.all(sockets.map((w) => receivedWithin(w, 'post:created', 400)));
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'nobody listens' } });
    expect(await heard).toEqual(sockets.map(() => false));
  });

  it('gives 50 concurrent replies 50 consecutive seq values', async () => {
    const { topic } = await seedForum(s);
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => s.user(`conc_${i}`)));
    const sockets = await Promise.all(users.map((u) => s.socket(u.token)));
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: topic.id });
    const live = collect(watcher, 'post:created', 50, 30_000);
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ack(sockets[i % 5], 'post:create', { topicId: topic.id, body: `n${i}`, clientId: `k${i}` }, 30_000)),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const seqs = acks.map((a) => a.data.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    const got = await live;
    expect(got.map((e) => e.seq)).toEqual(seqs);
    const numbers = (await s.models.Post.find({ topicId: topic.id }).lean()).map((p) => p.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  }, 60_000);
});
