import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERROR_CODES, HTTP_STATUS } from '../shared/errors.js';
import { startTestServer, seedForum, ack, receivedWithin, type TestServer, type TestSocket } from './helpers/server.js';

/**
 * Property-based abuse: random and hostile payloads against every socket command and every
 * REST route. Every answer is a protocol error or a success, never INTERNAL, never a hang;
 * refused requests change nothing in the database; the server stays up.
 */

const REQUEST_TIMEOUT_MS = 5_000;
const SOCKET_EVENTS = ['topic:subscribe', 'topic:unsubscribe', 'forum:subscribe', 'forum:unsubscribe', 'post:create', 'thanks:add', 'thanks:remove', 'typing'] as const;

/** Every REST route, path params as `:name`. */
const ROUTES: Array<[string, string]> = [
  ['POST', '/auth/register'],
  ['POST', '/auth/login'],
  ['POST', '/auth/password'],
  ['POST', '/auth/logout'],
  ['POST', '/bots'],
  ['GET', '/bots'],
  ['POST', '/bots/:id/tokens'],
  ['DELETE', '/bots/:id/tokens/:id2'],
  ['GET', '/forums'],
  ['POST', '/forums'],
  ['PATCH', '/forums/:id'],
  ['GET', '/forums/:id/topics'],
  ['POST', '/forums/:id/topics'],
  ['POST', '/forums/:id/read'],
  ['POST', '/forums/read'],
  ['POST', '/topics/:id/lock'],
  ['POST', '/topics/:id/unlock'],
  ['POST', '/topics/:id/pin'],
  ['POST', '/topics/:id/unpin'],
  ['POST', '/topics/:id/move'],
  ['PATCH', '/topics/:id'],
  ['DELETE', '/topics/:id'],
  ['POST', '/topics/:id/restore'],
  ['GET', '/topics/:id'],
  ['POST', '/topics/:id/posts'],
  ['POST', '/topics/:id/read'],
  ['PUT', '/topics/:id/watch'],
  ['DELETE', '/topics/:id/watch'],
  ['PUT', '/forums/:id/watch'],
  ['DELETE', '/forums/:id/watch'],
  ['POST', '/posts/:id/restore'],
  ['PATCH', '/posts/:id'],
  ['GET', '/posts/:id/revisions'],
  ['DELETE', '/posts/:id'],
  ['POST', '/posts/:id/thanks'],
  ['DELETE', '/posts/:id/thanks'],
  ['POST', '/users/:id/ban'],
  ['DELETE', '/users/:id/ban'],
  ['GET', '/modlog'],
  ['GET', '/online'],
  ['GET', '/search'],
  ['GET', '/unread'],
  ['GET', '/notifications'],
  ['POST', '/notifications/read'],
  ['GET', '/conversations'],
  ['POST', '/conversations'],
  ['GET', '/conversations/:id'],
  ['POST', '/conversations/:id/messages'],
  ['POST', '/conversations/:id/read'],
  ['POST', '/conversations/:id/leave'],
  ['PATCH', '/conversations/:id/messages/:id2'],
  ['DELETE', '/conversations/:id/messages/:id2'],
  ['POST', '/posts/:id/report'],
  ['GET', '/reports'],
  ['POST', '/reports/:id/close'],
  ['GET', '/users/me'],
  ['GET', '/users'],
  ['PATCH', '/users/me'],
  ['PATCH', '/users/:id/rank'],
  ['PATCH', '/users/:id/groups'],
  ['GET', '/users/:id'],
  ['GET', '/users/:id/activity'],
  ['GET', '/members'],
  ['PUT', '/users/:id/ignore'],
  ['DELETE', '/users/:id/ignore'],
  ['GET', '/topics/:id/poll'],
  ['POST', '/topics/:id/poll'],
  ['DELETE', '/topics/:id/poll'],
  ['POST', '/topics/:id/poll/vote'],
  ['POST', '/topics/:id/poll/close'],
  ['POST', '/topics/:id/poll/reopen'],
  ['POST', '/topics/:id/solution'],
  ['DELETE', '/topics/:id/solution'],
  ['POST', '/attachments'],
  ['GET', '/users/me/attachments'],
  ['DELETE', '/attachments/:id'],
  ['PUT', '/posts/:id/bookmark'],
  ['DELETE', '/posts/:id/bookmark'],
  ['GET', '/bookmarks'],
  ['POST', '/preview'],
  ['GET', '/unanswered'],
  ['GET', '/active'],
  ['GET', '/queue'],
  ['POST', '/queue/:id/approve'],
  ['POST', '/queue/:id/reject'],
  ['GET', '/queue/mine'],
  ['POST', '/topics/:id/announce'],
  ['POST', '/topics/:id/unannounce'],
  ['POST', '/topics/:id/split'],
  ['POST', '/topics/:id/move-posts'],
  ['POST', '/topics/:id/merge'],
  ['POST', '/users/:id/warnings'],
  ['GET', '/users/:id/warnings'],
  ['DELETE', '/warnings/:id'],
  ['GET', '/tags'],
  ['GET', '/topics/:id/posters'],
  ['PUT', '/users/:id/friend'],
  ['DELETE', '/users/:id/friend'],
  ['GET', '/tags/:name'],
  ['PUT', '/forums/:id'], // no such method: still a protocol 404
];

