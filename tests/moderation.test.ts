import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
let admin: { id: string; token: string };
let mod: { id: string; username: string; token: string };
let n = 0;

beforeAll(async () => {
  s = await startTestServer();
  admin = await s.user('mod_admin', 'admin');
  mod = await s.user('mod_mod', 'moderator');
});
afterAll(() => s?.close());

/** A fresh forum with one topic by a fresh member, and a guest socket watching the topic. */
async function board() {
  const b = await seedForum(s);
  const watcher = await s.socket();
  expect((await ack(watcher, 'topic:subscribe', { topicId: b.topic.id })).ok).toBe(true);
  return { ...b, watcher };
}
const newForum = async (title = `Forum ${++n}`) => (await s.api('POST', '/forums', { token: admin.token, body: { title } })).body.forum as { id: string };
const modlog = async () => (await s.api('GET', '/modlog', { token: mod.token })).body.entries as Array<Record<string, any>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ZERO = 'f'.repeat(24);

describe('lock and unlock', () => {
  it('are seen live; a locked topic refuses members’ replies with LOCKED, not moderators’', async () => {
    const { member, topic, forum, watcher } = await board();
    const forumWatch = await s.socket();
    await ack(forumWatch, 'forum:subscribe', { forumId: forum.id });
    const live = collect(watcher, 'topic:updated', 1);
    const inForum = collect(forumWatch, 'topic:updated', 1);
    const locked = await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token, body: { reason: 'flame war' } });
    expect(locked.status).toBe(200);
    expect(locked.body).toMatchObject({ seq: 2, topic: { id: topic.id, locked: true, seq: 2 } });
    expect((await live)[0]).toMatchObject({ topicId: topic.id, forumId: forum.id, seq: 2, topic: { locked: true, title: 'Hello world' } });
    expect((await inForum)[0]).toMatchObject({ topicId: topic.id, seq: 2, forumSeq: expect.any(Number) });

    const refused = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'but wait' } });
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe('LOCKED');
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: mod.token, body: { body: 'closing words' } })).status).toBe(201);

    // Locking again changes nothing: no event, same seq.
    const quiet = receivedWithin(watcher, 'topic:updated', 300);
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token })).body.seq).toBe(3);
    expect(await quiet).toBe(false);

    const unlocked = collect(watcher, 'topic:updated', 1);
    expect((await s.api('POST', `/topics/${topic.id}/unlock`, { token: admin.token })).status).toBe(200);
    expect((await unlocked)[0]).toMatchObject({ seq: 4, topic: { locked: false } });
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'open again' } })).status).toBe(201);

    // A late subscriber replays the lock and unlock in order.
    const late = await s.socket();
    const replay = await ack(late, 'topic:subscribe', { topicId: topic.id, sinceSeq: 1 });
    expect(replay.data.missed.map((e: any) => [e.type, e.data.seq])).toEqual([['topic:updated', 2], ['post:created', 3], ['topic:updated', 4], ['post:created', 5]]);
  });

  it('refuse members, guests, unknown and malformed topics; nothing changes', async () => {
    const { member, topic, watcher } = await board();
    const quiet = receivedWithin(watcher, 'topic:updated', 400);
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: member.token })).status).toBe(403);
    expect((await s.api('POST', `/topics/${topic.id}/lock`)).status).toBe(401);
    expect((await s.api('POST', `/topics/${ZERO}/lock`, { token: mod.token })).status).toBe(404);
    expect((await s.api('POST', '/topics/zzz/lock', { token: mod.token })).status).toBe(400);
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token, body: { reason: 'x', extra: true } })).status).toBe(400);
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token, body: { reason: { $gt: '' } } })).status).toBe(400);
    expect(await quiet).toBe(false);
    const stored = await s.models.Topic.findById(topic.id).lean();
    expect(stored).toMatchObject({ locked: false, seq: 1 });
  });
});

