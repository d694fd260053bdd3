// Edit conflicts (Discourse's): an edit sent with the `editCount` its editor started from is
// refused (CONFLICT, nothing changes, nothing announced) when someone edited the post meanwhile;
// two edits from the same version at once: one wins. Without `editCount`, an edit replaces
// whatever is there, as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
let ctx: { alice: { token: string }; mod: { token: string; username: string }; topicId: string };
beforeAll(async () => {
  s = await startTestServer();
  const admin = await s.user('conflict_admin', 'admin');
  const alice = await s.user('conflict_alice');
  const mod = await s.user('conflict_mod', 'moderator');
  const forumId = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'F', description: 'd' } })).body.forum.id;
  const topicId = (await s.api('POST', `/forums/${forumId}/topics`, { token: admin.token, body: { title: 'Edits', body: 'First' } })).body.topic.id;
  ctx = { alice, mod, topicId };
});
afterAll(() => s?.close());

const post = async (body: string) => (await s.api('POST', `/topics/${ctx.topicId}/posts`, { token: ctx.alice.token, body: { body } })).body.post as { id: string };
const stored = async (postId: string) => (await s.models.Post.findById(postId, { body: 1, editCount: 1 }).lean())!;

describe('edit conflicts', () => {
  it('refuses an edit from a version someone has edited since, and changes and announces nothing', async () => {
    const { id } = await post('Original text');
    const watcher = await s.socket();
    expect((await ack(watcher, 'topic:subscribe', { topicId: ctx.topicId })).ok).toBe(true);
    const updates = collect(watcher, 'post:updated', 1);
    // Alice opens the editor on version 0; the moderator saves first.
    const first = await s.api('PATCH', `/posts/${id}`, { token: ctx.mod.token, body: { body: 'Moderator text', editCount: 0 } });
    expect(first.status).toBe(200);
    expect(first.body.post).toMatchObject({ body: 'Moderator text', editCount: 1 });
    expect((await updates)[0].post.body).toBe('Moderator text');

    const nothingMore = receivedWithin(watcher, 'post:updated', 500);
    const late = await s.api('PATCH', `/posts/${id}`, { token: ctx.alice.token, body: { body: 'Alice text', editCount: 0 } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CONFLICT');
    expect(late.body.error.message).toMatch(/^conflict_mod edited this post while you were editing it/);
    expect(await nothingMore).toBe(false);
    expect(await stored(id)).toMatchObject({ body: 'Moderator text', editCount: 1 });

    // From the version she now has: accepted. Without editCount: replaces whatever is there.
    expect((await s.api('PATCH', `/posts/${id}`, { token: ctx.alice.token, body: { body: 'Alice, on top', editCount: 1 } })).body.post).toMatchObject({ body: 'Alice, on top', editCount: 2 });
    expect((await s.api('PATCH', `/posts/${id}`, { token: ctx.mod.token, body: { body: 'Moderator, blind' } })).body.post).toMatchObject({ body: 'Moderator, blind', editCount: 3 });
  });

  it('lets exactly one of two edits from the same version through when they race', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await post(`Race ${round}`);
      const answers = await Promise.all([
        s.api('PATCH', `/posts/${id}`, { token: ctx.alice.token, body: { body: `Alice ${round}`, editCount: 0 } }),
        s.api('PATCH', `/posts/${id}`, { token: ctx.mod.token, body: { body: `Moderator ${round}`, editCount: 0 } }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.status === 200)!.body.post.body;
      expect(await stored(id)).toMatchObject({ body: winner, editCount: 1 });
    }
  });

  it('refuses a malformed editCount and changes nothing', async () => {
    const { id } = await post('Steady');
    for (const editCount of [-1, 1.5, '0', null, Number.MAX_SAFE_INTEGER + 2]) {
      const r = await s.api('PATCH', `/posts/${id}`, { token: ctx.alice.token, body: { body: 'Changed', editCount } });
      expect([editCount, r.status, r.body.error?.code]).toEqual([editCount, 400, 'BAD_REQUEST']);
    }
    expect(await stored(id)).toMatchObject({ body: 'Steady' });
    expect((await stored(id)).editCount ?? 0).toBe(0);
  });
});
