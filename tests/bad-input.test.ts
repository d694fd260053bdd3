import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { startTestServer, seedForum, ack, type TestServer } from './helpers/server.js';

let s: TestServer;
let ctx: Awaited<ReturnType<typeof seedForum>>;
beforeAll(async () => {
  s = await startTestServer();
  ctx = await seedForum(s);
});
afterAll(() => s?.close());

async function snapshot() {
  return {
    users: await s.models.User.countDocuments({}),
    posts: await s.models.Post.countDocuments({}),
    topics: await s.models.Topic.countDocuments({}),
    forums: await s.models.Forum.countDocuments({}),
    events: await s.models.Event.countDocuments({}),
  };
}

describe('bad REST input changes nothing and gets the protocol error', () => {
  it.each([
    ['POST', '/auth/register', {}, 400, 'BAD_REQUEST'],
    ['POST', '/auth/register', { username: 'ok_name', password: 12345678 }, 400, 'BAD_REQUEST'],
    ['POST', '/auth/register', { username: { $gt: '' }, password: 'password-123' }, 400, 'BAD_REQUEST'],
    ['POST', '/auth/register', { username: 'x'.repeat(100), password: 'password-123' }, 400, 'BAD_REQUEST'],
    ['POST', '/auth/register', { username: 'fine_name', password: 'password-123', role: 'admin' }, 400, 'BAD_REQUEST'],
    ['POST', '/auth/login', { username: { $gt: '' }, password: { $gt: '' } }, 400, 'BAD_REQUEST'],
    ['POST', '/auth/login', { username: 'nobody', password: 'password-123' }, 401, 'UNAUTHORIZED'],
  ])('%s %s %j', async (method, path, body, status, code) => {
    const before = await snapshot();
    const r = await s.api(method, path, { body });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toEqual(expect.any(String));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad topic and post bodies', async () => {
    const before = await snapshot();
    const t = ctx.member.token;
    const cases: Array<[string, string, unknown, number]> = [
      ['POST', `/topics/${ctx.topic.id}/posts`, {}, 400],
      ['POST', `/topics/${ctx.topic.id}/posts`, { body: 42 }, 400],
      ['POST', `/topics/${ctx.topic.id}/posts`, { body: { $gt: '' } }, 400],
      ['POST', `/topics/${ctx.topic.id}/posts`, { body: '   ' }, 400],
      ['POST', `/topics/${ctx.topic.id}/posts`, { body: 'x'.repeat(60_001) }, 400],
      ['POST', `/topics/${ctx.topic.id}/posts`, { body: 'ok', extra: 1 }, 400],
      ['POST', `/topics/ffffffffffffffffffffffff/posts`, { body: 'ok' }, 404],
      ['POST', `/topics/not-an-id/posts`, { body: 'ok' }, 400],
      ['POST', `/forums/${ctx.forum.id}/topics`, { title: '', body: 'x' }, 400],
      ['POST', `/forums/${ctx.forum.id}/topics`, { title: ['a'], body: 'x' }, 400],
      ['POST', `/forums/ffffffffffffffffffffffff/topics`, { title: 'a', body: 'x' }, 404],
      ['PATCH', `/posts/${ctx.firstPost.id}`, { body: null }, 400],
      ['PATCH', `/posts/ffffffffffffffffffffffff`, { body: 'x' }, 404],
      ['DELETE', `/posts/%24gt`, undefined, 400],
      ['GET', `/topics/${ctx.topic.id}?page=-1`, undefined, 400],
      ['GET', `/topics/ffffffffffffffffffffffff`, undefined, 404],
      ['GET', `/users/ffffffffffffffffffffffff`, undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await s.api(method, path, { token: t, body });
      expect({ method, path, status: r.status }).toEqual({ method, path, status });
      expect(r.body.error.code).toEqual(expect.any(String));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses malformed JSON, oversized bodies, and unknown routes', async () => {
    const bad = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, raw: '{"body": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const huge = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, raw: JSON.stringify({ body: 'x'.repeat(400_000) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const none = await s.api('GET', '/nope');
    expect(none.status).toBe(404);
  });

  it('refuses bad, expired, forged and alg:none tokens, never downgrading to guest', async () => {
    const secret = s.config.jwtSecret;
    const expired = jwt.sign({ ver: 0, typ: 'user' }, secret, { algorithm: 'HS256', subject: ctx.member.id, expiresIn: -10 });
    const forged = jwt.sign({ ver: 0, typ: 'user' }, 'some-other-secret-value', { algorithm: 'HS256', subject: ctx.member.id });
    const none = jwt.sign({ ver: 0, typ: 'user', sub: ctx.member.id }, '', { algorithm: 'none' });
    for (const token of ['garbage', expired, forged, none]) {
      const r = await s.api('GET', '/forums', { token });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
      await expect(s.socket(token)).rejects.toThrow('UNAUTHORIZED');
    }
    const inUrl = await s.api('GET', `/forums?token=${ctx.member.token}`);
    expect(inUrl.status).toBe(401);
    await expect(s.socket(undefined, { query: { token: ctx.member.token } })).rejects.toThrow('UNAUTHORIZED');
  });
});

describe('bad socket payloads get BAD_REQUEST acks and the server stays up', () => {
  it('answers every malformed payload', async () => {
    const before = await snapshot();
    const sock = await s.socket(ctx.member.token);
    const payloads: Array<[string, unknown]> = [
      ['topic:subscribe', null],
      ['topic:subscribe', 'string'],
      ['topic:subscribe', { topicId: { $gt: '' } }],
      ['topic:subscribe', { topicId: ctx.topic.id, sinceSeq: -1 }],
      ['topic:subscribe', { topicId: ctx.topic.id, sinceSeq: 'abc' }],
      ['topic:subscribe', { topicId: ctx.topic.id, sinceSeq: 1.5 }],
      ['forum:subscribe', { forumId: 'zz' }],
      ['post:create', { topicId: ctx.topic.id, body: 'no client id' }],
      ['post:create', { topicId: ctx.topic.id, body: 'x'.repeat(60_001), clientId: 'big' }],
      ['post:create', { topicId: ctx.topic.id, body: ['array'], clientId: 'arr' }],
      ['post:create', { topicId: ctx.topic.id, body: 'ok', clientId: 'p', __proto__: { admin: true }, constructor: 1 }],
      ['post:create', [1, 2, 3]],
    ];
    for (const [event, payload] of payloads) {
      const answer = await ack(sock, event, payload);
      expect({ event, answer }).toEqual({ event, answer: { ok: false, error: { code: 'BAD_REQUEST', message: expect.any(String) } } });
    }
    const unknown = await ack(sock, 'post:create', { topicId: 'ffffffffffffffffffffffff', body: 'x', clientId: 'u1' });
    expect(unknown.error.code).toBe('NOT_FOUND');
    const ahead = await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id, sinceSeq: 99_999 });
    expect(ahead.error.code).toBe('BAD_REQUEST');
    // No ack callback: nothing to answer, nothing breaks.
    (sock as any).emit('post:create', { topicId: ctx.topic.id, body: 'no ack', clientId: 'na' });
    (sock as any).emit('post:create');
    expect((await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
