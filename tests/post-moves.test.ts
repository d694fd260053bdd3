// phpBB's "Split topic", "Move posts" and "Merge topic": moderators move replies to a new topic
// or the end of another, or a whole topic into another. Both topics' rooms follow live
// (post:deleted with movedTo where a post left, post:created where it arrived), late subscribers
// replay the same, counts and "last post" stay what a recount finds, and what pointed at a post
// (thanks, reports, notifications) follows it. Bad input and non-moderators change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, collect, receivedWithin, replyAs, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { createRest } from '../client/sdk/rest.js';
import { ForumError } from '../client/sdk/forum-client.js';

let s: TestServer;
let admin: { id: string; token: string };
let mod: { id: string; username: string; token: string };
let alice: { id: string; username: string; token: string };
let bob: { id: string; username: string; token: string };
let n = 0;

beforeAll(async () => {
  s = await startTestServer();
  admin = await s.user('mv_admin', 'admin');
  mod = await s.user('mv_mod', 'moderator');
  alice = await s.user('mv_alice');
  bob = await s.user('mv_bob');
});
afterAll(() => s?.close());

const forum = async () => (await s.api('POST', '/forums', { token: admin.token, body: { title: `Forum ${++n}` } })).body.forum.id as string;
const topic = async (forumId: string, title: string, who = alice) => (await s.api('POST', `/forums/${forumId}/topics`, { token: who.token, body: { title, body: `${title}: opening` } })).body as { topic: { id: string }; post: { id: string } };
const page = async (topicId: string, token = mod.token) => (await s.api('GET', `/topics/${topicId}`, { token })).body as { topic: Record<string, any>; posts: Array<Record<string, any>> };
const recount = () => s.app.services.recount.run();
const ZERO = 'f'.repeat(24);

