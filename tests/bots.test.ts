import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { startTestServer, seedForum, ack, type TestServer } from './helpers/server.js';
import { connect, isHeld, type ForumClient, type ConnectionState } from '../client/sdk/index.js';
import type { TopicEvent } from '../shared/schemas.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN_SHAPE = /^fbt_([a-f0-9]{24})_([A-Za-z0-9_-]{43})$/;

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
/** A second forum with a topic, for forum-limited tokens. */
let other: { forum: { id: string }; topic: { id: string }; firstPost: { id: string } };
const clients: ForumClient[] = [];

beforeAll(async () => {
  s = await startTestServer();
  board = await seedForum(s);
  const forum = (await s.api('POST', '/forums', { token: board.admin.token, body: { title: 'Elsewhere' } })).body.forum;
  const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: board.member.token, body: { title: 'Over there', body: 'Far away' } });
  other = { forum, topic: made.body.topic, firstPost: made.body.post };
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s?.close();
});

let botCount = 0;
async function makeBot(name = `bot${++botCount}`) {
  const res = await s.api('POST', '/bots', { token: board.admin.token, body: { username: name } });
  expect(res.status).toBe(201);
  return res.body.bot as { id: string; username: string };
}
async function grant(botId: string, body: Record<string, unknown>) {
  const res = await s.api('POST', `/bots/${botId}/tokens`, { token: board.admin.token, body });
  expect(res.status).toBe(201);
  return res.body as { token: string; info: { id: string; scopes: string[]; forums: string[]; name: string; createdAt: string } };
}
async function botWith(scopes: string[], forums?: string[]) {
  const bot = await makeBot();
  return { bot, ...(await grant(bot.id, { scopes, ...(forums ? { forums } : {}) })) };
}

/** The handshake error of a socket that is refused (rejects if it connects). */
function refusal(opts: { auth?: Record<string, unknown>; query?: Record<string, string> }): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = ioClient(s.url, { ...opts, transports: ['websocket'], reconnection: false, forceNew: true });
    sock.once('connect', () => {
      sock.disconnect();
      reject(new Error('connected'));
    });
    sock.once('connect_error', (err) => {
      sock.disconnect();
      resolve(err.message);
    });
  });
}

function sdk(token?: string): ForumClient {
  const c = connect({ url: s.url, token, ackTimeoutMs: 3000, retries: 1 });
  clients.push(c);
  return c;
}

const postCount = (topicId: string) => s.models.Post.countDocuments({ topicId });