describe('pin and unpin', () => {
  it('put a topic above the others on its forum’s first page only, live, logged; the rest page as before', async () => {
    const { member, topic, forum, watcher } = await board();
    // 26 more topics: 27 in all, the first (oldest activity) is pinned.
    const more: string[] = [];
    for (let i = 0; i < 26; i++) more.push((await s.api('POST', `/forums/${forum.id}/topics`, { token: mod.token, body: { title: `Other ${i}`, body: 'x' } })).body.topic.id);
    const forumWatch = await s.socket();
    await ack(forumWatch, 'forum:subscribe', { forumId: forum.id });
    const live = collect(watcher, 'topic:updated', 1);
    const inForum = collect(forumWatch, 'topic:updated', 1);
    const pinned = await s.api('POST', `/topics/${topic.id}/pin`, { token: mod.token, body: { reason: 'house rules' } });
    expect(pinned.status).toBe(200);
    expect(pinned.body).toMatchObject({ topic: { id: topic.id, pinned: true } });
    expect((await live)[0]).toMatchObject({ topicId: topic.id, topic: { pinned: true } });
    expect((await inForum)[0]).toMatchObject({ topicId: topic.id, topic: { pinned: true } });
    expect((await s.api('GET', `/topics/${topic.id}`)).body.topic.pinned).toBe(true);

    // Page 1: the pinned topic, then the 25 newest others; page 2 the one left; pinned ones are not counted in pages.
    const page1 = (await s.api('GET', `/forums/${forum.id}/topics`)).body;
    expect(page1.topics.map((t: any) => t.id)).toEqual([topic.id, ...more.slice().reverse().slice(0, 25)]);
    expect(page1.pageCount).toBe(2);
    const page2 = (await s.api('GET', `/forums/${forum.id}/topics?page=2`)).body;
    expect(page2.topics.map((t: any) => t.id)).toEqual([more[0]]);
    // A reply elsewhere does not lift a topic above the pinned one.
    await s.api('POST', `/topics/${more[0]}/posts`, { token: member.token, body: { body: 'bump' } });
    expect((await s.api('GET', `/forums/${forum.id}/topics`)).body.topics.slice(0, 2).map((t: any) => t.id)).toEqual([topic.id, more[0]]);

    // Pinning again changes nothing; unpinning puts it back by its last post, with no `pinned` left.
    const quiet = receivedWithin(watcher, 'topic:updated', 300);
    expect((await s.api('POST', `/topics/${topic.id}/pin`, { token: mod.token })).body.seq).toBe(pinned.body.seq);
    expect(await quiet).toBe(false);
    const unpinned = await s.api('POST', `/topics/${topic.id}/unpin`, { token: admin.token });
    expect(unpinned.status).toBe(200);
    expect(unpinned.body.topic.pinned).toBeUndefined();
    expect('pinned' in ((await s.models.Topic.findById(topic.id).lean()) as object)).toBe(false);
    const after = (await s.api('GET', `/forums/${forum.id}/topics?page=2`)).body;
    expect(after.topics.map((t: any) => t.id)).toEqual([more[1], topic.id]);
    expect((await modlog()).slice(0, 2).map((e) => [e.action, e.reason ?? null, e.details?.title])).toEqual([['topic.unpin', null, 'Hello world'], ['topic.pin', 'house rules', 'Hello world']]);
  });

  it('refuse members, guests, unknown, malformed and deleted topics; nothing changes', async () => {
    const { member, topic, watcher } = await board();
    const quiet = receivedWithin(watcher, 'topic:updated', 400);
    expect((await s.api('POST', `/topics/${topic.id}/pin`, { token: member.token })).status).toBe(403);
    expect((await s.api('POST', `/topics/${topic.id}/pin`)).status).toBe(401);
    expect((await s.api('POST', `/topics/${ZERO}/pin`, { token: mod.token })).status).toBe(404);
    expect((await s.api('POST', '/topics/zzz/unpin', { token: mod.token })).status).toBe(400);
    expect((await s.api('POST', `/topics/${topic.id}/pin`, { token: mod.token, body: { reason: ['x'] } })).status).toBe(400);
    expect(await quiet).toBe(false);
    expect(await s.models.Topic.findById(topic.id).lean()).toMatchObject({ seq: 1 });
    expect('pinned' in ((await s.models.Topic.findById(topic.id).lean()) as object)).toBe(false);
    expect((await s.api('DELETE', `/topics/${topic.id}`, { token: mod.token })).status).toBe(200);
    expect((await s.api('POST', `/topics/${topic.id}/pin`, { token: mod.token })).body.error.code).toBe('CONFLICT');
  });
});

