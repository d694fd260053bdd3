import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startTestServer, seedForum, ack, collect, type TestServer } from './helpers/server.js';
import jwt from 'jsonwebtoken';
import { Types } from 'mongoose';
import { loadConfig } from '../server/config.js';
import { createTokenService } from '../server/services/token.service.js';
import { post as postSchema, topic as topicSchema, forum as forumSchema, userCard } from '../shared/schemas.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe('auth', () => {
  it('reads JWT_EXPIRES_IN as seconds when it has no unit', () => {
    const lifetime = (value: string) => {
      const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-some-length', JWT_EXPIRES_IN: value });
      const token = createTokenService({ config, models: s.models }).issue({ id: 'a'.repeat(24), tokenVersion: 0 });
      const { exp, iat } = jwt.decode(token) as { exp: number; iat: number };
      return exp - iat;
    };
    expect([lifetime('3600'), lifetime('30m'), lifetime('7d')]).toEqual([3600, 1800, 7 * 86_400]);
  });

  it('registers, refuses a taken name in any case, and logs in', async () => {
    const reg = await s.api('POST', '/auth/register', { body: { username: 'Zoe', password: 'correct horse' } });
    expect(reg.status).toBe(201);
    expect(userCard.parse(reg.body.user).username).toBe('Zoe');
    expect(reg.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const dup = await s.api('POST', '/auth/register', { body: { username: 'zoe', password: 'another pass' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');

    const login = await s.api('POST', '/auth/login', { body: { username: 'ZOE', password: 'correct horse' } });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(reg.body.user.id);

    const wrong = await s.api('POST', '/auth/login', { body: { username: 'zoe', password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
  });

  it('stores only a hash of the password', async () => {
    await s.api('POST', '/auth/register', { body: { username: 'hashcheck', password: 'plain-text-pass' } });
    const raw = await s.models.User.findOne({ usernameLower: 'hashcheck' }).lean();
    expect(raw?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(raw)).not.toContain('plain-text-pass');
  });
});

describe('forums, topics and posts', () => {
  it('creates a forum (admin only), a topic and replies, with Re: subjects and pages of 20', async () => {
    const { admin, member, forum, topic, firstPost } = await seedForum(s);
    expect(forumSchema.parse(forum).title).toBe('General');
    expect(topicSchema.parse(topic).postCount).toBe(1);
    expect(postSchema.parse(firstPost).subject).toBe('Hello world');

    const notAdmin = await s.api('POST', '/forums', { token: member.token, body: { title: 'x', description: '' } });
    expect(notAdmin.status).toBe(403);

    for (let i = 0; i < 24; i++) {
      const r = await s.api('POST', `/topics/${topic.id}/posts`, { token: i % 2 ? admin.token : member.token, body: { body: `reply **${i}**` } });
      expect(r.status).toBe(201);
      expect(r.body.post.subject).toBe('Re: Hello world');
      expect(r.body.seq).toBe(i + 2);
    }
    const page1 = await s.api('GET', `/topics/${topic.id}`);
    expect(page1.status).toBe(200);
    expect(page1.body.posts).toHaveLength(20);
    expect(page1.body.pageCount).toBe(2);
    expect(page1.body.seq).toBe(25);
    expect(page1.body.posts[1].bodyHtml).toContain('<strong>0</strong>');
    const page2 = await s.api('GET', `/topics/${topic.id}?page=2`);
    expect(page2.body.posts).toHaveLength(5);
    expect(page2.body.posts.map((p: { number: number }) => p.number)).toEqual([21, 22, 23, 24, 25]);

    const forums = await s.api('GET', '/forums');
    const listed = forums.body.forums.find((f: { id: string }) => f.id === forum.id);
    expect(listed).toMatchObject({ topicCount: 1, postCount: 25, description: 'Talk' });
    expect(listed.lastPost.subject).toBe('Re: Hello world');

    const topics = await s.api('GET', `/forums/${forum.id}/topics`);
    expect(topics.body.topics[0]).toMatchObject({ id: topic.id, postCount: 25 });
  });

  it('lets the author or a moderator edit and delete, nobody else', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const other = await s.user('other_member');
    const mod = await s.user('a_moderator', 'moderator');

    const denied = await s.api('PATCH', `/posts/${firstPost.id}`, { token: other.token, body: { body: 'hijack' } });
    expect(denied.status).toBe(403);
    const edited = await s.api('PATCH', `/posts/${firstPost.id}`, { token: member.token, body: { body: 'edited _text_' } });
    expect(edited.status).toBe(200);
    expect(edited.body.post.bodyHtml).toContain('<em>text</em>');
    expect(edited.body.post.editedAt).toBeTruthy();
    expect(edited.body.seq).toBe(2);

    const reply = await s.api('POST', `/topics/${topic.id}/posts`, { token: other.token, body: { body: 'to be removed' } });
    const removed = await s.api('DELETE', `/posts/${reply.body.post.id}`, { token: mod.token });
    expect(removed.status).toBe(200);
    expect(removed.body.seq).toBe(4);
    const after = await s.api('GET', `/topics/${topic.id}`);
    expect(after.body.posts.map((p: { id: string }) => p.id)).not.toContain(reply.body.post.id);
    expect(after.body.topic.postCount).toBe(1);
    const again = await s.api('DELETE', `/posts/${reply.body.post.id}`, { token: mod.token });
    expect(again.status).toBe(404);
  });

  it('counts edits and names the last editor, a moderator too ("Last edited by X; edited N times")', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const mod = await s.user('edit_count_mod', 'moderator');
    const other = await s.user('edit_count_other');
    expect([firstPost.editCount, firstPost.editedBy]).toEqual([undefined, undefined]);
    const watcher = await s.socket();
    expect((await ack(watcher, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    const live = collect(watcher, 'post:updated', 3);

    const patch = (token: string, body: string) => s.api('PATCH', `/posts/${firstPost.id}`, { token, body: { body } });
    const once = await patch(member.token, 'edited once');
    expect(postSchema.parse(once.body.post)).toMatchObject({ editCount: 1, editedBy: { id: member.id, username: member.username } });
    // Every accepted edit counts (this server never skipped an unchanged body); a refused one does not.
    expect((await patch(other.token, 'hijack')).status).toBe(403);
    expect((await patch(member.token, 'edited once')).body.post).toMatchObject({ editCount: 2, editedBy: { id: member.id } });
    const moderated = await patch(mod.token, 'tidied by staff');
    expect(moderated.body.post).toMatchObject({ editCount: 3, editedBy: { id: mod.id, username: 'edit_count_mod' }, author: { id: member.id } });

    const events = await live;
    expect(events.map((e) => [e.post.editCount, e.post.editedBy.username])).toEqual([[1, member.username], [2, member.username], [3, 'edit_count_mod']]);
    const replayed = await ack(await s.socket(), 'topic:subscribe', { topicId: topic.id, sinceSeq: 1 });
    expect(replayed.data.missed.at(-1).data.post).toMatchObject({ editCount: 3, editedBy: { id: mod.id } });

    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: other.token, body: { body: 'never edited' } })).body.post;
    const shown = async () => (await s.api('GET', `/topics/${topic.id}`)).body.posts as Array<Record<string, unknown>>;
    let posts = await shown();
    expect(postSchema.parse(posts[0])).toMatchObject({ editCount: 3, editedBy: { id: mod.id, username: 'edit_count_mod' } });
    expect(posts[1]).not.toHaveProperty('editCount');
    expect(posts[1]).not.toHaveProperty('editedBy');

    // Rebuilding the counters leaves them be.
    await s.app.services.recount.run();
    expect((await shown())[0]).toMatchObject({ editCount: 3, editedBy: { id: mod.id } });

    // A post edited before the count was kept (editedAt, no count, no editor) reads and validates, and counts on from there.
    await s.models.Post.collection.updateOne({ _id: new Types.ObjectId(reply.id) }, { $set: { editedAt: new Date() } });
    posts = await shown();
    expect(postSchema.parse(posts[1]).editedAt).toBeTruthy();
    expect([posts[1].editCount, posts[1].editedBy]).toEqual([undefined, undefined]);
    const counted = await s.api('PATCH', `/posts/${reply.id}`, { token: other.token, body: { body: 'now counted' } });
    expect(counted.body.post).toMatchObject({ editCount: 1, editedBy: { id: other.id, username: 'edit_count_other' } });
  });

  it('serves profile cards with post counts and ranks', async () => {
    const { member } = await seedForum(s);
    const card = await s.api('GET', `/users/${member.id}`);
    expect(card.status).toBe(200);
    expect(userCard.parse(card.body.user)).toMatchObject({ username: member.username, postCount: 1, rank: 'New member', thanksGiven: 0, thanksReceived: 0 });
  });

  it('makes clientId idempotent over REST', async () => {
    const { member, topic } = await seedForum(s);
    const body = { body: 'only once', clientId: 'retry-123' };
    const [a, b] = await Promise.all([
      s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body }),
      s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body }),
    ]);
    expect(a.body.post.id).toBe(b.body.post.id);
    const c = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body });
    expect(c.body.post.id).toBe(a.body.post.id);
    const count = await s.models.Post.countDocuments({ topicId: topic.id, clientId: 'retry-123' });
    expect(count).toBe(1);
    const page = await s.api('GET', `/topics/${topic.id}`);
    expect(page.body.topic.postCount).toBe(2);

    // A new topic retried with its clientId is the same topic; a reply's clientId is no topic's.
    const start = { title: 'Once only', body: 'first', clientId: 'topic-retry-1' };
    const first = await s.api('POST', `/forums/${topic.forumId}/topics`, { token: member.token, body: start });
    const retried = await s.api('POST', `/forums/${topic.forumId}/topics`, { token: member.token, body: start });
    expect([first.status, retried.status, retried.body.topic.id, retried.body.post.id]).toEqual([201, 201, first.body.topic.id, first.body.post.id]);
    const clash = await s.api('POST', `/forums/${topic.forumId}/topics`, { token: member.token, body: { title: 'Another', body: 'x', clientId: 'retry-123' } });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'CONFLICT']);
    expect(await s.models.Topic.countDocuments({ title: 'Another' })).toBe(0);
  });
});

describe('shutdown', () => {
  it('is not held up by a request that never finishes arriving: its connection is cut after the grace', async () => {
    const s = await startTestServer();
    const { port } = new URL(s.url);
    const half = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => half.once('connect', resolve).once('error', reject));
    half.write('GET /api/v1/forums HTTP/1.1\r\nHost: localhost\r\n'); // the headers never end
    const ended = new Promise<void>((resolve) => half.once('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 100));
    // Without the grace, the server would wait for this request (Node's headersTimeout: 60 s).
    await s.app.close();
    await ended;
    await s.close();
  }, 15_000);
});
