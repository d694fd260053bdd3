import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, ack, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { createRest } from '../client/sdk/index.js';
import { forum as forumSchema, forumMarkResult, topic as topicSchema, topicReadResult, unreadTopics as unreadTopicsSchema } from '../shared/schemas.js';

/**
 * Unread tracking: per member and topic the highest post number read, per member and forum (and
 * board-wide) a "marked read at" time; `unread`/`firstUnread` in listings, `?page=unread`.
 */

type U = { id: string; username: string; token: string };
let s: TestServer;
let admin: U;
/** Writes most posts. */
let author: U;
/** Reads them. */
let reader: U;
/** A third member who never marks anything. */
let bystander: U;
let forumId: string;

beforeAll(async () => {
  s = await startTestServer();
  // Members join before anything is posted: posts from before a member joined count as read.
  admin = await s.user('unread_admin', 'admin');
  author = await s.user('unread_author');
  reader = await s.user('unread_reader');
  bystander = await s.user('unread_bystander');
  forumId = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Unread', description: 'tracking' } })).body.forum.id;
});
afterAll(() => s?.close());

async function newForum(title: string): Promise<string> {
  const res = await s.api('POST', '/forums', { token: admin.token, body: { title } });
  expect(res.status).toBe(201);
  return res.body.forum.id;
}
async function newTopic(inForum: string, title: string, by = author): Promise<{ id: string; firstPostId: string }> {
  const res = await s.api('POST', `/forums/${inForum}/topics`, { token: by.token, body: { title, body: `${title}: first post` } });
  expect(res.status).toBe(201);
  return { id: res.body.topic.id, firstPostId: res.body.post.id };
}
async function reply(topicId: string, by = author, body = 'a reply'): Promise<{ id: string; number: number }> {
  const res = await s.api('POST', `/topics/${topicId}/posts`, { token: by.token, body: { body } });
  expect(res.status).toBe(201);
  return res.body.post;
}
/** The topic as the forum listing shows it to this user. */
async function listed(topicId: string, inForum: string, token?: string) {
  const res = await s.api('GET', `/forums/${inForum}/topics`, { token });
  expect(res.status).toBe(200);
  const t = res.body.topics.find((x: { id: string }) => x.id === topicId);
  expect(t, 'topic listed').toBeTruthy();
  return topicSchema.parse(t);
}
/** The forum as GET /forums shows it to this user. */
async function board(inForum: string, token?: string) {
  const res = await s.api('GET', '/forums', { token });
  expect(res.status).toBe(200);
  return forumSchema.parse(res.body.forums.find((f: { id: string }) => f.id === inForum));
}
const markTopic = (topicId: string, number: unknown, token = reader.token) => s.api('POST', `/topics/${topicId}/read`, { token, body: { number } });
const readRow = (userId: string, topicId: string) => s.models.TopicRead.findOne({ userId, topicId }).lean();

