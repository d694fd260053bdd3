// Topic facts and forum permissions come from memory (server/services/access-cache.ts). A change
// made through the services is forgotten at once; a change the cache was not told of (another
// node with Redis down, a hand edit) is caught by the post path's check against its claim, and
// reaches subscribes when the entry expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, type TestServer } from './helpers/server.js';

describe('access cache', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer();
    ctx = await seedForum(s);
  });
  afterAll(() => s?.close());

  const reply = (topicId: string, token: string, body: string, extra: Record<string, unknown> = {}) =>
    s.api('POST', `/topics/${topicId}/posts`, { token, body: { body, ...extra } });

  async function freshTopic(title: string) {
    const made = await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: ctx.member.token, body: { title, body: 'opening' } });
    expect(made.status).toBe(201);
    expect((await reply(made.body.topic.id, ctx.member.token, 'warms the cache')).status).toBe(201);
    return made.body.topic.id as string;
  }

  const stored = (topicId: string) => s.models.Post.countDocuments({ topicId, deleted: false });

  it('a lock through the moderation service applies to the very next reply', async () => {
    const topicId = await freshTopic('Locked soon');
    const mod = await s.user('ac_mod', 'moderator');
    expect((await s.api('POST', `/topics/${topicId}/lock`, { token: mod.token })).status).toBe(200);
    const refused = await reply(topicId, ctx.member.token, 'too late');
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe('LOCKED');
  });

  it('a lock the cache was not told of is caught at the claim: LOCKED, and no post, count or last post changes', async () => {
    const topicId = await freshTopic('Locked behind its back');
    const before = { posts: await stored(topicId), topic: await s.models.Topic.findById(topicId).lean() };
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { locked: true } }); // as another node would, unannounced
    const refused = await reply(topicId, ctx.member.token, 'should not land', { clientId: 'ac-stale-lock' });
    expect(refused.status).toBe(423);
    const after = await s.models.Topic.findById(topicId).lean();
    expect(await stored(topicId)).toBe(before.posts);
    expect(after!.postCount).toBe(before.topic!.postCount);
    expect(after!.lastPost?.id).toBe(before.topic!.lastPost?.id);
    expect(await s.models.Post.countDocuments({ clientId: 'ac-stale-lock' })).toBe(0);
  });

  it('a rename the cache was not told of: the reply is stored under the new title', async () => {
    const topicId = await freshTopic('Old name');
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { title: 'New name' } });
    const r = await reply(topicId, ctx.member.token, 'after the rename');
    expect(r.status).toBe(201);
    expect(r.body.post.subject).toBe('Re: New name');
  });

  it('a move the cache was not told of: the seq the old forum gave is filled with a noop, the reply lands in the new forum, counts right in both', async () => {
    const topicId = await freshTopic('Moves unannounced');
    const other = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Elsewhere', description: 'where it went' } });
    const oldBefore = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    const newBefore = (await s.models.Forum.findById(other.body.forum.id).lean())!;
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { forumId: other.body.forum.id } }); // as another node would, unannounced
    const r = await reply(topicId, ctx.member.token, 'after the move');
    expect(r.status).toBe(201);
    expect(r.body.post.forumId).toBe(other.body.forum.id);
    const oldAfter = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    const newAfter = (await s.models.Forum.findById(other.body.forum.id).lean())!;
    expect(oldAfter.postCount).toBe(oldBefore.postCount);
    // The old forum's "last post" is rebuilt from the topics it still holds, not left on the reply.
    expect(oldAfter.lastPost?.id).not.toBe(r.body.post.id);
    const oldLast = await s.models.Post.findById(oldAfter.lastPost?.id).lean();
    expect(String((await s.models.Topic.findById(oldLast?.topicId).lean())?.forumId)).toBe(ctx.forum.id);
    expect(newAfter.postCount).toBe(newBefore.postCount + 1);
    expect(newAfter.lastPost?.id).toBe(r.body.post.id);
    // The old forum's cursor moved by the one seq the stale claim took, and a noop fills it: its
    // subscribers step over it at once instead of waiting out the gap timeout.
    expect(oldAfter.seq).toBe(oldBefore.seq + 1);
    const filler = await s.models.Event.findOne({ forumId: ctx.forum.id, forumSeq: oldAfter.seq }).lean();
    expect(filler?.type).toBe('noop');
    const replay = await s.app.services.eventLog.replayForum(ctx.forum.id, oldBefore.seq);
    expect(replay.seq).toBe(oldAfter.seq);
    expect(replay.missed?.map((e) => e.type)).toEqual(['noop']);
  });

  it('moved out of a forum that is then deleted, all behind the cache: the reply lands where the topic is', async () => {
    const doomed = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Doomed', description: 'soon gone' } });
    const made = await s.api('POST', `/forums/${doomed.body.forum.id}/topics`, { token: ctx.member.token, body: { title: 'Leaves in time', body: 'opening' } });
    const topicId = made.body.topic.id as string;
    expect((await reply(topicId, ctx.member.token, 'warms the cache')).status).toBe(201);
    const before = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { forumId: ctx.forum.id } });
    await s.models.Forum.deleteOne({ _id: doomed.body.forum.id });
    const r = await reply(topicId, ctx.member.token, 'in its new home');
    expect(r.status).toBe(201);
    expect(r.body.post.forumId).toBe(ctx.forum.id);
    const after = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    expect(after.postCount).toBe(before.postCount + 1);
    expect(after.lastPost?.id).toBe(r.body.post.id);
  });

  it('a topic deleted behind the cache: NOT_FOUND, and its forum\'s count and last post are as before', async () => {
    const topicId = await freshTopic('Deleted unannounced');
    const before = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    await s.models.Topic.deleteOne({ _id: topicId }); // the cache still has it
    const r = await reply(topicId, ctx.member.token, 'into the void', { clientId: 'ac-deleted-topic' });
    expect(r.status).toBe(404);
    const after = (await s.models.Forum.findById(ctx.forum.id).lean())!;
    expect(after.postCount).toBe(before.postCount);
    expect(after.seq).toBe(before.seq + 1); // the forum's update went through alongside the failed topic's...
    // ...a noop fills that forum seq, so forum subscribers step over it at once...
    const replay = await s.app.services.eventLog.replayForum(ctx.forum.id, before.seq);
    expect(replay).toMatchObject({ seq: after.seq, missed: [{ type: 'noop', data: { topicId, forumId: ctx.forum.id, forumSeq: after.seq } }] });
    // ...and was undone: "last post" names a stored post of a topic the forum still holds.
    const last = await s.models.Post.findById(after.lastPost?.id).lean();
    expect(last).not.toBeNull();
    expect(await s.models.Topic.exists({ _id: last!.topicId, forumId: ctx.forum.id })).not.toBeNull();
    expect(await s.models.Post.countDocuments({ clientId: 'ac-deleted-topic' })).toBe(0);
  });

  it('forum permissions changed unannounced: the reply is refused once the claim shows them', async () => {
    const forum = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Quiet', description: 'soon closed' } });
    const made = await s.api('POST', `/forums/${forum.body.forum.id}/topics`, { token: ctx.member.token, body: { title: 'Here', body: 'opening' } });
    const topicId = made.body.topic.id as string;
    expect((await reply(topicId, ctx.member.token, 'warms the cache')).status).toBe(201);
    const before = await stored(topicId);
    await s.models.Forum.updateOne({ _id: forum.body.forum.id }, { $set: { permissions: { read: ['member'], reply: ['moderator'] } } });
    const refused = await reply(topicId, ctx.member.token, 'no longer allowed');
    expect(refused.status).toBe(403);
    expect(await stored(topicId)).toBe(before);
  });

  it('a permissions change through the forum service applies to the very next subscribe', async () => {
    const forum = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Staff soon', description: 'x' } });
    const made = await s.api('POST', `/forums/${forum.body.forum.id}/topics`, { token: ctx.member.token, body: { title: 'Open now', body: 'opening' } });
    const sock = await s.socket(ctx.member.token);
    expect((await ack(sock, 'topic:subscribe', { topicId: made.body.topic.id })).ok).toBe(true);
    await ack(sock, 'topic:unsubscribe', { topicId: made.body.topic.id });
    const patched = await s.api('PATCH', `/forums/${forum.body.forum.id}`, { token: ctx.admin.token, body: { permissions: { read: ['moderator'] } } });
    expect(patched.status).toBe(200);
    const again = await ack(sock, 'topic:subscribe', { topicId: made.body.topic.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('expires entries after ttlMs and never keeps a miss', async () => {
    const { createAccessCache } = await import('../server/services/access-cache.js');
    let clock = 0;
    const cache = createAccessCache({ models: s.models, ttlMs: 1000, now: () => clock });
    const topicId = await freshTopic('Expiring');
    expect((await cache.topic(topicId))?.locked).toBe(false);
    await s.models.Topic.updateOne({ _id: topicId }, { $set: { locked: true } });
    expect((await cache.topic(topicId))?.locked).toBe(false); // within the ttl: the kept facts
    clock = 1001;
    expect((await cache.topic(topicId))?.locked).toBe(true);
    expect(await cache.topic('ffffffffffffffffffffffff')).toBeNull();
    const forgotten: string[] = [];
    cache.onForget((kind, id) => forgotten.push(`${kind}:${id}`));
    cache.forget('topic', topicId);
    expect(forgotten).toEqual([`topic:${topicId}`]);
  });
});
