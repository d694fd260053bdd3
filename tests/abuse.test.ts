import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startTestServer, seedForum, ack, type TestServer } from './helpers/server.js';
import { freePort } from './helpers/process.js';
import { startRedisServer } from '../scripts/redis-server.js';
import { connectRedis } from '../server/db/redis.js';
import { loadConfig } from '../server/config.js';
import { createRestRateLimit } from '../server/http/rate-limit.js';
import { seedDemoBoard } from '../server/seed/demo-board.js';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

async function counts(s: TestServer) {
  return {
    users: await s.models.User.countDocuments({}),
    posts: await s.models.Post.countDocuments({}),
    topics: await s.models.Topic.countDocuments({}),
    events: await s.models.Event.countDocuments({}),
  };
}

describe('per-connection socket command limit', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer({ rateSocketPoints: 5 });
    ctx = await seedForum(s);
  });
  afterAll(() => s?.close());

  it('answers RATE_LIMITED with retryAfterMs past the budget, then lifts', async () => {
    const sock = await s.socket(ctx.member.token);
    const answers = await Promise.all(Array.from({ length: 12 }, () => ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })));
    const limited = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(limited).toHaveLength(7);
    for (const a of limited) {
      expect(a.error.code).toBe('RATE_LIMITED');
      expect(a.error.message).toEqual(expect.any(String));
      expect(a.error.retryAfterMs).toBeGreaterThan(0);
      expect(a.error.retryAfterMs).toBeLessThanOrEqual(1000);
    }
    await sleep(Math.max(...limited.map((a) => a.error.retryAfterMs)) + 50);
    expect((await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
  });

  it('counts each connection on its own', async () => {
    const a = await s.socket(ctx.member.token);
    const b = await s.socket(ctx.member.token);
    await Promise.all(Array.from({ length: 8 }, () => ack(a, 'topic:subscribe', { topicId: ctx.topic.id })));
    expect((await ack(b, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
  });

  it('counts refused events (unknown, or without a payload) against the same budget', async () => {
    const sock = await s.socket(ctx.member.token);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ack(sock, i % 2 ? 'no:such:event' : 'topic:unsubscribe', undefined)));
    expect(answers.map((a) => a.error.code).sort()).toEqual([...Array(5).fill('BAD_REQUEST'), ...Array(3).fill('RATE_LIMITED')]);
  });

  it('drops an over-limit command sent without an ack, and stays usable', async () => {
    const sock = await s.socket(ctx.member.token);
    for (let i = 0; i < 20; i++) (sock as any).emit('typing', { topicId: ctx.topic.id, typing: true });
    await sleep(1100);
    expect(sock.connected).toBe(true);
    expect((await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
  });
});

describe('REST request budget per IP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rateRestPoints: 4, rateRestWindowS: 1 });
  });
  afterAll(() => s?.close());

  it('answers 429 RATE_LIMITED with Retry-After past the budget, then lifts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.api('GET', '/forums')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const res = await fetch(`${s.url}/api/v1/forums`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = await res.json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.retryAfterMs).toBeGreaterThan(0);
    expect(body.error.retryAfterMs).toBeLessThanOrEqual(1000);
    // bad tokens count too (limited before authentication)
    expect((await s.api('GET', '/forums', { token: 'bogus.token.here' })).status).toBe(429);
    await sleep(body.error.retryAfterMs + 50);
    expect((await s.api('GET', '/forums')).status).toBe(200);
  });
});

