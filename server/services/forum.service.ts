import type { Models } from '../models/index.js';
import type { CreateForumBody, Forum, Topic } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { notFound } from '../errors.js';
import { toForumView, toTopicView, pageCountOf, type ForumRecordLike, type TopicRecordLike } from './views.js';

export function createForumService({ models }: { models: Models }) {
  async function list(): Promise<Forum[]> {
    const forums = await models.Forum.find({}).sort({ order: 1, createdAt: 1 }).lean();
    return forums.map((f) => toForumView(f as ForumRecordLike));
  }

  async function create(user: AuthUser | null, input: CreateForumBody): Promise<Forum> {
    policy.requireAdmin(user);
    const count = await models.Forum.countDocuments({});
    const forum = await models.Forum.create({ title: input.title, description: input.description, order: count });
    return toForumView(forum.toObject() as ForumRecordLike);
  }

  async function get(forumId: string): Promise<Forum> {
    const forum = await models.Forum.findById(forumId).lean();
    if (!forum) throw notFound('Forum');
    return toForumView(forum as ForumRecordLike);
  }

  async function topics(forumId: string, page: number): Promise<{ forum: Forum; topics: Topic[]; page: number; pageCount: number }> {
    const forum = await get(forumId);
    const total = await models.Topic.countDocuments({ forumId });
    const pageCount = pageCountOf(total, LIMITS.topicsPerPage);
    const current = Math.min(page, pageCount);
    const rows = await models.Topic.find({ forumId })
      .sort({ lastPostAt: -1, _id: -1 })
      .skip((current - 1) * LIMITS.topicsPerPage)
      .limit(LIMITS.topicsPerPage)
      .lean();
    return { forum, topics: rows.map((t) => toTopicView(t as TopicRecordLike)), page: current, pageCount };
  }

  return { list, create, get, topics };
}
export type ForumService = ReturnType<typeof createForumService>;