describe('split', () => {
  it('makes a new topic of the replies named, in their order; both rooms follow live, replays agree, counts hold', async () => {
    const [from, to] = [await forum(), await forum()];
    const { topic: a, post: opening } = await topic(from, 'Long thread');
    const r2 = await replyAs(s, a.id, bob, 'off-topic one');
    const r3 = await replyAs(s, a.id, alice, 'off-topic two');
    const r4 = await replyAs(s, a.id, bob, 'back on topic');
    expect((await s.api('POST', `/posts/${r3}/thanks`, { token: bob.token })).status).toBe(201);
    expect((await s.api('POST', `/posts/${r2}/report`, { token: alice.token, body: { reason: 'spam' } })).status).toBe(201);
    const seqBefore = (await page(a.id)).topic.seq;

    const watcher = await s.socket(bob.token);
    expect((await ack(watcher, 'topic:subscribe', { topicId: a.id })).ok).toBe(true);
    const forumWatch = await s.socket();
    expect((await ack(forumWatch, 'forum:subscribe', { forumId: to })).ok).toBe(true);
    const left = collect(watcher, 'post:deleted', 2);
    const arrived = collect(forumWatch, 'post:created', 2);

    // Named out of order: they keep the topic's order.
    const split = await s.api('POST', `/topics/${a.id}/split`, { token: mod.token, body: { postIds: [r3, r2], title: 'Side discussion', forumId: to, reason: 'off topic' } });
    expect(split.status).toBe(201);
    const b = split.body.topic;
    expect(split.body).toMatchObject({ moved: 2, topic: { title: 'Side discussion', forumId: to, authorId: bob.id, authorName: bob.username, postCount: 2, lastPost: { id: r3, topicId: b.id } } });

    expect((await left).map((e: any) => [e.postId, e.topicId, e.movedTo])).toEqual([
      [r2, a.id, { topicId: b.id, title: 'Side discussion' }],
      [r3, a.id, { topicId: b.id, title: 'Side discussion' }],
    ]);
    expect((await arrived).map((e: any) => [e.post.id, e.topicId, e.forumId, e.post.number, e.post.subject, e.movedFrom])).toEqual([
      [r2, b.id, to, 1, 'Side discussion', { topicId: a.id, title: 'Long thread' }],
      [r3, b.id, to, 2, 'Re: Long thread', { topicId: a.id, title: 'Long thread' }],
    ]);

    // The new topic: the two posts, numbered from 1, bodies, authors and thanks kept.
    const newPage = await page(b.id, alice.token);
    expect(newPage.posts.map((p) => [p.id, p.number, p.body, p.author.id, p.thanksCount])).toEqual([
      [r2, 1, 'off-topic one', bob.id, 0],
      [r3, 2, 'off-topic two', alice.id, 1],
    ]);
    // The old topic keeps the rest; its "last post" is still its own last reply.
    const oldPage = await page(a.id, alice.token);
    expect(oldPage.posts.map((p) => p.id)).toEqual([opening.id, r4]);
    expect(oldPage.topic).toMatchObject({ postCount: 2, seq: seqBefore + 2, lastPost: { id: r4 } });
    const forums = (await s.api('GET', '/forums')).body.forums as Array<Record<string, any>>;
    expect(forums.find((f) => f.id === from)).toMatchObject({ topicCount: 1, postCount: 2, lastPost: { id: r4 } });
    expect(forums.find((f) => f.id === to)).toMatchObject({ topicCount: 1, postCount: 2, lastPost: { id: r3, topicId: b.id } });
    expect((await recount()).corrections).toEqual([]);

    // A late subscriber to the old topic replays the departures, with where they went.
    const late = await s.socket();
    const replay = await ack(late, 'topic:subscribe', { topicId: a.id, sinceSeq: seqBefore });
    expect(replay.data.missed.map((e: any) => [e.type, e.data.postId, e.data.movedTo?.topicId])).toEqual([
      ['post:deleted', r2, b.id],
      ['post:deleted', r3, b.id],
    ]);
    // And the new topic's log starts with the arrivals.
    expect((await ack(late, 'topic:subscribe', { topicId: b.id, sinceSeq: 0 })).data.missed.map((e: any) => [e.type, e.data.post?.id])).toEqual([
      ['post:created', r2],
      ['post:created', r3],
    ]);

    // The moved posts live in their new topic: thanks, edits and the report follow them there.
    const inB = await s.socket(alice.token);
    expect((await ack(inB, 'topic:subscribe', { topicId: b.id })).ok).toBe(true);
    const thanked = collect(inB, 'thanks:changed', 1);
    expect((await s.api('DELETE', `/posts/${r3}/thanks`, { token: bob.token })).status).toBe(200);
    expect((await thanked)[0]).toMatchObject({ topicId: b.id, thanks: { postId: r3, thanksCount: 0 } });
    const edited = collect(inB, 'post:updated', 1);
    const quietInA = receivedWithin(watcher, 'post:updated', 800);
    expect((await s.api('PATCH', `/posts/${r2}`, { token: bob.token, body: { body: 'edited where it is now' } })).status).toBe(200);
    expect((await edited)[0]).toMatchObject({ topicId: b.id, post: { id: r2, number: 1 } });
    expect(await quietInA).toBe(false);
    const reports = (await s.api('GET', '/reports', { token: mod.token })).body.reports as Array<Record<string, any>>;
    expect(reports.find((r) => r.post.id === r2)).toMatchObject({ topicTitle: 'Side discussion', post: { topicId: b.id, forumId: to, number: 1 } });

    const log = (await s.api('GET', '/modlog', { token: mod.token })).body.entries[0];
    expect(log).toMatchObject({ action: 'topic.split', reason: 'off topic', target: { type: 'topic', id: a.id }, details: { to: b.id, toTitle: 'Side discussion', posts: 2 } });
    expect((await recount()).corrections).toEqual([]);
  });

  it('takes the old topic’s "last post" and solution with it when they move', async () => {
    const f = await forum();
    const { topic: a, post: opening } = await topic(f, 'Question');
    const answer = await replyAs(s, a.id, bob, 'the answer');
    expect((await s.api('POST', `/topics/${a.id}/solution`, { token: alice.token, body: { postId: answer } })).status).toBe(200);
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: a.id });
    const unsolved = collect(watcher, 'topic:updated', 1);
    const split = await s.api('POST', `/topics/${a.id}/split`, { token: mod.token, body: { postIds: [answer], title: 'An answer' } });
    expect(split.status).toBe(201);
    expect(split.body.topic.forumId).toBe(f); // the same forum by default
    expect((await unsolved)[0].topic.solution).toBeUndefined();
    expect((await page(a.id)).topic).toMatchObject({ postCount: 1, lastPost: { id: opening.id } });
    expect((await recount()).corrections).toEqual([]);
  });
});

