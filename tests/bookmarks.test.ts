import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createRest } from '../client/sdk/index.js';
import { LIMITS } from '../shared/limits.js';
import { startTestServer, seedForum, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const put = (token: string | undefined, postId: string, body?: unknown) => s.api('PUT', `/posts/${postId}/bookmark`, { token, body });

describe('bookmarks', () => {
  it('a member bookmarks posts with notes, lists them newest first as search hits, and removes them', async () => {
    const { member, forum, topic, firstPost } = await seedForum(s);
    const reader = await s.user('bm_reader');
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'The answer is **42**, as everyone knows.' } })).body.post;

    const first = await put(reader.token, firstPost.id);
    expect(first.status).toBe(200);
    expect(first.body.bookmark).toEqual({ postId: firstPost.id, topicId: topic.id, createdAt: expect.any(String) });
    const second = await put(reader.token, reply.id, { note: '  read later  ' });
    expect(second.body.bookmark.note).toBe('read later');

    const rest = createRest(s.url, reader.token);
    const listed = await rest.bookmarks();
    expect(listed).toMatchObject({ total: 2, page: 1, pageCount: 1 });
    expect(listed.bookmarks.map((b) => [b.post.id, b.note ?? null])).toEqual([[reply.id, 'read later'], [firstPost.id, null]]);
    expect(listed.bookmarks[0]).toMatchObject({
      post: { id: reply.id, topicId: topic.id, number: 2, subject: 'Re: Hello world', author: { id: member.id }, snippet: 'The answer is 42, as everyone knows.' },
      topic: { id: topic.id, title: 'Hello world' },
      forum: { id: forum.id, title: 'General' },
      bookmarkedAt: second.body.bookmark.createdAt,
    });

    // Again: one bookmark; its note changes (omitted keeps it, null clears it).
    await put(reader.token, reply.id, {});
    expect((await rest.bookmarks()).bookmarks[0].note).toBe('read later');
    await rest.bookmark(reply.id, null);
    expect((await rest.bookmarks()).bookmarks.map((b) => b.note)).toEqual([undefined, undefined]);
    expect(await s.models.Bookmark.countDocuments({ userId: reader.id })).toBe(2);

    // The topic page says which of its posts the member bookmarked; guests get no such field.
    expect((await s.api('GET', `/topics/${topic.id}`, { token: reader.token })).body.bookmarked.sort()).toEqual([firstPost.id, reply.id].sort());
    expect((await s.api('GET', `/topics/${topic.id}`, { token: member.token })).body.bookmarked).toEqual([]);
    expect((await s.api('GET', `/topics/${topic.id}`)).body.bookmarked).toBeUndefined();

    expect((await s.api('DELETE', `/posts/${firstPost.id}/bookmark`, { token: reader.token })).body).toEqual({ postId: firstPost.id, bookmarked: false });
    expect((await s.api('DELETE', `/posts/${firstPost.id}/bookmark`, { token: reader.token })).status).toBe(200); // none: nothing changes
    expect((await rest.bookmarks()).bookmarks.map((b) => b.post.id)).toEqual([reply.id]);
    // Another member's list is their own.
    expect((await createRest(s.url, member.token).bookmarks()).total).toBe(0);
  });

  it('lists only what the member may still read: deleted posts and closed forums drop out', async () => {
    const { admin, member, forum, topic, firstPost } = await seedForum(s);
    const reader = await s.user('bm_gone');
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'soon deleted' } })).body.post;
    await put(reader.token, firstPost.id);
    await put(reader.token, reply.id);
    await s.api('DELETE', `/posts/${reply.id}`, { token: member.token });
    const listed = (await s.api('GET', '/bookmarks', { token: reader.token })).body;
    expect([listed.total, listed.bookmarks.map((b: { post: { id: string } }) => b.post.id)]).toEqual([2, [firstPost.id]]);

    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect((await s.api('GET', '/bookmarks', { token: reader.token })).body.bookmarks).toEqual([]);
    const refused = await put(reader.token, firstPost.id);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('refuses guests, bad input and unknown or deleted posts, and changes nothing', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const before = await s.models.Bookmark.countDocuments({});
    expect((await put(undefined, firstPost.id)).status).toBe(401);
    expect((await s.api('GET', '/bookmarks')).status).toBe(401);
    expect((await put(member.token, 'nope')).status).toBe(400);
    expect((await put(member.token, firstPost.id, { note: 'x'.repeat(LIMITS.bookmarkNoteMax + 1) })).status).toBe(400);
    expect((await put(member.token, firstPost.id, { note: 'ok', extra: 1 })).status).toBe(400);
    expect((await put(member.token, firstPost.id, { note: { $gt: '' } })).status).toBe(400);
    expect((await put(member.token, '0123456789abcdef01234567')).status).toBe(404);
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'gone' } })).body.post;
    await s.api('DELETE', `/posts/${reply.id}`, { token: member.token });
    expect((await put(member.token, reply.id)).status).toBe(404);
    expect((await s.api('GET', '/bookmarks?page=0', { token: member.token })).status).toBe(400);
    expect(await s.models.Bookmark.countDocuments({})).toBe(before);
  });

  it(`keeps at most ${LIMITS.bookmarksMax} per member`, async () => {
    const { member, firstPost } = await seedForum(s);
    const hoarder = await s.user('bm_hoarder');
    // Filled straight into the collection: a thousand requests would only test the loop.
    await s.models.Bookmark.collection.insertMany(
      Array.from({ length: LIMITS.bookmarksMax }, (_, i) => ({ userId: new Types.ObjectId(hoarder.id), postId: new Types.ObjectId(), topicId: new Types.ObjectId(), createdAt: new Date(i) })),
    );
    const full = await put(hoarder.token, firstPost.id);
    expect([full.status, full.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await put(member.token, firstPost.id)).status).toBe(200);
  });
});