describe('move', () => {
  it('moves the topic, its posts and the counters; the old forum room and the topic room hear it', async () => {
    const { member, topic, forum, firstPost, watcher } = await board();
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'second' } });
    const target = await newForum('Destination');
    const oldRoom = await s.socket();
    const newRoom = await s.socket();
    await ack(oldRoom, 'forum:subscribe', { forumId: forum.id });
    await ack(newRoom, 'forum:subscribe', { forumId: target.id });
    const oldSeq = (await s.models.Forum.findById(forum.id).lean())!.seq;

    const heardTopic = collect(watcher, 'topic:updated', 1);
    const heardOld = collect(oldRoom, 'topic:updated', 1);
    const heardNew = receivedWithin(newRoom, 'topic:updated', 500);
    const res = await s.api('POST', `/topics/${topic.id}/move`, { token: mod.token, body: { forumId: target.id, reason: 'off topic' } });
    expect(res.status).toBe(200);
    expect(res.body.topic).toMatchObject({ id: topic.id, forumId: target.id, seq: 3 });
    for (const e of [(await heardTopic)[0], (await heardOld)[0]]) {
      // The event belongs to the old forum's stream (its forumId and forumSeq); the topic says where it went.
      expect(e).toMatchObject({ topicId: topic.id, forumId: forum.id, seq: 3, forumSeq: oldSeq + 1, topic: { forumId: target.id } });
    }
    expect(await heardNew).toBe(false);

    const forums = new Map<string, any>((await s.api('GET', '/forums')).body.forums.map((f: any) => [f.id, f]));
    expect(forums.get(forum.id)).toMatchObject({ topicCount: 0, postCount: 0, lastPost: null });
    expect(forums.get(target.id)).toMatchObject({ topicCount: 1, postCount: 2, lastPost: { topicId: topic.id } });
    expect((await s.api('GET', `/forums/${forum.id}/topics`)).body.topics).toEqual([]);
    expect((await s.api('GET', `/forums/${target.id}/topics`)).body.topics.map((t: any) => t.id)).toEqual([topic.id]);
    const page = await s.api('GET', `/topics/${topic.id}`);
    expect(page.body.topic.forumId).toBe(target.id);
    expect(page.body.posts.map((p: any) => p.forumId)).toEqual([target.id, target.id]);
    expect(page.body.posts[0].id).toBe(firstPost.id);

    // New posts count in the new forum and are heard in its room.
    const heardReply = collect(newRoom, 'post:created', 1);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'after the move' } });
    expect((await heardReply)[0]).toMatchObject({ forumId: target.id, post: { forumId: target.id } });
    expect((await s.models.Forum.findById(target.id).lean())!.postCount).toBe(3);
  });

  it('into a forum the subscriber may not read takes the subscriber out of the topic room', async () => {
    const { member, topic, watcher } = await board();
    const hidden = await newForum('Back office');
    await s.api('PATCH', `/forums/${hidden.id}`, { token: admin.token, body: { permissions: { read: [] } } });
    const modSock = await s.socket(mod.token);
    await ack(modSock, 'topic:subscribe', { topicId: topic.id });
    const moved = collect(watcher, 'topic:updated', 1);
    expect((await s.api('POST', `/topics/${topic.id}/move`, { token: mod.token, body: { forumId: hidden.id } })).status).toBe(200);
    expect((await moved)[0].topic.forumId).toBe(hidden.id); // told where it went, then let go
    const guestHears = receivedWithin(watcher, 'post:created', 500);
    const modHears = collect(modSock, 'post:created', 1);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: mod.token, body: { body: 'staff only now' } });
    expect(await guestHears).toBe(false);
    expect((await modHears)[0].post.body).toBe('staff only now');
    expect((await s.api('GET', `/topics/${topic.id}`, { token: member.token })).status).toBe(403);
  });

  it('refuses unknown forums (404), malformed bodies (400), members (403); nothing changes', async () => {
    const { member, topic, forum, watcher } = await board();
    const target = await newForum();
    const quiet = receivedWithin(watcher, 'topic:updated', 400);
    const cases: Array<[string | undefined, unknown, number, string?]> = [
      [mod.token, { forumId: ZERO }, 404],
      [mod.token, { forumId: 'nope' }, 400],
      [mod.token, {}, 400],
      [mod.token, { forumId: target.id, extra: 1 }, 400],
      [mod.token, { forumId: { $ne: null } }, 400],
      [member.token, { forumId: target.id }, 403],
      [undefined, { forumId: target.id }, 401],
    ];
    for (const [token, body, status] of cases) {
      expect((await s.api('POST', `/topics/${topic.id}/move`, { token, body })).status, JSON.stringify(body)).toBe(status);
    }
    expect((await s.api('POST', `/topics/${ZERO}/move`, { token: mod.token, body: { forumId: target.id } })).status).toBe(404);
    expect(await quiet).toBe(false);
    expect((await s.models.Topic.findById(topic.id).lean())!.forumId.toString()).toBe(forum.id);
    expect(await s.models.Post.countDocuments({ topicId: topic.id, forumId: forum.id })).toBe(1);
    expect(await s.models.Forum.findById(target.id).lean()).toMatchObject({ topicCount: 0, postCount: 0 });
  });
});