describe('concurrent connections per IP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ maxConnectionsPerIp: 3 });
  });
  afterAll(() => s?.close());

  it('refuses the connection past the limit with RATE_LIMITED, frees the slot on disconnect', async () => {
    const open = [await s.socket(), await s.socket(), await s.socket()];
    await expect(s.socket()).rejects.toThrow('RATE_LIMITED');
    open[0].disconnect();
    await sleep(200);
    const again = await s.socket();
    expect(again.connected).toBe(true);
  });

  it('a refused handshake (bad token) does not hold a slot', async () => {
    const s2 = await startTestServer({ maxConnectionsPerIp: 1 });
    try {
      for (let i = 0; i < 3; i++) await expect(s2.socket('not-a-token')).rejects.toThrow('UNAUTHORIZED');
      expect((await s2.socket()).connected).toBe(true);
    } finally {
      await s2.close();
    }
  });
});

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  const forwarded = (ip: string) => ({ 'x-forwarded-for': ip });
  const forums = (s: TestServer, ip: string) => fetch(`${s.url}/api/v1/forums`, { headers: forwarded(ip) }).then((r) => r.status);

  it('with the proxy trusted, budgets and connection caps are per client as the proxy names it', async () => {
    const s = await startTestServer({ trustProxy: ['loopback'], rateRestPoints: 2, rateRestWindowS: 60, maxConnectionsPerIp: 2 });
    try {
      expect([await forums(s, '203.0.113.1'), await forums(s, '203.0.113.1'), await forums(s, '203.0.113.1')]).toEqual([200, 200, 429]);
      expect(await forums(s, '203.0.113.2')).toBe(200);

      await s.socket(undefined, { headers: forwarded('198.51.100.7') });
      await s.socket(undefined, { headers: forwarded('198.51.100.7') });
      await expect(s.socket(undefined, { headers: forwarded('198.51.100.7') })).rejects.toThrow('RATE_LIMITED');
      expect((await s.socket(undefined, { headers: forwarded('198.51.100.8') })).connected).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('by default X-Forwarded-For is not believed: every name the header gives shares the peer\'s budget', async () => {
    const s = await startTestServer({ rateRestPoints: 2, rateRestWindowS: 60, maxConnectionsPerIp: 2 });
    try {
      expect([await forums(s, '203.0.113.1'), await forums(s, '203.0.113.2'), await forums(s, '203.0.113.3')]).toEqual([200, 200, 429]);
      await s.socket(undefined, { headers: forwarded('198.51.100.7') });
      await s.socket(undefined, { headers: forwarded('198.51.100.8') });
      await expect(s.socket(undefined, { headers: forwarded('198.51.100.9') })).rejects.toThrow('RATE_LIMITED');
    } finally {
      await s.close();
    }
  });

  it('reads TRUST_PROXY as Express does and refuses what it cannot read', () => {
    const trust = (value: string) => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).trustProxy;
    expect(trust('')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust(' loopback, 10.0.0.0/8 ')).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => trust('not-an-address')).toThrow(/TRUST_PROXY/);
  });
});

describe('flood interval', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer({ floodIntervalMs: 1500 });
    ctx = await seedForum(s); // the member has just posted the topic
  });
  afterAll(() => s?.close());

  it('refuses a member posting again too soon (REST and socket), changes nothing, then lifts', async () => {
    const before = await counts(s);
    const r = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, body: { body: 'too soon' } });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE_LIMITED');
    expect(r.body.error.retryAfterMs).toBeGreaterThan(0);
    expect(r.body.error.retryAfterMs).toBeLessThanOrEqual(1500);
    const t = await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: ctx.member.token, body: { title: 'Another', body: 'too soon' } });
    expect(t.status).toBe(429);
    const sock = await s.socket(ctx.member.token);
    const a = await ack(sock, 'post:create', { topicId: ctx.topic.id, body: 'too soon', clientId: 'sock-1' });
    expect(a.ok).toBe(false);
    expect(a.error.code).toBe('RATE_LIMITED');
    expect(await counts(s)).toEqual(before);
    await sleep(a.error.retryAfterMs + 50);
    const ok = await ack(sock, 'post:create', { topicId: ctx.topic.id, body: 'now it is fine', clientId: 'sock-2' });
    expect(ok.ok).toBe(true);
  });

  it('a retry with a used clientId still returns the first post', async () => {
    const m = await s.user('flood_retry');
    const first = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'once', clientId: 'c-1' } });
    expect(first.status).toBe(201);
    const retry = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'once', clientId: 'c-1' } });
    expect(retry.status).toBeLessThan(300);
    expect(retry.body.post.id).toBe(first.body.post.id);
    const other = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: m.token, body: { body: 'twice', clientId: 'c-2' } });
    expect(other.status).toBe(429);
  });

  it('exempts moderators, admins and bots', async () => {
    const mod = await s.user('flood_mod', 'moderator');
    for (const who of [mod, ctx.admin]) {
      for (let i = 0; i < 3; i++) {
        const r = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: who.token, body: { body: `quick ${i}` } });
        expect(r.status).toBe(201);
      }
    }
  });
});