describe('bot accounts and API tokens', () => {
  it('an admin makes a bot and a token whose secret is shown once and stored only as a SHA-256', async () => {
    const bot = await makeBot('Bender');
    expect(bot).toMatchObject({ username: 'Bender', role: 'bot', isBot: true, rank: 'Bot' });
    const { token, info } = await grant(bot.id, { scopes: ['read', 'post'], name: 'ci' });
    const [, tokenId, secret] = TOKEN_SHAPE.exec(token) ?? [];
    expect(tokenId).toBe(info.id);
    expect(info).toEqual({ id: tokenId, scopes: ['read', 'post'], forums: [], name: 'ci', createdAt: expect.any(String) });

    const stored = await s.models.ApiToken.findById(tokenId).lean();
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);

    const listed = await s.api('GET', '/bots', { token: board.admin.token });
    expect(listed.status).toBe(200);
    const entry = listed.body.bots.find((b: { bot: { id: string } }) => b.bot.id === bot.id);
    expect(entry).toEqual({ bot: expect.objectContaining({ id: bot.id, username: 'Bender', isBot: true }), tokens: [info] });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('secretHash');

    // The bot's random password is never told to anyone, and login refuses bots regardless.
    expect((await s.api('POST', '/auth/login', { body: { username: 'Bender', password: 'password-123' } })).status).toBe(401);
  });

  it('uses one token on REST and Socket.IO; revoking it refuses REST at once and drops its live sockets within a second', async () => {
    const bot = await makeBot('Revokee');
    const doomed = await grant(bot.id, { scopes: ['read', 'post'] });
    const kept = await grant(bot.id, { scopes: ['read'] });

    const me = await s.api('GET', '/users/me', { token: doomed.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: bot.id, role: 'bot' });
    const replied = await s.api('POST', `/topics/${board.topic.id}/posts`, { token: doomed.token, body: { body: 'beep over REST' } });
    expect(replied.status).toBe(201);
    expect(replied.body.post.author).toMatchObject({ id: bot.id, isBot: true });

    const raw = await s.socket(doomed.token);
    expect((await ack(raw, 'topic:subscribe', { topicId: board.topic.id })).ok).toBe(true);
    const viaSocket = await ack(raw, 'post:create', { topicId: board.topic.id, body: 'beep over the socket', clientId: 'r1' });
    expect(viaSocket).toMatchObject({ ok: true, data: { post: { author: { id: bot.id } } } });
    const client = sdk(doomed.token);
    await client.subscribeTopic(board.topic.id, {});
    const states: ConnectionState[] = [];
    client.onState((st) => states.push(st));
    const survivor = await s.socket(kept.token);

    let droppedAt = 0;
    raw.once('disconnect', () => (droppedAt = Date.now()));
    const revokedAt = Date.now();
    const revoked = await s.api('DELETE', `/bots/${bot.id}/tokens/${doomed.info.id}`, { token: board.admin.token });
    expect(revoked).toEqual({ status: 200, body: { revoked: true } });
    await waitFor(() => droppedAt > 0, 1000, 'the revoked socket to be dropped');
    expect(droppedAt - revokedAt).toBeLessThan(1000);

    const refused = await s.api('GET', '/users/me', { token: doomed.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
    expect(await refusal({ auth: { token: doomed.token } })).toBe('UNAUTHORIZED');
    // The SDK tries to come back, is refused, and says so.
    await waitFor(() => client.state === 'unauthorized', 3000, 'the SDK to report unauthorized');
    expect(states).toContain('unauthorized');

    // Only that token's sockets went: the bot's other token still works.
    expect(survivor.connected).toBe(true);
    expect((await ack(survivor, 'topic:subscribe', { topicId: board.topic.id })).ok).toBe(true);
    expect((await s.api('GET', '/users/me', { token: kept.token })).status).toBe(200);
    // Revoking again changes nothing.
    expect((await s.api('DELETE', `/bots/${bot.id}/tokens/${doomed.info.id}`, { token: board.admin.token })).body).toEqual({ revoked: true });
    const list = await s.api('GET', '/bots', { token: board.admin.token });
    const tokens = list.body.bots.find((b: { bot: { id: string } }) => b.bot.id === bot.id).tokens;
    expect(tokens.map((t: { id: string; revokedAt?: string }) => [t.id, Boolean(t.revokedAt)])).toEqual([
      [doomed.info.id, true],
      [kept.info.id, false],
    ]);
  });

  it('refuses malformed, forged and unknown tokens, and tokens sent in the URL, never downgrading to guest', async () => {
    const { token } = await botWith(['read']);
    const [, id, secret] = TOKEN_SHAPE.exec(token)!;
    const forged = `fbt_${id}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `fbt_${'0'.repeat(24)}_${secret}`;
    for (const bad of ['fbt_nonsense', `fbt_${id}_short`, forged, unknown, `${token}x`]) {
      const res = await s.api('GET', '/forums', { token: bad });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(await refusal({ auth: { token: bad } }), bad).toBe('UNAUTHORIZED');
    }
    for (const key of ['token', 'access_token']) {
      const res = await s.api('GET', `/forums?${key}=${encodeURIComponent(token)}`);
      expect(res.status).toBe(401);
      expect(await refusal({ query: { [key]: token } })).toBe('UNAUTHORIZED');
      // Even next to a good header, a token in the URL is refused.
      expect((await s.api('GET', `/forums?${key}=${encodeURIComponent(token)}`, { token })).status).toBe(401);
    }
    expect((await s.api('GET', '/forums', { headers: { authorization: `Token ${token}` } })).status).toBe(401);
    expect((await s.api('GET', '/forums', { token })).status).toBe(200);
  });
});

describe('scopes', () => {
  it('a read-only token reads and subscribes but cannot post, edit, delete or thank', async () => {
    const { token } = await botWith(['read']);
    const before = await postCount(board.topic.id);
    expect((await s.api('GET', `/topics/${board.topic.id}`, { token })).status).toBe(200);
    expect((await s.api('GET', `/forums/${board.forum.id}/topics`, { token })).status).toBe(200);
    const sock = await s.socket(token);
    expect((await ack(sock, 'topic:subscribe', { topicId: board.topic.id })).ok).toBe(true);
    expect((await ack(sock, 'forum:subscribe', { forumId: board.forum.id })).ok).toBe(true);

    const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('scope') } };
    expect(await ack(sock, 'post:create', { topicId: board.topic.id, body: 'nope', clientId: 'ro1' })).toEqual(forbidden);
    expect(await ack(sock, 'thanks:add', { postId: board.firstPost.id })).toEqual(forbidden);
    for (const [method, path, body] of [
      ['POST', `/topics/${board.topic.id}/posts`, { body: 'nope' }],
      ['POST', `/forums/${board.forum.id}/topics`, { title: 'nope', body: 'nope' }],
      ['POST', `/posts/${board.firstPost.id}/thanks`, undefined],
    ] as const) {
      const res = await s.api(method, path, { token, body });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await postCount(board.topic.id)).toBe(before);
    expect((await s.models.Post.findById(board.firstPost.id).lean())?.thanksCount).toBe(0);
  });

  it('a post-only token posts but cannot read, subscribe or thank; editing its own posts needs post too', async () => {
    const bot = await makeBot();
    const { token } = await grant(bot.id, { scopes: ['post'] });
    const readOnly = (await grant(bot.id, { scopes: ['read'] })).token;

    const made = await s.api('POST', `/topics/${board.topic.id}/posts`, { token, body: { body: 'writer bot' } });
    expect(made.status).toBe(201);
    const postId = made.body.post.id;
    const sock = await s.socket(token);
    expect((await ack(sock, 'post:create', { topicId: board.topic.id, body: 'again', clientId: 'po1' })).ok).toBe(true);

    for (const path of ['/forums', `/forums/${board.forum.id}/topics`, `/topics/${board.topic.id}`]) {
      expect((await s.api('GET', path, { token })).status, path).toBe(403);
    }
    expect((await ack(sock, 'topic:subscribe', { topicId: board.topic.id })).error.code).toBe('FORBIDDEN');
    expect((await ack(sock, 'forum:subscribe', { forumId: board.forum.id })).error.code).toBe('FORBIDDEN');
    expect((await ack(sock, 'thanks:add', { postId: board.firstPost.id })).error.code).toBe('FORBIDDEN');

    // Same bot, a token without `post`: its own post stays as it is.
    expect((await s.api('PATCH', `/posts/${postId}`, { token: readOnly, body: { body: 'changed' } })).status).toBe(403);
    expect((await s.api('DELETE', `/posts/${postId}`, { token: readOnly })).status).toBe(403);
    expect((await s.models.Post.findById(postId).lean())).toMatchObject({ body: 'writer bot', deleted: false });
    const edited = await s.api('PATCH', `/posts/${postId}`, { token, body: { body: 'changed' } });
    expect(edited.status).toBe(200);
    expect(edited.body.post.body).toBe('changed');
    // A bot is never a moderator: someone else's post is out of reach whatever its scopes.
    expect((await s.api('PATCH', `/posts/${board.firstPost.id}`, { token, body: { body: 'hijack' } })).status).toBe(403);
  });

  it('a thank-only token thanks (and takes it back) but cannot post', async () => {
    const { bot, token } = await botWith(['thank']);
    const sock = await s.socket(token);
    const thanked = await ack(sock, 'thanks:add', { postId: other.firstPost.id });
    expect(thanked).toMatchObject({ ok: true, data: { thanks: { postId: other.firstPost.id, thanksCount: 1, giver: { id: bot.id, thanksGiven: 1 } } } });
    expect((await s.api('DELETE', `/posts/${other.firstPost.id}/thanks`, { token })).body.thanks.thanksCount).toBe(0);
    expect((await ack(sock, 'post:create', { topicId: other.topic.id, body: 'nope', clientId: 'th1' })).error.code).toBe('FORBIDDEN');
  });

  it('a token limited to one forum reads, follows and acts only there', async () => {
    const { token } = await botWith(['read', 'post', 'thank'], [board.forum.id]);
    const forums = await s.api('GET', '/forums', { token });
    expect(forums.body.forums.map((f: { id: string }) => f.id)).toEqual([board.forum.id]);
    const sock = await s.socket(token);
    expect((await ack(sock, 'forum:subscribe', { forumId: board.forum.id })).ok).toBe(true);
    expect((await ack(sock, 'topic:subscribe', { topicId: board.topic.id })).ok).toBe(true);
    expect((await ack(sock, 'post:create', { topicId: board.topic.id, body: 'home', clientId: 'fl1' })).ok).toBe(true);

    const before = await postCount(other.topic.id);
    expect((await ack(sock, 'forum:subscribe', { forumId: other.forum.id })).error.code).toBe('FORBIDDEN');
    expect((await ack(sock, 'topic:subscribe', { topicId: other.topic.id })).error.code).toBe('FORBIDDEN');
    expect((await ack(sock, 'post:create', { topicId: other.topic.id, body: 'away', clientId: 'fl2' })).error.code).toBe('FORBIDDEN');
    expect((await ack(sock, 'thanks:add', { postId: other.firstPost.id })).error.code).toBe('FORBIDDEN');
    for (const [method, path, body] of [
      ['GET', `/forums/${other.forum.id}/topics`, undefined],
      ['GET', `/topics/${other.topic.id}`, undefined],
      ['POST', `/forums/${other.forum.id}/topics`, { title: 'away', body: 'away' }],
      ['POST', `/topics/${other.topic.id}/posts`, { body: 'away' }],
    ] as const) {
      const res = await s.api(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await postCount(other.topic.id)).toBe(before);
    expect(await s.models.Topic.countDocuments({ forumId: other.forum.id })).toBe(1);
  });
});

describe('bot administration refuses bad input', () => {
  it('only admins manage bots and tokens; members, guests and bots are refused', async () => {
    const bot = await makeBot();
    const issued = await grant(bot.id, { scopes: ['read', 'post', 'thank', 'moderate'] });
    const tokensBefore = await s.models.ApiToken.countDocuments({});
    const usersBefore = await s.models.User.countDocuments({});
    const calls = [
      ['POST', '/bots', { username: 'sneaky' }],
      ['GET', '/bots', undefined],
      ['POST', `/bots/${bot.id}/tokens`, { scopes: ['read'] }],
      ['DELETE', `/bots/${bot.id}/tokens/${issued.info.id}`, undefined],
    ] as const;
    for (const [method, path, body] of calls) {
      for (const [who, token, status] of [
        ['member', board.member.token, 403],
        ['bot', issued.token, 403],
        ['guest', undefined, 401],
      ] as const) {
        const res = await s.api(method, path, { token, body });
        expect(res.status, `${who} ${method} ${path}`).toBe(status);
      }
    }
    expect(await s.models.ApiToken.countDocuments({})).toBe(tokensBefore);
    expect(await s.models.User.countDocuments({})).toBe(usersBefore);
    expect((await s.api('GET', '/users/me', { token: issued.token })).status).toBe(200);
  });

  it('answers BAD_REQUEST for bad scopes and bodies, NOT_FOUND for unknown bots and tokens, CONFLICT for a taken name', async () => {
    const bot = await makeBot();
    const tokensBefore = await s.models.ApiToken.countDocuments({});
    for (const body of [
      { scopes: ['write'] },
      { scopes: [] },
      { scopes: ['read', 'read'] },
      { scopes: 'read' },
      {},
      { scopes: ['read'], extra: 1 },
      { scopes: ['read'], forums: ['not-an-id'] },
      { scopes: ['read'], forums: ['0123456789abcdef01234567'] },
      { scopes: ['read'], name: '' },
    ]) {
      const res = await s.api('POST', `/bots/${bot.id}/tokens`, { token: board.admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await s.api('POST', '/bots', { token: board.admin.token, body: { username: 'x' } })).status).toBe(400);
    expect((await s.api('POST', '/bots', { token: board.admin.token, body: {} })).status).toBe(400);
    expect((await s.api('POST', '/bots', { token: board.admin.token, body: { username: bot.username.toUpperCase() } })).status).toBe(409);
    expect((await s.api('POST', `/bots/${board.member.id}/tokens`, { token: board.admin.token, body: { scopes: ['read'] } })).status).toBe(404);
    expect((await s.api('POST', '/bots/nope/tokens', { token: board.admin.token, body: { scopes: ['read'] } })).status).toBe(400);
    expect(await s.models.ApiToken.countDocuments({})).toBe(tokensBefore);

    const mine = await grant(bot.id, { scopes: ['read'] });
    const otherBot = await makeBot();
    // A token is revoked through its own bot only.
    expect((await s.api('DELETE', `/bots/${otherBot.id}/tokens/${mine.info.id}`, { token: board.admin.token })).status).toBe(404);
    expect((await s.api('DELETE', `/bots/${bot.id}/tokens/0123456789abcdef01234567`, { token: board.admin.token })).status).toBe(404);
    expect((await s.api('GET', '/users/me', { token: mine.token })).status).toBe(200);
  });
});

describe('bots in presence', () => {
  it('a connected bot is listed as "<name> [Bot]", not as a registered user', async () => {
    const { token } = await botWith(['read'], undefined);
    const bot = (await s.api('GET', '/users/me', { token })).body.user;
    await s.socket(token);
    let online: any;
    await waitFor(
      async () => {
        online = (await s.api('GET', '/online')).body;
        return online.bots.some((b: { name: string }) => b.name === `${bot.username} [Bot]`);
      },
      3000,
      'the bot in who-is-online',
    );
    expect(online.registered.map((u: { id: string }) => u.id)).not.toContain(bot.id);
  });
});

describe('resuming from a saved position', () => {
  const write = (topicId: string, body: string) => s.api('POST', `/topics/${topicId}/posts`, { token: board.member.token, body: { body } });

  it('a topic subscriber restarted with its saved lastSeq gets exactly the events it missed, then live ones, once each', async () => {
    const { topic } = await seedForum(s);
    const { token } = await botWith(['read']);
    const first = sdk(token);
    const seen: TopicEvent[] = [];
    const sub = await first.subscribeTopic(topic.id, { event: (e) => seen.push(e) });
    expect(sub.lastSeq).toBe(1);
    for (const n of [1, 2, 3]) await write(topic.id, `before ${n}`);
    await waitFor(() => seen.length === 3, 5000, 'three live events');
    expect(seen.map((e) => e.data.seq)).toEqual([2, 3, 4]);
    const saved = sub.lastSeq!;
    expect(saved).toBe(4);
    first.close();

    // While the bot is away: two posts, an edit and a thanks.
    const p5 = (await write(topic.id, 'away 1')).body.post;
    await write(topic.id, 'away 2');
    await s.api('PATCH', `/posts/${p5.id}`, { token: board.member.token, body: { body: 'away 1, edited' } });
    await s.api('POST', `/posts/${p5.id}/thanks`, { token: board.admin.token });

    const again = sdk(token);
    const after: TopicEvent[] = [];
    const resumed = await again.subscribeTopic(topic.id, { event: (e) => after.push(e) }, { sinceSeq: saved });
    expect(after.map((e) => [e.type, e.data.seq])).toEqual([
      ['post:created', 5],
      ['post:created', 6],
      ['post:updated', 7],
      ['thanks:changed', 8],
    ]);
    expect(resumed.lastSeq).toBe(8);
    await write(topic.id, 'live again');
    await waitFor(() => after.length === 5, 5000, 'the live event');
    await sleep(200);
    expect(after.map((e) => e.data.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(resumed.lastSeq).toBe(9);
  });

  it('a forum stream with a type filter resumes from its forum cursor and steps over filtered events', async () => {
    const { forum, topic } = await seedForum(s);
    const second = (await s.api('POST', `/forums/${forum.id}/topics`, { token: board.member.token, body: { title: 'Second', body: 'two' } })).body;
    const { token } = await botWith(['read']);
    const first = sdk(token);
    const created: string[] = [];
    const sub = await first.subscribeForum(forum.id, { 'post:created': (e) => created.push(e.post.body), 'thanks:changed': () => created.push('THANKS') }, { types: ['post:created'] });
    const start = sub.lastSeq!;
    await write(topic.id, 'f1');
    await s.api('POST', `/posts/${second.post.id}/thanks`, { token: board.admin.token });
    await write(second.topic.id, 'f2');
    await waitFor(() => created.length === 2, 5000, 'two posts');
    await waitFor(() => sub.lastSeq === start + 3, 2000, 'the cursor to pass the thanks');
    const saved = sub.lastSeq!;
    first.close();

    await write(second.topic.id, 'missed 1');
    await s.api('DELETE', `/posts/${second.post.id}/thanks`, { token: board.admin.token });
    await write(topic.id, 'missed 2');

    const again = sdk(token);
    const later: string[] = [];
    const resumed = await again.subscribeForum(forum.id, { 'post:created': (e) => later.push(e.post.body), 'thanks:changed': () => later.push('THANKS') }, { sinceSeq: saved, types: ['post:created'] });
    expect(created).toEqual(['f1', 'f2']);
    expect(later).toEqual(['missed 1', 'missed 2']);
    expect(resumed.lastSeq).toBe(saved + 3);
  });
});

describe('bots, notifications and private messages', () => {
  it('a bot hears of a mention through the SDK and answers it; a forum-limited token is not sent it but reads its own forums', async () => {
    const bot = await makeBot('helper_bot');
    const full = await grant(bot.id, { scopes: ['read', 'post'] });
    const limited = await grant(bot.id, { scopes: ['read'], forums: [other.forum.id] });
    const client = sdk(full.token);
    const narrow = sdk(limited.token);
    await Promise.all([client.ready(), narrow.ready()]);
    const heard: string[] = [];
    const narrowHeard: string[] = [];
    client.onNotification(({ notification: n }) => {
      heard.push(`${n.kind}:${n.actor.username}`);
      void client.reply(n.topicId, `You called, ${n.actor.username}?`);
    });
    narrow.onNotification(({ notification: n }) => narrowHeard.push(n.kind));

    const asked = await s.api('POST', `/topics/${board.topic.id}/posts`, { token: board.member.token, body: { body: 'Hey @helper_bot, help?' } });
    expect(asked.status).toBe(201);
    await waitFor(async () => !!(await s.models.Post.exists({ topicId: board.topic.id, authorId: bot.id, body: `You called, ${board.member.username}?` })), 5000, 'the bot to answer');
    expect(heard).toEqual([`mention:${board.member.username}`]);

    // The limited token got no push, and lists none outside its forum; the full one lists it.
    await sleep(200);
    expect(narrowHeard).toEqual([]);
    expect((await narrow.rest.notifications()).notifications).toEqual([]);
    expect((await client.rest.notifications()).notifications.map((n) => n.kind)).toEqual(['mention']);
    expect(await client.rest.markNotificationsRead()).toEqual({ unreadCount: 0 });
  });

  it('a bot answers a private message through the SDK', async () => {
    const bot = await makeBot('pm_bot');
    const { token } = await grant(bot.id, { scopes: ['read', 'post'] });
    const client = sdk(token);
    await client.ready();
    client.onMessage(({ conversation, message }) => {
      if (message.author.id !== bot.id) void client.rest.sendMessage(conversation.id, `Echo: ${message.body}`);
    });
    const started = await s.api('POST', '/conversations', { token: board.member.token, body: { to: ['pm_bot'], title: 'Help', body: 'ping' } });
    expect(started.status).toBe(201);
    const id = started.body.conversation.id as string;
    await waitFor(async () => (await s.api('GET', `/conversations/${id}`, { token: board.member.token })).body.messages.length === 2, 5000, 'the bot to answer');
    const page = await client.rest.conversation(id, 'last');
    expect(page.messages.map((m) => [m.author.username, m.body])).toEqual([
      [board.member.username, 'ping'],
      ['pm_bot', 'Echo: ping'],
    ]);
    // Answering read it; the member has the bot's answer unread.
    expect((await client.rest.conversations()).conversations[0]).toMatchObject({ id, unread: false, messageCount: 2 });
    expect((await s.api('GET', '/conversations', { token: board.member.token })).body.unreadCount).toBe(1);
    expect(await client.rest.markConversationRead(id)).toEqual({ unreadCount: 0 });
  });
});

describe('bots and polls', () => {
  it('a bot starts a topic with a poll, hears the votes live through the SDK, and votes', async () => {
    const bot = await makeBot('poll_bot');
    const { token } = await grant(bot.id, { scopes: ['read', 'post'] });
    const client = sdk(token);
    await client.ready();
    const made = await client.post(board.forum.id, { title: 'Lunch?', body: 'Vote below', poll: { question: 'Where shall we eat?', options: ['Pizza', 'Sushi', 'Tacos'], allowVoteChange: true } });
    if (isHeld(made)) throw new Error('a bot token is never held for approval');
    const { topic } = made;
    expect(topic.hasPoll).toBe(true);
    const totals: Array<Array<number | null>> = [];
    client.onPoll(({ topicId, poll }) => topicId === topic.id && poll && totals.push(poll.options.map((o) => o.votes)));
    await client.subscribeTopic(topic.id, {});
    expect((await s.api('POST', `/topics/${topic.id}/poll/vote`, { token: board.member.token, body: { choices: [1] } })).status).toBe(200);
    await waitFor(() => totals.some((t) => t[1] === 1), 3000, 'the vote to reach the bot');
    const { poll } = await client.rest.vote(topic.id, [2]);
    expect(poll).toMatchObject({ voterCount: 2, myChoices: [2], may: { vote: true } });
    expect((await client.rest.vote(topic.id, [0])).poll.options.map((o) => o.votes)).toEqual([1, 1, 0]);
    expect((await client.rest.poll(topic.id)).poll.myChoices).toEqual([0]);
    await waitFor(() => JSON.stringify(totals.at(-1)) === '[1,1,0]', 3000, 'the last totals');
    // Others have voted: the bot, the topic's author, may no longer remove it.
    await expect(client.rest.removePoll(topic.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('the SDK and presence', () => {
  it('a subscription names the page it shows, and moderators see where the reader is', async () => {
    const bot = await makeBot('page_bot');
    const { token } = await grant(bot.id, { scopes: ['read'] });
    const mod = await s.user('page_mod', 'moderator');
    const modSocket = await s.socket(mod.token);
    const pages: Array<number | undefined> = [];
    modSocket.on('presence:detail', (d) => pages.push(d.entries.find((e) => e.id === bot.id)?.page));
    const client = sdk(token);
    await client.subscribeTopic(board.topic.id, {}, { page: 3 });
    await waitFor(() => pages.includes(3), 5000, 'the reader at page 3 in presence:detail');
  });
});
