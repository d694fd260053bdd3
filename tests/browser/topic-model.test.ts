// The browser client's rules for applying live events, without a browser; and an audit that
// only server-sanitized HTML reaches innerHTML.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TopicModel, type ShownPost } from '../../client/web/src/live/topic-model.js';
import type { Topic, TopicEvent, UserCard } from '../../shared/schemas.js';

const TOPIC = 'a'.repeat(24);
const FORUM = 'f'.repeat(24);

function card(id: string, over: Partial<UserCard> = {}): UserCard {
  return { id, username: id, role: 'member', rank: 'New member', groups: [], postCount: 1, joinedAt: '2024-01-01T00:00:00.000Z', thanksGiven: 0, thanksReceived: 0, isBot: false, ...over };
}

function post(n: number, author = 'alice', over: Partial<ShownPost> = {}): ShownPost {
  return {
    id: `p${n}`, topicId: TOPIC, forumId: FORUM, subject: 'Re: T', body: `b${n}`, bodyHtml: `<p>b${n}</p>`,
    author: card(author), createdAt: '2024-01-01T00:00:00.000Z', thanksCount: 0, thankedBy: [], number: n, seq: n, ...over,
  };
}

function topic(postCount: number): Topic {
  return { id: TOPIC, forumId: FORUM, title: 'T', authorId: 'alice', authorName: 'alice', createdAt: '2024-01-01T00:00:00.000Z', postCount, views: 0, locked: false, seq: postCount, lastPost: null };
}

const base = (seq: number) => ({ topicId: TOPIC, forumId: FORUM, seq, forumSeq: seq });
const created = (p: ShownPost): TopicEvent => ({ type: 'post:created', data: { ...base(p.seq), post: p } });
const thanksEvent = (seq: number, postId: string, count: number, giver: string, given: number, receiver: string, received: number): TopicEvent => ({
  type: 'thanks:changed',
  data: { ...base(seq), thanks: { postId, thanksCount: count, giver: { id: giver, thanksGiven: given }, receiver: { id: receiver, thanksReceived: received } } },
});

