// Several server processes on one Redis and one database: cross-node rooms and presence,
// sequencing under concurrent writers, failover after SIGKILL, and a Redis restart.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import { connect, isHeld, type ForumClient } from '../client/sdk/index.js';
import type { OnlineSnapshot, PresenceForum, PresenceTopic, TopicEvent } from '../shared/schemas.js';
import { connectDatabase } from '../server/db/connect.js';
import { createModels } from '../server/models/index.js';
import { spawnServer, freePort, type ServerProcess } from './helpers/process.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { createForumDirect } from './helpers/direct-db.js';
import { freshDbName } from './helpers/server.js';

const NODE_TTL_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

async function api(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const online = async (base: string) => (await api(base, 'GET', '/online')).body as OnlineSnapshot;
const onlineNames = async (base: string) => (await online(base)).registered.map((u) => u.username);

let redis: RedisServer | null = null;
const nodes: ServerProcess[] = [];
const clients: ForumClient[] = [];
const rawSockets: Socket[] = [];
const dbName = freshDbName('cluster');
let A: string, B: string, C: string;
let forumId: string;
let topicId: string;
const users: Record<string, { id: string; token: string }> = {};

/** An SDK client following the topic, recording every seq it delivers. */
async function follower(url: string | string[], who: string, sinceSeq: number) {
  const client = connect({ url, token: users[who].token, sessionId: `s-${who}-${clients.length}`, ackTimeoutMs: 3_000 });
  clients.push(client);
  const seqs: number[] = [];
  const events: TopicEvent[] = [];
  await client.subscribeTopic(topicId, { event: (e) => (seqs.push(e.data.seq), events.push(e)) }, { sinceSeq });
  return { client, seqs, events };
}

async function topicSeq(): Promise<number> {
  return (await api(A, 'GET', `/topics/${topicId}`)).body.seq as number;
}

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    MONGODB_URI: inject('mongoUri'),
    DB_NAME: dbName,
    JWT_SECRET: 'cluster-test-secret-0123456789',
    REDIS_URL: redis.url,
    NODE_TTL_MS: String(NODE_TTL_MS),
    // HTTP visits count for a second only: who-is-online below is about sockets.
    ONLINE_WINDOW_MS: '1000',
  };
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  // Pushed one by one as they come up, so afterAll stops whichever started.
  await Promise.all(ports.map(async (port) => void nodes.push(await spawnServer(env, port))));
  nodes.sort((x, y) => x.port - y.port);
  [A, B, C] = nodes.map((n) => n.url);

  for (const name of ['alice', 'bob', 'carol', 'ghost', 'dave', 'erin', 'root']) {
    const r = await api(A, 'POST', '/auth/register', undefined, { username: name, password: 'password-123' });
    expect(r.status).toBe(201);
    users[name] = { id: r.body.user.id, token: r.body.token };
  }
  forumId = await createForumDirect(inject('mongoUri'), dbName, 'Cluster forum');
  const conn = await connectDatabase(inject('mongoUri'), dbName);
  await createModels(conn).User.updateOne({ _id: users.root.id }, { $set: { role: 'admin' } });
  await conn.close();
  const created = await api(B, 'POST', `/forums/${forumId}/topics`, users.alice.token, { title: 'Across nodes', body: 'first' });
  expect(created.status).toBe(201);
  topicId = created.body.topic.id;
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of rawSockets) s.disconnect();
  await Promise.allSettled(nodes.map((n) => n.kill('SIGKILL')));
  await redis?.stop();
  const conn = await connectDatabase(inject('mongoUri'), dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('three nodes on one Redis', () => {
  it('clients on different nodes see each other\'s posts, thanks and presence', async () => {
    const since = await topicSeq();
    const alice = await follower(A, 'alice', since);
    const viewsOnA: PresenceTopic[] = [];
    alice.client.socket.on('presence:topic', (e) => viewsOnA.push(e));
    const bob = await follower(B, 'bob', since);

    // A post made on B reaches A; a thanks given on A reaches B.
    const answer = await bob.client.reply(topicId, 'hello from node B');
    if (isHeld(answer)) throw new Error('held for approval: approval is off here');
    const { post } = answer;
    await waitFor(() => alice.events.some((e) => e.type === 'post:created' && e.data.post.id === post.id), 5_000, 'the post on node A');
    await alice.client.thank(post.id);
    const thanked = await waitFor(
      () => bob.events.flatMap((e) => (e.type === 'thanks:changed' && e.data.thanks.postId === post.id ? [e.data.thanks] : []))[0],
      5_000,
      'the thanks on node B',
    );
    expect(thanked.thanksCount).toBe(1);
    expect(alice.seqs).toEqual(bob.seqs);

    // Presence: the topic's viewers on A include bob (on B); who-is-online on C lists both.
    await waitFor(() => viewsOnA.some((v) => v.viewers.some((u) => u.username === 'bob')), 5_000, 'bob among the viewers pushed on A');
    expect(viewsOnA.at(-1)!.viewers.map((u) => u.username).sort()).toEqual(['alice', 'bob']);
    await waitFor(async () => {
      const names = await onlineNames(C);
      return names.includes('alice') && names.includes('bob');
    }, 5_000, 'alice and bob online as seen from node C');

    // Typing is per node, but its events cross nodes like any room broadcast.
    const typing = new Promise<string>((resolve) => alice.client.socket.once('typing', (e) => resolve(`${e.user.username}:${e.typing}`)));
    await bob.client.typing(topicId, true);
    expect(await Promise.race([typing, sleep(3_000).then(() => 'nothing')])).toBe('bob:true');

    // Bob leaves: A's viewers follow.
    bob.client.close();
    await waitFor(() => viewsOnA.at(-1)!.viewers.every((u) => u.username !== 'bob'), 8_000, 'bob gone from the viewers pushed on A');
    alice.client.close();
  }, 30_000);

  it('revoking a bot token on one node drops its connection on another', async () => {
    const bot = await api(A, 'POST', '/bots', users.root.token, { username: 'relaybot' });
    expect(bot.status).toBe(201);
    const issued = await api(A, 'POST', `/bots/${bot.body.bot.id}/tokens`, users.root.token, { scopes: ['read'] });
    expect(issued.status).toBe(201);
    const onB = ioClient(B, { auth: { token: issued.body.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    rawSockets.push(onB);
    await new Promise<void>((resolve, reject) => (onB.once('connect', resolve), onB.once('connect_error', reject)));
    const dropped = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    expect((await api(A, 'DELETE', `/bots/${bot.body.bot.id}/tokens/${issued.body.info.id}`, users.root.token)).status).toBe(200);
    expect(await Promise.race([dropped, sleep(3_000).then(() => 'still connected')])).toBe('io server disconnect');
  }, 15_000);

  it("logging out through one node drops that login's socket on another and refuses its token on a third; the member's other login goes on", async () => {
    const first = await api(B, 'POST', '/auth/register', undefined, { username: 'leaving', password: 'password-123' });
    const second = await api(A, 'POST', '/auth/login', undefined, { username: 'leaving', password: 'password-123' });
    expect([first.status, second.status]).toEqual([201, 200]);
    const open = (url: string, token: string) => {
      const socket = ioClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      rawSockets.push(socket);
      return new Promise<Socket>((resolve, reject) => (socket.once('connect', () => resolve(socket)), socket.once('connect_error', reject)));
    };
    const [ended, other] = await Promise.all([open(B, first.body.token), open(C, second.body.token)]);
    const endedDropped = new Promise<string>((resolve) => ended.once('disconnect', resolve));
    const otherDropped = new Promise<string>((resolve) => other.once('disconnect', resolve));
    expect(await api(A, 'POST', '/auth/logout', first.body.token, {})).toEqual({ status: 200, body: { loggedOut: true } });
    expect(await Promise.race([endedDropped, sleep(3_000).then(() => 'still connected')])).toBe('io server disconnect');
    expect((await api(C, 'GET', '/users/me', first.body.token)).body.error).toEqual({ code: 'UNAUTHORIZED', message: 'Logged out' });
    expect((await api(B, 'GET', '/users/me', second.body.token)).status).toBe(200);
    expect(await Promise.race([otherDropped, sleep(500).then(() => 'still connected')])).toBe('still connected');
  }, 15_000);

  it('a forum closed on one node refuses the next subscribe on another (its cached permissions are forgotten there)', async () => {
    const forum = await api(A, 'POST', '/forums', users.root.token, { title: 'Closing soon', description: 'x' });
    expect(forum.status).toBe(201);
    const made = await api(A, 'POST', `/forums/${forum.body.forum.id}/topics`, users.carol.token, { title: 'Open for now', body: 'first' });
    expect(made.status).toBe(201);
    const onB = ioClient(B, { auth: { token: users.carol.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    rawSockets.push(onB);
    await new Promise<void>((resolve, reject) => (onB.once('connect', resolve), onB.once('connect_error', reject)));
    const subscribe = () => new Promise<any>((resolve) => onB.emit('topic:subscribe' as never, { topicId: made.body.topic.id }, resolve));
    expect((await subscribe()).ok).toBe(true); // B now holds the forum's permissions in memory
    await new Promise((resolve) => onB.emit('topic:unsubscribe' as never, { topicId: made.body.topic.id }, resolve));
    expect((await api(A, 'PATCH', `/forums/${forum.body.forum.id}`, users.root.token, { permissions: { read: ['moderator'] } })).status).toBe(200);
    // Well inside the cache's 30 s expiry: only the message from A explains a refusal.
    const refused = await waitFor(async () => {
      const answer = await subscribe();
      return answer.ok ? null : answer;
    }, 2_000, 'the subscribe on B to be refused');
    expect(refused.error.code).toBe('FORBIDDEN');
  }, 15_000);


  /** A watcher on A and a viewer on B, both on the topic; the presence:topic pushes A sends the watcher. */
  async function viewingAcross(topic: string, watcherToken: string, viewerToken: string, tag: string) {
    const watcher = connect({ url: A, token: watcherToken, sessionId: `s-watcher-${tag}`, ackTimeoutMs: 3_000 });
    const viewer = connect({ url: B, token: viewerToken, sessionId: `s-viewer-${tag}`, ackTimeoutMs: 3_000 });
    clients.push(watcher, viewer);
    const viewsOnA: PresenceTopic[] = [];
    watcher.socket.on('presence:topic', (e) => e.topicId === topic && viewsOnA.push(e));
    await watcher.subscribeTopic(topic, {});
    await viewer.subscribeTopic(topic, {});
    return { watcher, viewer, viewsOnA };
  }

  it('a topic deleted on one node drops its viewers on another from the viewers list', async () => {
    const made = await api(A, 'POST', `/forums/${forumId}/topics`, users.carol.token, { title: 'Deleted soon', body: 'first' });
    expect(made.status).toBe(201);
    const doomed = made.body.topic.id as string;
    const { watcher: mod, viewer, viewsOnA } = await viewingAcross(doomed, users.root.token, users.dave.token, 'doomed');
    const viewers = () => viewsOnA.at(-1)?.viewers.map((u) => u.username).sort() ?? [];
    await waitFor(() => viewers().includes('dave'), 5_000, 'dave (on B) among the viewers pushed on A');

    expect((await api(A, 'DELETE', `/topics/${doomed}`, users.root.token)).status).toBe(200);
    // Dave's socket is on B: only B keeps his viewing, so A must tell B to drop it.
    await waitFor(() => viewers().join() === 'root', 5_000, 'dave gone from the viewers pushed on A');
    mod.close();
    viewer.close();
  }, 15_000);

  it('a member who chooses to be hidden through one node leaves the viewers pushed on another at once', async () => {
    const { watcher, viewer: shy, viewsOnA } = await viewingAcross(topicId, users.root.token, users.erin.token, 'hidden');
    const named = () => viewsOnA.at(-1)?.viewers.map((u) => u.username) ?? [];
    await waitFor(() => named().includes('erin'), 5_000, 'erin (on B) among the viewers pushed on A');

    // Asked on C; erin's socket is on B, which keeps her presence record.
    expect((await api(C, 'PATCH', '/users/me', users.erin.token, { hidden: true })).status).toBe(200);
    await waitFor(() => !named().includes('erin') && (viewsOnA.at(-1)?.hiddenCount ?? 0) >= 1, 5_000, 'erin counted as hidden on A');
    expect((await api(C, 'PATCH', '/users/me', users.erin.token, { hidden: false })).status).toBe(200);
    await waitFor(() => named().includes('erin'), 5_000, 'erin named again on A');
    watcher.close();
    shy.close();
  }, 15_000);

  it('a reply notification made on one node and read through another: the next reply on the first node tells again', async () => {
    const made = await api(A, 'POST', `/forums/${forumId}/topics`, users.dave.token, { title: 'Tell me', body: 'first' });
    expect(made.status).toBe(201);
    const t = made.body.topic.id as string;
    const own = ioClient(C, { transports: ['websocket'], auth: { token: users.dave.token } });
    rawSockets.push(own);
    const pushed: Array<{ notification: { kind: string; postId: string } }> = [];
    own.on('notification:new', (e) => pushed.push(e));
    await waitFor(() => own.connected, 5_000, "dave's socket on C");
    const reply = (body: string) => api(A, 'POST', `/topics/${t}/posts`, users.bob.token, { body });

    const one = await reply('one');
    await waitFor(() => pushed.length === 1, 5_000, 'the reply notification made on A, pushed on C');
    expect(pushed[0].notification).toMatchObject({ kind: 'reply', postId: one.body.post.id });
    await reply('two'); // unread still: A remembers and tells no one
    await sleep(300);
    expect(pushed).toHaveLength(1);

    expect((await api(B, 'POST', '/notifications/read', users.dave.token, {})).body).toEqual({ unreadCount: 0 });
    await sleep(300); // B's word reaches A through Redis
    const three = await reply('three');
    await waitFor(() => pushed.length === 2, 5_000, 'a new reply notification after the read on B');
    expect(pushed[1].notification).toMatchObject({ kind: 'reply', postId: three.body.post.id });
    own.disconnect();
  }, 20_000);

  it('replies through two nodes at the same instant tell the topic\'s author once', async () => {
    const made = await api(C, 'POST', `/forums/${forumId}/topics`, users.erin.token, { title: 'Two at once', body: 'first' });
    expect(made.status).toBe(201);
    const t = made.body.topic.id as string;
    const unreadReplies = async () =>
      ((await api(C, 'GET', '/notifications', users.erin.token)).body.notifications as Array<{ kind: string; topicId: string; read: boolean }>).filter(
        (n) => n.kind === 'reply' && n.topicId === t && !n.read,
      );
    // Each round: erin has read everything; bob on A and carol on B reply at once. Each node then
    // finds no unread reply notification and makes one: the two must be the same one.
    for (let round = 0; round < 4; round++) {
      const [one, two] = await Promise.all([
        api(A, 'POST', `/topics/${t}/posts`, users.bob.token, { body: `bob ${round}` }),
        api(B, 'POST', `/topics/${t}/posts`, users.carol.token, { body: `carol ${round}` }),
      ]);
      expect([one.status, two.status]).toEqual([201, 201]);
      await waitFor(async () => (await unreadReplies()).length > 0, 5_000, 'the reply notification');
      await sleep(300); // a second one would be made by now
      expect(await unreadReplies()).toHaveLength(1);
      expect((await api(C, 'POST', '/notifications/read', users.erin.token, {})).body).toEqual({ unreadCount: 0 });
      await sleep(300); // C's word reaches A and B through Redis
    }
  }, 30_000);

  it('a watch made through one node is heard by another that had the topic\'s watchers in memory', async () => {
    const made = await api(A, 'POST', `/forums/${forumId}/topics`, users.carol.token, { title: 'Watch me', body: 'first' });
    const t = made.body.topic.id as string;
    const erinSocket = ioClient(C, { transports: ['websocket'], auth: { token: users.erin.token } });
    rawSockets.push(erinSocket);
    const pushed: Array<{ notification: { kind: string; postId: string } }> = [];
    erinSocket.on('notification:new', (e) => pushed.push(e));
    await waitFor(() => erinSocket.connected, 5_000, "erin's socket on C");
    expect((await api(A, 'POST', `/topics/${t}/posts`, users.bob.token, { body: 'A reads the watchers: none' })).status).toBe(201);

    expect((await api(B, 'PUT', `/topics/${t}/watch`, users.erin.token)).body).toEqual({ topicId: t, watching: true });
    await sleep(300); // B's word reaches A through Redis
    const reply = await api(A, 'POST', `/topics/${t}/posts`, users.bob.token, { body: 'Now erin hears of it' });
    await waitFor(() => pushed.length === 1, 5_000, 'the watcher told through A');
    expect(pushed[0].notification).toMatchObject({ kind: 'reply', postId: reply.body.post.id });
    erinSocket.disconnect();
  }, 20_000);

  it('a private message sent through one node reaches its reader on another; a report reaches a moderator on a third', async () => {
    const daveSocket = ioClient(B, { transports: ['websocket'], auth: { token: users.dave.token } });
    const rootSocket = ioClient(C, { transports: ['websocket'], auth: { token: users.root.token } });
    rawSockets.push(daveSocket, rootSocket);
    const messages: Array<{ message: { body: string }; unreadCount: number }> = [];
    const reports: Array<{ report: { reason: string } }> = [];
    daveSocket.on('message:new', (e) => messages.push(e));
    rootSocket.on('report:new', (e) => reports.push(e));
    await waitFor(() => daveSocket.connected && rootSocket.connected, 5_000, 'both sockets');

    const started = await api(A, 'POST', '/conversations', users.carol.token, { to: ['dave'], title: 'Across', body: 'Hello from A' });
    expect(started.status).toBe(201);
    await waitFor(() => messages.length === 1, 5_000, 'the message pushed on B');
    expect(messages[0]).toMatchObject({ message: { body: 'Hello from A' }, unreadCount: 1 });

    const posted = await api(A, 'POST', `/topics/${topicId}/posts`, users.bob.token, { body: 'Something to report' });
    expect((await api(A, 'POST', `/posts/${posted.body.post.id}/report`, users.carol.token, { reason: 'Off topic' })).status).toBe(201);
    await waitFor(() => reports.length === 1, 5_000, 'the report pushed on C');
    expect(reports[0].report.reason).toBe('Off topic');
    daveSocket.disconnect();
    rootSocket.disconnect();
  }, 20_000);

  it('votes through two nodes reach a poll\'s viewers on a third, the last push holding both', async () => {
    const made = await api(A, 'POST', `/forums/${forumId}/topics`, users.erin.token, { title: 'Cluster poll', body: 'Vote', poll: { question: 'Which node?', options: ['A', 'B', 'C'] } });
    expect(made.status).toBe(201);
    const pollTopic = made.body.topic.id as string;
    const viewer = ioClient(C, { transports: ['websocket'], auth: { token: users.dave.token } });
    rawSockets.push(viewer);
    const pushes: Array<{ poll: { voterCount: number; options: Array<{ votes: number }> } | null }> = [];
    viewer.on('poll:updated', (e) => pushes.push(e));
    const sub = await new Promise<{ ok: boolean }>((resolve) => viewer.emit('topic:subscribe', { topicId: pollTopic }, resolve));
    expect(sub.ok).toBe(true);
    expect((await api(A, 'POST', `/topics/${pollTopic}/poll/vote`, users.alice.token, { choices: [0] })).status).toBe(200);
    expect((await api(B, 'POST', `/topics/${pollTopic}/poll/vote`, users.bob.token, { choices: [1] })).status).toBe(200);
    await waitFor(() => pushes.at(-1)?.poll?.voterCount === 2, 5_000, 'both votes pushed on C');
    expect(pushes.at(-1)!.poll!.options.map((o) => o.votes)).toEqual([1, 1, 0]);
    viewer.disconnect();
  }, 20_000);

  it("who browses a forum is shared: a topic reader on one node and a guest on another show on a third", async () => {
    const browser = connect({ url: A, token: users.root.token, sessionId: 's-browsing-root', ackTimeoutMs: 3_000 });
    const reader = connect({ url: B, token: users.carol.token, sessionId: 's-browsing-carol', ackTimeoutMs: 3_000 });
    const guest = connect({ url: C, sessionId: 's-browsing-guest', ackTimeoutMs: 3_000 });
    clients.push(browser, reader, guest);
    const seen: PresenceForum[] = [];
    browser.onBrowsing((e) => e.forumId === forumId && seen.push(e));
    await browser.subscribeForum(forumId, {}, { browsing: true });
    const readerSub = await reader.subscribeTopic(topicId, {});
    await guest.subscribeForum(forumId, {}, { browsing: true });
    const named = () => seen.at(-1)?.viewers.map((u) => u.username).sort() ?? [];
    await waitFor(() => named().join() === 'carol,root' && seen.at(-1)?.guestCount === 1, 5_000, 'carol (B) and a guest (C) browsing, pushed on A');
    // A crawler listing the forum over HTTP through C (Redis keeps its place): a bot on A.
    // HTTP visits count for a second here, so it keeps crawling until A has pushed it.
    const bots = () => seen.at(-1)?.bots.map((b) => b.name).join() ?? '';
    await waitFor(
      async () => {
        const listed = await fetch(`${C}/api/v1/forums/${forumId}/topics`, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' } });
        expect(listed.status).toBe(200);
        return bots() === 'Bing [Bot]';
      },
      5_000,
      'an HTTP crawler on C browsing the forum, pushed on A',
    );
    await waitFor(() => bots() === '', 5_000, 'the crawler gone once its online window passed');
    await readerSub.unsubscribe();
    await waitFor(() => named().join() === 'root', 5_000, 'carol gone from the forum on A once she left the topic on B');
    browser.close();
    reader.close();
    guest.close();
  }, 20_000);

  it('a guest session browsing through one node that signs in through another stops counting as a guest on a third at once', async () => {
    const browse = (base: string, token?: string) =>
      fetch(`${base}/api/v1/forums`, { headers: { 'x-session-id': 's-signing-in-1', 'user-agent': 'SigningIn/1', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    // Quiet first: earlier tests' guests have left (sockets after their grace, HTTP after a second).
    let last = -1;
    await waitFor(async () => {
      const now = (await online(C)).guestCount;
      const steady = now === last;
      last = now;
      if (!steady) await sleep(1_100);
      return steady;
    }, 10_000, 'a steady guest count');
    expect((await browse(A)).status).toBe(200);
    const before = await online(C);
    // Well inside the online window (a second here): only the sign-in can have removed it.
    expect((await browse(B, users.dave.token)).status).toBe(200);
    const after = await online(C);
    expect(after.guestCount).toBe(before.guestCount - 1);
    expect(after.registered.map((u) => u.username)).toContain('dave');
  }, 20_000);

  it('writers on all three nodes at once get consecutive seqs, and every node delivers them in order', async () => {
    const since = await topicSeq();
    const followers = await Promise.all([follower(A, 'alice', since), follower(B, 'bob', since), follower(C, 'carol', since)]);
    const perNode = 25;
    const seqs = (
      await Promise.all(
        [A, B, C].map(async (base, n) => {
          const mine: number[] = [];
          for (let i = 0; i < perNode; i++) {
            const r = await api(base, 'POST', `/topics/${topicId}/posts`, users.dave.token, { body: `node ${n} post ${i}`, clientId: `cc-${n}-${i}` });
            expect(r.status).toBe(201);
            mine.push(r.body.seq);
          }
          return mine;
        }),
      )
    ).flat();
    const expected = Array.from({ length: 3 * perNode }, (_, i) => since + 1 + i);
    expect([...seqs].sort((x, y) => x - y)).toEqual(expected);
    for (const f of followers) await waitFor(() => f.seqs.length >= expected.length, 10_000, 'every follower to get every post');
    await sleep(300);
    for (const f of followers) {
      expect(f.seqs).toEqual(expected);
      f.client.close();
    }
  }, 40_000);

  it('a node killed with SIGKILL: its clients fail over and catch up, its users leave who-is-online within the TTL', async () => {
    const since = await topicSeq();
    // Three followers that start on C and know every node.
    const movers = await Promise.all(['carol', 'bob', 'alice'].map((who) => follower([C, A, B], who, since)));
    for (const m of movers) expect(m.client.url).toContain(`:${nodes[2].port}`);
    // ghost is on C only, without reconnection: it goes with the node.
    const ghost = ioClient(C, { auth: { token: users.ghost.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    rawSockets.push(ghost);
    await waitFor(async () => (await onlineNames(A)).includes('ghost'), 5_000, 'ghost online as seen from A');

    const written: number[] = [];
    const writer = (async () => {
      for (let i = 0; i < 40; i++) {
        const base = i % 2 ? A : B;
        const r = await api(base, 'POST', `/topics/${topicId}/posts`, users.dave.token, { body: `during the kill ${i}`, clientId: `kill-${i}` });
        expect(r.status).toBe(201);
        written.push(r.body.seq);
        await sleep(25);
      }
    })();
    await sleep(300);
    await nodes[2].kill('SIGKILL');
    const killedAt = Date.now();
    // Watched from now on, alongside the rest: how long ghost stays listed after its node died.
    const ghostGoneAfter = waitFor(async () => !(await onlineNames(A)).includes('ghost'), NODE_TTL_MS + 10_000, 'ghost to leave who-is-online').then(
      () => Date.now() - killedAt,
    );
    await writer;

    const expected = Array.from({ length: 40 }, (_, i) => since + 1 + i);
    expect([...written].sort((x, y) => x - y)).toEqual(expected);
    for (const m of movers) {
      await waitFor(() => m.seqs.length >= 40 && m.client.state === 'connected', 20_000, 'a moved client to catch up');
      expect(m.client.url).not.toContain(`:${nodes[2].port}`);
    }
    await sleep(300);
    for (const m of movers) expect(m.seqs).toEqual(expected);

    // The node's heartbeat key lapses within NODE_TTL_MS; the rest is polling and load slack.
    expect(await ghostGoneAfter).toBeLessThan(NODE_TTL_MS + 2_500);
    // The users whose clients moved are still online, seen from either live node.
    for (const base of [A, B]) expect(await onlineNames(base)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
    for (const m of movers) m.client.close();
  }, 60_000);

  it('Redis restarts mid-run: nodes keep serving their own clients, then the cluster recovers and nothing is lost', async () => {
    const since = await topicSeq();
    const onA = await follower(A, 'alice', since);
    const onB = await follower(B, 'bob', since);
    await waitFor(async () => (await onlineNames(A)).includes('bob'), 5_000, 'bob (on B) online as seen from A');

    await redis!.stop();
    // During the outage: a post on A reaches A's own clients; B still answers requests.
    const during = await api(A, 'POST', `/topics/${topicId}/posts`, users.dave.token, { body: 'while Redis is down', clientId: 'outage-1' });
    expect(during.status).toBe(201);
    await waitFor(() => onA.seqs.includes(during.body.seq), 5_000, 'the outage post on A\'s own client');
    expect((await api(B, 'GET', `/topics/${topicId}`)).status).toBe(200);
    expect((await api(B, 'GET', '/online')).status).toBe(200);

    await redis!.restart();
    // B's client missed the outage post: after recovery it catches up from the event log.
    await waitFor(() => onB.seqs.includes(during.body.seq), 10_000, 'B\'s client to catch up on the outage post');
    // Live again across nodes: a post on A after recovery reaches B.
    const after = await api(A, 'POST', `/topics/${topicId}/posts`, users.dave.token, { body: 'Redis is back', clientId: 'outage-2' });
    expect(after.status).toBe(201);
    await waitFor(() => onB.seqs.includes(after.body.seq), 10_000, 'the post after recovery on B');
    // A's clients were asked to reconnect too (the node cannot know what they missed): they catch up as well.
    await waitFor(() => onA.seqs.includes(after.body.seq), 10_000, 'the post after recovery on A');
    await sleep(300);
    expect(onB.seqs).toEqual([since + 1, since + 2]);
    expect(onA.seqs).toEqual([since + 1, since + 2]);
    // Presence was rewritten into the empty Redis: bob (on B) is online again as seen from A.
    await waitFor(async () => (await onlineNames(A)).includes('bob'), 8_000, 'bob online again as seen from A');
  }, 40_000);
});