describe('rename', () => {
  it('by a moderator or the author is seen live; others are refused', async () => {
    const { member, topic, watcher } = await board();
    const other = await s.user(`other_${++n}`);
    const first = collect(watcher, 'topic:updated', 2);
    const byMod = await s.api('PATCH', `/topics/${topic.id}`, { token: mod.token, body: { title: 'Hello, moderated world' } });
    expect(byMod.status).toBe(200);
    const byAuthor = await s.api('PATCH', `/topics/${topic.id}`, { token: member.token, body: { title: '  Hello again  ' } });
    expect(byAuthor.body.topic.title).toBe('Hello again');
    expect((await first).map((e) => [e.seq, e.topic.title])).toEqual([[2, 'Hello, moderated world'], [3, 'Hello again']]);

    const quiet = receivedWithin(watcher, 'topic:updated', 400);
    expect((await s.api('PATCH', `/topics/${topic.id}`, { token: other.token, body: { title: 'Mine now' } })).status).toBe(403);
    expect((await s.api('PATCH', `/topics/${topic.id}`, { body: { title: 'Guest' } })).status).toBe(401);
    expect((await s.api('PATCH', `/topics/${topic.id}`, { token: mod.token, body: { title: '   ' } })).status).toBe(400);
    expect((await s.api('PATCH', `/topics/${topic.id}`, { token: mod.token, body: { title: 'x'.repeat(201) } })).status).toBe(400);
    expect((await s.api('PATCH', `/topics/${ZERO}`, { token: mod.token, body: { title: 'Ghost' } })).status).toBe(404);
    expect(await quiet).toBe(false);
    expect((await s.models.Topic.findById(topic.id).lean())!.title).toBe('Hello again');

    // The author may not rename a locked topic.
    await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token });
    const locked = await s.api('PATCH', `/topics/${topic.id}`, { token: member.token, body: { title: 'Sneaky' } });
    expect(locked.status).toBe(423);
  });
});

