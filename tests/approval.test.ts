// Posts awaiting approval (phpBB's post approval, APPROVE_POSTS_UNDER): a new member's replies
// and topics are held, moderators see the queue live and approve (posted as the author's, to
// every watcher) or reject (logged); moderators, admins, bots and members with enough posts are
// never held; bad input and races are refused. REST and the socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { seedDemoBoard } from '../server/seed/demo-board.js';

let s: TestServer;
/** A forum and a topic made by an admin (never held). */
let ctx: { admin: { id: string; username: string; token: string }; forum: { id: string }; topic: { id: string; forumId: string } };
beforeAll(async () => {
  s = await startTestServer({ approvePostsUnder: 2 });
  const admin = await s.user('board_admin', 'admin');
  const forum = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'General', description: 'Talk' } })).body.forum;
  const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: admin.token, body: { title: 'Hello world', body: 'First post' } });
  expect(made.status).toBe(201);
  ctx = { admin, forum, topic: made.body.topic };
});
afterAll(() => s?.close());

const queue = async (token: string) => (await s.api('GET', '/queue', { token })).body as { posts: Array<{ id: string; kind: string; subject: string }>; count: number };
const topicPage = async (topicId: string) => (await s.api('GET', `/topics/${topicId}`)).body as { topic: { postCount: number }; posts: Array<{ id: string; body: string; author: { username: string } }> };