// ---------- arbitraries ----------
const weirdNumber = fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -1, 2 ** 53);
const hugeString = fc.integer({ min: 60_001, max: 120_000 }).map((n) => 'x'.repeat(n));
const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '$gt', '$ne', '$where', '$set', '$regex', 'toString', 'hasOwnProperty');
const operatorKey = fc.constantFrom('$gt', '$ne', '$where', '$set', '$regex', '$in', '$expr', '$or');
const nestedDeep = fc.integer({ min: 21, max: 60 }).map((depth) => {
  let v: unknown = { $gt: '' };
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});
/** An object with own (not inherited) dangerous keys, as JSON.parse would build it. */
function withOwnKeys(base: Record<string, unknown>, entries: Array<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const leaf = fc.oneof(fc.string(), fc.integer(), weirdNumber, fc.boolean(), fc.constant(null), fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 40 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  leaf,
  hugeString,
  nestedDeep,
  fc.array(leaf, { maxLength: 5 }),
  fc.record({ $gt: fc.constant('') }),
  fc.record({ $where: fc.constant('sleep(1000)') }),
  fc.record({ $regex: fc.constant('.*') }),
  fc.anything({ maxDepth: 3 }),
);
/** A body that can never be valid for any route: it always carries a top-level operator key. */
const hostileBody: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    operatorKey,
    hostileValue,
    fc.dictionary(fc.oneof(dangerousKey, fc.constantFrom('title', 'body', 'username', 'password', 'topicId', 'postId', 'forumId', 'clientId', 'reason', 'minutes')), hostileValue, { maxKeys: 4 }),
  )
  .map(([k, v, rest]) => withOwnKeys({}, [[k, v], ...Object.entries(rest)]));
/** Anything at all, sometimes near-valid. */
const anyBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }),
  hostileBody,
  hostileValue,
  fc.record({ title: hostileValue, body: hostileValue }, { requiredKeys: [] }),
  fc.record({ topicId: hostileValue, body: hostileValue, clientId: hostileValue }, { requiredKeys: [] }),
  fc.record({ username: hostileValue, password: hostileValue }, { requiredKeys: [] }),
  fc.constant(undefined),
);
/** A path segment that is never a valid id. */
const badId = fc
  .oneof(fc.string({ maxLength: 40 }), fc.constantFrom('$gt', '__proto__', 'constructor', 'null', 'undefined', '[object Object]', '%00', 'a'.repeat(500), '0'.repeat(23), 'g'.repeat(24)))
  .filter((v) => v.length > 0 && !/^[a-f0-9]{24}$/i.test(v) && v !== '.' && v !== '..');

/** Under Socket.IO's maxHttpBufferSize (300 KB) with room for the envelope. */
const fitsOneFrame = (p: unknown) => Buffer.byteLength(JSON.stringify(p) ?? '') < 250_000;

// ---------- helpers ----------
let s: TestServer;
let ctx: Awaited<ReturnType<typeof seedForum>>;
let validIds: string[];

async function snapshot(): Promise<Record<string, number>> {
  const db = s.conn.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const out: Record<string, number> = {};
  for (const n of names) out[n] = await db.collection(n).countDocuments({});
  return out;
}