describe('a topic becomes unread and read', () => {
  let topicId: string;

  it('a new topic and a new reply are unread for another member, and not for their author', async () => {
    topicId = (await newTopic(forumId, 'Fresh news')).id;
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 1 });
    // The author's own post marks the topic read up to it, just after it is stored.
    await expect.poll(async () => (await listed(topicId, forumId, author.token)).unread).toBe(false);
    expect((await listed(topicId, forumId, author.token)).firstUnread).toBeUndefined();

    const marked = await markTopic(topicId, 1);
    expect(marked.status).toBe(200);
    expect(topicReadResult.parse(marked.body)).toEqual({ topicId, number: 1 });
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: false });

    await reply(topicId); // #2, over REST
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 2 });
    await expect.poll(async () => (await readRow(author.id, topicId))?.number).toBe(2);
    expect((await listed(topicId, forumId, author.token)).unread).toBe(false);

    const sock = await s.socket(author.token);
    const sent = await ack(sock, 'post:create', { topicId, body: 'over the socket', clientId: 'unread-socket-1' }); // #3
    expect(sent.ok).toBe(true);
    expect(sent.data.post.number).toBe(3);
    await expect.poll(async () => (await readRow(author.id, topicId))?.number).toBe(3);
    expect((await listed(topicId, forumId, author.token)).unread).toBe(false);
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 2 });
    expect(await listed(topicId, forumId, bystander.token)).toMatchObject({ unread: true, firstUnread: 1 });
  });

  it('writes what it holds of own posts when the app flushes (as it does on close): the highest of a burst', async () => {
    const burst = (await newTopic(forumId, 'Burst')).id;
    await expect.poll(async () => (await readRow(author.id, burst))?.number).toBe(1);
    const sent = await Promise.all([2, 3, 4].map((n) => reply(burst, author, `burst ${n}`)));
    expect(sent.map((p) => p.number).sort()).toEqual([2, 3, 4]);
    // Held for OWN_MARK_DELAY_MS (unless the replies took longer); a flush writes the highest now.
    await s.app.services.unread.flush();
    expect((await readRow(author.id, burst))?.number).toBe(4);
  });

  it('reading up to the last number clears it; a lower number later does not bring it back', async () => {
    expect((await markTopic(topicId, 3)).body).toEqual({ topicId, number: 3 });
    expect((await listed(topicId, forumId, reader.token)).unread).toBe(false);
    const lower = await markTopic(topicId, 1);
    expect(lower.status).toBe(200);
    expect(lower.body).toEqual({ topicId, number: 3 }); // $max: never goes down
    expect((await readRow(reader.id, topicId))?.number).toBe(3);
    expect((await listed(topicId, forumId, reader.token)).unread).toBe(false);
  });

  it('a number above the topic’s highest is clamped, so later posts are still unread', async () => {
    const high = await markTopic(topicId, 1_000_000);
    expect(high.status).toBe(200);
    expect(high.body).toEqual({ topicId, number: 3 });
    expect((await readRow(reader.id, topicId))?.number).toBe(3);
    await reply(topicId); // #4
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 4 });
  });

  it('firstUnread is the first post after the read number, however many came since', async () => {
    expect((await markTopic(topicId, 4)).body.number).toBe(4);
    const fifth = await reply(topicId);
    await reply(topicId);
    await reply(topicId); // #5, #6, #7
    expect(fifth.number).toBe(5);
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 5 });
    const jump = await s.api('GET', `/topics/${topicId}?page=unread`, { token: reader.token });
    expect(jump.status).toBe(200);
    expect(jump.body.firstUnreadPostId).toBe(fifth.id);
    expect(jump.body.page).toBe(1);
    expect((await markTopic(topicId, 6)).body.number).toBe(6);
    expect(await listed(topicId, forumId, reader.token)).toMatchObject({ unread: true, firstUnread: 7 });
    expect((await markTopic(topicId, 7)).body.number).toBe(7);
    expect((await listed(topicId, forumId, reader.token)).unread).toBe(false);
  });

  it('posts deleted after the last visible one do not keep a topic unread once it is read to the end', async () => {
    const gone = await reply(topicId); // #8, then deleted
    expect((await s.api('DELETE', `/posts/${gone.id}`, { token: author.token })).status).toBe(200);
    expect((await listed(topicId, forumId, reader.token)).unread).toBe(true); // #8 was numbered above 7
    const jump = await s.api('GET', `/topics/${topicId}?page=unread`, { token: reader.token });
    expect(jump.body.firstUnreadPostId).toBeUndefined(); // nothing left to read there
    // Read up to the last visible post (#7): everything after it is read with it.
    expect((await markTopic(topicId, 7)).body).toEqual({ topicId, number: 8 });
    expect((await listed(topicId, forumId, reader.token)).unread).toBe(false);
  });
});

