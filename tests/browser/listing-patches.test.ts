// The board index's and a forum page's rules for applying live events without a browser, and
// the live listing that holds events while a fetch is out.
import { describe, expect, it } from 'vitest';
import { patchBoard, patchTopicPage, type TopicPage } from '../../client/web/src/live/listing-patches.js';
import { liveListing } from '../../client/web/src/live/live-listing.js';
import { LIMITS } from '../../shared/limits.js';
import type { Forum, Post, Topic, TopicEvent, UserCard } from '../../shared/schemas.js';

const FORUM = 'f'.repeat(24);
const OTHER_FORUM = 'e'.repeat(24);
const AT = '2024-01-01T00:00:00.000Z';

function card(id: string): UserCard {
  return { id, username: id, role: 'member', rank: 'New member', groups: [], postCount: 1, joinedAt: AT, thanksGiven: 0, thanksReceived: 0, isBot: false };
}
function post(topicId: string, number: number, author: string, over: Partial<Post> = {}): Post {
  return { id: `${topicId}-p${number}`, topicId, forumId: FORUM, subject: number === 1 ? `Title ${topicId}` : `Re: Title ${topicId}`, body: 'b', bodyHtml: '<p>b</p>', author: card(author), createdAt: AT, thanksCount: 0, number, seq: number, ...over };
}
const created = (p: Post, forumSeq: number): TopicEvent => ({ type: 'post:created', data: { topicId: p.topicId, forumId: p.forumId, seq: p.seq, forumSeq, post: p } });
const forumRow = (over: Partial<Forum> = {}): Forum => ({ id: FORUM, title: 'General', description: '', topicCount: 2, postCount: 5, lastPost: null, seq: 10, order: 0, ...over });
function topicRow(id: string, postCount: number, over: Partial<Topic> = {}): Topic {
  return { id, forumId: FORUM, title: `Title ${id}`, authorId: 'alice', authorName: 'alice', createdAt: AT, postCount, views: 0, locked: false, seq: postCount, lastPost: null, unread: false, ...over };
}

describe('patchBoard', () => {
  it('counts a reply and a new topic, and moves "last post" and the cursor', () => {
    const forums = [forumRow()];
    expect(patchBoard(forums, created(post('t1', 3, 'bob'), 11), { id: null })).toBe('patched');
    expect(forums[0]).toMatchObject({ postCount: 6, topicCount: 2, seq: 11, lastPost: { id: 't1-p3', authorName: 'bob', subject: 'Re: Title t1' } });
    expect(patchBoard(forums, created(post('t9', 1, 'carol'), 12), { id: null })).toBe('patched');
    expect(forums[0]).toMatchObject({ postCount: 7, topicCount: 3, seq: 12, lastPost: { id: 't9-p1', topicId: 't9' } });
    expect(forums[0].unread).toBeUndefined(); // a guest's listing has no unread marks to set
  });

  it('skips events the listing already counts (at or below its cursor)', () => {
    const forums = [forumRow({ seq: 10 })];
    expect(patchBoard(forums, created(post('t1', 3, 'bob'), 10), { id: null })).toBe('unchanged');
    expect(forums[0].postCount).toBe(5);
  });

  it("marks the forum unread for others' posts, never for the reader's own", () => {
    const forums = [forumRow({ unread: false })];
    patchBoard(forums, created(post('t1', 3, 'me'), 11), { id: 'me' });
    expect(forums[0].unread).toBe(false);
    patchBoard(forums, created(post('t1', 4, 'bob'), 12), { id: 'me' });
    expect(forums[0].unread).toBe(true);
  });

  it('renames "last post" on an edit of that post, and asks the server after a deletion or a move', () => {
    const forums = [forumRow({ lastPost: { id: 't1-p3', topicId: 't1', subject: 'Re: Title t1', authorId: 'bob', authorName: 'bob', createdAt: AT } })];
    const edited: TopicEvent = { type: 'post:updated', data: { topicId: 't1', forumId: FORUM, seq: 4, forumSeq: 11, post: post('t1', 3, 'bob', { subject: 'Better subject' }) } };
    expect(patchBoard(forums, edited, { id: null })).toBe('patched');
    expect(forums[0].lastPost?.subject).toBe('Better subject');
    const other: TopicEvent = { type: 'post:updated', data: { topicId: 't1', forumId: FORUM, seq: 5, forumSeq: 12, post: post('t1', 2, 'bob', { subject: 'x' }) } };
    expect(patchBoard(forums, other, { id: null })).toBe('unchanged');
    expect(patchBoard(forums, { type: 'post:deleted', data: { topicId: 't1', forumId: FORUM, seq: 6, forumSeq: 13, postId: 't1-p3' } }, { id: null })).toBe('refetch');
    expect(patchBoard(forums, created(post('t1', 9, 'bob', { forumId: OTHER_FORUM }), 1), { id: null })).toBe('refetch'); // a forum not listed
  });
});