type Answer = { status: number; body: any };
async function request(method: string, path: string, token: string | undefined, body: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body) ?? 'null';
  }
  const res = await fetch(`${s.url}/api/v1${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: the check below fails on it */
  }
  return { status: res.status, body: parsed };
}

function expectProtocolAnswer(a: Answer, where: string) {
  if (a.status >= 200 && a.status < 300) return;
  const err = a.body?.error;
  expect(err, `${where}: ${a.status} ${JSON.stringify(a.body)?.slice(0, 200)}`).toBeTruthy();
  expect(ERROR_CODES, where).toContain(err.code);
  expect(err.code, where).not.toBe('INTERNAL');
  expect(typeof err.message, where).toBe('string');
  expect(a.status, where).toBe(HTTP_STATUS[err.code as keyof typeof HTTP_STATUS]);
}

function expectAck(a: any, where: string) {
  expect(a && typeof a === 'object', where).toBe(true);
  if (a.ok === true) return;
  expect(a.ok, where).toBe(false);
  expect(ERROR_CODES, where).toContain(a.error?.code);
  expect(a.error.code, `${where}: ${JSON.stringify(a.error)}`).not.toBe('INTERNAL');
  expect(typeof a.error.message, where).toBe('string');
}

/** A logout ends the login it is sent with: the fuzz logs out fresh logins of the member, never the token the rest of it uses. */
const tokenFor = (path: string, token: string | undefined) =>
  path === '/auth/logout' && token === ctx.member.token ? s.app.services.tokens.issue({ id: ctx.member.id, tokenVersion: 0 }) : token;

const fillPath = (path: string, ids: string[]) => {
  let i = 0;
  return path.replace(/:(?:id2?|name)/g, () => encodeURIComponent(ids[i++] ?? ids[0]));
};

beforeAll(async () => {
  s = await startTestServer();
  ctx = await seedForum(s);
  // The seed's posts hold their authors' read marks for a moment; written now, not mid-property.
  await s.app.services.unread.flush();
  validIds = [ctx.forum.id, ctx.topic.id, ctx.firstPost.id, ctx.member.id, ctx.admin.id];
});
afterAll(() => s?.close());

describe('REST fuzz', { timeout: 120_000 }, () => {
  it('random payloads on every route, as member, guest and bogus token: protocol answers only', async () => {
    const tokens = () => fc.constantFrom<string | undefined>(ctx.member.token, undefined, 'bogus.token.value', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    const id = fc.oneof(badId, fc.constantFrom(...validIds), fc.stringMatching(/^[a-f0-9]{24}$/));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.tuple(id, id), tokens(), anyBody, async ([method, path], ids, token, body) => {
        const url = fillPath(path, ids);
        const sendBody = method === 'GET' ? undefined : body;
        expectProtocolAnswer(await request(method, url, tokenFor(path, token), sendBody), `${method} ${url}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('hostile-only requests are all refused and change nothing in the database', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.tuple(badId, badId), fc.constantFrom<string | undefined>(ctx.member.token, undefined, 'bogus'), hostileBody, async ([method, path], ids, token, body) => {
        const url = fillPath(path, ids);
        const a = await request(method, url, tokenFor(path, token), method === 'GET' ? undefined : body);
        expectProtocolAnswer(a, `${method} ${url}`);
        // A GET without path ids may legitimately answer (it reads only; a `:name` such as a tag may be any word).
        if (method !== 'GET' || path.includes(':id')) expect(a.status, `${method} ${url} ${JSON.stringify(body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 800 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('prototype-pollution keys in JSON bodies pollute nothing', async () => {
    const polluting = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"title":"Pollute","body":"x","description":"d"}';
    const targets: Array<[string, string]> = [
      ['POST', '/auth/register'],
      ['POST', '/forums'],
      ['POST', `/forums/${ctx.forum.id}/topics`],
      ['POST', `/topics/${ctx.topic.id}/posts`],
      ['PATCH', '/users/me'],
      ['PATCH', `/forums/${ctx.forum.id}`],
    ];
    const before = await snapshot();
    for (const [method, path] of targets) {
      for (const token of [ctx.member.token, ctx.admin.token]) {
        const res = await fetch(`${s.url}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: polluting });
        const body = await res.json();
        expectProtocolAnswer({ status: res.status, body }, `${method} ${path}`);
        expect(res.status, `${method} ${path}`).toBe(400);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });
});

