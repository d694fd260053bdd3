import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';
import { notFound } from '../errors.js';
import type { ForumService } from './forum.service.js';
import type { CardService } from './card.service.js';

/** One post in a feed: what a feed reader shows of it. */
export interface FeedEntry {
  postId: string;
  topicId: string;
  subject: string;
  author: string;
  published: Date;
  updated: Date;
  /** The rendered (sanitized) body, with links as the site writes them (root-relative). */
  html: string;
}

/** A feed before it is written out: its title, the page it stands for (a site path), its newest posts. */
export interface FeedData {
  title: string;
  description: string;
  /** The page the feed follows: `/`, `/f/<id>`, `/t/<id>`. */
  path: string;
  entries: FeedEntry[];
}

const BOARD = 'Realtime Forum';

/**
 * phpBB's feeds: the newest posts of the board, of a forum, or of a topic, as a guest may read
 * them (a feed reader sends no token). Never deleted posts, nor posts of deleted topics.
 *
 * The newest posts of a set of topics lie in its most recently active topics (each topic's
 * `lastPostAt` is at least its newest post's time), so a board or forum feed reads
 * LIMITS.feedEntries topics by the `{forumId, lastPostAt}` index and then posts of those only:
 * no scan of the posts collection.
 */
export function createFeedService({ models, forums, cardService }: { models: Models; forums: Pick<ForumService, 'readableRefs'>; cardService: Pick<CardService, 'cards'> }) {
  const { Topic, Post } = models;

  async function newestPosts(topicIds: Types.ObjectId[]): Promise<FeedEntry[]> {
    if (!topicIds.length) return [];
    const rows = await Post.find({ topicId: op({ $in: topicIds }), deleted: false }, { topicId: 1, authorId: 1, subject: 1, bodyHtml: 1, createdAt: 1, editedAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(LIMITS.feedEntries)
      .lean();
    const cards = await cardService.cards([...new Set(rows.map((p) => String(p.authorId)))]);
    return rows.map((p) => ({
      postId: String(p._id),
      topicId: String(p.topicId),
      subject: p.subject,
      author: cards.get(String(p.authorId))?.username ?? 'Deleted member',
      published: p.createdAt,
      updated: p.editedAt ?? p.createdAt,
      html: p.bodyHtml,
    }));
  }

  /** The most recently active visible topics of these forums. */
  async function activeTopics(forumIds: string[]): Promise<Types.ObjectId[]> {
    if (!forumIds.length) return [];
    const rows = await Topic.find({ forumId: op({ $in: forumIds.map((id) => new Types.ObjectId(id)) }), deleted: op({ $ne: true }) }, { _id: 1 })
      .sort({ lastPostAt: -1, _id: -1 })
      .limit(LIMITS.feedEntries)
      .lean();
    return rows.map((t) => t._id);
  }

  return {
    /** The newest posts in every forum a guest may read. */
    async board(): Promise<FeedData> {
      const readable = await forums.readableRefs(null);
      return { title: BOARD, description: 'The newest posts', path: '/', entries: await newestPosts(await activeTopics(readable.map((f) => f.id))) };
    },

    /** The newest posts of one forum (refused as its listing is to a guest). */
    async forum(forumId: string): Promise<FeedData> {
      const [forum] = await forums.readableRefs(null, forumId);
      return { title: `${forum.title} · ${BOARD}`, description: `The newest posts in ${forum.title}`, path: `/f/${forum.id}`, entries: await newestPosts(await activeTopics([forum.id])) };
    },

    /** The newest posts of one topic (a deleted topic is not found; its forum is refused as to a guest). */
    async topic(topicId: string): Promise<FeedData> {
      const topic = await Topic.findById(topicId, { title: 1, forumId: 1, deleted: 1 }).lean();
      if (!topic || topic.deleted) throw notFound('Topic');
      await forums.readableRefs(null, String(topic.forumId));
      return { title: `${topic.title} · ${BOARD}`, description: `The newest posts in “${topic.title}”`, path: `/t/${String(topic._id)}`, entries: await newestPosts([topic._id]) };
    },
  };
}
export type FeedService = ReturnType<typeof createFeedService>;
