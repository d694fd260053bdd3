import type { Models } from '../models/index.js';
import { notFound } from '../errors.js';
import type { AccessService } from './access.service.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';

/**
 * A post as whoever may read it finds it: a deleted post, or one in a deleted topic, only for
 * moderators (else NOT_FOUND, as if it did not exist); a forum the viewer may not read (or a
 * token is not limited to) is refused as reading it is.
 */
export function createReadablePost({ models, access }: { models: Models; access: Pick<AccessService, 'requireRead'> }) {
  const { Post, Topic } = models;
  return async function readablePost(viewer: AuthUser | null, postId: string) {
    const post = await Post.findById(postId).lean();
    const moderator = policy.isModerator(viewer);
    if (!post || (post.deleted && !moderator)) throw notFound('Post');
    const topic = await Topic.findById(post.topicId, { deleted: 1, forumId: 1 }).lean();
    if (!topic || (topic.deleted && !moderator)) throw notFound('Post');
    policy.requireForum(viewer, String(topic.forumId));
    await access.requireRead(viewer, String(topic.forumId));
    return post;
  };
}
