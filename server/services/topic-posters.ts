import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { TopicPosters } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { TopicService } from './topic.service.js';

/** Posters one answer names, most posts first. */
const POSTERS_LISTED = 50;

/**
 * phpBB's "Who posted?" (Discourse's top posters of a topic): each member with visible posts in
 * the topic and how many, most first (then by name), at most 50, with how many posted in all.
 * Counted here from the topic's posts' authors (one read, as a topic page reads them).
 */
export function createTopicPosters({ models, topics }: { models: Models; topics: Pick<TopicService, 'readable'> }) {
  return async function posters(viewer: AuthUser | null, topicId: string): Promise<TopicPosters> {
    await topics.readable(viewer, topicId);
    const rows = await models.Post.find({ topicId, deleted: false }, { authorId: 1 }).lean();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.authorId), (counts.get(String(row.authorId)) ?? 0) + 1);
    const users = await models.User.find({ _id: op({ $in: [...counts.keys()] }) }, { username: 1 }).lean();
    const names = new Map(users.map((u) => [String(u._id), u.username]));
    const all = [...counts]
      .filter(([id]) => names.has(id))
      .map(([id, posts]) => ({ user: { id, username: names.get(id)! }, posts }))
      .sort((a, b) => b.posts - a.posts || a.user.username.localeCompare(b.user.username));
    return { topicId, posters: all.slice(0, POSTERS_LISTED), total: all.length };
  };
}
export type TopicPostersService = ReturnType<typeof createTopicPosters>;
