import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';
import type { TagList, TopicsAcross } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { ForumService } from './forum.service.js';
import { tracksUnread, type UnreadService } from './unread.service.js';
import { pageCountOf, toTopicView, type TopicRecordLike } from './views.js';

/** phpBB's "Active topics": posted in within this many days. */
export const ACTIVE_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Topics from across the board, in every forum the viewer may read, last posted in first, a forum
 * listing's page at a time; for a member each says whether it is unread. phpBB's quick links:
 * - "Unanswered topics": no one has replied yet (the opening post is its one visible post), where
 *   someone who answers questions looks first;
 * - "Active topics": posted in within the last ACTIVE_DAYS days (Discourse's "Latest");
 * - a tag's topics (Discourse's and NodeBB's tag pages), and the tags in use, most used first.
 */
export function createTopicsAcross({ models, forums, unread, now = Date.now }: { models: Models; forums: Pick<ForumService, 'readableRefs'>; unread?: Pick<UnreadService, 'topicsUnread'>; now?: () => number }) {
  const { Topic } = models;

  async function page(viewer: AuthUser | null, page: number, which: Record<string, unknown>): Promise<TopicsAcross> {
    const readable = await forums.readableRefs(viewer);
    const filter = { forumId: op({ $in: readable.map((f) => new Types.ObjectId(f.id)) }), deleted: op({ $ne: true }), ...which };
    const total = readable.length ? await Topic.countDocuments(filter) : 0;
    const pageCount = pageCountOf(total, LIMITS.topicsPerPage);
    const current = Math.min(page, pageCount);
    const rows = total
      ? await Topic.find(filter)
          .sort({ lastPostAt: -1, _id: -1 })
          .skip((current - 1) * LIMITS.topicsPerPage)
          .limit(LIMITS.topicsPerPage)
          .lean()
      : [];
    // Each topic is unread by its own forum's marks.
    const flags = unread && tracksUnread(viewer) ? await unread.topicsUnread(viewer, rows) : null;
    const topics = rows.map((t) => ({ ...toTopicView(t as TopicRecordLike), ...flags?.get(String(t._id)) }));
    return { topics, forums: readable, total, page: current, pageCount };
  }

  return {
    /** GET /unanswered. */
    unanswered: (viewer: AuthUser | null, n: number) => page(viewer, n, { postCount: 1 }),
    /** GET /active. */
    active: (viewer: AuthUser | null, n: number) => page(viewer, n, { lastPostAt: op({ $gte: new Date(now() - ACTIVE_DAYS * DAY_MS) }) }),
    /** GET /tags/:tag. */
    tagged: (viewer: AuthUser | null, tag: string, n: number) => page(viewer, n, { tags: tag }),

    /**
     * GET /tags: the tags on the topics the viewer may read, with how many topics carry each, most
     * used first (then by name), at most LIMITS.tagsListed. Counted here from the tagged topics'
     * tag lists (one read; FerretDB v1 would run a `$group` of `$unwind` in Go all the same).
     */
    async tags(viewer: AuthUser | null): Promise<TagList> {
      const readable = await forums.readableRefs(viewer);
      if (!readable.length) return { tags: [] };
      const rows = await Topic.find({ forumId: op({ $in: readable.map((f) => new Types.ObjectId(f.id)) }), deleted: op({ $ne: true }), tags: op({ $exists: true }) }, { tags: 1 }).lean();
      const counts = new Map<string, number>();
      for (const row of rows) for (const tag of row.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      const tags = [...counts].map(([name, topics]) => ({ name, topics })).sort((a, b) => b.topics - a.topics || a.name.localeCompare(b.name));
      return { tags: tags.slice(0, LIMITS.tagsListed) };
    },
  };
}
export type TopicsAcrossService = ReturnType<typeof createTopicsAcross>;
