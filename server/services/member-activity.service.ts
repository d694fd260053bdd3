import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { MemberActivity } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import { notFound } from '../errors.js';
import { policy } from './policy.js';

/** Topics looked at, most posts first, to find the busiest one the viewer may read. */
const TOPICS_CONSIDERED = 50;

/**
 * phpBB's profile lines "Most active forum" and "Most active topic": where a member posted most,
 * among the forums the viewer may read, with the share of the member's posts. Two aggregations
 * of the member's visible posts (grouped by forum, and by topic), run in the database.
 */
export function createMemberActivity({ models, access }: { models: Models; access: Pick<AccessService, 'readableOf'> }) {
  const { Post, Forum, Topic, User } = models;

  return {
    async of(viewer: AuthUser | null, userId: string): Promise<MemberActivity> {
      policy.requireScope(viewer, 'read');
      const member = await User.findById(userId, { postCount: 1 }).lean();
      if (!member) throw notFound('User');
      const authorId = new Types.ObjectId(userId);
      const [byForum, byTopic] = await Promise.all([
        Post.aggregate<{ _id: Types.ObjectId; posts: number }>([{ $match: { authorId, deleted: false } }, { $group: { _id: '$forumId', posts: { $sum: 1 } } }]),
        Post.aggregate<{ _id: Types.ObjectId; posts: number }>([
          { $match: { authorId, deleted: false } },
          { $group: { _id: '$topicId', posts: { $sum: 1 } } },
          { $sort: { posts: -1, _id: 1 } },
          { $limit: TOPICS_CONSIDERED },
        ]),
      ]);
      const forums = await Forum.find({ _id: op({ $in: byForum.map((f) => f._id) }) }, { title: 1, permissions: 1 }).lean();
      const readable = new Map((await access.readableOf(viewer, forums.filter((f) => policy.coversForum(viewer, String(f._id))))).map((f) => [String(f._id), f.title]));
      const total = member.postCount ?? 0;
      const share = (posts: number) => (total > 0 ? Math.min(100, Math.round((posts / total) * 1000) / 10) : 0);

      const forum = byForum.filter((f) => readable.has(String(f._id))).sort((a, b) => b.posts - a.posts || String(a._id).localeCompare(String(b._id)))[0];
      const topics = await Topic.find({ _id: op({ $in: byTopic.map((t) => t._id) }), deleted: op({ $ne: true }) }, { title: 1, forumId: 1 }).lean();
      const topicById = new Map(topics.map((t) => [String(t._id), t]));
      const topicRow = byTopic.find((t) => {
        const topic = topicById.get(String(t._id));
        return topic && readable.has(String(topic.forumId));
      });
      const topic = topicRow && topicById.get(String(topicRow._id));
      return {
        userId,
        mostActiveForum: forum ? { id: String(forum._id), title: readable.get(String(forum._id))!, posts: forum.posts, share: share(forum.posts) } : null,
        mostActiveTopic: topic && topicRow ? { id: String(topic._id), title: topic.title, posts: topicRow.posts, share: share(topicRow.posts) } : null,
      };
    },
  };
}
export type MemberActivityService = ReturnType<typeof createMemberActivity>;