describe('socket fuzz', { timeout: 120_000 }, () => {
  it('random payloads on every command, as member and guest: protocol acks only, never a hang', async () => {
    const member = await s.socket(ctx.member.token);
    const guest = await s.socket();
    const id = fc.oneof(badId, fc.constantFrom(...validIds));
    const payload: fc.Arbitrary<unknown> = fc.oneof(
      anyBody,
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
      fc.record({ topicId: id, postId: id, forumId: id, body: hostileValue, typing: hostileValue, sinceSeq: hostileValue, clientId: hostileValue }, { requiredKeys: [] }),
    ).filter(fitsOneFrame); // larger frames drop the connection by design (tested below)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOCKET_EVENTS), fc.constantFrom(member, guest), payload, async (event, sock, p) => {
        expectAck(await ack(sock, event, p, REQUEST_TIMEOUT_MS), `${event} ${JSON.stringify(p)?.slice(0, 200)}`);
      }),
      { numRuns: 1200 },
    );
    expect(member.connected && guest.connected).toBe(true);
  }, 120_000);

  it('hostile-only payloads are all refused and change nothing in the database', async () => {
    const sock = await s.socket(ctx.member.token);
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOCKET_EVENTS), fc.oneof(hostileBody, hostileValue.filter((v) => v === null || typeof v !== 'object')).filter(fitsOneFrame), async (event, p) => {
        const a = await ack(sock, event, p, REQUEST_TIMEOUT_MS);
        expectAck(a, `${event} ${JSON.stringify(p)?.slice(0, 200)}`);
        expect(a.ok, `${event} ${JSON.stringify(p)?.slice(0, 200)}`).toBe(false);
      }),
      { numRuns: 800 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('commands without an ack are ignored; with one, a missing payload, extra arguments or an unknown event get BAD_REQUEST', async () => {
    const sock = await s.socket(ctx.member.token);
    const raw = sock as any;
    const answer = (...args: unknown[]) => new Promise((resolve) => raw.emit(...args, resolve));
    const refused = { ok: false, error: { code: 'BAD_REQUEST', message: expect.any(String) } };
    expect(await answer('topic:unsubscribe')).toEqual(refused);
    expect(await answer('typing', { topicId: ctx.topic.id, typing: true }, 'extra')).toEqual(refused);
    expect(await answer('post:create', { topicId: ctx.topic.id, body: 'extra argument', clientId: 'extra-arg-1' }, { more: 1 })).toEqual(refused);
    expect(await answer('no:such:event', { $where: '1' })).toEqual(refused);
    expect(await answer('__proto__', {})).toEqual(refused);
    expect(await s.models.Post.countDocuments({ clientId: 'extra-arg-1' })).toBe(0);
    raw.emit('post:create', { topicId: ctx.topic.id, body: 'no ack', clientId: 'no-ack-1' });
    raw.emit('topic:subscribe', { topicId: ctx.topic.id }, 'not-a-function', { extra: true });
    raw.emit('__proto__', {});
    raw.emit('constructor', {});
    await sleep(100);
    expect(sock.connected).toBe(true);
    expect((await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    expect(await s.models.Post.countDocuments({ clientId: 'no-ack-1' })).toBe(0);
  });

  it('a frame larger than maxHttpBufferSize drops that socket only; the server stays up', async () => {
    const sock = await s.socket(ctx.member.token);
    const bystander = await s.socket(ctx.member.token);
    const before = await snapshot();
    const dropped = new Promise<string>((resolve) => sock.once('disconnect', (reason) => resolve(reason)));
    (sock as any).emit('post:create', { topicId: ctx.topic.id, body: 'y'.repeat(400 * 1024), clientId: 'huge-1' }, () => {});
    expect(await Promise.race([dropped, sleep(5_000).then(() => 'still connected')])).toBe('transport close');
    expect(bystander.connected).toBe(true);
    expect((await ack(bystander, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('a banned member’s open socket is dropped and cannot come back', async () => {
    const victim = await s.user('fuzz_victim');
    const sock = await s.socket(victim.token);
    const dropped = new Promise<string>((resolve) => sock.once('disconnect', (reason) => resolve(reason)));
    const ban = await s.api('POST', `/users/${victim.id}/ban`, { token: ctx.admin.token, body: { reason: 'fuzzing', minutes: 5 } });
    expect(ban.status).toBe(200);
    expect(await Promise.race([dropped, sleep(3_000).then(() => 'still connected')])).toBe('io server disconnect');
    await expect(s.socket(victim.token)).rejects.toThrow('UNAUTHORIZED');
  });

  it('a guest cannot join a private forum’s topic room nor hear its events', async () => {
    const forum = (await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Staff room' } })).body.forum;
    const topic = (await s.api('POST', `/forums/${forum.id}/topics`, { token: ctx.admin.token, body: { title: 'Secret', body: 'hush' } })).body.topic;
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: ctx.admin.token, body: { permissions: { read: ['moderator'] } } })).status).toBe(200);
    const guest: TestSocket = await s.socket();
    const sub = await ack(guest, 'topic:subscribe', { topicId: topic.id });
    expect(sub.ok).toBe(false);
    expect(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND']).toContain(sub.error.code);
    const fsub = await ack(guest, 'forum:subscribe', { forumId: forum.id });
    expect(fsub.ok).toBe(false);
    const heard = receivedWithin(guest, 'post:created', 500);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: ctx.admin.token, body: { body: 'still secret' } })).status).toBe(201);
    expect(await heard).toBe(false);
  });
});

describe('after the fuzzing', () => {
  it('the server is healthy', async () => {
    expect((await request('GET', '/forums', undefined, undefined)).status).toBe(200);
    const sock = await s.socket(ctx.member.token);
    const created = await ack(sock, 'post:create', { topicId: ctx.topic.id, body: 'still alive', clientId: 'alive-1' });
    expect(created.ok).toBe(true);
  });
});