describe('forums', () => {
  it('GET /forums says which forums hold an unread topic', async () => {
    const f = await newForum('Forum flags');
    const empty = await newForum('Nothing here');
    expect((await board(f, reader.token)).unread).toBe(false);
    expect((await board(empty, reader.token)).unread).toBe(false);
    const t = await newTopic(f, 'Flagged');
    expect((await board(f, reader.token)).unread).toBe(true);
    expect((await board(empty, reader.token)).unread).toBe(false);
    await expect.poll(async () => (await board(f, author.token)).unread).toBe(false);
    expect((await markTopic(t.id, 1)).status).toBe(200);
    expect((await board(f, reader.token)).unread).toBe(false);
    await reply(t.id);
    expect((await board(f, reader.token)).unread).toBe(true);
    // A deleted topic does not count.
    expect((await s.api('DELETE', `/topics/${t.id}`, { token: admin.token, body: {} })).status).toBe(200);
    expect((await board(f, reader.token)).unread).toBe(false);
    expect((await board(f, admin.token)).unread).toBe(false); // moderators still see it, but it is not counted
  });

  it('mark forum read clears that forum only, and a newer post makes it unread again', async () => {
    const f = await newForum('Mark me');
    const other = await newForum('Leave me');
    const a = await newTopic(f, 'One');
    const b = await newTopic(f, 'Two');
    const c = await newTopic(other, 'Three');
    expect((await board(f, reader.token)).unread).toBe(true);
    expect((await board(other, reader.token)).unread).toBe(true);

    const marked = await s.api('POST', `/forums/${f}/read`, { token: reader.token });
    expect(marked.status).toBe(200);
    expect(forumMarkResult.parse(marked.body).forumId).toBe(f);
    expect(Date.parse(marked.body.markedAt)).toBeLessThanOrEqual(Date.now());
    expect((await board(f, reader.token)).unread).toBe(false);
    expect((await listed(a.id, f, reader.token)).unread).toBe(false);
    expect((await listed(b.id, f, reader.token)).unread).toBe(false);
    expect((await board(other, reader.token)).unread).toBe(true); // another forum keeps its state
    expect((await listed(c.id, other, reader.token)).unread).toBe(true);
    expect((await board(f, bystander.token)).unread).toBe(true); // and so do other members
    // With a body of {} too, and it never moves back.
    expect((await s.api('POST', `/forums/${f}/read`, { token: reader.token, body: {} })).status).toBe(200);

    await sleep(5); // a post in the same millisecond as the mark counts as read
    await reply(a.id); // #2
    expect((await board(f, reader.token)).unread).toBe(true);
    expect(await listed(a.id, f, reader.token)).toMatchObject({ unread: true, firstUnread: 1 }); // read number + 1: none read yet
    expect((await listed(b.id, f, reader.token)).unread).toBe(false);
    // The jump knows better: the first post after the mark.
    const jump = await s.api('GET', `/topics/${a.id}?page=unread`, { token: reader.token });
    expect(jump.body.posts.find((p: { id: string }) => p.id === jump.body.firstUnreadPostId)?.number).toBe(2);
  });

  it('mark all read clears every forum, and a newer post makes its forum unread again', async () => {
    const f1 = await newForum('All one');
    const f2 = await newForum('All two');
    const t1 = await newTopic(f1, 'Alpha');
    await newTopic(f2, 'Beta');
    expect((await board(f1, reader.token)).unread).toBe(true);
    expect((await board(f2, reader.token)).unread).toBe(true);

    const marked = await s.api('POST', '/forums/read', { token: reader.token });
    expect(marked.status).toBe(200);
    expect(forumMarkResult.parse(marked.body).forumId).toBeUndefined();
    const all = (await s.api('GET', '/forums', { token: reader.token })).body.forums as Array<{ unread?: boolean }>;
    expect(all.length).toBeGreaterThan(2);
    expect(all.every((f) => f.unread === false)).toBe(true);
    expect((await listed(t1.id, f1, reader.token)).unread).toBe(false);
    expect((await board(f1, bystander.token)).unread).toBe(true);

    await sleep(5);
    await reply(t1.id);
    expect((await board(f1, reader.token)).unread).toBe(true);
    expect((await board(f2, reader.token)).unread).toBe(false);
    expect((await listed(t1.id, f1, reader.token)).unread).toBe(true);
  });

  it('counts posts older than the window, or from before the member joined, as read', async () => {
    const f = await newForum('Old times');
    const old = await newTopic(f, 'Ancient');
    expect((await listed(old.id, f, reader.token)).unread).toBe(true);
    const longAgo = new Date(Date.now() - (s.config.unreadWindowDays + 1) * 86_400_000);
    await s.models.Topic.updateOne({ _id: old.id }, { $set: { lastPostAt: longAgo } });
    expect((await listed(old.id, f, reader.token)).unread).toBe(false);
    expect((await board(f, reader.token)).unread).toBe(false);

    const recent = await newTopic(f, 'Recent');
    const newcomer = await s.user('unread_newcomer');
    expect((await listed(recent.id, f, newcomer.token)).unread).toBe(false);
    expect((await board(f, newcomer.token)).unread).toBe(false);
    await sleep(5);
    await reply(recent.id);
    expect(await listed(recent.id, f, newcomer.token)).toMatchObject({ unread: true, firstUnread: 1 });
  });
});

