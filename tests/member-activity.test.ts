// phpBB's profile lines "Most active forum" and "Most active topic": where a member posted most,
// with the count and share of their posts, among what the viewer may read; deleted posts and
// topics left out; bad ids refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe('most active forum and topic', () => {
  it('names where a member posted most, among the forums the viewer may read', async () => {
    const admin = await s.user('act_admin', 'admin');
    const mod = await s.user('act_mod', 'moderator');
    const alice = await s.user('act_alice');
    const forum = async (title: string) => (await s.api('POST', '/forums', { token: admin.token, body: { title, description: 'd' } })).body.forum.id as string;
    const [cooking, garden, staff] = [await forum('Cooking'), await forum('Garden'), await forum('Staff')];
    const start = async (forumId: string, title: string) => (await s.api('POST', `/forums/${forumId}/topics`, { token: alice.token, body: { title, body: 'b' } })).body.topic.id as string;
    const reply = async (topicId: string) => expect((await s.api('POST', `/topics/${topicId}/posts`, { token: alice.token, body: { body: 'r' } })).status).toBe(201);

    const soup = await start(cooking, 'Soup'); // 3 in Soup, 4 in Cooking
    await reply(soup);
    await reply(soup);
    await start(cooking, 'Bread');
    await start(garden, 'Roses'); // 1 in Garden
    const secret = await start(staff, 'Secret'); // 5 in Staff, then made staff-only
    for (let i = 0; i < 4; i++) await reply(secret);
    // One deleted post in Soup: not counted, nor in her post count.
    const gone = (await s.api('POST', `/topics/${soup}/posts`, { token: alice.token, body: { body: 'oops' } })).body.post.id;
    expect((await s.api('DELETE', `/posts/${gone}`, { token: alice.token })).status).toBe(200);
    await s.api('PATCH', `/forums/${staff}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });

    const asMember = await s.api('GET', `/users/${alice.id}/activity`, { token: (await s.user('act_bob')).token });
    expect(asMember.status).toBe(200);
    expect(asMember.body).toEqual({
      userId: alice.id,
      mostActiveForum: { id: cooking, title: 'Cooking', posts: 4, share: 40 }, // of her 10 posts
      mostActiveTopic: { id: soup, title: 'Soup', posts: 3, share: 30 },
    });
    expect((await s.api('GET', `/users/${alice.id}/activity`)).body).toEqual(asMember.body); // a guest alike
    expect((await s.api('GET', `/users/${alice.id}/activity`, { token: mod.token })).body).toEqual({
      userId: alice.id,
      mostActiveForum: { id: staff, title: 'Staff', posts: 5, share: 50 },
      mostActiveTopic: { id: secret, title: 'Secret', posts: 5, share: 50 },
    });
    // A deleted topic is no one's most active topic.
    expect((await s.api('DELETE', `/topics/${secret}`, { token: mod.token, body: {} })).status).toBe(200);
    expect((await s.api('GET', `/users/${alice.id}/activity`, { token: mod.token })).body.mostActiveTopic).toMatchObject({ id: soup });
  });

  it('answers nothing for a member without posts, and refuses bad and unknown ids', async () => {
    const quiet = await s.user('act_quiet');
    expect((await s.api('GET', `/users/${quiet.id}/activity`)).body).toEqual({ userId: quiet.id, mostActiveForum: null, mostActiveTopic: null });
    expect((await s.api('GET', '/users/nope/activity')).status).toBe(400);
    expect((await s.api('GET', '/users/ffffffffffffffffffffffff/activity')).status).toBe(404);
  });
});
