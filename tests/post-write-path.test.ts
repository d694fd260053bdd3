// The post write path folds counters and "last post" into the seq claim and finds clientId
// retries by the insert itself. These tests hold it to the same results the longer path gave.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, seedForum, seededServer, ack, type TestServer } from './helpers/server.js';

describe('post write path', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer(); // flood interval off: retries reach the insert
    ctx = await seedForum(s);
  });
  afterAll(() => s?.close());

  async function state(topicId: string, userId: string) {
    const topic = await s.models.Topic.findById(topicId).lean();
    const forum = await s.models.Forum.findById(topic!.forumId).lean();
    const user = await s.models.User.findById(userId).lean();
    const stored = await s.models.Post.countDocuments({ topicId, deleted: false });
    return { topic: topic!, forum: forum!, user: user!, stored };
  }

  it('a reply moves topic, forum and author counts by one and becomes the last post of both', async () => {
    const m = await s.user('wp_author');
    const before = await state(ctx.topic.id, m.id);
    const r = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'counted once', clientId: 'wp-1' } });
    expect(r.status).toBe(201);
    const after = await state(ctx.topic.id, m.id);
    expect(after.topic.postCount).toBe(before.topic.postCount + 1);
    expect(after.topic.postCount).toBe(after.stored);
    expect(after.forum.postCount).toBe(before.forum.postCount + 1);
    expect(after.user.postCount).toBe((before.user.postCount ?? 0) + 1);
    for (const last of [after.topic.lastPost, after.forum.lastPost]) {
      expect(last).toMatchObject({ id: r.body.post.id, topicId: ctx.topic.id, subject: 'Re: Hello world', authorId: m.id, authorName: 'wp_author' });
      expect(new Date(last!.createdAt).toISOString()).toBe(r.body.post.createdAt);
    }
    const listed = await s.api('GET', `/forums/${ctx.forum.id}/topics`);
    expect(listed.body.forum.lastPost.id).toBe(r.body.post.id);
  });

  it('a reply claims its topic and its forum in one round trip: the forum update goes out before the topic update returns', async () => {
    const r0 = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, body: { body: 'warms the cache' } });
    expect(r0.status).toBe(201);
    const order: string[] = [];
    type Update = (...args: unknown[]) => Promise<unknown>;
    const topics = s.models.Topic.collection;
    const forums = s.models.Forum.collection;
    const topicUpdate = (topics.findOneAndUpdate as unknown as Update).bind(topics);
    const forumUpdate = (forums.findOneAndUpdate as unknown as Update).bind(forums);
    const topicClaim = vi.spyOn(topics, 'findOneAndUpdate').mockImplementation(((...args: unknown[]) => {
      order.push('topic sent');
      return topicUpdate(...args).then((out) => (order.push('topic back'), out));
    }) as never);
    const forumClaim = vi.spyOn(forums, 'findOneAndUpdate').mockImplementation(((...args: unknown[]) => {
      order.push('forum sent');
      return forumUpdate(...args);
    }) as never);
    try {
      const r = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, body: { body: 'claimed together' } });
      expect(r.status).toBe(201);
    } finally {
      topicClaim.mockRestore();
      forumClaim.mockRestore();
    }
    expect(order.indexOf('forum sent')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('forum sent')).toBeLessThan(order.indexOf('topic back'));
  });

  it('a retried clientId answers the first post and moves nothing, over REST and socket', async () => {
    const m = await s.user('wp_retry');
    const first = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'only once', clientId: 'wp-r' } });
    expect(first.status).toBe(201);
    const before = await state(ctx.topic.id, m.id);
    const again = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'only once', clientId: 'wp-r' } });
    expect(again.status).toBeLessThan(300);
    expect(again.body.post.id).toBe(first.body.post.id);
    expect(again.body.seq).toBe(first.body.seq);
    const sock = await s.socket(m.token);
    const viaSocket = await ack(sock, 'post:create', { topicId: ctx.topic.id, body: 'only once', clientId: 'wp-r' });
    expect(viaSocket).toMatchObject({ ok: true, data: { post: { id: first.body.post.id }, seq: first.body.seq } });
    const after = await state(ctx.topic.id, m.id);
    expect(after.stored).toBe(before.stored);
    expect(after.topic.postCount).toBe(before.topic.postCount);
    expect(after.topic.lastPost?.id).toBe(before.topic.lastPost?.id);
    expect(after.forum.lastPost?.id).toBe(before.forum.lastPost?.id);
    expect(after.forum.postCount).toBe(before.forum.postCount);
    expect(after.user.postCount).toBe(before.user.postCount);
    expect(after.topic.lastPost?.id).toBe(first.body.post.id);
  });

  it('twenty concurrent sends of one clientId store one post and count it once', async () => {
    const m = await s.user('wp_twins');
    const before = await state(ctx.topic.id, m.id);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'twin', clientId: 'wp-twin' } })),
    );
    expect(answers.every((a) => a.status < 300)).toBe(true);
    expect(new Set(answers.map((a) => a.body.post.id)).size).toBe(1);
    const after = await state(ctx.topic.id, m.id);
    expect(after.stored).toBe(before.stored + 1);
    expect(after.topic.postCount).toBe(before.topic.postCount + 1);
    expect(after.forum.postCount).toBe(before.forum.postCount + 1);
    expect(after.user.postCount).toBe((before.user.postCount ?? 0) + 1);
    expect(after.topic.lastPost?.id).toBe(answers[0].body.post.id);
  });

  it('ten concurrent new topics with one clientId: one topic, every answer names it, and the forum counts it once', async () => {
    const m = await s.user('wp_topic_twins');
    const forumBefore = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: m.token, body: { title: 'Twin topic', body: 'once', clientId: 'wp-topic-twin' } })),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(10);
    expect(new Set(won.map((a) => a.body.topic.id)).size).toBe(1);
    const forumAfter = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    // The count moves with the opening post's claim: a topic whose post lost the race is not counted.
    expect(forumAfter.topicCount).toBe(forumBefore.topicCount + 1);
    expect(forumAfter.postCount).toBe(forumBefore.postCount + 1);
    expect(await s.models.Post.countDocuments({ authorId: m.id })).toBe(1);
    // And the losers' empty topics are gone: the listing shows the one topic.
    const listed = (await s.api('GET', `/forums/${ctx.forum.id}/topics`)).body.topics.filter((t: { title: string }) => t.title === 'Twin topic');
    expect(listed.map((t: { id: string }) => t.id)).toEqual([won[0].body.topic.id]);
    expect(await s.models.Topic.countDocuments({ title: 'Twin topic' })).toBe(1);
  });

  it('recount puts a forum\'s topic count right: topics not deleted whose opening post was stored', async () => {
    const m = await s.user('wp_recount');
    const made = await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: m.token, body: { title: 'Counted', body: 'yes' } });
    expect(made.status).toBe(201);
    const right = (await s.models.Forum.findById(ctx.forum.id).lean())!.topicCount;
    // What a kill between a new topic's claim and its post leaves: a topic without posts, counted.
    await s.models.Topic.create({ forumId: ctx.forum.id, title: 'Never posted', authorId: m.id, authorName: m.username });
    await s.models.Forum.updateOne({ _id: ctx.forum.id }, { $inc: { topicCount: 1 } });
    const report = await s.app.services.recount.run();
    expect(report.corrections).toContainEqual(expect.objectContaining({ kind: 'forum', id: ctx.forum.id, field: 'topicCount', was: right + 1, now: right }));
    expect((await s.models.Forum.findById(ctx.forum.id).lean())!.topicCount).toBe(right);
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });

  it('a clientId used in another topic is a CONFLICT that changes no counts there', async () => {
    const m = await s.user('wp_elsewhere');
    const other = await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: m.token, body: { title: 'Elsewhere', body: 'opening' } });
    expect(other.status).toBe(201);
    const first = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'here', clientId: 'wp-x' } });
    expect(first.status).toBe(201);
    const before = await state(other.body.topic.id, m.id);
    const clash = await s.api('POST', `/topics/${other.body.topic.id}/posts`, { token: m.token, body: { body: 'there', clientId: 'wp-x' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('CONFLICT');
    const after = await state(other.body.topic.id, m.id);
    expect(after.topic.postCount).toBe(before.topic.postCount);
    expect(after.forum.postCount).toBe(before.forum.postCount);
    expect(after.user.postCount).toBe(before.user.postCount);
    expect(after.topic.lastPost?.id).toBe(before.topic.lastPost?.id);
  });

  it('watchers get one post:created per stored post, in seq order, after retries', async () => {
    const m = await s.user('wp_watch');
    const watcher = await s.socket(ctx.member.token);
    const sub = await ack(watcher, 'topic:subscribe', { topicId: ctx.topic.id });
    const got: Array<{ seq: number; post: { id: string } }> = [];
    watcher.on('post:created', (e) => got.push(e));
    const sent = [];
    for (let i = 0; i < 5; i++) {
      sent.push(await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: `w${i}`, clientId: `wp-w${i}` } }));
      await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: `w${i}`, clientId: `wp-w${i}` } });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((e) => e.post.id)).toEqual(sent.map((r) => r.body.post.id));
    // A retry of an older post does not take "last post" back to it.
    const newest = sent[sent.length - 1].body.post.id;
    await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'w0', clientId: 'wp-w0' } });
    const now = await state(ctx.topic.id, m.id);
    expect(now.topic.lastPost?.id).toBe(newest);
    expect(now.forum.lastPost?.id).toBe(newest);
    const seqs = got.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(sub.data.seq);
  });
});