describe('jump to the first unread post (?page=unread)', () => {
  let topicId: string;
  /** Post ids by number. */
  const ids: Record<number, string> = {};

  beforeAll(async () => {
    const made = await newTopic(forumId, 'Long thread');
    topicId = made.id;
    ids[1] = made.firstPostId;
    for (let n = 2; n <= 25; n++) ids[n] = (await reply(topicId, author, `post ${n}`)).id; // two pages of 20
  });

  it('answers the page holding the first unread post and names it', async () => {
    expect(LIMITS.postsPerPage).toBe(20);
    expect((await markTopic(topicId, 22)).body.number).toBe(22);
    const jump = await s.api('GET', `/topics/${topicId}?page=unread`, { token: reader.token });
    expect(jump.status).toBe(200);
    expect(jump.body).toMatchObject({ page: 2, pageCount: 2, firstUnreadPostId: ids[23] });
    expect(jump.body.posts.map((p: { id: string }) => p.id)).toContain(ids[23]);
    // Every page says what the member had read, so it can mark the rest new; guests get nothing.
    const before = new Date(jump.body.read.before).getTime();
    expect(jump.body.read.upTo).toBe(22);
    expect(before).toBeLessThan(Date.now());
    const shownNew = jump.body.posts.filter((p: { number: number; createdAt: string }) => p.number > jump.body.read.upTo && Date.parse(p.createdAt) > before);
    expect(shownNew.map((p: { id: string }) => p.id)).toEqual([ids[23], ids[24], ids[25]]);
    expect((await s.api('GET', `/topics/${topicId}?page=2`, { token: reader.token })).body.read).toEqual(jump.body.read);
    expect((await s.api('GET', `/topics/${topicId}`)).body).not.toHaveProperty('read');

    // Another member who has read 5: page 1, post #6.
    expect((await markTopic(topicId, 5, bystander.token)).body.number).toBe(5);
    const early = await s.api('GET', `/topics/${topicId}?page=unread`, { token: bystander.token });
    expect(early.body).toMatchObject({ page: 1, firstUnreadPostId: ids[6] });
    expect(early.body.posts[0].number).toBe(1);
  });

  it('counts pages by visible posts, as the pages themselves do', async () => {
    for (const n of [2, 3, 4]) expect((await s.api('DELETE', `/posts/${ids[n]}`, { token: author.token })).status).toBe(200);
    // #23 is now the 20th visible post: page 1 (its number alone would say page 2).
    const jump = await s.api('GET', `/topics/${topicId}?page=unread`, { token: reader.token });
    expect(jump.body).toMatchObject({ page: 1, firstUnreadPostId: ids[23] });
    expect(jump.body.posts.at(-1).id).toBe(ids[23]);
    const page2 = await s.api('GET', `/topics/${topicId}?page=2`, { token: reader.token });
    expect(page2.body.posts[0].number).toBe(24);
    // ?post= finds a post's page the same way (search hits and shared links use it).
    const byPost = async (postId: string) => (await s.api('GET', `/topics/${topicId}?post=${postId}`)).body;
    expect(await byPost(ids[23])).toMatchObject({ page: 1 });
    expect(await byPost(ids[24])).toMatchObject({ page: 2 });
    expect((await byPost(ids[24])).posts[0].id).toBe(ids[24]);
    // A post that is deleted, or of another topic, or no post at all: the first page.
    expect(await byPost(ids[3])).toMatchObject({ page: 1 });
    expect(await byPost('a'.repeat(24))).toMatchObject({ page: 1 });
    const bad = await s.api('GET', `/topics/${topicId}?post=nothex`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('answers the last page, naming no post, when nothing is unread, and to guests', async () => {
    for (let n = 26; n <= 30; n++) ids[n] = (await reply(topicId, author, `post ${n}`)).id; // 27 visible: 2 pages
    expect((await markTopic(topicId, 30)).body.number).toBe(30);
    const none = await s.api('GET', `/topics/${topicId}?page=unread`, { token: reader.token });
    expect(none.body).toMatchObject({ page: 2, pageCount: 2 });
    expect(none.body.firstUnreadPostId).toBeUndefined();
    const guest = await s.api('GET', `/topics/${topicId}?page=unread`);
    expect(guest.status).toBe(200);
    expect(guest.body).toMatchObject({ page: 2, pageCount: 2 });
    expect(guest.body.firstUnreadPostId).toBeUndefined();
  });

  it('refuses other words for page', async () => {
    for (const q of ['page=Unread', 'page=unread1', 'page=0', 'page=first']) {
      const r = await s.api('GET', `/topics/${topicId}?${q}`, { token: reader.token });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
  });
});

describe('who has unread state', () => {
  let topicId: string;
  let botToken: string;

  beforeAll(async () => {
    topicId = (await newTopic(forumId, 'For everyone')).id;
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: 'UnreadBot' } })).body.bot;
    botToken = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: admin.token, body: { scopes: ['read', 'post'] } })).body.token;
  });

  it('guests and bot tokens get no unread fields', async () => {
    for (const token of [undefined, botToken]) {
      const forums = await s.api('GET', '/forums', { token });
      expect(forums.status).toBe(200);
      for (const f of forums.body.forums) expect(f).not.toHaveProperty('unread');
      const topics = await s.api('GET', `/forums/${forumId}/topics`, { token });
      expect(topics.status).toBe(200);
      expect(topics.body.topics.length).toBeGreaterThan(0);
      for (const t of topics.body.topics) {
        expect(t).not.toHaveProperty('unread');
        expect(t).not.toHaveProperty('firstUnread');
      }
    }
    // Members get them on every topic.
    const member = await s.api('GET', `/forums/${forumId}/topics`, { token: reader.token });
    for (const t of member.body.topics) expect(typeof t.unread).toBe('boolean');
  });

  it('guests get UNAUTHORIZED and bot tokens FORBIDDEN on the marks, and nothing is stored', async () => {
    await expect.poll(async () => (await readRow(author.id, topicId))?.number).toBe(1); // the author's own mark has landed
    const before = [await s.models.TopicRead.countDocuments({}), await s.models.ForumMark.countDocuments({})];
    const attempts = [
      ['POST', `/topics/${topicId}/read`, { number: 1 }],
      ['POST', `/forums/${forumId}/read`, undefined],
      ['POST', '/forums/read', undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      const guest = await s.api(method, path, { body });
      expect(guest.status, path).toBe(401);
      expect(guest.body.error.code).toBe('UNAUTHORIZED');
      const bot = await s.api(method, path, { token: botToken, body });
      expect(bot.status, path).toBe(403);
      expect(bot.body.error.code).toBe('FORBIDDEN');
    }
    // A bot's own post marks nothing either.
    expect((await s.api('POST', `/topics/${topicId}/posts`, { token: botToken, body: { body: 'beep' } })).status).toBe(201);
    await sleep(100);
    expect([await s.models.TopicRead.countDocuments({}), await s.models.ForumMark.countDocuments({})]).toEqual(before);
  });
});