describe('posts awaiting approval', () => {
  it('holds a new member’s reply, shows it to moderators live, and posts it as theirs when approved', async () => {
    const { admin, topic } = ctx;
    const newbie = await s.user('newbie_one');
    const mod = await s.user('approver', 'moderator');
    const modTab = await s.socket(mod.token);
    const watcher = await s.socket(newbie.token);
    expect((await ack(watcher, 'topic:subscribe', { topicId: topic.id })).ok).toBe(true);
    const added = collect(modTab, 'queue:added', 1);
    const nothingLive = receivedWithin(watcher, 'post:created', 500);

    const held = await s.api('POST', `/topics/${topic.id}/posts`, { token: newbie.token, body: { body: 'Hello, **first** post!' } });
    expect(held.status).toBe(202);
    expect(held.body.queued).toEqual({
      id: expect.any(String),
      kind: 'reply',
      author: { id: newbie.id, username: 'newbie_one' },
      forumId: topic.forumId,
      topicId: topic.id,
      topicTitle: 'Hello world',
      subject: 'Re: Hello world',
      body: 'Hello, **first** post!',
      bodyHtml: '<p>Hello, <strong>first</strong> post!</p>\n',
      createdAt: expect.any(String),
    });
    expect((await added)[0]).toEqual({ post: held.body.queued, count: 1 });
    expect(await nothingLive).toBe(false);
    expect((await topicPage(topic.id)).topic.postCount).toBe(1);
    expect(await queue(mod.token)).toMatchObject({ count: 1, posts: [{ id: held.body.queued.id }] });
    expect((await s.api('GET', '/queue', { token: newbie.token })).status).toBe(403);
    expect((await s.api('GET', '/queue')).status).toBe(401);

    const posted = collect(watcher, 'post:created', 1);
    const removed = collect(modTab, 'queue:removed', 1);
    const approved = await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.post).toMatchObject({ body: 'Hello, **first** post!', subject: 'Re: Hello world', number: 2, author: { id: newbie.id, postCount: 1 } });
    expect((await posted)[0].post.id).toBe(approved.body.post.id);
    expect((await removed)[0]).toMatchObject({ post: { id: held.body.queued.id }, count: 0 });
    expect((await topicPage(topic.id)).posts.map((p) => p.author.username)).toEqual(['board_admin', 'newbie_one']);
    const logged = (await s.api('GET', '/modlog', { token: admin.token })).body.entries[0];
    expect(logged).toMatchObject({ action: 'post.approve', actor: { username: 'approver' }, target: { type: 'post', id: approved.body.post.id } });
    expect((await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token, body: {} })).status).toBe(404);
  });

  it('holds over the socket too; a retry with the same clientId finds the held post, not a second one', async () => {
    const newbie = await s.user('newbie_two');
    const mod = await s.user('approver_two', 'moderator');
    const socket = await s.socket(newbie.token);
    const first = await ack(socket, 'post:create', { topicId: ctx.topic.id, body: 'Via the socket', clientId: 'c-1' });
    expect(first).toMatchObject({ ok: true, data: { queued: { kind: 'reply', body: 'Via the socket', author: { username: 'newbie_two' } } } });
    const again = await ack(socket, 'post:create', { topicId: ctx.topic.id, body: 'Via the socket', clientId: 'c-1' });
    expect(again.data.queued.id).toBe(first.data.queued.id);
    expect((await queue(mod.token)).posts.filter((p) => p.id === first.data.queued.id)).toHaveLength(1);
    // Approved twice at once: posted once, the other told it is taken.
    const both = await Promise.all([1, 2].map(() => s.api('POST', `/queue/${first.data.queued.id}/approve`, { token: mod.token, body: {} })));
    const codes = both.filter((r) => r.status !== 200).map((r) => r.body.error.code);
    expect(codes.every((c) => c === 'CONFLICT' || c === 'NOT_FOUND')).toBe(true);
    expect(both.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await topicPage(ctx.topic.id)).posts.filter((p) => p.body === 'Via the socket')).toHaveLength(1);
  });

  it('holds a new topic with its poll; approved, the topic is made with both; rejected posts go, logged with the reason', async () => {
    const { forum, admin } = ctx;
    const newbie = await s.user('newbie_three');
    const mod = await s.user('approver_three', 'moderator');
    const countBefore = (await s.api('GET', '/forums')).body.forums.find((f: { id: string }) => f.id === forum.id).topicCount;
    const held = await s.api('POST', `/forums/${forum.id}/topics`, { token: newbie.token, body: { title: 'My first topic', body: 'Pick one', poll: { question: 'Which?', options: ['A', 'B'] } } });
    expect(held.status).toBe(202);
    expect(held.body.queued).toMatchObject({ kind: 'topic', topicTitle: 'My first topic', subject: 'My first topic', hasPoll: true, forumId: forum.id });
    expect(held.body.queued.topicId).toBeUndefined();
    expect((await s.api('GET', '/forums')).body.forums.find((f: { id: string }) => f.id === forum.id).topicCount).toBe(countBefore);
    const approved = await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token });
    expect(approved.status).toBe(200);
    expect(approved.body.topic).toMatchObject({ title: 'My first topic', hasPoll: true, authorName: 'newbie_three' });
    expect((await s.api('GET', `/topics/${approved.body.topic.id}`)).body.poll).toMatchObject({ question: 'Which?' });

    const spam = await s.api('POST', `/topics/${approved.body.topic.id}/posts`, { token: (await s.user('spammer')).token, body: { body: 'Buy now' } });
    expect(spam.status).toBe(202);
    expect((await s.api('POST', `/queue/${spam.body.queued.id}/reject`, { token: mod.token, body: { reason: 'Advertising', tell: false } })).body).toEqual({ id: spam.body.queued.id, rejected: true, told: false });
    expect((await queue(mod.token)).posts.map((p) => p.id)).not.toContain(spam.body.queued.id);
    expect((await topicPage(approved.body.topic.id)).posts.map((p) => p.body)).toEqual(['Pick one']);
    const logged = (await s.api('GET', '/modlog', { token: admin.token })).body.entries[0];
    expect(logged).toMatchObject({ action: 'post.reject', reason: 'Advertising', target: { type: 'user' }, details: { kind: 'reply', subject: 'Re: My first topic' } });
  });

  it('never holds moderators, admins, bots or members with enough posts; approval refused by the topic is kept for a reject', async () => {
    const { admin, topic } = ctx;
    const mod = await s.user('approver_four', 'moderator');
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: mod.token, body: { body: 'Moderator reply' } })).status).toBe(201);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: admin.token, body: { body: 'Admin reply' } })).status).toBe(201);
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: 'helper_bot' } })).body.bot;
    const botToken = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: admin.token, body: { scopes: ['read', 'post'] } })).body.token;
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: botToken, body: { body: 'Bot reply' } })).status).toBe(201);
    // A member with one post (under 2): held; with two (one approved), no longer.
    const member = await s.user('regular');
    await s.models.User.updateOne({ _id: member.id }, { $set: { postCount: 1 } });
    const held = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'Second post' } });
    expect(held.status).toBe(202);
    expect((await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token })).status).toBe(200);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'Third post, direct' } })).status).toBe(201);

    // Locked after it was held: the author could not post there now, so neither can its approval.
    const newbie = await s.user('newbie_five');
    const late = await s.api('POST', `/topics/${topic.id}/posts`, { token: newbie.token, body: { body: 'Late reply' } });
    expect((await s.api('POST', `/topics/${topic.id}/lock`, { token: mod.token, body: {} })).status).toBe(200);
    expect(await s.api('POST', `/queue/${late.body.queued.id}/approve`, { token: mod.token })).toMatchObject({ status: 423, body: { error: { code: 'LOCKED' } } });
    expect((await queue(mod.token)).posts.map((p) => p.id)).toContain(late.body.queued.id);
    expect((await s.api('POST', `/queue/${late.body.queued.id}/reject`, { token: mod.token, body: {} })).status).toBe(200);
    expect((await s.api('POST', `/topics/${topic.id}/unlock`, { token: mod.token, body: {} })).status).toBe(200);
  });

  it('tells the author: their held posts listed and pushed to every tab; approved, a notification; rejected, a message with the reason and their text', async () => {
    const { topic } = ctx;
    const mod = await s.user('approver_six', 'moderator');
    const author = await s.user('newbie_seven');
    const other = await s.user('newbie_eight');
    const tab = await s.socket(author.token);
    const otherTab = await s.socket(other.token);
    const heldPush = collect(tab, 'queue:held', 2);
    const nothingForOthers = receivedWithin(otherTab, 'queue:held', 800);
    const reply = (await s.api('POST', `/topics/${topic.id}/posts`, { token: author.token, body: { body: 'Please let me in' } })).body.queued;
    const body = 'Has ``` fences ```` inside\nand a second line';
    const topicHeld = (await s.api('POST', `/forums/${ctx.forum.id}/topics`, { token: author.token, body: { title: 'Rejected idea', body } })).body.queued;
    expect((await heldPush).map((e) => e.post.id)).toEqual([reply.id, topicHeld.id]);
    expect(await nothingForOthers).toBe(false);
    const mine = await s.api('GET', '/queue/mine', { token: author.token });
    expect(mine.body).toEqual({ posts: [reply, topicHeld], total: 2, page: 1, pageCount: 1 });
    expect((await s.api('GET', '/queue/mine', { token: other.token })).body).toMatchObject({ posts: [], total: 0 });

    // Approved: the verdict on every tab, and a notification naming the moderator and the post.
    const decided = collect(tab, 'queue:decided', 1);
    const told = collect(tab, 'notification:new', 1);
    const approved = (await s.api('POST', `/queue/${reply.id}/approve`, { token: mod.token, body: {} })).body.post;
    expect((await decided)[0]).toEqual({ id: reply.id, outcome: 'approved', post: reply, postId: approved.id, topicId: topic.id });
    expect((await told)[0].notification).toMatchObject({ kind: 'approved', actor: { username: 'approver_six' }, postId: approved.id, topicId: topic.id, topicTitle: 'Hello world', postNumber: approved.number });

    // Rejected: the verdict with the reason, and a private message from the moderator with the text verbatim.
    const rejectedPush = collect(tab, 'queue:decided', 1);
    const message = collect(tab, 'message:new', 1);
    const rejected = await s.api('POST', `/queue/${topicHeld.id}/reject`, { token: mod.token, body: { reason: 'Off topic here' } });
    expect(rejected.body).toEqual({ id: topicHeld.id, rejected: true, told: true });
    const pm = (await message)[0];
    expect((await rejectedPush)[0]).toEqual({ id: topicHeld.id, outcome: 'rejected', post: topicHeld, reason: 'Off topic here', told: true, conversationId: pm.conversation.id });
    expect(pm.conversation).toMatchObject({ title: 'Not approved: Rejected idea', participants: [{ username: 'approver_six' }, { username: 'newbie_seven' }] });
    expect(pm.message.body).toBe(`Your new topic "Rejected idea" was not approved by a moderator.\n\nReason: Off topic here\n\nYour text, to change and post again:\n\n\`\`\`\`\`\n${body}\n\`\`\`\`\``);
    expect(pm.message.bodyHtml).toContain('<code>Has ``` fences ```` inside\nand a second line\n</code>');
    expect((await s.api('GET', '/queue/mine', { token: author.token })).body).toMatchObject({ posts: [], total: 0 });
  });

  it('refuses bad input and non-moderators, and changes nothing', async () => {
    const mod = await s.user('approver_five', 'moderator');
    const newbie = await s.user('newbie_six');
    const held = (await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: newbie.token, body: { body: 'Waiting' } })).body.queued;
    for (const [path, body] of [
      [`/queue/nope/approve`, {}],
      [`/queue/${held.id}/approve`, { extra: 1 }],
      [`/queue/${held.id}/reject`, { reason: 'x'.repeat(LIMITS.reasonMax + 1) }],
      [`/queue/${held.id}/reject`, { reason: '   ' }],
      [`/queue/${held.id}/reject`, { reason: 7 }],
      [`/queue/${held.id}/reject`, { tell: 'yes' }],
    ] as const) {
      const res = await s.api('POST', path, { token: mod.token, body });
      expect([path, res.status, res.body.error.code]).toEqual([path, 400, 'BAD_REQUEST']);
    }
    expect((await s.api('GET', '/queue?page=0', { token: mod.token })).status).toBe(400);
    expect((await s.api('GET', '/queue/mine?page=0', { token: newbie.token })).status).toBe(400);
    expect((await s.api('GET', '/queue/mine')).status).toBe(401);
    expect((await s.api('POST', '/queue/0123456789abcdef01234567/approve', { token: mod.token, body: {} })).status).toBe(404);
    expect((await s.api('POST', '/queue/0123456789abcdef01234567/reject', { token: mod.token, body: {} })).status).toBe(404);
    expect((await s.api('POST', `/queue/${held.id}/approve`, { token: newbie.token, body: {} })).status).toBe(403);
    expect((await s.api('POST', `/queue/${held.id}/reject`, { body: {} })).status).toBe(401);
    expect((await queue(mod.token)).posts.map((p) => p.id)).toContain(held.id);
  });
});