describe('"last post" after deletes, restores and renames', () => {
  const env = seededServer();

  /** What the board index and the forum's topic list show as "last post" for the forum and the topic. */
  async function listed(topicId: string) {
    const { s, ctx } = env;
    const board = (await s.api('GET', '/forums')).body.forums.find((f: { id: string }) => f.id === ctx.forum.id);
    const list = (await s.api('GET', `/forums/${ctx.forum.id}/topics`)).body;
    const topic = list.topics.find((t: { id: string }) => t.id === topicId);
    return { board: board.lastPost, forum: list.forum.lastPost, topic: topic.lastPost };
  }

  it('moves back to the previous post on delete, takes a new subject, and returns on restore', async () => {
    const { s, ctx } = env;
    const m = ctx.member;
    const t = (await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: m.token, body: { title: 'Lasts', body: 'opening' } })).body.topic;
    const a = (await s.api('POST', `/topics/${t.id}/posts`, { token: m.token, body: { body: 'reply a' } })).body.post;
    const b = (await s.api('POST', `/topics/${t.id}/posts`, { token: m.token, body: { body: 'reply b', subject: 'About b' } })).body.post;
    for (const ref of Object.values(await listed(t.id))) expect(ref).toMatchObject({ id: b.id, subject: 'About b' });

    expect((await s.api('DELETE', `/posts/${b.id}`, { token: m.token })).status).toBe(200);
    for (const ref of Object.values(await listed(t.id))) {
      expect(ref).toMatchObject({ id: a.id, topicId: t.id, subject: 'Re: Lasts', authorName: m.username, createdAt: a.createdAt });
    }

    expect((await s.api('PATCH', `/posts/${a.id}`, { token: m.token, body: { body: 'reply a, edited', subject: 'A renamed' } })).status).toBe(200);
    for (const ref of Object.values(await listed(t.id))) expect(ref).toMatchObject({ id: a.id, subject: 'A renamed' });

    expect((await s.api('POST', `/posts/${b.id}/restore`, { token: ctx.admin.token })).status).toBe(200);
    for (const ref of Object.values(await listed(t.id))) expect(ref).toMatchObject({ id: b.id, subject: 'About b', createdAt: b.createdAt });

    // Deleting an older post, or restoring nothing newer, leaves "last post" where it is.
    expect((await s.api('DELETE', `/posts/${a.id}`, { token: m.token })).status).toBe(200);
    expect((await s.api('POST', `/posts/${a.id}/restore`, { token: ctx.admin.token })).status).toBe(200);
    for (const ref of Object.values(await listed(t.id))) expect(ref).toMatchObject({ id: b.id });
  });
});