describe('GET /unread (View unread posts)', () => {
  it('lists the member’s unread topics across the forums they may read, last posted in first, with firstUnread', async () => {
    const viewer = await s.user('unread_lister');
    const other = await newForum('Unread list, other forum');
    const secret = await newForum('Unread list, staff only');
    expect((await s.api('PATCH', `/forums/${secret}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    const a = await newTopic(forumId, 'List A');
    const b = await newTopic(other, 'List B');
    const c = await newTopic(forumId, 'List C');
    await newTopic(secret, 'List secret', admin);
    await reply(a.id); // A is now the most recently posted in
    // The viewer has read all of C.
    expect((await s.api('POST', `/topics/${c.id}/read`, { token: viewer.token, body: { number: 1 } })).status).toBe(200);

    const res = await s.api('GET', '/unread', { token: viewer.token });
    expect(res.status).toBe(200);
    const mine = res.body.topics.filter((t: { title: string }) => t.title.startsWith('List '));
    expect(mine.map((t: { title: string; firstUnread: number; unread: boolean }) => [t.title, t.unread, t.firstUnread])).toEqual([
      ['List A', true, 1],
      ['List B', true, 1],
    ]);
    unreadTopicsSchema.parse(res.body);
    expect(res.body.forums.map((f: { title: string }) => f.title)).toEqual(expect.arrayContaining(['Unread', 'Unread list, other forum']));
    expect(res.body.forums.map((f: { title: string }) => f.title)).not.toContain('Unread list, staff only');
    expect(res.body).toMatchObject({ page: 1, pageCount: 1, total: res.body.topics.length });
    // The SDK's typed call answers the same.
    expect((await createRest(s.url, viewer.token).unreadTopics()).topics.map((t) => t.id)).toEqual(res.body.topics.map((t: { id: string }) => t.id));

    // Reading A to its end takes it off the list; marking the other forum read takes B off.
    expect((await s.api('POST', `/topics/${a.id}/read`, { token: viewer.token, body: { number: 2 } })).status).toBe(200);
    expect((await s.api('POST', `/forums/${other}/read`, { token: viewer.token })).status).toBe(200);
    const after = await s.api('GET', '/unread', { token: viewer.token });
    expect(after.body.topics.map((t: { title: string }) => t.title)).not.toEqual(expect.arrayContaining(['List A']));
    expect(after.body.topics.map((t: { title: string }) => t.title)).not.toEqual(expect.arrayContaining(['List B']));
    // Mark all read: nothing left; a page past the end answers the last one.
    expect((await s.api('POST', '/forums/read', { token: viewer.token })).status).toBe(200);
    expect((await s.api('GET', '/unread?page=9', { token: viewer.token })).body).toMatchObject({ topics: [], total: 0, page: 1, pageCount: 1 });
  });

  it('pages by the topic list’s page size', async () => {
    const pager = await s.user('unread_pager');
    const f = await newForum('Unread paging');
    for (let i = 0; i < LIMITS.topicsPerPage + 2; i++) await newTopic(f, `Paged ${i}`);
    const p1 = (await s.api('GET', '/unread', { token: pager.token })).body;
    const p2 = (await s.api('GET', '/unread?page=2', { token: pager.token })).body;
    expect(p1.topics).toHaveLength(LIMITS.topicsPerPage);
    expect(p1.pageCount).toBeGreaterThanOrEqual(2);
    expect(p2.topics.length).toBeGreaterThanOrEqual(2);
    expect(p1.topics[0].title).toBe(`Paged ${LIMITS.topicsPerPage + 1}`);
    const ids = [...p1.topics, ...p2.topics].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is refused to guests (UNAUTHORIZED), bot tokens (FORBIDDEN) and bad pages (BAD_REQUEST)', async () => {
    expect((await s.api('GET', '/unread')).body.error.code).toBe('UNAUTHORIZED');
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: 'UnreadListBot' } })).body.bot;
    const token = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: admin.token, body: { scopes: ['read'] } })).body.token;
    const refused = await s.api('GET', '/unread', { token });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    for (const q of ['page=0', 'page=-1', 'page=x', 'page=1.5']) {
      const r = await s.api('GET', `/unread?${q}`, { token: reader.token });
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'BAD_REQUEST']);
    }
  });
});

describe('refusals', () => {
  let topicId: string;

  beforeAll(async () => {
    topicId = (await newTopic(forumId, 'Refusals')).id;
  });

  it('bad input is BAD_REQUEST and changes nothing', async () => {
    await expect.poll(async () => (await readRow(author.id, topicId))?.number).toBe(1); // the author's own mark has landed
    const before = [await s.models.TopicRead.countDocuments({}), await s.models.ForumMark.countDocuments({})];
    const bad: Array<[string, unknown, string?]> = [
      ['/topics/not-an-id/read', { number: 1 }],
      ['/topics/0123456789abcdef0123456/read', { number: 1 }],
      [`/topics/${topicId}/read`, { number: 0 }],
      [`/topics/${topicId}/read`, { number: -1 }],
      [`/topics/${topicId}/read`, { number: 1.5 }],
      [`/topics/${topicId}/read`, { number: '1' }],
      [`/topics/${topicId}/read`, { number: null }],
      [`/topics/${topicId}/read`, { number: 1e300 }],
      [`/topics/${topicId}/read`, {}],
      [`/topics/${topicId}/read`, undefined],
      [`/topics/${topicId}/read`, [1]],
      [`/topics/${topicId}/read`, { number: 1, extra: true }],
      [`/topics/${topicId}/read`, { number: { $gt: 0 } }],
      [`/topics/${topicId}/read`, undefined, 'not json'],
      ['/forums/not-an-id/read', undefined],
      [`/forums/${forumId}/read`, { all: true }],
      [`/forums/${forumId}/read`, { $set: { at: 0 } }],
      ['/forums/read', { forumId }],
      ['/forums/read', []],
    ];
    for (const [path, body, raw] of bad) {
      for (const token of [reader.token, undefined]) {
        const r = await s.api('POST', path, { token, body, raw });
        expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(400);
        expect(r.body.error.code).toBe('BAD_REQUEST');
      }
    }
    expect([await s.models.TopicRead.countDocuments({}), await s.models.ForumMark.countDocuments({})]).toEqual(before);
    expect(await readRow(reader.id, topicId)).toBeNull();
  });

  it('unknown topics and forums are NOT_FOUND; a deleted topic is NOT_FOUND to members', async () => {
    const nowhere = '0123456789abcdef01234567';
    expect((await markTopic(nowhere, 1)).body.error.code).toBe('NOT_FOUND');
    expect((await s.api('POST', `/forums/${nowhere}/read`, { token: reader.token })).body.error.code).toBe('NOT_FOUND');
    const doomed = (await newTopic(forumId, 'Doomed')).id;
    expect((await s.api('DELETE', `/topics/${doomed}`, { token: admin.token, body: {} })).status).toBe(200);
    const r = await markTopic(doomed, 1);
    expect(r.status).toBe(404);
    expect((await s.api('GET', `/topics/${doomed}`, { token: reader.token })).status).toBe(404); // as the page refuses it
    expect(await readRow(reader.id, doomed)).toBeNull();
  });

  it('a private forum’s topic cannot be marked by a member who cannot read it', async () => {
    const staff = await newForum('Staff only');
    const secret = (await newTopic(staff, 'Secret', admin)).id;
    expect((await s.api('PATCH', `/forums/${staff}`, { token: admin.token, body: { permissions: { read: ['moderator'] } } })).status).toBe(200);
    expect((await s.api('GET', `/topics/${secret}`, { token: reader.token })).status).toBe(403);
    const topic = await markTopic(secret, 1);
    expect(topic.status).toBe(403);
    expect(topic.body.error.code).toBe('FORBIDDEN');
    const forum = await s.api('POST', `/forums/${staff}/read`, { token: reader.token });
    expect(forum.status).toBe(403);
    expect(await readRow(reader.id, secret)).toBeNull();
    expect(await s.models.ForumMark.countDocuments({ userId: reader.id, forumId: staff })).toBe(0);
    // Not listed to them, and not counted anywhere for them.
    const forums = (await s.api('GET', '/forums', { token: reader.token })).body.forums as Array<{ id: string }>;
    expect(forums.map((f) => f.id)).not.toContain(staff);
    // The admin, who may read it, may mark it.
    expect((await markTopic(secret, 1, admin.token)).body).toEqual({ topicId: secret, number: 1 });
  });
});