describe('renames racing on two nodes', () => {
  it('the last topic:updated in seq order always names the title stored', async () => {
    const { topic } = await board();
    const other = await startTestServer({}, s.dbName);
    try {
      for (let round = 0; round < 8; round++) {
        // Six renames at once, three through each node: each node orders its own, the two interleave.
        const titles = Array.from({ length: 6 }, (_, i) => `Round ${round} title ${i}`);
        const answers = await Promise.all(titles.map((title, i) => [s, other][i % 2].api('PATCH', `/topics/${topic.id}`, { token: mod.token, body: { title } })));
        // Each is stored, or refused CONFLICT after losing to the other node's five times running.
        expect(answers.filter((r) => r.status !== 200 && r.body.error?.code !== 'CONFLICT')).toEqual([]);
        expect(answers.some((r) => r.status === 200)).toBe(true);
        const stored = (await s.models.Topic.findById(topic.id).lean())!.title;
        const said = (await s.models.Event.find({ topicId: topic.id, type: 'topic:updated' }, { seq: 1, data: 1 }).sort({ seq: 1 }).lean()).at(-1);
        expect(JSON.parse(said!.data).topic.title).toBe(stored);
      }
      expect((await s.app.services.recount.run()).corrections).toEqual([]);
    } finally {
      // Not other.close(): that drops the shared database.
      await other.app.close();
      await other.conn.close();
      // Its 48 renames would fill the first page of the moderation log the last test reads.
      await s.models.Modlog.deleteMany({ targetId: topic.id });
    }
  }, 60_000);
});

describe('delete and restore a topic', () => {
  it('deleting takes it out of the listing, counts and last post, live; only moderators see it; restoring brings all back', async () => {
    const { member, topic, forum, watcher } = await board();
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'a reply' } })).body.post;
    const older = (await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Stays', body: 'older' } })).body.topic;
    await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'newest reply' } });
    const modWatch = await s.socket(mod.token);
    expect((await ack(modWatch, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    const memberWatch = await s.socket(member.token);
    expect((await ack(memberWatch, 'forum:subscribe', { forumId: forum.id })).ok).toBe(true);
    const listing = async () => {
      const forums = (await s.api('GET', '/forums')).body.forums as Array<Record<string, any>>;
      const topics = (await s.api('GET', `/forums/${forum.id}/topics`)).body.topics as Array<{ id: string }>;
      return { forum: forums.find((f) => f.id === forum.id)!, topicIds: topics.map((t) => t.id) };
    };
    const before = await listing();
    expect(before.forum).toMatchObject({ topicCount: 2, postCount: 4 });

    // Members may not; nothing changes.
    expect((await s.api('DELETE', `/topics/${topic.id}`, { token: member.token })).status).toBe(403);
    expect((await s.api('DELETE', `/topics/${ZERO}`, { token: mod.token })).status).toBe(404);
    expect((await s.api('DELETE', '/topics/bad', { token: mod.token })).status).toBe(400);
    expect(await listing()).toEqual(before);

    const seen = collect(watcher, 'topic:updated', 1);
    const seenInForum = collect(memberWatch, 'topic:updated', 1);
    const deleted = await s.api('DELETE', `/topics/${topic.id}`, { token: mod.token, body: { reason: 'spam' } });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ seq: 4, topic: { id: topic.id, deleted: true } });
    expect((await seen)[0]).toMatchObject({ topicId: topic.id, seq: 4, topic: { deleted: true } });
    expect((await seenInForum)[0]).toMatchObject({ topicId: topic.id, topic: { deleted: true } });

    const after = await listing();
    expect(after.topicIds).toEqual([older.id]);
    expect(after.forum).toMatchObject({ topicCount: 1, postCount: 1, lastPost: { topicId: older.id } });
    // Gone for everyone but moderators, and no one replies, thanks or edits there.
    expect((await s.api('GET', `/topics/${topic.id}`, { token: member.token })).status).toBe(404);
    expect((await s.api('GET', `/topics/${topic.id}`)).status).toBe(404);
    expect((await s.api('GET', `/topics/${topic.id}`, { token: mod.token })).body.topic).toMatchObject({ deleted: true });
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'hello?' } })).status).toBe(404);
    // Moderators still see it: for them a reply or a thanks there is CONFLICT (restore it first), not "not found".
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: mod.token, body: { body: 'hello?' } })).body.error.code).toBe('CONFLICT');
    expect((await ack(await s.socket(mod.token), 'post:create', { topicId: topic.id, body: 'hello?', clientId: 'mod-deleted-1' })).error.code).toBe('CONFLICT');
    expect((await s.api('POST', `/posts/${reply.id}/thanks`, { token: mod.token })).body.error.code).toBe('CONFLICT');
    expect((await s.api('POST', `/posts/${reply.id}/thanks`, { token: member.token })).status).toBe(404);
    expect((await s.api('PATCH', `/posts/${reply.id}`, { token: member.token, body: { body: 'edited' } })).status).toBe(404);
    expect((await s.api('DELETE', `/posts/${reply.id}`, { token: mod.token })).body.error.code).toBe('CONFLICT');
    expect((await s.api('POST', `/topics/${topic.id}/move`, { token: mod.token, body: { forumId: (await newForum()).id } })).body.error.code).toBe('CONFLICT');
    expect((await ack(await s.socket(member.token), 'topic:subscribe', { topicId: topic.id })).error.code).toBe('NOT_FOUND');
    // Nor is it locked, renamed or moved: no event about it reaches its forum's room until it is back.
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token })).body.error.code).toBe('CONFLICT');
    expect((await s.api('PATCH', `/topics/${topic.id}`, { token: member.token, body: { title: 'Mine' } })).status).toBe(404);
    expect((await s.api('DELETE', `/topics/${topic.id}`, { token: mod.token })).body.seq).toBe(4); // again: no change
    expect((await s.app.services.recount.run()).corrections).toEqual([]);

    // Its watchers left the room, moderators excepted.
    const quiet = receivedWithin(watcher, 'topic:updated', 400);
    const modSees = collect(modWatch, 'topic:updated', 1);
    const restored = await s.api('POST', `/topics/${topic.id}/restore`, { token: admin.token, body: { reason: 'not spam' } });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ seq: 5, topic: { id: topic.id } });
    expect(restored.body.topic.deleted).toBeUndefined();
    expect((await modSees)[0]).toMatchObject({ seq: 5, topic: { id: topic.id } });
    expect(await quiet).toBe(false);
    expect(await listing()).toEqual({ ...before, forum: { ...before.forum, seq: expect.any(Number) } });
    expect((await s.api('GET', `/topics/${topic.id}`, { token: member.token })).status).toBe(200);
    expect((await modlog()).slice(0, 2).map((e) => [e.action, e.reason])).toEqual([['topic.restore', 'not spam'], ['topic.delete', 'spam']]);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });
});

