// The web client's forum tree (phpBB's subforums) without a browser: which forums stand on their
// own, what a parent's row adds up (counts, newest last post, unread), the breadcrumb trail, and
// the live board index's patches showing in the sums at the next render.
import { describe, expect, it } from 'vitest';
import { descendants, forumsInTreeOrder, forumTree } from '../../client/web/src/views/forum-tree.js';
import { forumCrumbs } from '../../client/web/src/views/forum-crumbs.js';
import { patchBoard } from '../../client/web/src/live/listing-patches.js';
import type { Forum, Post, PostRef, TopicEvent, UserCard } from '../../shared/schemas.js';

const id = (c: string) => c.repeat(24);
const at = (minute: number) => `2024-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const ref = (name: string, minute: number): PostRef => ({ id: `p-${name}`, topicId: `t-${name}`, subject: name, authorId: 'u', authorName: 'u', createdAt: at(minute) });
function forum(c: string, over: Partial<Forum> = {}): Forum {
  return { id: id(c), title: `Forum ${c}`, description: '', topicCount: 1, postCount: 2, lastPost: null, seq: 1, order: 0, ...over };
}
const ids = (forums: Array<{ id: string }>) => forums.map((f) => f.id);

describe('forumTree', () => {
  it('puts subforums, two deep, under their parents and adds their counts into each row above', () => {
    const forums = [
      forum('a', { topicCount: 3, postCount: 10 }),
      forum('b', { parentId: id('a'), topicCount: 2, postCount: 5 }),
      forum('c', { parentId: id('b'), topicCount: 1, postCount: 4 }),
      forum('d', { parentId: id('a'), topicCount: 0, postCount: 0 }),
      forum('e'),
    ];
    const tree = forumTree(forums);
    expect(tree.top.map((n) => n.forum.id)).toEqual([id('a'), id('e')]);
    const [a, e] = tree.top;
    expect(a).toMatchObject({ topicCount: 6, postCount: 19 });
    expect(a.subforums.map((n) => n.forum.id)).toEqual([id('b'), id('d')]); // board order; the grandchild is b's
    expect(a.subforums[0]).toMatchObject({ topicCount: 3, postCount: 9 });
    expect(a.subforums[0].subforums.map((n) => n.forum.id)).toEqual([id('c')]);
    expect(e).toMatchObject({ topicCount: 1, postCount: 2, subforums: [] });
    expect(ids(descendants(a))).toEqual([id('b'), id('c'), id('d')]);
    expect(tree.node(id('b'))?.subforums.map((n) => n.forum.id)).toEqual([id('c')]);
    expect(tree.node(id('z'))).toBeUndefined();
    expect(forums[0].postCount).toBe(10); // the flat list is left as it was
  });

  it('shows the newest last post among a forum and all below it', () => {
    const tree = forumTree([
      forum('a', { lastPost: ref('own', 5) }),
      forum('b', { parentId: id('a'), lastPost: ref('child', 3) }),
      forum('c', { parentId: id('b'), lastPost: ref('grandchild', 9) }),
      forum('d', { parentId: id('a'), lastPost: null }),
      forum('e', { lastPost: null }),
      forum('f', { parentId: id('e'), lastPost: ref('only', 1) }),
    ]);
    expect(tree.top[0].lastPost?.subject).toBe('grandchild');
    expect(tree.top[0].subforums[0].lastPost?.subject).toBe('grandchild');
    expect(tree.top[1].lastPost?.subject).toBe('only'); // a post is newer than none
    expect(forumTree([forum('a', { lastPost: ref('own', 5) }), forum('b', { parentId: id('a'), lastPost: ref('older', 4) })]).top[0].lastPost?.subject).toBe('own');
  });

  it('marks a row unread when it or any forum below it is, and leaves guests’ rows without marks', () => {
    const tree = forumTree([forum('a', { unread: false }), forum('b', { parentId: id('a'), unread: false }), forum('c', { parentId: id('b'), unread: true }), forum('d', { parentId: id('a'), unread: false })]);
    const [a] = tree.top;
    expect(a.unread).toBe(true);
    expect(a.subforums.map((n) => n.unread)).toEqual([true, false]);
    const read = forumTree([forum('a', { unread: false }), forum('b', { parentId: id('a'), unread: false })]);
    expect(read.top[0].unread).toBe(false);
    const guest = forumTree([forum('a'), forum('b', { parentId: id('a') })]);
    expect(guest.top[0].unread).toBeUndefined();
  });

  it('lets a subforum whose parent is not listed (not readable) stand on its own', () => {
    const tree = forumTree([forum('b', { parentId: id('a') }), forum('c', { parentId: id('b') })]);
    expect(tree.top.map((n) => n.forum.id)).toEqual([id('b')]);
    expect(tree.top[0]).toMatchObject({ topicCount: 2, postCount: 4 });
    expect(ids(tree.trail(id('c')))).toEqual([id('b'), id('c')]);
  });

  it('treats forums in a loop of parents as top-level, and those hanging from a loop as their subforums, without recursing forever', () => {
    const tree = forumTree([
      forum('a', { parentId: id('b') }),
      forum('b', { parentId: id('a') }),
      forum('s', { parentId: id('s') }),
      forum('c', { parentId: id('a') }),
      forum('d', { parentId: id('c') }),
    ]);
    expect(tree.top.map((n) => n.forum.id)).toEqual([id('a'), id('b'), id('s')]);
    expect(tree.top[0].subforums.map((n) => n.forum.id)).toEqual([id('c')]);
    expect(tree.top[0]).toMatchObject({ topicCount: 3, postCount: 6 });
    expect(tree.top[1]).toMatchObject({ topicCount: 1, subforums: [] });
    expect(ids(tree.trail(id('d')))).toEqual([id('a'), id('c'), id('d')]);
    expect(ids(tree.trail(id('b')))).toEqual([id('b')]);
  });

  it('gives the trail from the outermost forum down, and nothing for a forum not listed', () => {
    const tree = forumTree([forum('a'), forum('b', { parentId: id('a') }), forum('c', { parentId: id('b') })]);
    expect(ids(tree.trail(id('c')))).toEqual([id('a'), id('b'), id('c')]);
    expect(ids(tree.trail(id('a')))).toEqual([id('a')]);
    expect(tree.trail(id('z'))).toEqual([]);
  });
});

describe('forumCrumbs', () => {
  it('runs Board index › each forum it sits in › the forum', () => {
    const forums = [forum('a'), forum('b', { parentId: id('a') }), forum('c', { parentId: id('b') })];
    expect(forumCrumbs(forums, { id: id('c'), title: 'Renamed c' })).toEqual([
      { label: 'Board index', href: '/' },
      { label: 'Forum a', href: `/f/${id('a')}` },
      { label: 'Forum b', href: `/f/${id('b')}` },
      { label: 'Renamed c', href: `/f/${id('c')}` },
    ]);
    // Without the list (it could not be read), the forum alone; without a forum, the index alone.
    expect(forumCrumbs([], { id: id('c'), title: 'c' }).map((c) => c.label)).toEqual(['Board index', 'c']);
    expect(forumCrumbs(forums, undefined).map((c) => c.label)).toEqual(['Board index']);
  });
});

describe('the live board index', () => {
  function card(user: string): UserCard {
    return { id: user, username: user, role: 'member', rank: 'New member', groups: [], postCount: 1, joinedAt: at(0), thanksGiven: 0, thanksReceived: 0, isBot: false };
  }
  it('sums a post patched into a grandchild into its parent’s row at the next render', () => {
    const forums = [forum('a', { unread: false, lastPost: ref('old', 1) }), forum('b', { parentId: id('a'), unread: false }), forum('c', { parentId: id('b'), unread: false })];
    const post: Post = { id: 'p-new', topicId: 't-new', forumId: id('c'), subject: 'Fresh', body: 'b', bodyHtml: '<p>b</p>', author: card('bob'), createdAt: at(30), thanksCount: 0, number: 1, seq: 1 };
    const event: TopicEvent = { type: 'post:created', data: { topicId: post.topicId, forumId: id('c'), seq: 1, forumSeq: 2, post } };
    expect(patchBoard(forums, event, { id: 'me' })).toBe('patched');
    const [a] = forumTree(forums).top;
    expect(a).toMatchObject({ topicCount: 4, postCount: 7, unread: true, lastPost: { id: 'p-new', subject: 'Fresh' } });
    expect(a.subforums[0]).toMatchObject({ unread: true, postCount: 5 });
  });
  it('lists every forum in tree order with its depth, for the Move to list', () => {
    const forums = [forum('a'), forum('e'), forum('b', { parentId: id('a') }), forum('c', { parentId: id('b') }), forum('x', { parentId: id('z') })];
    expect(forumsInTreeOrder(forums).map(({ forum: f, depth }) => [f.title, depth])).toEqual([
      ['Forum a', 0],
      ['Forum b', 1],
      ['Forum c', 2],
      ['Forum e', 0],
      ['Forum x', 0], // its parent is not listed: on its own
    ]);
  });
});