describe('patchTopicPage', () => {
  const page = (topics: Topic[], over: Partial<TopicPage> = {}): TopicPage => ({ forum: forumRow({ topicCount: topics.length }), topics, page: 1, pageCount: 1, ...over });

  it('lifts a replied topic to the top with its count, "last post" and New mark', () => {
    const listing = page([topicRow('t1', 2), topicRow('t2', 3)]);
    expect(patchTopicPage(listing, created(post('t2', 4, 'bob'), 11), { id: 'me' })).toBe('patched');
    expect(listing.topics.map((t) => t.id)).toEqual(['t2', 't1']);
    expect(listing.topics[0]).toMatchObject({ postCount: 4, unread: true, firstUnread: 4, lastPost: { id: 't2-p4' } });
    // A second unread reply keeps the first unread one; the reader's own reply reads the topic.
    patchTopicPage(listing, created(post('t2', 5, 'bob'), 12), { id: 'me' });
    expect(listing.topics[0]).toMatchObject({ postCount: 5, firstUnread: 4 });
    patchTopicPage(listing, created(post('t1', 3, 'me'), 13), { id: 'me' });
    expect(listing.topics.map((t) => [t.id, t.unread])).toEqual([['t1', false], ['t2', true]]);
    expect(listing.forum).toMatchObject({ postCount: 8, seq: 13 });
  });

  it('puts a new topic first and lets the last one go to page 2', () => {
    const full = Array.from({ length: LIMITS.topicsPerPage }, (_, i) => topicRow(`t${i}`, 1));
    const listing = page(full);
    expect(patchTopicPage(listing, created(post('new', 1, 'bob'), 11), { id: null })).toBe('patched');
    expect(listing.topics).toHaveLength(LIMITS.topicsPerPage);
    expect(listing.topics[0]).toMatchObject({ id: 'new', title: 'Title new', authorName: 'bob', postCount: 1 });
    expect(listing.topics.at(-1)?.id).toBe(`t${LIMITS.topicsPerPage - 2}`);
    expect(listing).toMatchObject({ pageCount: 2, forum: { topicCount: LIMITS.topicsPerPage + 1 } });
    expect(listing.topics[0].hasPoll).toBeUndefined();
    // A new topic with a poll is marked so from its opening post's event.
    const withPoll = created(post('poll', 1, 'carol'), 12);
    if (withPoll.type === 'post:created') withPoll.data.topicHasPoll = true;
    expect(patchTopicPage(listing, withPoll, { id: null })).toBe('patched');
    expect(listing.topics[0]).toMatchObject({ id: 'poll', hasPoll: true });
    expect(listing.topics[0].tags).toBeUndefined();
    // A new topic with tags shows them from the same event.
    const tagged = created(post('tagged', 1, 'carol'), 13);
    if (tagged.type === 'post:created') tagged.data.topicTags = ['linux', 'wifi'];
    expect(patchTopicPage(listing, tagged, { id: null })).toBe('patched');
    expect(listing.topics[0]).toMatchObject({ id: 'tagged', tags: ['linux', 'wifi'] });
  });

  it('keeps pinned topics above the rest: a reply lifts a topic to the top of the rest, a pinned one to the very top', () => {
    const rest = Array.from({ length: LIMITS.topicsPerPage }, (_, i) => topicRow(`t${i}`, 1));
    const listing = page([topicRow('pin1', 1, { pinned: true }), topicRow('pin2', 1, { pinned: true }), ...rest]);
    listing.forum.topicCount = rest.length + 2;
    patchTopicPage(listing, created(post('t5', 2, 'bob'), 11), { id: null });
    expect(listing.topics.slice(0, 3).map((t) => t.id)).toEqual(['pin1', 'pin2', 't5']);
    patchTopicPage(listing, created(post('pin2', 2, 'bob'), 12), { id: null });
    expect(listing.topics.slice(0, 3).map((t) => t.id)).toEqual(['pin2', 'pin1', 't5']);
    expect(listing.topics).toHaveLength(LIMITS.topicsPerPage + 2);
    // A new topic goes under the pinned ones and pushes the last of the rest to page 2, which the pinned ones do not count towards.
    patchTopicPage(listing, created(post('new', 1, 'bob'), 13), { id: null });
    expect(listing.topics.slice(0, 3).map((t) => t.id)).toEqual(['pin2', 'pin1', 'new']);
    expect(listing.topics).toHaveLength(LIMITS.topicsPerPage + 2);
    expect(listing.pageCount).toBe(2);
  });

  it('keeps announcements above the pinned topics, asks the server about a reply to one, and counts pages without the forum’s own', () => {
    const rest = Array.from({ length: LIMITS.topicsPerPage }, (_, i) => topicRow(`t${i}`, 1));
    const elsewhere = topicRow('global', 1, { announcement: 'global', forumId: OTHER_FORUM });
    const listing = page([elsewhere, topicRow('ann', 1, { announcement: 'forum' }), topicRow('pin', 1, { pinned: true }), ...rest]);
    listing.forum.topicCount = rest.length + 2; // the forum's own: its announcement, the pinned one and the rest
    patchTopicPage(listing, created(post('pin', 2, 'bob'), 11), { id: null });
    patchTopicPage(listing, created(post('t7', 2, 'bob'), 12), { id: null });
    expect(listing.topics.slice(0, 4).map((t) => t.id)).toEqual(['global', 'ann', 'pin', 't7']);
    expect(patchTopicPage(listing, created(post('new', 1, 'bob'), 13), { id: null })).toBe('patched');
    expect(listing.topics.slice(0, 4).map((t) => t.id)).toEqual(['global', 'ann', 'pin', 'new']);
    expect(listing.topics).toHaveLength(LIMITS.topicsPerPage + 3);
    // 26 topics of its own outside the two it heads with: 2 pages (the other forum's announcement is not in its count).
    expect(listing.pageCount).toBe(2);
    expect(patchTopicPage(listing, created(post('ann', 2, 'bob'), 14), { id: null })).toBe('refetch');
  });

  it('asks the server for what it cannot place: a reply from a later page, any change on a later page, a lock', () => {
    expect(patchTopicPage(page([topicRow('t1', 2)]), created(post('elsewhere', 7, 'bob'), 11), { id: null })).toBe('refetch');
    expect(patchTopicPage(page([topicRow('t1', 2)], { page: 2 }), created(post('t1', 3, 'bob'), 11), { id: null })).toBe('refetch');
    const locked: TopicEvent = { type: 'topic:updated', data: { topicId: 't1', forumId: FORUM, seq: 3, forumSeq: 11, topic: topicRow('t1', 2, { locked: true }) } };
    expect(patchTopicPage(page([topicRow('t1', 2)]), locked, { id: null })).toBe('refetch');
  });
});