describe('restore', () => {
  it('brings a soft-deleted post back (post:updated, counters up) for moderators only', async () => {
    const { member, topic, forum, watcher } = await board();
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'regrettable' } })).body.post;
    const counts = async () => ({
      topic: (await s.models.Topic.findById(topic.id).lean())!.postCount,
      forum: (await s.models.Forum.findById(forum.id).lean())!.postCount,
      user: (await s.models.User.findById(member.id).lean())!.postCount,
    });
    const full = await counts();
    expect((await s.api('DELETE', `/posts/${reply.id}`, { token: member.token })).status).toBe(200);
    expect(await counts()).toEqual({ topic: full.topic - 1, forum: full.forum - 1, user: full.user - 1 });

    const quiet = receivedWithin(watcher, 'post:updated', 400);
    expect((await s.api('POST', `/posts/${reply.id}/restore`, { token: member.token })).status).toBe(403);
    expect((await s.api('POST', `/posts/${ZERO}/restore`, { token: mod.token })).status).toBe(404);
    expect((await s.api('POST', '/posts/bad/restore', { token: mod.token })).status).toBe(400);
    expect(await quiet).toBe(false);
    expect((await s.models.Post.findById(reply.id).lean())!.deleted).toBe(true);

    const live = collect(watcher, 'post:updated', 1);
    const restored = await s.api('POST', `/posts/${reply.id}/restore`, { token: mod.token, body: { reason: 'was fine' } });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ seq: 4, post: { id: reply.id, body: 'regrettable', number: 2 } });
    expect((await live)[0]).toMatchObject({ topicId: topic.id, seq: 4, post: { id: reply.id, body: 'regrettable' } });
    expect(await counts()).toEqual(full);
    expect((await s.api('GET', `/topics/${topic.id}`)).body.posts.map((p: any) => p.id)).toContain(reply.id);

    // Restoring a visible post changes nothing.
    const again = receivedWithin(watcher, 'post:updated', 300);
    expect((await s.api('POST', `/posts/${reply.id}/restore`, { token: mod.token })).body.seq).toBe(4);
    expect(await again).toBe(false);
    expect(await counts()).toEqual(full);
  });
});

