import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const edit = (token: string, postId: string, body: Record<string, unknown>) => s.api('PATCH', `/posts/${postId}`, { token, body });
const history = (postId: string, token?: string) => s.api('GET', `/posts/${postId}/revisions`, { token });

describe('edit history', () => {
  it('keeps every version an edit replaced, with who wrote it and when, the current one last', async () => {
    const { member, admin, firstPost } = await seedForum(s);
    const untouched = await history(firstPost.id);
    expect(untouched.status).toBe(200);
    expect(untouched.body.revisions).toEqual([{ version: 0, subject: 'Hello world', bodyHtml: firstPost.bodyHtml, writtenAt: firstPost.createdAt, writtenBy: { id: member.id, username: member.username } }]);

    expect((await edit(member.token, firstPost.id, { body: 'First post, **fixed**' })).status).toBe(200);
    const moderated = await edit(admin.token, firstPost.id, { body: 'Tidied by staff', subject: 'Hello, world' });
    expect(moderated.body.post.editCount).toBe(2);
    const { revisions } = (await history(firstPost.id)).body;
    expect(revisions.map((r: { version: number; subject: string; writtenBy: { username: string } }) => [r.version, r.subject, r.writtenBy.username])).toEqual([
      [0, 'Hello world', member.username],
      [1, 'Hello world', member.username],
      [2, 'Hello, world', admin.username],
    ]);
    expect(revisions[0].bodyHtml).toBe(firstPost.bodyHtml);
    expect(revisions[1].bodyHtml).toContain('<strong>fixed</strong>');
    expect(revisions[2].bodyHtml).toContain('Tidied by staff');
    expect(Date.parse(revisions[1].writtenAt)).toBeGreaterThanOrEqual(Date.parse(revisions[0].writtenAt));
    expect(revisions[2].writtenAt).toBe(moderated.body.post.editedAt);
  });

  it('an edit may give a reason: shown with the post and pushed, kept with the version it wrote, logged for a moderator; the next edit without one clears it', async () => {
    const { member, admin, topic, firstPost } = await seedForum(s);
    const watcher = await s.socket(member.token);
    expect((await ack(watcher, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    const pushed = collect(watcher, 'post:updated', 1);
    const moderated = await edit(admin.token, firstPost.id, { body: 'Link removed', reason: '  Spam link removed  ' });
    expect(moderated.status).toBe(200);
    expect(moderated.body.post).toMatchObject({ editReason: 'Spam link removed', editedBy: { username: admin.username }, editCount: 1 });
    expect((await pushed)[0].post.editReason).toBe('Spam link removed');
    expect((await s.api('GET', `/topics/${topic.id}`)).body.posts[0].editReason).toBe('Spam link removed');
    const logged = (await s.api('GET', '/modlog', { token: admin.token })).body.entries.find((e: { action: string }) => e.action === 'post.edit');
    expect(logged.details).toEqual({ topicId: topic.id, reason: 'Spam link removed' });

    // The author's own edit, without a reason: the post has none now; the history keeps each edit's.
    const own = await edit(member.token, firstPost.id, { body: 'Rewritten without the link' });
    expect(own.body.post.editReason).toBeUndefined();
    expect((await s.api('GET', `/topics/${topic.id}`)).body.posts[0].editReason).toBeUndefined();
    const again = await edit(member.token, firstPost.id, { body: 'Typo fixed', reason: 'typo' });
    expect(again.body.post.editReason).toBe('typo');
    const { revisions } = (await history(firstPost.id)).body;
    expect(revisions.map((r: { version: number; reason?: string }) => [r.version, r.reason ?? null])).toEqual([
      [0, null],
      [1, 'Spam link removed'],
      [2, null],
      [3, 'typo'],
    ]);

    // A reason too long, empty after trimming, or not a string is refused, and the post stays as it was.
    for (const reason of ['x'.repeat(LIMITS.editReasonMax + 1), '   ', 42, null]) {
      const refused = await edit(member.token, firstPost.id, { body: 'not stored', reason });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await s.api('GET', `/topics/${topic.id}`)).body.posts[0]).toMatchObject({ body: 'Typo fixed', editReason: 'typo', editCount: 3 });
  });

  it('concurrent edits each keep the version they replaced, once', async () => {
    const { member, firstPost } = await seedForum(s);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => edit(member.token, firstPost.id, { body: `Edit ${i}` })));
    // An edit stored after a later-claimed one is refused (CONFLICT, send it again); the rest are accepted.
    expect(answers.every((a) => a.status === 200 || (a.status === 409 && a.body.error.code === 'CONFLICT')), JSON.stringify(answers.map((a) => a.status))).toBe(true);
    const accepted = answers.flatMap((a, i) => (a.status === 200 ? [String(i)] : []));
    expect(accepted.length).toBeGreaterThan(0);
    const { revisions } = (await history(firstPost.id)).body;
    expect(revisions.map((r: { version: number }) => r.version)).toEqual(Array.from({ length: accepted.length + 1 }, (_, v) => v));
    const bodies = revisions.slice(1).map((r: { bodyHtml: string }) => /Edit (\d)/.exec(r.bodyHtml)?.[1]);
    expect([...bodies].sort()).toEqual([...accepted].sort()); // every accepted edit's text is one version, none lost or doubled
  });

  it('is read as the post is: a deleted post by moderators only, a private forum by its readers', async () => {
    const { member, admin, forum, topic, firstPost } = await seedForum(s);
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'to delete' } })).body.post;
    await edit(member.token, reply.id, { body: 'edited once' });
    await s.api('DELETE', `/posts/${reply.id}`, { token: member.token });
    expect((await history(reply.id, member.token)).status).toBe(404);
    expect((await history(reply.id, admin.token)).body.revisions).toHaveLength(2);
    expect((await history('0123456789abcdef01234567')).status).toBe(404);
    expect((await history('nope')).status).toBe(400);
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect((await history(firstPost.id)).status).toBe(401);
    expect((await history(firstPost.id, member.token)).status).toBe(403);
  });
});
