import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer, type TestSocket } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const vote = (token: string | undefined, topicId: string, choices: unknown) => s.api('POST', `/topics/${topicId}/poll/vote`, { token, body: { choices } });

async function topicWithPoll(poll: Record<string, unknown>, title = 'Which editor?') {
  const { admin, member, forum } = await seedForum(s);
  const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title, body: 'Vote below', poll } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { admin, member, forum, topic: made.body.topic };
}

/** A socket in the topic's room. */
async function watching(topicId: string, token?: string): Promise<TestSocket> {
  const socket = await s.socket(token);
  const sub = await ack(socket, 'topic:subscribe', { topicId });
  expect(sub.ok).toBe(true);
  return socket;
}

describe('polls', () => {
  it('a forum\'s followers learn from the opening post\'s event that a new topic has a poll', async () => {
    const { member, forum } = await seedForum(s);
    const follower = await s.socket();
    expect((await ack(follower, 'forum:subscribe', { forumId: forum.id })).ok).toBe(true);
    const events = collect(follower, 'post:created', 2);
    await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Plain', body: 'No poll' } });
    await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Polled', body: 'Poll', poll: { question: 'Q?', options: ['A', 'B'] } } });
    const byTitle = Object.fromEntries((await events).map((e) => [e.post.subject, e.topicHasPoll]));
    expect(byTitle).toEqual({ Plain: undefined, Polled: true });
  });

  it('a topic is made with a poll; members vote, everyone in the topic sees the totals live, and each sees their own vote', async () => {
    const { member, forum, topic } = await topicWithPoll({ question: 'Which editor do you use?', options: ['Vim', 'Emacs', 'VS Code'] });
    expect(topic.hasPoll).toBe(true);
    const listing = (await s.api('GET', `/forums/${forum.id}/topics`)).body.topics;
    expect(listing.find((t: { id: string }) => t.id === topic.id).hasPoll).toBe(true);

    const page = (await s.api('GET', `/topics/${topic.id}`, { token: member.token })).body;
    expect(page.poll).toMatchObject({
      topicId: topic.id,
      question: 'Which editor do you use?',
      options: [{ text: 'Vim', votes: 0 }, { text: 'Emacs', votes: 0 }, { text: 'VS Code', votes: 0 }],
      maxChoices: 1,
      allowVoteChange: false,
      voterCount: 0,
      closed: false,
      rev: 0,
      myChoices: [],
      may: { vote: true },
    });
    expect(page.poll.closesAt).toBeUndefined();
    // A guest sees the totals, and neither choices nor a vote button.
    const guestView = (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;
    expect(guestView.myChoices).toBeUndefined();
    expect(guestView.may).toBeUndefined();

    const guest = await watching(topic.id);
    const pushed = collect(guest, 'poll:updated', 1);
    const alice = await s.user('poll_alice');
    const voted = await vote(alice.token, topic.id, [2]);
    expect(voted.status).toBe(200);
    expect(voted.body.poll).toMatchObject({ voterCount: 1, rev: 1, myChoices: [2], may: { vote: false } });
    expect(voted.body.poll.options.map((o: { votes: number }) => o.votes)).toEqual([0, 0, 1]);
    const [event] = await pushed;
    expect(event.topicId).toBe(topic.id);
    expect(event.poll).toMatchObject({ id: voted.body.poll.id, voterCount: 1, rev: 1 });
    expect(event.poll.options.map((o: { votes: number }) => o.votes)).toEqual([0, 0, 1]);
    expect(event.poll.myChoices).toBeUndefined();

    // The same vote again (a retry) is answered; a different one is refused: votes may not change here.
    expect((await vote(alice.token, topic.id, [2])).body.poll).toMatchObject({ voterCount: 1, myChoices: [2] });
    const change = await vote(alice.token, topic.id, [0]);
    expect(change.status).toBe(409);
    expect(change.body.error.code).toBe('CONFLICT');
    expect((await vote(alice.token, topic.id, [])).status).toBe(409);

    const bob = await s.user('poll_bob');
    await vote(bob.token, topic.id, [0]);
    const mine = (await s.api('GET', `/topics/${topic.id}/poll`, { token: alice.token })).body.poll;
    expect(mine).toMatchObject({ voterCount: 2, myChoices: [2], may: { vote: false } });
    expect(mine.options.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 1]);
  });

  it('with vote changes allowed, a member changes and takes back their vote, choosing up to maxChoices options', async () => {
    const { topic } = await topicWithPoll({ question: 'Pick two toppings', options: ['Cheese', 'Ham', 'Olives', 'Pineapple'], maxChoices: 2, allowVoteChange: true, closesInDays: 7 });
    const carol = await s.user('poll_carol');
    const dave = await s.user('poll_dave');
    const totals = async () => (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;

    expect((await vote(carol.token, topic.id, [0, 3])).body.poll).toMatchObject({ voterCount: 1, myChoices: [0, 3], may: { vote: true } });
    await vote(dave.token, topic.id, [3]);
    expect((await totals()).options.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 0, 2]);
    const changed = (await vote(carol.token, topic.id, [1, 2])).body.poll;
    expect(changed).toMatchObject({ voterCount: 2, myChoices: [1, 2] });
    expect(changed.options.map((o: { votes: number }) => o.votes)).toEqual([0, 1, 1, 1]);
    const back = (await vote(carol.token, topic.id, [])).body.poll;
    expect(back).toMatchObject({ voterCount: 1, myChoices: [] });
    expect(back.options.map((o: { votes: number }) => o.votes)).toEqual([0, 0, 0, 1]);
    const poll = await totals();
    expect(poll.rev).toBe(4);
    const closesIn = Date.parse(poll.closesAt) - Date.now();
    expect(closesIn).toBeGreaterThan(6.9 * 86_400_000);
    expect(closesIn).toBeLessThan(7.1 * 86_400_000);
    // More than maxChoices: refused, and nothing moves.
    const tooMany = await vote(carol.token, topic.id, [0, 1, 2]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 2/);
    expect((await totals()).rev).toBe(4);
  });

  it('many votes at once: each counts once, and the room gets a few pushes whose last has every vote', async () => {
    const { topic } = await topicWithPoll({ question: 'Tabs or spaces?', options: ['Tabs', 'Spaces'] });
    const viewer = await watching(topic.id);
    const pushes: Array<{ poll: { voterCount: number; rev: number } }> = [];
    viewer.on('poll:updated', (e) => pushes.push(e as never));
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => s.user(`poll_many_${i}`)));
    // Each voter sends three identical votes at once: a twin of a first vote is its retry.
    const answers = await Promise.all(voters.flatMap((v, i) => [0, 1, 2].map(() => vote(v.token, topic.id, [i % 2]))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const poll = (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;
    expect(poll.voterCount).toBe(12);
    expect(poll.options.map((o: { votes: number }) => o.votes)).toEqual([6, 6]);
    expect(await s.models.PollVote.countDocuments({ pollId: poll.id })).toBe(12);
    await expect.poll(() => pushes.at(-1)?.poll.voterCount, { timeout: 3000 }).toBe(12);
    expect(pushes.at(-1)!.poll.rev).toBe(poll.rev);
    // Coalesced: 12 votes in well under a second reach the room in a few pushes, never out of order.
    expect(pushes.length).toBeLessThan(12);
    for (let i = 1; i < pushes.length; i++) expect(pushes[i].poll.rev).toBeGreaterThanOrEqual(pushes[i - 1].poll.rev);
  });

  it("the topic's author adds a poll later and removes it while no one has voted; a moderator removes one with votes, logged", async () => {
    const { admin, member, forum, topic } = await (async () => {
      const seeded = await seedForum(s);
      return seeded;
    })();
    const follower = await s.socket();
    const sub = await ack(follower, 'topic:subscribe', { topicId: topic.id });
    const updates = collect(follower, 'topic:updated', 1);
    const pollPush = collect(follower, 'poll:updated', 1);
    const stranger = await s.user('poll_stranger');
    const input = { question: 'Meet on Friday?', options: ['Yes', 'No'] };
    expect((await s.api('POST', `/topics/${topic.id}/poll`, { token: stranger.token, body: input })).status).toBe(403);
    const added = await s.api('POST', `/topics/${topic.id}/poll`, { token: member.token, body: input });
    expect(added.status).toBe(201);
    expect(added.body.topic.hasPoll).toBe(true);
    expect(added.body.poll).toMatchObject({ question: 'Meet on Friday?', myChoices: [], may: { vote: true } });
    const [updated] = await updates;
    expect(updated).toMatchObject({ topicId: topic.id, forumId: forum.id, seq: sub.data.seq + 1, topic: { hasPoll: true } });
    expect((await pollPush)[0].poll).toMatchObject({ id: added.body.poll.id, question: 'Meet on Friday?' });
    const again = await s.api('POST', `/topics/${topic.id}/poll`, { token: member.token, body: input });
    expect(again.status).toBe(409);

    // No votes yet: the author may take it away; the room learns at once.
    const removedPush = collect(follower, 'poll:updated', 1);
    const removedByAuthor = await s.api('DELETE', `/topics/${topic.id}/poll`, { token: member.token });
    expect(removedByAuthor.body).toEqual({ topicId: topic.id, removed: true });
    expect((await removedPush)[0]).toEqual({ topicId: topic.id, poll: null });
    expect((await s.api('GET', `/topics/${topic.id}`)).body.topic.hasPoll).toBeUndefined();
    expect((await s.api('GET', `/topics/${topic.id}/poll`)).status).toBe(404);

    // With votes, only a moderator may remove it; that is logged, and the votes go with it.
    const second = (await s.api('POST', `/topics/${topic.id}/poll`, { token: member.token, body: input })).body.poll;
    expect(second.id).not.toBe(added.body.poll.id);
    await vote(stranger.token, topic.id, [0]);
    const refused = await s.api('DELETE', `/topics/${topic.id}/poll`, { token: member.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/voted/);
    expect((await s.api('DELETE', `/topics/${topic.id}/poll`, { token: stranger.token })).status).toBe(403);
    expect((await s.api('DELETE', `/topics/${topic.id}/poll`, { token: admin.token })).status).toBe(200);
    expect(await s.models.PollVote.countDocuments({ pollId: second.id })).toBe(0);
    expect(await s.models.Poll.countDocuments({ topicId: topic.id })).toBe(0);
    const log = (await s.api('GET', '/modlog', { token: admin.token })).body.entries;
    expect(log.find((e: { action: string }) => e.action === 'poll.delete')).toMatchObject({ target: { type: 'topic', id: topic.id }, details: { question: 'Meet on Friday?' } });
    // Replay carries the two logged changes of the topic's poll: a client that missed them learns of them.
    const replay = await ack(follower, 'topic:subscribe', { topicId: topic.id, sinceSeq: sub.data.seq });
    const kinds = replay.data.missed.map((e: { type: string; data: { topic?: { hasPoll?: boolean } } }) => `${e.type}:${e.data.topic?.hasPoll ?? '-'}`);
    expect(kinds).toEqual(['topic:updated:true', 'topic:updated:-', 'topic:updated:true', 'topic:updated:-']);
  });

  it('refuses bad input, strangers, closed polls and locked topics with clear errors, and changes nothing', async () => {
    const { admin, member, forum, topic } = await topicWithPoll({ question: 'Q?', options: ['A', 'B', 'C'] });
    const voter = await s.user('poll_voter');
    const badPolls = [
      { question: 'Q', options: ['only one'] },
      { question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
      { question: 'Q', options: ['Same', 'same'] },
      { question: 'Q', options: ['A', 'B'], maxChoices: 3 },
      { question: 'Q', options: ['A', 'B'], maxChoices: 0 },
      { question: 'Q', options: ['A', 'B'], closesInDays: 0 },
      { question: 'Q', options: ['A', 'B'], closesInDays: 366 },
      { question: '', options: ['A', 'B'] },
      { question: 'Q', options: ['A', ''] },
      { question: 'Q', options: ['A', 'x'.repeat(101)] },
      { question: 'Q', options: ['A', 'B'], extra: true },
      { question: 'Q', options: 'A,B' },
    ];
    const topicsBefore = await s.models.Topic.countDocuments({});
    const pollsBefore = await s.models.Poll.countDocuments({});
    for (const poll of badPolls) {
      const r = await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'T', body: 'B', poll } });
      expect(r.status, JSON.stringify(poll)).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    expect(await s.models.Topic.countDocuments({})).toBe(topicsBefore);
    expect(await s.models.Poll.countDocuments({})).toBe(pollsBefore);

    for (const choices of [[3], [-1], [0, 1], [0, 0], [1.5], ['0'], null, 'all']) {
      const r = await vote(voter.token, topic.id, choices);
      expect(r.status, JSON.stringify(choices)).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await s.api('POST', `/topics/${topic.id}/poll/vote`, { token: voter.token, body: { choices: [0], extra: 1 } })).status).toBe(400);
    expect((await vote(undefined, topic.id, [0])).status).toBe(401);
    expect((await vote(voter.token, '0123456789abcdef01234567', [0])).status).toBe(404);
    const plain = (await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'No poll', body: 'B' } })).body.topic;
    expect((await vote(voter.token, plain.id, [0])).status).toBe(404);
    expect((await s.api('GET', `/topics/${plain.id}/poll`)).body.error.code).toBe('NOT_FOUND');

    // Locked topic: members may not vote (moderators still may).
    await s.api('POST', `/topics/${topic.id}/lock`, { token: admin.token, body: {} });
    const locked = await vote(voter.token, topic.id, [0]);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('LOCKED');
    expect((await s.api('GET', `/topics/${topic.id}/poll`, { token: voter.token })).body.poll.may).toEqual({ vote: false, close: false });
    await s.api('POST', `/topics/${topic.id}/unlock`, { token: admin.token, body: {} });

    // A closed poll takes no votes.
    const poll = (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;
    await s.models.Poll.updateOne({ _id: poll.id }, { $set: { closesAt: new Date(Date.now() - 1000) } });
    const closed = await vote(voter.token, topic.id, [0]);
    expect(closed.status).toBe(423);
    expect(closed.body.error.message).toMatch(/closed/);
    expect((await s.api('GET', `/topics/${topic.id}/poll`, { token: voter.token })).body.poll).toMatchObject({ closed: true, may: { vote: false } });
    await s.models.Poll.updateOne({ _id: poll.id }, { $unset: { closesAt: 1 } });

    // A forum where members may read but not reply: no votes there.
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { reply: ['moderator', 'admin'] } } });
    expect((await vote(voter.token, topic.id, [0])).status).toBe(403);
    expect((await s.api('GET', `/topics/${topic.id}/poll`, { token: voter.token })).body.poll.may).toEqual({ vote: false, close: false });
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    // A forum the voter may not read: refused as every read there is.
    expect((await vote(voter.token, topic.id, [0])).status).toBe(403);
    expect((await s.api('GET', `/topics/${topic.id}/poll`, { token: voter.token })).status).toBe(403);

    const after = (await s.api('GET', `/topics/${topic.id}/poll`, { token: admin.token })).body.poll;
    expect(after).toMatchObject({ voterCount: 0, rev: 0 });
    expect(await s.models.PollVote.countDocuments({ pollId: poll.id })).toBe(0);
  });

  it('results shown when the poll closes: hidden from everyone (pushes too) until the author closes it; reopening hides them again', async () => {
    const { admin, member, topic } = await topicWithPoll({ question: 'Secret ballot?', options: ['Yes', 'No'], results: 'closed' }, 'Ballot');
    const votesOf = (p: { options: Array<{ votes: number | null }> }) => p.options.map((o) => o.votes);
    const guest = await watching(topic.id);
    const alice = await s.user('ballot_alice');
    const pushedVote = collect(guest, 'poll:updated', 1);
    const voted = (await vote(alice.token, topic.id, [1])).body.poll;
    expect(voted).toMatchObject({ results: 'closed', voterCount: 1, myChoices: [1], closed: false, may: { vote: false, close: false } });
    expect(votesOf(voted)).toEqual([null, null]);
    expect(votesOf((await pushedVote)[0].poll)).toEqual([null, null]);
    expect(votesOf((await s.api('GET', `/topics/${topic.id}`, { token: member.token })).body.poll)).toEqual([null, null]);
    expect((await s.api('GET', `/topics/${topic.id}/poll`, { token: member.token })).body.poll.may).toEqual({ vote: true, close: true });

    // Only the author or a moderator closes it; then everyone sees the totals, live.
    const refused = await s.api('POST', `/topics/${topic.id}/poll/close`, { token: alice.token });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const pushedClose = collect(guest, 'poll:updated', 1);
    const closed = await s.api('POST', `/topics/${topic.id}/poll/close`, { token: member.token });
    expect(closed.status).toBe(200);
    expect(closed.body.poll).toMatchObject({ closed: true, voterCount: 1, may: { vote: false, close: true } });
    expect(votesOf(closed.body.poll)).toEqual([0, 1]);
    expect(Date.parse(closed.body.poll.closesAt)).toBeLessThanOrEqual(Date.now());
    const [closeEvent] = await pushedClose;
    expect(closeEvent.poll).toMatchObject({ closed: true, rev: closed.body.poll.rev });
    expect(votesOf(closeEvent.poll)).toEqual([0, 1]);
    const late = await vote(member.token, topic.id, [0]);
    expect([late.status, late.body.error.code]).toEqual([423, 'LOCKED']);
    // Closing again changes nothing.
    expect((await s.api('POST', `/topics/${topic.id}/poll/close`, { token: member.token })).body.poll.rev).toBe(closed.body.poll.rev);

    // A moderator reopens it (logged): open with no end, totals hidden again, votes taken.
    const reopened = await s.api('POST', `/topics/${topic.id}/poll/reopen`, { token: admin.token });
    expect(reopened.body.poll).toMatchObject({ closed: false, may: { vote: true, close: true } });
    expect(reopened.body.poll.closesAt).toBeUndefined();
    expect(votesOf(reopened.body.poll)).toEqual([null, null]);
    expect((await vote(member.token, topic.id, [0])).body.poll.voterCount).toBe(2);
    const log = (await s.api('GET', '/modlog', { token: admin.token })).body.entries;
    expect(log[0]).toMatchObject({ action: 'poll.reopen', target: { type: 'topic', id: topic.id } });
    expect(log.some((e: { action: string; target: { id: string } }) => e.action === 'poll.close' && e.target.id === topic.id)).toBe(false); // the author's own close is not moderation
  });

  it('close and reopen refuse guests, strangers, a locked topic (for its author), and a topic without a poll', async () => {
    const { admin, member, topic } = await topicWithPoll({ question: 'Q?', options: ['A', 'B'] }, 'Closable');
    const stranger = await s.user('close_stranger');
    expect((await s.api('POST', `/topics/${topic.id}/poll/close`)).status).toBe(401);
    expect((await s.api('POST', `/topics/${topic.id}/poll/reopen`, { token: stranger.token })).status).toBe(403);
    await s.api('POST', `/topics/${topic.id}/lock`, { token: admin.token, body: {} });
    const locked = await s.api('POST', `/topics/${topic.id}/poll/close`, { token: member.token });
    expect([locked.status, locked.body.error.code]).toEqual([423, 'LOCKED']);
    expect((await s.api('POST', `/topics/${topic.id}/poll/close`, { token: admin.token })).body.poll.closed).toBe(true);
    const plain = (await s.api('POST', `/forums/${topic.forumId}/topics`, { token: member.token, body: { title: 'No poll', body: 'x' } })).body.topic;
    expect((await s.api('POST', `/topics/${plain.id}/poll/close`, { token: member.token })).status).toBe(404);
    expect((await s.api('POST', '/topics/nope/poll/close', { token: member.token })).status).toBe(400);
  });

  it('recount rebuilds totals that drifted from the votes (a process that died between its two writes)', async () => {
    const { topic } = await topicWithPoll({ question: 'Drift?', options: ['A', 'B'] });
    const [u1, u2] = [await s.user('poll_r1'), await s.user('poll_r2')];
    await vote(u1.token, topic.id, [0]);
    await vote(u2.token, topic.id, [1]);
    const poll = (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;
    await s.models.Poll.updateOne({ _id: poll.id }, { $set: { 'options.0.votes': 5, voterCount: 9 } });
    expect(await s.app.services.polls.recount()).toBeGreaterThanOrEqual(1);
    const fixed = (await s.api('GET', `/topics/${topic.id}/poll`)).body.poll;
    expect(fixed.options.map((o: { votes: number }) => o.votes)).toEqual([1, 1]);
    expect(fixed.voterCount).toBe(2);
    expect(fixed.rev).toBeGreaterThan(poll.rev);
    expect(await s.app.services.polls.recount()).toBe(0);
  });

  it('a viewer outside the topic gets no poll pushes', async () => {
    const { topic } = await topicWithPoll({ question: 'Quiet?', options: ['A', 'B'] });
    const other = await topicWithPoll({ question: 'Other?', options: ['A', 'B'] });
    const elsewhere = await watching(other.topic.id);
    const heard = receivedWithin(elsewhere, 'poll:updated', 800);
    await vote((await s.user('poll_quiet')).token, topic.id, [0]);
    expect(await heard).toBe(false);
  });
});