describe('nesting depth guard', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer();
    ctx = await seedForum(s);
  });
  afterAll(() => s?.close());

  it('refuses REST bodies nested deeper than 20 levels with BAD_REQUEST', async () => {
    const before = await counts(s);
    const r = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, body: { body: 'x', extra: nested(25) } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(r.body.error.message).toMatch(/nested/);
    const deepArray = '['.repeat(50_000) + ']'.repeat(50_000);
    const raw = await s.api('POST', '/auth/login', { raw: deepArray });
    expect(raw.status).toBe(400);
    expect(await counts(s)).toEqual(before);
  });

  it('refuses socket payloads nested deeper than 20 levels with BAD_REQUEST', async () => {
    const sock = await s.socket(ctx.member.token);
    const a = await ack(sock, 'post:create', { topicId: ctx.topic.id, body: 'x', extra: nested(25) });
    expect(a.ok).toBe(false);
    expect(a.error.code).toBe('BAD_REQUEST');
    expect(a.error.message).toMatch(/nested/);
    expect((await ack(sock, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
  });
});

describe('password change revokes older tokens', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  beforeAll(async () => {
    s = await startTestServer();
    ctx = await seedForum(s);
  });
  afterAll(() => s?.close());

  it('refuses a wrong current password and a guest, changing nothing', async () => {
    const wrong = await s.api('POST', '/auth/password', { token: ctx.member.token, body: { currentPassword: 'nope-nope', newPassword: 'another-pass-1' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('FORBIDDEN');
    const guest = await s.api('POST', '/auth/password', { body: { currentPassword: 'password-123', newPassword: 'another-pass-1' } });
    expect(guest.status).toBe(401);
    const bad = await s.api('POST', '/auth/password', { token: ctx.member.token, body: { currentPassword: 'password-123', newPassword: 'x' } });
    expect(bad.status).toBe(400);
    expect((await s.api('GET', '/users/me', { token: ctx.member.token })).status).toBe(200);
  });

  it('bumps tokenVersion, drops open sockets, answers a fresh token; old tokens are refused', async () => {
    const sock = await s.socket(ctx.member.token);
    const dropped = new Promise<string>((resolve) => sock.once('disconnect', (reason) => resolve(reason)));
    const r = await s.api('POST', '/auth/password', { token: ctx.member.token, body: { currentPassword: 'password-123', newPassword: 'brand-new-pass-9' } });
    expect(r.status).toBe(200);
    expect(r.body.token).toEqual(expect.any(String));
    expect(await dropped).toBe('io server disconnect');
    const old = await s.api('GET', '/users/me', { token: ctx.member.token });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('UNAUTHORIZED');
    await expect(s.socket(ctx.member.token)).rejects.toThrow('UNAUTHORIZED');
    expect((await s.api('GET', '/users/me', { token: r.body.token })).status).toBe(200);
    const login = await s.api('POST', '/auth/login', { body: { username: ctx.member.username, password: 'brand-new-pass-9' } });
    expect(login.status).toBe(200);
    const oldLogin = await s.api('POST', '/auth/login', { body: { username: ctx.member.username, password: 'password-123' } });
    expect(oldLogin.status).toBe(401);
  });
});

describe('security headers and CORS', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ corsOrigins: ['https://good.example'] });
  });
  afterAll(() => s?.close());

  it('sends helmet headers with a CSP on pages and API answers', async () => {
    for (const path of ['/', '/api/v1/forums']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows only the configured origins', async () => {
    const good = await fetch(`${s.url}/api/v1/forums`, { headers: { origin: 'https://good.example' } });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://good.example');
    const evil = await fetch(`${s.url}/api/v1/forums`, { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${s.url}/api/v1/forums`, {
      method: 'OPTIONS',
      headers: { origin: 'https://good.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('sends no CORS headers by default (same-origin only)', async () => {
    const s2 = await startTestServer();
    try {
      const res = await fetch(`${s2.url}/api/v1/forums`, { headers: { origin: 'https://good.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await s2.close();
    }
  });
});

describe('REST budget shared through Redis (multi-node)', () => {
  it('two nodes share one budget; with Redis gone each node falls back to its own memory budget', async () => {
    const port = await freePort();
    const redisServer = await startRedisServer({ port });
    const logger = pino({ level: 'silent' });
    const redis = await connectRedis({ url: redisServer.url, logger });
    try {
      const config = loadConfig({ NODE_ENV: 'test', RATE_REST_POINTS: '3', RATE_REST_WINDOW_S: '60' });
      const prefix = `rl-test-${port}`;
      const nodeA = createRestRateLimit({ config, logger, redis: redis.client, keyPrefix: prefix });
      const nodeB = createRestRateLimit({ config, logger, redis: redis.client, keyPrefix: prefix });
      const call = (node: typeof nodeA, ip: string) =>
        new Promise<unknown>((resolve) => node.perIp({ ip } as any, {} as any, (err?: unknown) => resolve(err ?? null)));
      expect(await call(nodeA, '10.0.0.1')).toBeNull();
      expect(await call(nodeB, '10.0.0.1')).toBeNull();
      expect(await call(nodeA, '10.0.0.1')).toBeNull();
      const refused = (await call(nodeB, '10.0.0.1')) as any;
      expect(refused?.code).toBe('RATE_LIMITED');
      expect(refused.retryAfterMs).toBeGreaterThan(50_000);
      expect(await call(nodeB, '10.0.0.2')).toBeNull(); // another IP has its own budget
      await redisServer.stop();
      const fallback = await Promise.all(Array.from({ length: 4 }, () => call(nodeA, '10.0.0.3')));
      expect(fallback.slice(0, 3)).toEqual([null, null, null]);
      expect((fallback[3] as any)?.code).toBe('RATE_LIMITED');
    } finally {
      await redis.close().catch(() => {});
      await redisServer.stop();
    }
  });
});

describe('demo seed with the flood interval on', () => {
  it('still seeds the whole board', async () => {
    const s = await startTestServer({ floodIntervalMs: 15_000 });
    try {
      expect(await seedDemoBoard(s.app.services, 'always')).toBe(true);
      expect(await s.models.Post.countDocuments({})).toBeGreaterThan(40);
      // Announcements are started by staff; members reply there and post everywhere else.
      const member = await s.user('demo_reader');
      const forums: Array<{ id: string; title: string; may: { post: boolean } }> = (await s.api('GET', '/forums', { token: member.token })).body.forums;
      expect(forums.map((f) => [f.title, f.may.post])).toEqual([['Announcements', false], ['Bug reports', true], ['Help & Support', true], ['General Discussion', true], ['Off-topic', true]]); // in board order (Bug reports sits in Help & Support)
      // The welcome topic is pinned to the top of Announcements.
      const announcements = forums.find((f) => f.title === 'Announcements')!;
      const listed = (await s.api('GET', `/forums/${announcements.id}/topics`)).body.topics;
      expect(listed[0]).toMatchObject({ title: 'Welcome to the board: read this first', pinned: true });
      // A member's picture is attached to a post in the battle-station topic, and served.
      const pictured = await s.models.Post.findOne({ body: /^Mine, freshly tidied/ }).lean();
      const src = /<img src="(\/attachments\/[0-9a-f]{32})"/.exec(pictured?.bodyHtml ?? '')?.[1];
      expect(src).toBeDefined();
      const picture = await fetch(`${s.url}${src}`);
      expect(picture.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await picture.arrayBuffer());
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([160, 90]); // IHDR: width, height
      // Alice has a private message waiting, and the replies to her topic as a notification.
      const alice = await s.api('POST', '/auth/login', { body: { username: 'alice', password: 'alice-demo-pass' } });
      const inbox = (await s.api('GET', '/conversations', { token: alice.body.token })).body;
      expect(inbox.conversations.map((c: { title: string; unread: boolean }) => [c.title, c.unread])).toEqual([['Welcome aboard', true]]);
      await expect.poll(async () => (await s.api('GET', '/notifications', { token: alice.body.token })).body.notifications.map((n: { kind: string; topicTitle: string }) => `${n.kind}:${n.topicTitle}`)).toEqual(['reply:Show us your battle station']);
    } finally {
      await s.close();
    }
  });
});