describe('move posts', () => {
  it('appends the replies to another topic with new numbers, live in both, counted once', async () => {
    const f = await forum();
    const { topic: a } = await topic(f, 'Source');
    const { topic: b, post: bOpening } = await topic(f, 'Target', bob);
    const bReply = await replyAs(s, b.id, alice, 'target reply');
    const r2 = await replyAs(s, a.id, bob, 'moving one');
    const r3 = await replyAs(s, a.id, alice, 'staying');
    const inB = await s.socket();
    await ack(inB, 'topic:subscribe', { topicId: b.id });
    const arrived = collect(inB, 'post:created', 1);
    const moved = await s.api('POST', `/topics/${a.id}/move-posts`, { token: mod.token, body: { postIds: [r2], toTopicId: b.id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ moved: 1, topic: { id: b.id, postCount: 3, lastPost: { id: r2 } } });
    expect((await arrived)[0]).toMatchObject({ topicId: b.id, post: { id: r2, number: 3, subject: 'Re: Source' } });
    expect((await page(b.id)).posts.map((p) => [p.id, p.number])).toEqual([[bOpening.id, 1], [bReply, 2], [r2, 3]]);
    expect((await page(a.id)).posts.map((p) => p.id)).not.toContain(r2);
    expect((await page(a.id)).posts.map((p) => p.id)).toContain(r3);
    // A reply to the target after the move follows it.
    expect((await replyAs(s, b.id, alice, 'after the move')) && (await page(b.id)).posts.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    const forumRow = ((await s.api('GET', '/forums')).body.forums as Array<Record<string, any>>).find((x) => x.id === f);
    expect(forumRow).toMatchObject({ topicCount: 2, postCount: 6 });
    expect((await s.api('GET', '/modlog', { token: mod.token })).body.entries[0]).toMatchObject({ action: 'post.move', details: { to: b.id, posts: 1 } });
    expect((await recount()).corrections).toEqual([]);
  });
});

type Logged = Array<{ type: string; data: any }>;
/**
 * Six of bob's replies moved to another topic while `keepChanging` changes each of them over and
 * over (it loops while `moving()`); the answers it collected, and after: what the topic they left
 * logged from just before the move, and everything the topic they went to logged.
 */
async function moveWhileChanging(keepChanging: (postId: string, moving: () => boolean, results: Array<{ status: number; body: any }>) => Array<Promise<void>>) {
  const f = await forum();
  const { topic: a } = await topic(f, 'Busy');
  const { topic: b } = await topic(f, 'Quiet');
  const posts: string[] = [];
  for (let i = 0; i < 6; i++) posts.push(await replyAs(s, a.id, bob, `reply ${i}`));
  const seqBefore = (await page(a.id)).topic.seq;
  let moving = true;
  const results: Array<{ status: number; body: any }> = [];
  const changers = posts.flatMap((id) => keepChanging(id, () => moving, results));
  await new Promise((r) => setTimeout(r, 50));
  const move = await s.api('POST', `/topics/${a.id}/move-posts`, { token: mod.token, body: { postIds: posts, toTopicId: b.id } });
  await new Promise((r) => setTimeout(r, 50));
  moving = false;
  await Promise.all(changers);
  expect(move.body.moved).toBe(6);
  const late = await s.socket();
  const left = (await ack(late, 'topic:subscribe', { topicId: a.id, sinceSeq: seqBefore })).data.missed as Logged;
  const arrived = (await ack(late, 'topic:subscribe', { topicId: b.id, sinceSeq: 0 })).data.missed as Logged;
  return { posts, results, left, arrived, target: b.id };
}

/** Each post's events in `left` after its departure that `about` says concern it (expected: none). */
function afterDeparture(left: Logged, posts: string[], about: (e: Logged[number], id: string) => boolean) {
  return posts.flatMap((id) => {
    const gone = left.findIndex((e) => e.type === 'post:deleted' && e.data.postId === id);
    expect(gone).toBeGreaterThanOrEqual(0);
    return left.slice(gone + 1).filter((e) => about(e, id));
  });
}

describe('a move racing edits and deletions', () => {
  it('never lands an edit of a moved post in the topic it left', async () => {
    // Each post is edited over and over, four editors at a time, until the moderator has moved them all.
    const { posts, results, left, arrived, target } = await moveWhileChanging((id, moving, results) =>
      ['first', 'second', 'third', 'fourth'].map(async (who) => {
        for (let k = 0; moving(); k++) results.push(await s.api('PATCH', `/posts/${id}`, { token: bob.token, body: { body: `${who} edit ${k}` } }));
      }),
    );
    expect(results.length).toBeGreaterThan(24);
    // An edit either landed (in whichever topic the post was in) or was refused as a conflict.
    expect(results.every((r) => r.status === 200 || r.body.error?.code === 'CONFLICT')).toBe(true);
    // In the topic they left: after each post's departure, nothing more about it.
    expect(afterDeparture(left, posts, (e, id) => e.data.post?.id === id)).toEqual([]);
    // Where they are: the page shows what the target's log says last about each.
    const shown = (await page(target)).posts;
    for (const id of posts) {
      const lastSaid = arrived.filter((e) => e.data.post?.id === id).at(-1);
      expect(shown.find((p) => p.id === id)?.body).toBe(lastSaid?.data.post.body);
    }
    expect((await recount()).corrections).toEqual([]);
  });
});

describe('a move racing thanks', () => {
  it('never logs a thanks in the topic a post left, and the counts and thanks rows follow the post', async () => {
    // Two members thank and unthank each post over and over until the moderator has moved them all.
    const { posts, results, left, arrived, target } = await moveWhileChanging((id, moving, results) =>
      [alice, mod].map(async (who) => {
        for (let k = 0; moving(); k++) results.push(await s.api(k % 2 ? 'DELETE' : 'POST', `/posts/${id}/thanks`, { token: who.token }));
      }),
    );
    expect(results.length).toBeGreaterThan(12);
    expect(results.filter((r) => !(r.status === 200 || r.status === 201 || r.body.error?.code === 'CONFLICT'))).toEqual([]);
    // In the topic they left: after each post's departure, no thanks about it.
    expect(afterDeparture(left, posts, (e, id) => e.data.thanks?.postId === id)).toEqual([]);
    // Where they are: the count stored, the thanks rows, the page and the last word of the target's log agree.
    const shown = (await page(target)).posts;
    for (const id of posts) {
      const rows = await s.models.Thanks.find({ postId: id }).lean();
      expect(rows.map((r) => String(r.topicId))).toEqual(rows.map(() => target));
      const lastSaid = arrived.filter((e) => e.data.post?.id === id || e.data.thanks?.postId === id).at(-1);
      const saidCount = lastSaid?.type === 'thanks:changed' ? lastSaid.data.thanks.thanksCount : lastSaid?.data.post.thanksCount;
      expect([shown.find((p) => p.id === id)?.thanksCount, saidCount]).toEqual([rows.length, rows.length]);
    }
    expect((await recount()).corrections).toEqual([]);
  });
});

describe('merge', () => {
  it('takes the replies held for approval along: they wait in the queue under the topic merged into, and are posted there', async () => {
    const held = (await s.api('POST', '/forums', { token: admin.token, body: { title: `Held ${++n}`, approvePosts: true } })).body.forum.id as string;
    const { topic: a } = await topic(held, 'Asked twice', mod);
    const { topic: b } = await topic(await forum(), 'Asked first');
    const first = await s.api('POST', `/topics/${a.id}/posts`, { token: alice.token, body: { body: 'held before the merge' } });
    const second = await s.api('POST', `/topics/${a.id}/posts`, { token: bob.token, body: { body: 'also held' } });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect((await s.api('POST', `/topics/${a.id}/merge`, { token: mod.token, body: { intoTopicId: b.id } })).status).toBe(200);
    const queue = (await s.api('GET', '/queue', { token: mod.token })).body.posts as Array<Record<string, any>>;
    expect(queue.filter((q) => q.id === first.body.queued.id || q.id === second.body.queued.id).map((q) => [q.topicId, q.topicTitle])).toEqual([
      [b.id, 'Asked first'],
      [b.id, 'Asked first'],
    ]);
    expect((await s.api('POST', `/queue/${first.body.queued.id}/approve`, { token: mod.token, body: {} })).body.post).toMatchObject({ topicId: b.id, body: 'held before the merge' });
    // One held as the merge went through still names the merged topic: approval follows it.
    await s.models.QueuedPost.updateOne({ _id: second.body.queued.id }, { $set: { topicId: a.id } });
    expect((await s.api('POST', `/queue/${second.body.queued.id}/approve`, { token: mod.token, body: {} })).body.post).toMatchObject({ topicId: b.id, body: 'also held' });
    expect((await page(b.id)).posts.map((p) => p.body).slice(-2)).toEqual(['held before the merge', 'also held']);
    expect((await recount()).corrections).toEqual([]);
  });

  it('moves every post (deleted ones stay deleted) to the end of the other topic and deletes this one, naming where it went', async () => {
    const [f1, f2] = [await forum(), await forum()];
    const { topic: a, post: aOpening } = await topic(f1, 'Duplicate question');
    const aReply = await replyAs(s, a.id, bob, 'an answer here');
    const gone = await replyAs(s, a.id, bob, 'removed');
    expect((await s.api('DELETE', `/posts/${gone}`, { token: mod.token })).status).toBe(200);
    const { topic: b, post: bOpening } = await topic(f2, 'Original question', bob);
    const inA = await s.socket(alice.token);
    await ack(inA, 'topic:subscribe', { topicId: a.id });
    const closed = collect(inA, 'topic:updated', 1);

    const merged = await s.api('POST', `/topics/${a.id}/merge`, { token: mod.token, body: { intoTopicId: b.id, reason: 'duplicate' } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ moved: 3, topic: { id: b.id, postCount: 3, lastPost: { id: aReply } } });
    expect((await closed)[0].topic).toMatchObject({ id: a.id, deleted: true, mergedInto: b.id });
    expect((await page(b.id, alice.token)).posts.map((p) => [p.id, p.number])).toEqual([[bOpening.id, 1], [aOpening.id, 2], [aReply, 3]]);
    // The deleted post went too, still deleted (restorable there), numbered after the reply it followed.
    expect(await s.models.Post.findById(gone).lean()).toMatchObject({ topicId: expect.anything(), number: 4, deleted: true });
    expect(String((await s.models.Post.findById(gone).lean())?.topicId)).toBe(b.id);
    expect((await page(b.id)).posts.map((p) => p.number)).toEqual([1, 2, 3]);
    // The old topic is gone for members; moderators see where it went, and cannot restore it empty.
    expect((await s.api('GET', `/topics/${a.id}`, { token: alice.token })).status).toBe(404);
    expect((await page(a.id)).topic).toMatchObject({ deleted: true, mergedInto: b.id, postCount: 0 });
    const restore = await s.api('POST', `/topics/${a.id}/restore`, { token: mod.token, body: {} });
    expect([restore.status, restore.body.error?.code]).toEqual([409, 'CONFLICT']);
    const forums = (await s.api('GET', '/forums')).body.forums as Array<Record<string, any>>;
    expect(forums.find((x) => x.id === f1)).toMatchObject({ topicCount: 0, postCount: 0, lastPost: null });
    expect(forums.find((x) => x.id === f2)).toMatchObject({ topicCount: 1, postCount: 3 });
    const actions = (await s.api('GET', '/modlog', { token: mod.token })).body.entries.slice(0, 2).map((e: any) => [e.action, e.details.mergedInto ?? e.details.to]);
    expect(actions).toEqual([['topic.merge', b.id], ['topic.delete', b.id]]);
    expect((await recount()).corrections).toEqual([]);
  });
});

describe('the SDK', () => {
  it('splits, moves and merges with a moderator’s token, and reports refusals as ForumError', async () => {
    const f = await forum();
    const { topic: a } = await topic(f, 'SDK source');
    const { topic: b } = await topic(f, 'SDK target');
    const [r2, r3] = [await replyAs(s, a.id, bob, 'two'), await replyAs(s, a.id, bob, 'three')];
    const rest = createRest(s.url, mod.token);
    const split = await rest.splitTopic(a.id, [r2], 'SDK split', { reason: 'tidy' });
    expect(split).toMatchObject({ moved: 1, topic: { title: 'SDK split', postCount: 1 } });
    expect(await rest.movePosts(a.id, [r3], b.id)).toMatchObject({ moved: 1, topic: { id: b.id, postCount: 2 } });
    expect(await rest.mergeTopic(split.topic.id, b.id)).toMatchObject({ moved: 1, topic: { id: b.id, postCount: 3 } });
    const refused = await createRest(s.url, alice.token).mergeTopic(a.id, b.id).catch((err) => err);
    expect(refused).toBeInstanceOf(ForumError);
    expect(refused.code).toBe('FORBIDDEN');
  });
});

describe('refusals', () => {
  it('refuse members, guests, bad lists and bad targets, and change nothing', async () => {
    const f = await forum();
    const { topic: a, post: opening } = await topic(f, 'Stays put');
    const r2 = await replyAs(s, a.id, bob, 'two');
    const r3 = await replyAs(s, a.id, bob, 'three');
    expect((await s.api('DELETE', `/posts/${r3}`, { token: mod.token })).status).toBe(200);
    const { topic: other, post: otherOpening } = await topic(f, 'Elsewhere');
    const { topic: removed } = await topic(f, 'Removed');
    expect((await s.api('DELETE', `/topics/${removed.id}`, { token: mod.token })).status).toBe(200);
    const before = await page(a.id);
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: a.id });
    const quiet = receivedWithin(watcher, 'post:deleted', 1000);

    const cases: Array<[string, string, unknown, string | undefined, number, string]> = [
      ['split', a.id, { postIds: [r2], title: 'x' }, alice.token, 403, 'FORBIDDEN'],
      ['split', a.id, { postIds: [r2], title: 'x' }, undefined, 401, 'UNAUTHORIZED'],
      ['split', a.id, { postIds: [opening.id], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r2, opening.id], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r3], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [otherOpening.id], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [ZERO], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r2, r2], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: Array.from({ length: LIMITS.movePostsMax + 1 }, (_, i) => i.toString(16).padStart(24, '0')), title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r2], title: ' ' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r2] }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: ['nope'], title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: [r2], title: 'x', forumId: ZERO }, mod.token, 404, 'NOT_FOUND'],
      ['split', a.id, { postIds: [r2], title: 'x', extra: 1 }, mod.token, 400, 'BAD_REQUEST'],
      ['split', a.id, { postIds: { $ne: null }, title: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['split', ZERO, { postIds: [r2], title: 'x' }, mod.token, 404, 'NOT_FOUND'],
      ['split', removed.id, { postIds: [r2], title: 'x' }, mod.token, 409, 'CONFLICT'],
      ['move-posts', a.id, { postIds: [r2], toTopicId: a.id }, mod.token, 400, 'BAD_REQUEST'],
      ['move-posts', a.id, { postIds: [r2], toTopicId: ZERO }, mod.token, 404, 'NOT_FOUND'],
      ['move-posts', a.id, { postIds: [r2], toTopicId: removed.id }, mod.token, 409, 'CONFLICT'],
      ['move-posts', a.id, { postIds: [r2] }, mod.token, 400, 'BAD_REQUEST'],
      ['move-posts', a.id, { postIds: [r2], toTopicId: other.id }, alice.token, 403, 'FORBIDDEN'],
      ['merge', a.id, { intoTopicId: a.id }, mod.token, 400, 'BAD_REQUEST'],
      ['merge', a.id, { intoTopicId: removed.id }, mod.token, 409, 'CONFLICT'],
      ['merge', a.id, { intoTopicId: ZERO }, mod.token, 404, 'NOT_FOUND'],
      ['merge', a.id, {}, mod.token, 400, 'BAD_REQUEST'],
      ['merge', a.id, { intoTopicId: other.id }, bob.token, 403, 'FORBIDDEN'],
      ['merge', a.id, { intoTopicId: other.id }, undefined, 401, 'UNAUTHORIZED'],
    ];
    for (const [action, topicId, body, token, status, code] of cases) {
      const res = await s.api('POST', `/topics/${topicId}/${action}`, { token, body });
      expect([action, body, res.status, res.body.error?.code]).toEqual([action, body, status, code]);
    }
    expect(await quiet).toBe(false);
    const after = await page(a.id);
    expect(after.topic).toEqual(before.topic);
    expect(after.posts.map((p) => [p.id, p.number, p.topicId])).toEqual(before.posts.map((p) => [p.id, p.number, p.topicId]));
    expect(await s.models.Topic.countDocuments({ title: 'x' })).toBe(0);
    expect((await recount()).corrections).toEqual([]);
  });
});