describe('bans', () => {
  it('drop the banned member’s socket within a second; their token gets 401 and login FORBIDDEN with the reason', async () => {
    const { topic } = await seedForum(s);
    const victim = await s.user(`troll_${++n}`);
    const sock = await s.socket(victim.token);
    await ack(sock, 'topic:subscribe', { topicId: topic.id });
    const dropped = new Promise<number>((resolve) => sock.once('disconnect', () => resolve(Date.now())));

    const started = Date.now();
    const res = await s.api('POST', `/users/${victim.id}/ban`, { token: mod.token, body: { reason: 'spamming links', minutes: 60 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { id: victim.id }, reason: 'spamming links', bannedUntil: expect.any(String) });
    expect((await dropped) - started).toBeLessThan(1000);

    const withToken = await s.api('GET', '/users/me', { token: victim.token });
    expect(withToken.status).toBe(401);
    await expect(s.socket(victim.token)).rejects.toThrow('UNAUTHORIZED');
    const login = await s.api('POST', '/auth/login', { body: { username: victim.username, password: 'password-123' } });
    expect(login.status).toBe(403);
    expect(login.body.error.message).toContain('spamming links');
    expect(login.body.error.message).toContain(res.body.bannedUntil);

    // Lifted: they may log in again (the old token stays revoked).
    const lifted = await s.api('DELETE', `/users/${victim.id}/ban`, { token: mod.token });
    expect(lifted.status).toBe(200);
    const back = await s.api('POST', '/auth/login', { body: { username: victim.username, password: 'password-123' } });
    expect(back.status).toBe(200);
    expect((await s.api('GET', '/users/me', { token: back.body.token })).status).toBe(200);
    expect((await s.api('GET', '/users/me', { token: victim.token })).status).toBe(401);
  });

  it('stop a banned bot’s API token on REST and drop its socket', async () => {
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: `banbot${++n}` } })).body.bot;
    const { token } = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: admin.token, body: { scopes: ['read', 'post'] } })).body;
    expect((await s.api('GET', '/forums', { token })).status).toBe(200);
    const sock = await s.socket(token);
    const dropped = new Promise<void>((resolve) => sock.once('disconnect', () => resolve()));
    expect((await s.api('POST', `/users/${bot.id}/ban`, { token: mod.token, body: { reason: 'runaway', minutes: 5 } })).status).toBe(200);
    await dropped;
    expect((await s.api('GET', '/forums', { token })).status).toBe(401);
    await expect(s.socket(token)).rejects.toThrow('UNAUTHORIZED');
  });

  it('refuse admins as targets, moderators banning moderators, members, and bad input; nothing changes', async () => {
    const member = await s.user(`calm_${++n}`);
    const otherMod = await s.user(`mod2_${n}`, 'moderator');
    const cases: Array<[string | undefined, string, unknown, number]> = [
      [mod.token, admin.id, { reason: 'no', minutes: 5 }, 403],
      [admin.token, admin.id, { reason: 'self', minutes: 5 }, 403],
      [mod.token, otherMod.id, { reason: 'rival', minutes: 5 }, 403],
      [member.token, otherMod.id, { reason: 'x', minutes: 5 }, 403],
      [undefined, member.id, { reason: 'x', minutes: 5 }, 401],
      [mod.token, ZERO, { reason: 'ghost', minutes: 5 }, 404],
      [mod.token, 'bad', { reason: 'x', minutes: 5 }, 400],
      [mod.token, member.id, { reason: '', minutes: 5 }, 400],
      [mod.token, member.id, { minutes: 5 }, 400],
      [mod.token, member.id, { reason: 'x', minutes: 0 }, 400],
      [mod.token, member.id, { reason: 'x', minutes: 1.5 }, 400],
      [mod.token, member.id, { reason: 'x', minutes: '5' }, 400],
      [mod.token, member.id, { reason: 'x', minutes: 5, until: 'forever' }, 400],
    ];
    for (const [token, id, body, status] of cases) {
      expect((await s.api('POST', `/users/${id}/ban`, { token, body })).status, `${id} ${JSON.stringify(body)}`).toBe(status);
    }
    expect((await s.api('DELETE', `/users/${member.id}/ban`, { token: member.token })).status).toBe(403);
    for (const id of [member.id, otherMod.id, admin.id]) expect((await s.models.User.findById(id).lean())!.bannedUntil).toBeUndefined();
    expect((await s.api('GET', '/users/me', { token: member.token })).status).toBe(200);
    // An admin may ban a moderator.
    expect((await s.api('POST', `/users/${otherMod.id}/ban`, { token: admin.token, body: { reason: 'abuse of power', minutes: 1 } })).status).toBe(200);
  });
});

