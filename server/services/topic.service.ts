import type { Models } from '../models/index.js';
import type { Poll, Post, Topic } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { EventLog } from './event-log.service.js';
import type { CardService } from './card.service.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { notFound } from '../errors.js';
import { toPostView, toTopicView, pageCountOf, type PostRecordLike, type TopicRecordLike } from './views.js';
import type { AccessService } from './access.service.js';
import { readTopicFacts, type AccessCache } from './access-cache.js';
import { tracksUnread, type UnreadService } from './unread.service.js';
import type { WatchService } from './watch.service.js';
import { pageHolding } from './post-pages.js';
import type { PollService } from './poll.service.js';

/** Reading topics: a page of posts plus the seq a client subscribes from. */
export function createTopicService({ models, eventLog, cardService, thankedBy, access, cache, unread, watches, polls, bookmarked }: {
  models: Models;
  eventLog: EventLog;
  cardService: CardService;
  access: Pick<AccessService, 'requireRead' | 'may'>;
  /** Topic facts from memory for `exists`/`readable` (every subscribe); without it, read. */
  cache?: Pick<AccessCache, 'topic'>;
  /** Who thanked each of these posts, oldest first (filled in by the thanks service). */
  thankedBy?: (postIds: string[]) => Promise<Map<string, Array<{ id: string; username: string }>>>;
  /** Finds the first unread post for `page: 'unread'`; without it, that is the last page. */
  unread?: Pick<UnreadService, 'firstUnreadIn' | 'readState'>;
  /** Tells a signed-in viewer whether they watch the topic. */
  watches?: Pick<WatchService, 'isWatching'>;
  /** The topic's poll, as the viewer sees it (their choices included). */
  polls?: Pick<PollService, 'forTopicPage'>;
  /** Of these posts, those the member bookmarked (the bookmark service's `among`). */
  bookmarked?: (userId: string, postIds: string[]) => Promise<string[]>;
}) {
  /**
   * `requested: 'unread'`: the page holding the member's first unread post, named by
   * `firstUnreadPostId`; the last page when none is unread (always, for guests and bots).
   */
  async function page(topicId: string, requested: number | 'unread' | { post: string }, viewer: AuthUser | null = null): Promise<{ topic: Topic; posts: Post[]; page: number; pageCount: number; seq: number; firstUnreadPostId?: string; read?: { upTo: number; before: string }; watching?: boolean; poll?: Poll; bookmarked?: string[] }> {
    policy.requireScope(viewer, 'read');
    // The settled seq is taken first: every event up to it is already stored, so the posts
    // read below include its changes; later events reach the subscriber by replay.
    const seq = await eventLog.settledSeq(topicId);
    const topic = await models.Topic.findById(topicId).lean();
    if (!topic || (topic.deleted && !policy.isModerator(viewer))) throw notFound('Topic');
    policy.requireForum(viewer, String(topic.forumId));
    await access.requireRead(viewer, String(topic.forumId));
    // What the reply path checks (post.service.ts reply): the forum's permission, then the lock
    // (moderators pass) and deletion (a moderator's reply to a deleted topic is CONFLICT).
    const mayReply = !topic.deleted && (!topic.locked || policy.isModerator(viewer)) && (await access.may(viewer, String(topic.forumId), 'reply'));
    const pageCount = pageCountOf(topic.postCount, LIMITS.postsPerPage);
    const tracked = unread && tracksUnread(viewer) ? { unread, viewer } : null;
    const read = tracked ? await tracked.unread.readState(tracked.viewer, topic) : undefined;
    const firstUnread = requested === 'unread' && tracked && read ? await tracked.unread.firstUnreadIn(topic, read) : null;
    const wanted = requested === 'unread' ? (firstUnread?.page ?? pageCount) : typeof requested === 'number' ? requested : await pageOfPost(topicId, requested.post);
    const current = Math.min(wanted, pageCount);
    const rows = await models.Post.find({ topicId, deleted: false })
      .sort({ number: 1 })
      .skip((current - 1) * LIMITS.postsPerPage)
      .limit(LIMITS.postsPerPage)
      .lean();
    const cards = await cardService.cards(rows.map((p) => String(p.authorId)));
    const thanks = thankedBy ? await thankedBy(rows.map((p) => String(p._id))) : new Map<string, Array<{ id: string; username: string }>>();
    const poll = polls && (await polls.forTopicPage(viewer, topic));
    const posts = rows.flatMap((p) => {
      const author = cards.get(String(p.authorId));
      const givers = thanks.get(String(p._id)) ?? [];
      return author ? [toPostView(p as PostRecordLike, author, givers.map((g) => g.id), givers.map((g) => g.username))] : [];
    });
    return {
      topic: { ...toTopicView(topic as TopicRecordLike, seq), may: { reply: mayReply } },
      posts,
      page: current,
      pageCount,
      seq,
      ...(firstUnread && { firstUnreadPostId: firstUnread.postId }),
      ...(read && { read }),
      ...(viewer && watches && { watching: await watches.isWatching(viewer.id, 'topic', topicId) }),
      ...(poll && { poll }),
      ...(viewer && bookmarked && { bookmarked: await bookmarked(viewer.id, posts.map((p) => p.id)) }),
    };
  }

  /** The page holding this post of the topic; the first page if it is not one of its visible posts. */
  async function pageOfPost(topicId: string, postId: string): Promise<number> {
    const post = await models.Post.findById(postId, { topicId: 1, number: 1, deleted: 1 }).lean();
    return post && !post.deleted && String(post.topicId) === topicId ? pageHolding(models.Post, topicId, post.number) : 1;
  }

  async function exists(topicId: string): Promise<{ forumId: string; deleted: boolean } | null> {
    const facts = cache ? await cache.topic(topicId) : await readTopicFacts(models, topicId);
    return facts && { forumId: facts.forumId, deleted: facts.deleted };
  }

  /** A topic this viewer may read and follow (its forum's permissions; a bot token also needs `read` and, if limited, its forum). */
  async function readable(viewer: AuthUser | null, topicId: string): Promise<{ forumId: string }> {
    policy.requireScope(viewer, 'read');
    const t = await exists(topicId);
    if (!t || (t.deleted && !policy.isModerator(viewer))) throw notFound('Topic');
    policy.requireForum(viewer, t.forumId);
    await access.requireRead(viewer, t.forumId);
    return t;
  }

  return { page, exists, readable };
}
export type TopicService = ReturnType<typeof createTopicService>;
