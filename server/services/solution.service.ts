import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Topic } from '../../shared/schemas.js';
import { AppError, notFound, topicIsDeleted } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import type { NotificationService } from './notification.service.js';
import type { TopicChanges } from './topic-changes.js';
import { policy } from './policy.js';
import { toTopicView, type TopicRecordLike } from './views.js';

type Deps = {
  models: Models;
  topicChanges: Pick<TopicChanges, 'serial' | 'change'>;
  access: Pick<AccessService, 'requireRead'>;
  /** The chosen post's author is told. */
  notifications?: Pick<NotificationService, 'solved'>;
};

/**
 * A question's accepted answer (Discourse's "Solved", NodeBB's Q&A): the topic's author, or a
 * moderator, marks one reply as the solution. It is stored on the topic and logged as a
 * `topic:updated` carrying `solution`, so listings and readers see it live and replay it; one at
 * a time per topic with the other topic changes. Deleting that post clears it the same way.
 */
export function createSolutionService({ models, topicChanges, access, notifications }: Deps) {
  const { Topic, Post, User } = models;

  /** The topic, if this member may choose its solution. */
  async function choosable(user: AuthUser | null, topicId: string) {
    const actor = policy.requireMember(user);
    policy.requireScope(actor, 'post');
    const moderator = policy.isModerator(actor);
    const topic = await Topic.findById(topicId).lean();
    if (!topic || (topic.deleted && !moderator)) throw notFound('Topic');
    policy.requireForum(actor, String(topic.forumId));
    await access.requireRead(actor, String(topic.forumId));
    if (topic.deleted) throw topicIsDeleted();
    if (String(topic.authorId) !== actor.id && !moderator) throw new AppError('FORBIDDEN', "Only the topic's author or a moderator may choose its solution");
    if (topic.locked && !moderator) throw new AppError('LOCKED', 'This topic is locked');
    return { actor, topic };
  }

  const asStored = (t: unknown) => ({ topic: toTopicView(t as TopicRecordLike), seq: (t as { seq: number }).seq });

  return {
    /** POST /topics/:topicId/solution `{postId}`: a reply (not the opening post) becomes the solution; choosing it again changes nothing. */
    mark(user: AuthUser | null, topicId: string, postId: string): Promise<{ topic: Topic; seq: number }> {
      return topicChanges.serial(topicId, async () => {
        const { actor, topic } = await choosable(user, topicId);
        const post = await Post.findById(postId, { topicId: 1, number: 1, authorId: 1, deleted: 1 }).lean();
        if (!post || post.deleted || String(post.topicId) !== topicId) throw notFound('Post');
        if (post.number === 1) throw new AppError('BAD_REQUEST', 'The opening post cannot be the solution');
        if (topic.solution && String(topic.solution.postId) === postId) return asStored(topic);
        const author = await User.findById(post.authorId, { username: 1 }).lean();
        const solution = { postId: new Types.ObjectId(postId), number: post.number, authorId: post.authorId, authorName: author?.username ?? '(deleted)' };
        const done = await topicChanges.change(topicId, async (_, guard) => (await Topic.findOneAndUpdate(guard.filter({ _id: topicId }), guard.update({ $set: { solution } }), { new: true }).lean()) as TopicRecordLike | null);
        if (!done) throw notFound('Topic');
        if (String(post.authorId) !== actor.id) notifications?.solved(actor, { postId, topicId, authorId: String(post.authorId) });
        return done;
      });
    },

    /** DELETE /topics/:topicId/solution: the topic has no solution again (none already: no change). */
    unmark(user: AuthUser | null, topicId: string): Promise<{ topic: Topic; seq: number }> {
      return topicChanges.serial(topicId, async () => {
        const { topic } = await choosable(user, topicId);
        if (!topic.solution) return asStored(topic);
        const done = await topicChanges.change(topicId, async (_, guard) => (await Topic.findOneAndUpdate(guard.filter({ _id: topicId }), guard.update({ $unset: { solution: 1 } }), { new: true }).lean()) as TopicRecordLike | null);
        return done ?? asStored(await Topic.findById(topicId).lean());
      });
    },

    /** A post was deleted: were it the topic's solution, the topic has none now. */
    postRemoved(topicId: string, postId: string): Promise<void> {
      return topicChanges.serial(topicId, async () => {
        const topic = await Topic.findById(topicId, { solution: 1 }).lean();
        if (!topic?.solution || String(topic.solution.postId) !== postId) return;
        await topicChanges.change(topicId, async (_, guard) => (await Topic.findOneAndUpdate(guard.filter({ _id: topicId }), guard.update({ $unset: { solution: 1 } }), { new: true }).lean()) as TopicRecordLike | null);
      });
    },
  };
}
export type SolutionService = ReturnType<typeof createSolutionService>;
