// phpBB's "Who posted?": the members with visible posts in a topic and how many, most first;
// refused as the topic's page is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, replyAs, type TestServer } from './helpers/server.js';
import { createRest } from '../client/sdk/rest.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe('who posted', () => {
  it('counts each member’s visible posts in the topic, most first, then by name', async () => {
    const admin = await s.user('wp_admin', 'admin');
    const [ann, bea, cid] = [await s.user('wp_ann'), await s.user('wp_bea'), await s.user('wp_cid')];
    const forum = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Chat' } })).body.forum.id;
    const topic = (await s.api('POST', `/forums/${forum}/topics`, { token: cid.token, body: { title: 'Hi', body: 'hello' } })).body.topic.id;
    for (const who of [ann, bea, ann, bea, ann]) await replyAs(s, topic, who, 'reply');
    const gone = await replyAs(s, topic, cid, 'deleted later');
    expect((await s.api('DELETE', `/posts/${gone}`, { token: cid.token })).status).toBe(200);
    const res = await s.api('GET', `/topics/${topic}/posters`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      topicId: topic,
      total: 3,
      posters: [
        { user: { id: ann.id, username: 'wp_ann' }, posts: 3 },
        { user: { id: bea.id, username: 'wp_bea' }, posts: 2 },
        { user: { id: cid.id, username: 'wp_cid' }, posts: 1 },
      ],
    });
    expect((await createRest(s.url).topicPosters(topic)).posters[0].posts).toBe(3);
  });

  it('is refused as the topic is: private forums, deleted topics, bad ids', async () => {
    const admin = await s.user('wp_admin2', 'admin');
    const member = await s.user('wp_member');
    const staff = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Staff' } })).body.forum.id;
    await s.api('PATCH', `/forums/${staff}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    const secret = (await s.api('POST', `/forums/${staff}/topics`, { token: admin.token, body: { title: 'Secret', body: 'x' } })).body.topic.id;
    expect((await s.api('GET', `/topics/${secret}/posters`)).status).toBe(401);
    expect((await s.api('GET', `/topics/${secret}/posters`, { token: member.token })).status).toBe(403);
    expect((await s.api('GET', `/topics/${secret}/posters`, { token: admin.token })).body.total).toBe(1);
    expect((await s.api('DELETE', `/topics/${secret}`, { token: admin.token, body: {} })).status).toBe(200);
    expect((await s.api('GET', `/topics/${secret}/posters`, { token: member.token })).status).toBe(404);
    expect((await s.api('GET', `/topics/${'f'.repeat(24)}/posters`)).status).toBe(404);
    expect((await s.api('GET', '/topics/nope/posters')).status).toBe(400);
  });
});