describe('the moderation log', () => {
  it('lists every action, newest first, with actor, target and reason; members get 403', async () => {
    const { member, topic, firstPost } = await board();
    const target = await newForum();
    await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token, body: { reason: 'cool down' } });
    await s.api('POST', `/topics/${topic.id}/unlock`, { token: mod.token });
    await s.api('PATCH', `/topics/${topic.id}`, { token: mod.token, body: { title: 'Renamed by staff' } });
    await s.api('PATCH', `/posts/${firstPost.id}`, { token: mod.token, body: { body: 'edited by staff' } });
    await s.api('POST', `/topics/${topic.id}/move`, { token: mod.token, body: { forumId: target.id } });
    await s.api('DELETE', `/posts/${firstPost.id}`, { token: mod.token });
    await s.api('POST', `/posts/${firstPost.id}/restore`, { token: mod.token });
    await s.api('POST', `/users/${member.id}/ban`, { token: mod.token, body: { reason: 'last straw', minutes: 10 } });
    await s.api('DELETE', `/users/${member.id}/ban`, { token: mod.token });
    await sleep(5);

    const entries = (await modlog()).slice(0, 9);
    expect(entries.map((e) => e.action)).toEqual([
      'user.unban', 'user.ban', 'post.restore', 'post.delete', 'topic.move', 'post.edit', 'topic.rename', 'topic.unlock', 'topic.lock',
    ]);
    for (const e of entries) expect(e.actor).toEqual({ id: mod.id, username: mod.username });
    expect(entries[8]).toMatchObject({ target: { type: 'topic', id: topic.id }, reason: 'cool down', at: expect.any(String), id: expect.any(String) });
    expect(entries[1]).toMatchObject({ target: { type: 'user', id: member.id }, reason: 'last straw', details: { minutes: 10 } });
    expect(entries[4].details).toMatchObject({ to: target.id });
    expect(entries[2].target).toEqual({ type: 'post', id: firstPost.id });

    // (The banned member's token was revoked by the ban: ask with another member's.)
    const bystander = await s.user(`bystander_${++n}`);
    for (const [token, status] of [[bystander.token, 403], [undefined, 401]] as const) {
      const res = await s.api('GET', '/modlog', { token });
      expect(res.status).toBe(status);
      expect(res.body.entries).toBeUndefined();
    }
    expect((await s.api('GET', '/modlog?page=0', { token: mod.token })).status).toBe(400);
    const paged = await s.api('GET', '/modlog?page=99', { token: admin.token });
    expect(paged.body).toMatchObject({ page: 1, pageCount: 1 });
  });

  it('does not log what members do to their own posts and topics', async () => {
    const { member, topic, firstPost } = await board();
    const before = await s.models.Modlog.countDocuments({});
    await s.api('PATCH', `/posts/${firstPost.id}`, { token: member.token, body: { body: 'my own edit' } });
    await s.api('PATCH', `/topics/${topic.id}`, { token: member.token, body: { title: 'My own title' } });
    expect(await s.models.Modlog.countDocuments({})).toBe(before);
  });
});