describe('posts awaiting approval, with the flood interval on', () => {
  let f: TestServer;
  beforeAll(async () => {
    f = await startTestServer({ approvePostsUnder: 5, floodIntervalMs: 60_000 });
  });
  afterAll(() => f?.close());

  it('the demo board seeds whole: the server’s own posts are never held', async () => {
    expect(await seedDemoBoard(f.app.services, 'always')).toBe(true);
    expect(await f.models.QueuedPost.countDocuments({})).toBe(0);
    expect(await f.models.Post.countDocuments({})).toBeGreaterThan(5);
  });

  it('a retry of a held reply within the interval answers the held post; after its approval, the post', async () => {
    const admin = await f.user('flood_admin', 'admin');
    const forum = (await f.api('POST', '/forums', { token: admin.token, body: { title: 'Slow', description: 'x' } })).body.forum;
    const topic = (await f.api('POST', `/forums/${forum.id}/topics`, { token: admin.token, body: { title: 'Paced', body: 'First' } })).body.topic;
    const newbie = await f.user('flood_newbie');
    const socket = await f.socket(newbie.token);
    const send = () => ack(socket, 'post:create', { topicId: topic.id, body: 'Once only', clientId: 'retry-1' });
    const first = await send();
    expect(first.data.queued).toBeDefined();
    expect((await send()).data).toEqual(first.data); // not RATE_LIMITED, not a second one
    expect((await ack(socket, 'post:create', { topicId: topic.id, body: 'Another', clientId: 'retry-2' })).error.code).toBe('RATE_LIMITED');
    const approved = await f.api('POST', `/queue/${first.data.queued.id}/approve`, { token: admin.token, body: {} });
    expect(approved.status).toBe(200);
    const after = await send();
    expect(after).toMatchObject({ ok: true, data: { post: { id: approved.body.post.id } } });
    expect((await f.api('GET', '/queue', { token: admin.token })).body.count).toBe(0);
  });
});

