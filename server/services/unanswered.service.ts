import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';
import type { TopicsAcross } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { ForumService } from './forum.service.js';
import { tracksUnread, type UnreadService } from './unread.service.js';
import { pageCountOf, toTopicView, type TopicRecordLike } from './views.js';

/**
 * phpBB's "Unanswered topics": topics no one has replied to yet (their opening post is their one
 * visible post), in every forum the viewer may read, newest first, a forum listing's page at a time; for a member each
 * says whether it is unread. Where someone who answers questions looks first.
 */
export function createUnansweredService({ models, forums, unread }: { models: Models; forums: Pick<ForumService, 'readableRefs'>; unread?: Pick<UnreadService, 'topicsUnread'> }) {
  const { Topic } = models;

  async function page(viewer: AuthUser | null, page: number): Promise<TopicsAcross> {
    const readable = await forums.readableRefs(viewer);
    const filter = { forumId: op({ $in: readable.map((f) => new Types.ObjectId(f.id)) }), deleted: op({ $ne: true }), postCount: 1 };
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
    // Unread flags are worked out per forum (each forum has its own marks).
    const flags = new Map<string, { unread: boolean; firstUnread?: number }>();
    if (unread && tracksUnread(viewer)) {
      for (const forumId of new Set(rows.map((t) => String(t.forumId)))) {
        for (const [id, flag] of await unread.topicsUnread(viewer, forumId, rows.filter((t) => String(t.forumId) === forumId))) flags.set(id, flag);
      }
    }
    const topics = rows.map((t) => ({ ...toTopicView(t as TopicRecordLike), ...flags.get(String(t._id)) }));
    return { topics, forums: readable, total, page: current, pageCount };
  }

  return { page };
}
export type UnansweredService = ReturnType<typeof createUnansweredService>;