describe('TopicModel', () => {
  it('appends a new post on the last page once, however often it arrives', () => {
    const m = new TopicModel(topic(2), [post(1), post(2)], 1, 20);
    const p3 = post(3, 'bob');
    expect(m.apply(created(p3)).map((e) => e.kind)).toEqual(['card', 'append']);
    expect(m.apply(created(p3))).toEqual([]);
    expect(m.addOwn(p3)).toEqual([]);
    expect([...m.posts.keys()]).toEqual(['p1', 'p2', 'p3']);
    expect(m.postCount).toBe(3);
  });

  it('counts new posts for a later page instead of showing them', () => {
    const full = Array.from({ length: 20 }, (_, i) => post(i + 1));
    const m = new TopicModel(topic(20), full, 1, 20);
    expect(m.apply(created(post(21)))).toContainEqual({ kind: 'new-posts', count: 1, page: 2, firstPostId: 'p21' });
    expect(m.apply(created(post(22)))).toContainEqual({ kind: 'new-posts', count: 2, page: 2, firstPostId: 'p21' });
    expect(m.posts.size).toBe(20);
    // Deleting one of them lowers the count again.
    expect(m.apply({ type: 'post:deleted', data: { ...base(23), postId: 'p21' } })).toEqual([{ kind: 'new-posts', count: 1, page: 2, firstPostId: 'p22' }]);
  });

  it('on an earlier page, links to the last page', () => {
    const m = new TopicModel(topic(45), [post(1)], 1, 20);
    expect(m.apply(created(post(46)))).toContainEqual({ kind: 'new-posts', count: 1, page: 3, firstPostId: 'p46' });
  });

  it('ignores an update or delete not newer than the post shown', () => {
    const m = new TopicModel(topic(1), [post(1, 'alice', { seq: 5 })], 1, 20);
    const stale = post(1, 'alice', { body: 'old', seq: 4 });
    expect(m.apply({ type: 'post:updated', data: { ...base(4), post: stale } }).map((e) => e.kind)).toEqual(['card']);
    expect(m.posts.get('p1')?.body).toBe('b1');
    expect(m.apply({ type: 'post:deleted', data: { ...base(5), postId: 'p1' } })).toEqual([]);
    const fresh = post(1, 'alice', { body: 'new', seq: 6 });
    expect(m.apply({ type: 'post:updated', data: { ...base(6), post: fresh } }).map((e) => e.kind)).toEqual(['card', 'replace']);
    expect(m.posts.get('p1')?.body).toBe('new');
    expect(m.apply({ type: 'post:deleted', data: { ...base(7), postId: 'p1' } })).toEqual([{ kind: 'remove', postId: 'p1' }]);
    expect(m.posts.size).toBe(0);
  });

  it('takes a moved post off the page and says where it went, with its number when the page showed it', () => {
    const m = new TopicModel(topic(3), [post(1), post(2), post(3)], 1, 20);
    const to = { topicId: 'b'.repeat(24), title: 'Elsewhere' };
    expect(m.apply({ type: 'post:deleted', data: { ...base(4), postId: 'p2', movedTo: to } })).toEqual([
      { kind: 'remove', postId: 'p2' },
      { kind: 'moved', postId: 'p2', number: 2, to },
    ]);
    expect(m.apply({ type: 'post:deleted', data: { ...base(5), postId: 'p40', movedTo: to } })).toEqual([{ kind: 'moved', postId: 'p40', number: null, to }]);
    expect([...m.posts.keys()]).toEqual(['p1', 'p3']);
    expect(m.postCount).toBe(1);
    // A plain deletion says nothing of a move.
    expect(m.apply({ type: 'post:deleted', data: { ...base(6), postId: 'p3' } })).toEqual([{ kind: 'remove', postId: 'p3' }]);
  });

  it('applies absolute thanks counts, adding and removing the giver, and moves both counters', () => {
    const m = new TopicModel(topic(2), [post(1, 'alice'), post(2, 'bob')], 1, 20);
    const effects = m.apply(thanksEvent(3, 'p2', 1, 'alice', 1, 'bob', 1));
    expect(effects).toContainEqual({ kind: 'counters', userId: 'alice', thanksGiven: 1 });
    expect(effects).toContainEqual({ kind: 'counters', userId: 'bob', thanksReceived: 1 });
    expect(m.posts.get('p2')).toMatchObject({ thanksCount: 1, thankedBy: ['alice'], seq: 3 });
    expect(m.posts.get('p1')?.author.thanksGiven).toBe(1);
    expect(m.posts.get('p2')?.author.thanksReceived).toBe(1);
    // A repeat of the same event changes nothing on the post.
    expect(m.apply(thanksEvent(3, 'p2', 1, 'alice', 1, 'bob', 1)).some((e) => e.kind === 'thanks')).toBe(false);
    m.apply(thanksEvent(4, 'p2', 0, 'alice', 0, 'bob', 0));
    expect(m.posts.get('p2')).toMatchObject({ thanksCount: 0, thankedBy: [] });
  });

  it('follows topic updates', () => {
    const m = new TopicModel(topic(1), [post(1)], 1, 20);
    const locked = { ...topic(1), locked: true, title: 'Renamed' };
    expect(m.apply({ type: 'topic:updated', data: { ...base(2), topic: locked } })).toEqual([{ kind: 'topic', topic: locked }]);
    expect(m.topic.title).toBe('Renamed');
  });

  it('keeps the newest topic change when a REST answer comes after a newer event (or repeats one)', () => {
    const m = new TopicModel(topic(2), [post(1), post(2)], 1, 20);
    const solved = { ...topic(2), solution: { postId: 'p2', number: 2, authorId: 'alice', authorName: 'alice' } };
    const cleared = topic(2);
    expect(m.apply({ type: 'topic:updated', data: { ...base(3), topic: solved } })).toEqual([{ kind: 'topic', topic: solved }]);
    expect(m.apply({ type: 'topic:updated', data: { ...base(4), topic: cleared } })).toEqual([{ kind: 'topic', topic: cleared }]);
    // The answer to the mark (seq 3) arrives late; the live event of seq 4 arrives again.
    expect(m.apply({ type: 'topic:updated', data: { ...base(3), forumSeq: 0, topic: solved } })).toEqual([]);
    expect(m.apply({ type: 'topic:updated', data: { ...base(4), topic: cleared } })).toEqual([]);
    expect(m.topic.solution).toBeUndefined();
  });
});

describe('the web client source', () => {
  const root = fileURLToPath(new URL('../../client/web/src/', import.meta.url));
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

  it('inserts HTML in one place only, and only bodyHtml and signatureHtml', () => {
    const htmlSinks = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment/;
    expect(files.filter((f) => htmlSinks.test(read(f)))).toEqual(['dom.ts']);
    const calls = files.flatMap((f) => [...read(f).matchAll(/(?<!function )trustedHtml\(([^)]*)\)/g)].map((m) => m[1]));
    expect(calls.length).toBeGreaterThan(0);
    for (const args of calls) expect(args).toMatch(/^\w+, [\w.]+\.(bodyHtml|signatureHtml)( \?\? '')?$/);
  });
});