describe('liveListing', () => {
  it('holds events that arrive while a fetch is out and applies the new ones to its answer', async () => {
    const answers: Array<(data: Forum[]) => void> = [];
    const drawn: Array<{ postCount: number; seq: number }> = [];
    const live = liveListing<Forum[]>({
      load: () => new Promise((resolve) => answers.push(resolve)),
      render: (data) => drawn.push({ postCount: data[0].postCount, seq: data[0].seq }),
      patch: (data, event) => patchBoard(data, event, { id: null }),
      delayMs: 10,
    });
    const started = live.start();
    answers[0]([forumRow({ postCount: 5, seq: 10 })]);
    await started;
    live.event(created(post('t1', 3, 'bob'), 11));
    expect(drawn.at(-1)).toEqual({ postCount: 6, seq: 11 });
    // A deletion asks for the listing again; while that fetch is out, two posts arrive.
    live.event({ type: 'post:deleted', data: { topicId: 't1', forumId: FORUM, seq: 4, forumSeq: 12, postId: 't1-p3' } });
    await expect.poll(() => answers.length).toBe(2);
    live.event(created(post('t1', 4, 'bob'), 13));
    live.event(created(post('t1', 5, 'bob'), 14));
    expect(drawn).toHaveLength(2); // the first load and the first post: nothing drawn from the stale data meanwhile
    // The answer was read after the first of them: it counts it (cursor 13), not the second.
    answers[1]([forumRow({ postCount: 6, seq: 13 })]);
    await expect.poll(() => drawn.length).toBe(3);
    expect(drawn[2]).toEqual({ postCount: 7, seq: 14 });
    live.dispose();
  });

  it('drops an answer older than one already drawn (a mark-read fetch overtaking a slower one)', async () => {
    const answers: Array<(data: Forum[]) => void> = [];
    const drawn: Array<boolean | undefined> = [];
    const live = liveListing<Forum[]>({
      load: () => new Promise((resolve) => answers.push(resolve)),
      render: (data) => drawn.push(data[0].unread),
      patch: (data, event) => patchBoard(data, event, { id: 'me' }),
      delayMs: 10,
    });
    const started = live.start();
    answers[0]([forumRow({ unread: true })]);
    await started;
    live.event({ type: 'post:deleted', data: { topicId: 't1', forumId: FORUM, seq: 4, forumSeq: 11, postId: 'x' } }); // a fetch, 10 ms on
    await expect.poll(() => answers.length).toBe(2);
    live.now(); // the reader marked the board read
    expect(answers).toHaveLength(3);
    answers[2]([forumRow({ unread: false, seq: 11 })]);
    await expect.poll(() => drawn.length).toBe(2);
    answers[1]([forumRow({ unread: true, seq: 11 })]); // read before the mark, answered after it
    await new Promise((r) => setTimeout(r, 20));
    expect(drawn).toEqual([true, false]);
    live.dispose();
  });

  it('loses no event held while an older fetch was still out after a newer one answered', async () => {
    const answers: Array<(data: Forum[]) => void> = [];
    const drawn: number[] = [];
    const live = liveListing<Forum[]>({
      load: () => new Promise((resolve) => answers.push(resolve)),
      render: (data) => drawn.push(data[0].postCount),
      patch: (data, event) => patchBoard(data, event, { id: null }),
      delayMs: 10,
    });
    const started = live.start();
    answers[0]([forumRow({ postCount: 5, seq: 10 })]);
    await started;
    live.event({ type: 'post:deleted', data: { topicId: 't1', forumId: FORUM, seq: 4, forumSeq: 11, postId: 'x' } });
    await expect.poll(() => answers.length).toBe(2);
    live.now();
    answers[2]([forumRow({ postCount: 4, seq: 11 })]); // the newer answer first
    await expect.poll(() => drawn).toEqual([5, 4]);
    live.event(created(post('t1', 3, 'bob'), 12)); // held: the older fetch is still out
    answers[1]([forumRow({ postCount: 5, seq: 10 })]); // the older answer: dropped, the held post applied
    await expect.poll(() => drawn).toEqual([5, 4, 5]);
    live.dispose();
  });
});
