import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const mark = (token: string | undefined, topicId: string, postId: unknown) => s.api('POST', `/topics/${topicId}/solution`, { token, body: { postId } });
const unmark = (token: string | undefined, topicId: string) => s.api('DELETE', `/topics/${topicId}/solution`, { token });

/** A question by the seeded member with two answers. */
async function question() {
  const board = await seedForum(s);
  const helper = await s.user(`sol_helper_${board.forum.id.slice(-6)}`);
  const other = await s.user(`sol_other_${board.forum.id.slice(-6)}`);
  const answer = (await s.api('POST', `/topics/${board.topic.id}/posts`, { token: helper.token, body: { body: 'Restart it.' } })).body.post;
  const second = (await s.api('POST', `/topics/${board.topic.id}/posts`, { token: other.token, body: { body: 'Or not.' } })).body.post;
  return { ...board, helper, other, answer, second };
}

describe('solutions', () => {
  it("the topic's author chooses a reply: followers see topic:updated live, listings show it, its author is told; choosing another moves it", async () => {
    const { member, forum, topic, helper, answer, second } = await question();
    const follower = await s.socket();
    const sub = await ack(follower, 'topic:subscribe', { topicId: topic.id });
    const updates = collect(follower, 'topic:updated', 2);
    const helperSocket = await s.socket(helper.token);
    const told = collect(helperSocket, 'notification:new', 1);

    const marked = await mark(member.token, topic.id, answer.id);
    expect(marked.status).toBe(200);
    expect(marked.body.topic.solution).toEqual({ postId: answer.id, number: 2, authorId: helper.id, authorName: helper.username });
    expect((await told)[0].notification).toMatchObject({ kind: 'solution', actor: { id: member.id }, postId: answer.id });
    expect((await s.api('GET', `/topics/${topic.id}`)).body.topic.solution.postId).toBe(answer.id);
    const listed = (await s.api('GET', `/forums/${forum.id}/topics`)).body.topics.find((t: { id: string }) => t.id === topic.id);
    expect(listed.solution.number).toBe(2);
    // The same again: no change, no event.
    expect((await mark(member.token, topic.id, answer.id)).body.seq).toBe(marked.body.seq);
    const moved = await mark(member.token, topic.id, second.id);
    expect(moved.body.topic.solution.postId).toBe(second.id);
    const [first, next] = await updates;
    expect(first).toMatchObject({ seq: sub.data.seq + 1, topic: { solution: { postId: answer.id } } });
    expect(next).toMatchObject({ seq: sub.data.seq + 2, topic: { solution: { postId: second.id } } });

    // Unmarked: gone, logged as another topic:updated.
    const cleared = collect(follower, 'topic:updated', 1);
    const none = await unmark(member.token, topic.id);
    expect(none.body.topic.solution).toBeUndefined();
    expect((await cleared)[0].topic.solution).toBeUndefined();
    expect((await unmark(member.token, topic.id)).body.seq).toBe(none.body.seq);
  });

  it('deleting the chosen post clears the solution, as a logged topic change', async () => {
    const { member, topic, answer, admin } = await question();
    await mark(member.token, topic.id, answer.id);
    const follower = await s.socket();
    const sub = await ack(follower, 'topic:subscribe', { topicId: topic.id });
    const events = collect(follower, 'topic:updated', 1);
    expect((await s.api('DELETE', `/posts/${answer.id}`, { token: admin.token })).status).toBe(200);
    expect((await events)[0].topic.solution).toBeUndefined();
    expect((await s.api('GET', `/topics/${topic.id}`)).body.topic.solution).toBeUndefined();
    const replay = await ack(follower, 'topic:subscribe', { topicId: topic.id, sinceSeq: sub.data.seq });
    expect(replay.data.missed.map((e: { type: string }) => e.type)).toEqual(['post:deleted', 'topic:updated']);
  });

  it('a forum lists only solved or only unsolved topics on request, pinned ones included, and pages count what is listed', async () => {
    const { admin, member, forum, topic, answer } = await question();
    await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Still open', body: '?' } });
    const pinned = (await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Pinned and open', body: '?' } })).body.topic;
    await s.api('POST', `/topics/${pinned.id}/pin`, { token: admin.token, body: {} });
    expect((await mark(member.token, topic.id, answer.id)).status).toBe(200);
    const titles = async (query: string) => {
      const r = await s.api('GET', `/forums/${forum.id}/topics${query}`);
      expect(r.status).toBe(200);
      return { titles: r.body.topics.map((t: { title: string }) => t.title), pageCount: r.body.pageCount };
    };
    expect(await titles('?solved=yes')).toEqual({ titles: ['Hello world'], pageCount: 1 });
    expect(await titles('?solved=no')).toEqual({ titles: ['Pinned and open', 'Still open'], pageCount: 1 });
    expect((await titles('')).titles).toEqual(['Pinned and open', 'Still open', 'Hello world']); // newest activity first, pinned on top
    // Unmarking moves it back.
    await unmark(member.token, topic.id);
    expect((await titles('?solved=yes')).titles).toEqual([]);
    expect((await titles('?solved=no&page=1')).titles).toEqual(['Pinned and open', 'Still open', 'Hello world']);
    expect((await s.api('GET', `/forums/${forum.id}/topics?solved=maybe`)).status).toBe(400);
  });

  it('refuses others, the opening post, strangers\' posts, locked topics and bad input, and changes nothing', async () => {
    const { member, topic, helper, answer, admin, firstPost } = await question();
    const elsewhere = await question();
    const seqBefore = (await s.api('GET', `/topics/${topic.id}`)).body.seq;
    expect((await mark(undefined, topic.id, answer.id)).status).toBe(401);
    expect((await mark(helper.token, topic.id, answer.id)).status).toBe(403);
    expect((await mark(member.token, topic.id, firstPost.id)).status).toBe(400);
    expect((await mark(member.token, topic.id, elsewhere.answer.id)).status).toBe(404);
    expect((await mark(member.token, topic.id, '0123456789abcdef01234567')).status).toBe(404);
    for (const body of [{}, { postId: 'nope' }, { postId: answer.id, extra: 1 }]) {
      const r = await s.api('POST', `/topics/${topic.id}/solution`, { token: member.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await mark(member.token, '0123456789abcdef01234567', answer.id)).status).toBe(404);
    await s.api('POST', `/topics/${topic.id}/lock`, { token: admin.token, body: {} });
    const locked = await mark(member.token, topic.id, answer.id);
    expect(locked.status).toBe(423);
    const lockSeq = (await s.api('GET', `/topics/${topic.id}`)).body.seq;
    expect(lockSeq).toBe(seqBefore + 1); // the lock alone
    // A moderator may choose in a locked topic, in anyone's topic.
    expect((await mark(admin.token, topic.id, answer.id)).body.topic.solution.postId).toBe(answer.id);
  });

  it('topic changes from moderation and solutions, at once, end with the last event telling the truth', async () => {
    const { member, topic, answer, admin } = await question();
    const follower = await s.socket();
    await ack(follower, 'topic:subscribe', { topicId: topic.id });
    const events = collect(follower, 'topic:updated', 4);
    await Promise.all([
      mark(member.token, topic.id, answer.id),
      s.api('POST', `/topics/${topic.id}/pin`, { token: admin.token, body: {} }),
      s.api('POST', `/topics/${topic.id}/poll`, { token: member.token, body: { question: 'Q?', options: ['A', 'B'] } }),
      s.api('PATCH', `/topics/${topic.id}`, { token: admin.token, body: { title: 'Renamed question' } }),
    ]);
    const last = (await events).sort((a, b) => a.seq - b.seq).at(-1)!;
    expect(last.topic).toMatchObject({ pinned: true, hasPoll: true, title: 'Renamed question', solution: { postId: answer.id } });
  });
});
