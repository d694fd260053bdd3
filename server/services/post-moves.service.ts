import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { Post, Topic, TopicEvent } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { EventLog } from './event-log.service.js';
import type { CardService } from './card.service.js';
import type { ModlogService } from './modlog.service.js';
import type { ModerationService } from './moderation.service.js';
import type { SolutionService } from './solution.service.js';
import { createLastPost } from './last-post.js';
import { LostRace, retryLostRaces } from './lost-races.js';
import { policy } from './policy.js';
import { AppError, notFound, topicIsDeleted } from '../errors.js';
import { toPostView, toTopicView, type PostRecordLike, type TopicRecordLike } from './views.js';

type Deps = {
  models: Models;
  eventLog: Pick<EventLog, 'write'>;
  cardService: CardService;
  modlog: Pick<ModlogService, 'record'>;
  /** Deletes a merged topic (its own event, counts and room). */
  moderation: Pick<ModerationService, 'deleteTopic'>;
  /** A moved post that was its topic's solution leaves the topic without one. */
  solutions?: Pick<SolutionService, 'postRemoved'>;
};

/** The post was no longer in the topic when its turn came (moved or removed meanwhile): skipped. */
class NotHere extends Error {}
/** Claims one post's move may take when edits keep landing first. */
const MOVE_TRIES = 5;

type PostRow = PostRecordLike & { _id: unknown; authorId: unknown; topicId: unknown; deleted?: boolean | null };
type TopicRow = TopicRecordLike & { _id: unknown; forumId: unknown; title: string };

/**
 * phpBB's "Split topic", "Move posts" and "Merge topic" (Discourse's "move to a new / existing
 * topic", NodeBB's fork and merge): posts leave one topic for the end of another.
 *
 * Each moved post is one event in each topic's log, so both rooms follow live and late
 * subscribers replay it: the target's seq (and the post's new number) is claimed first; inside
 * that claim the source's seq is claimed and the post's row is moved, announced there as
 * `post:deleted` with `movedTo`; then the target announces it as `post:created`. A post that
 * is no longer in the source when its turn comes (deleted, edited into another topic, moved by
 * another moderator) turns both seqs into noops and is skipped. Posts move one at a time, in
 * their order, so they keep it at the end of the target. Counts, "last post", the solution and
 * what points at the posts (thanks, notifications, reports, bookmarks) follow.
 */
export function createPostMoves({ models, eventLog, cardService, modlog, moderation, solutions }: Deps) {
  const { Topic, Post: PostModel, Forum, Thanks, Notification, Report, Bookmark, QueuedPost } = models;
  const lastPost = createLastPost(models);

  async function openTopic(actor: AuthUser, topicId: string): Promise<TopicRow> {
    const topic = (await Topic.findById(topicId).lean()) as TopicRow | null;
    if (!topic) throw notFound('Topic');
    policy.requireForum(actor, String(topic.forumId));
    if (topic.deleted) throw topicIsDeleted();
    return topic;
  }

  /** The replies named, in the topic's order; every one must be a visible reply of it (else nothing moves). */
  async function repliesToMove(source: TopicRow, postIds: string[]): Promise<string[]> {
    const rows = await PostModel.find({ _id: op({ $in: postIds }) }, { topicId: 1, number: 1, deleted: 1 }).lean();
    const byId = new Map(rows.map((r) => [String(r._id), r]));
    for (const id of postIds) {
      const row = byId.get(id);
      if (!row || String(row.topicId) !== String(source._id)) throw new AppError('BAD_REQUEST', `postIds: post ${id} is not in this topic`);
      if (row.deleted) throw new AppError('BAD_REQUEST', `postIds: post ${id} is deleted (restore it first)`);
      if (row.number === 1) throw new AppError('BAD_REQUEST', 'postIds: the opening post stays with its topic (merge the topic to move all of it)');
    }
    return [...rows].sort((a, b) => a.number - b.number).map((r) => String(r._id));
  }

  /**
   * Move one post to the end of `targetId`; null when it was no longer in `sourceId`. The row moves
   * only if no change to it claimed after the move's seq in the source was stored first (as every
   * change to a post is guarded), else the source would log that change after the post left.
   */
  async function moveOne(sourceId: string, targetId: string, postId: string, subject?: string): Promise<{ post: Post | null; row: PostRow } | null> {
    return retryLostRaces(() => moveOnce(sourceId, targetId, postId, subject), 'A post kept changing while it was being moved; try again', MOVE_TRIES);
  }

  async function moveOnce(sourceId: string, targetId: string, postId: string, subject?: string): Promise<{ post: Post | null; row: PostRow } | null> {
    try {
      return await eventLog.write(
        targetId,
        async (into): Promise<{ result: { post: Post | null; row: PostRow }; event: TopicEvent }> => {
          const { row, movedFrom } = await eventLog.write(sourceId, async (from) => {
            const set = { topicId: into.topicId, forumId: into.forumId, number: into.topic.postNumbers, seq: into.seq, ...(subject && { subject }) };
            const moved = (await PostModel.findOneAndUpdate({ _id: postId, topicId: from.topicId, seq: op({ $lt: from.seq }) }, { $set: set }, { new: true }).lean()) as PostRow | null;
            if (!moved) throw (await PostModel.exists({ _id: postId, topicId: from.topicId })) ? new LostRace() : new NotHere();
            if (!moved.deleted) await Promise.all([Topic.updateOne({ _id: from.topicId }, { $inc: { postCount: -1 } }), Forum.updateOne({ _id: from.forumId }, { $inc: { postCount: -1 } })]);
            const movedTo = { topicId: into.topicId, title: into.topic.title };
            return { result: { row: moved, movedFrom: { topicId: from.topicId, title: from.topic.title } }, event: { type: 'post:deleted', data: { topicId: from.topicId, forumId: from.forumId, seq: from.seq, forumSeq: from.forumSeq, postId, movedTo } } };
          });
          const base = { topicId: into.topicId, forumId: into.forumId, seq: into.seq, forumSeq: into.forumSeq };
          if (row.deleted) return { result: { post: null, row }, event: { type: 'post:deleted', data: { ...base, postId } } };
          await Promise.all([Topic.updateOne({ _id: into.topicId }, { $inc: { postCount: 1 } }), Forum.updateOne({ _id: into.forumId }, { $inc: { postCount: 1 } })]);
          const author = await cardService.card(String(row.authorId));
          if (!author) throw notFound('Author');
          const post = toPostView(row, author);
          return { result: { post, row }, event: { type: 'post:created', data: { ...base, post, movedFrom } } };
        },
        { topic: { $inc: { postNumbers: 1 } } },
      );
    } catch (err) {
      if (err instanceof NotHere) return null;
      throw err;
    }
  }

  /** What points at a moved post follows it to its new topic and number. */
  async function repoint(row: PostRow, target: TopicRow): Promise<void> {
    const postId = row._id;
    const where = { topicId: target._id, forumId: target.forumId, postNumber: row.number };
    await Promise.all([
      Thanks.updateMany({ postId }, { $set: { topicId: target._id } }),
      Bookmark.updateMany({ postId }, { $set: { topicId: target._id } }),
      Notification.updateMany({ postId }, { $set: { ...where, topicTitle: target.title } }),
      Report.updateMany({ postId }, { $set: { ...where, topicTitle: target.title } }),
    ]);
  }

  /**
   * Move `postIds` (in order) from `source` to the end of `target`, then set right what named
   * them: the source's "last post" and solution, the target's "last post", and references.
   */
  async function moveAll(source: TopicRow, target: TopicRow, postIds: string[], firstSubject?: string): Promise<number> {
    const sourceId = String(source._id);
    const targetId = String(target._id);
    const movedIds = new Set<string>();
    for (const postId of postIds) {
      const done = await moveOne(sourceId, targetId, postId, movedIds.size === 0 ? firstSubject : undefined);
      if (!done) continue;
      movedIds.add(postId);
      await repoint(done.row, target);
    }
    if (movedIds.size === 0) return 0;
    // "Last post" is a topic's highest-numbered post: the target's is now the last one moved in
    // (its date its own), the source's may be an earlier one.
    await lastPost.refresh(targetId, String(target.forumId));
    const after = await Topic.findById(sourceId, { forumId: 1, solution: 1 }).lean();
    if (after) await lastPost.refresh(sourceId, String(after.forumId));
    const solved = after?.solution ? String(after.solution.postId) : null;
    if (solved && movedIds.has(solved)) await solutions?.postRemoved(sourceId, solved);
    return movedIds.size;
  }

  async function topicView(topicId: string): Promise<Topic> {
    const t = await Topic.findById(topicId).lean();
    if (!t) throw notFound('Topic');
    return toTopicView(t as TopicRecordLike);
  }

  /** POST /topics/:topicId/split: the replies named become a new topic (in `forumId`, default the topic's forum), the first titled as it. */
  async function split(user: AuthUser | null, topicId: string, input: { postIds: string[]; title: string; forumId?: string; reason?: string }): Promise<{ topic: Topic; moved: number }> {
    const actor = policy.requireModerator(user);
    const source = await openTopic(actor, topicId);
    const forumId = input.forumId ?? String(source.forumId);
    if (!(await Forum.exists({ _id: forumId }))) throw notFound('Forum');
    policy.requireForum(actor, forumId);
    const postIds = await repliesToMove(source, input.postIds);
    const first = await PostModel.findById(postIds[0], { authorId: 1, createdAt: 1 }).lean();
    const author = first && (await cardService.card(String(first.authorId)));
    if (!first || !author) throw new AppError('CONFLICT', 'The first post to move has just gone; try again');
    const created = await Topic.create({ forumId, title: input.title, authorId: first.authorId, authorName: author.username, createdAt: first.createdAt, lastPostAt: first.createdAt });
    const target = created.toObject() as unknown as TopicRow;
    await Forum.updateOne({ _id: forumId }, { $inc: { topicCount: 1 } });
    const moved = await moveAll(source, target, postIds, input.title);
    if (moved === 0) {
      await Topic.deleteOne({ _id: target._id });
      await Forum.updateOne({ _id: forumId }, { $inc: { topicCount: -1 } });
      throw new AppError('CONFLICT', 'None of these posts is in this topic any more');
    }
    const newTopicId = String(target._id);
    await modlog.record({ action: 'topic.split', actor, target: { type: 'topic', id: topicId }, reason: input.reason, details: { title: source.title, to: newTopicId, toTitle: input.title, posts: moved } });
    return { topic: await topicView(newTopicId), moved };
  }

  /** The topic posts go to: there, not deleted, not the source, and in a forum the actor may moderate. */
  async function targetFor(actor: AuthUser, source: TopicRow, targetId: string): Promise<TopicRow> {
    if (targetId === String(source._id)) throw new AppError('BAD_REQUEST', 'Posts cannot move to the topic they are in');
    return openTopic(actor, targetId);
  }

  /** POST /topics/:topicId/move-posts: the replies named go, in order, to the end of another topic. */
  async function movePosts(user: AuthUser | null, topicId: string, input: { postIds: string[]; toTopicId: string; reason?: string }): Promise<{ topic: Topic; moved: number }> {
    const actor = policy.requireModerator(user);
    const source = await openTopic(actor, topicId);
    const target = await targetFor(actor, source, input.toTopicId);
    const postIds = await repliesToMove(source, input.postIds);
    const moved = await moveAll(source, target, postIds);
    if (moved > 0) {
      await modlog.record({ action: 'post.move', actor, target: { type: 'topic', id: topicId }, reason: input.reason, details: { title: source.title, to: input.toTopicId, toTitle: target.title, posts: moved } });
    }
    return { topic: await topicView(input.toTopicId), moved };
  }

  /** Every post still in `source`, in order (deleted ones too: they stay deleted where they go). */
  async function allPostsOf(topicId: string): Promise<string[]> {
    const rows = await PostModel.find({ topicId }, { _id: 1 }).sort({ number: 1 }).lean();
    return rows.map((r) => String(r._id));
  }

  /**
   * POST /topics/:topicId/merge: every post, the opening one too, goes to the end of another
   * topic, and this topic is deleted with `mergedInto` naming it (its watchers are told by that
   * `topic:updated`, and leave its room). A reply that lands while the posts move is moved after
   * the deletion. The topic's poll stays with it.
   */
  async function merge(user: AuthUser | null, topicId: string, input: { intoTopicId: string; reason?: string }): Promise<{ topic: Topic; moved: number }> {
    const actor = policy.requireModerator(user);
    const source = await openTopic(actor, topicId);
    const target = await targetFor(actor, source, input.intoTopicId);
    let moved = await moveAll(source, target, await allPostsOf(topicId));
    await moderation.deleteTopic(user, topicId, input.reason, { mergedInto: input.intoTopicId });
    const stragglers = await allPostsOf(topicId); // replies stored after the first pass, before the deletion
    if (stragglers.length) moved += await moveAll(source, target, stragglers);
    // Replies held for approval go with the topic (one held after this is followed when approved).
    await QueuedPost.updateMany({ kind: 'reply', topicId: source._id }, { $set: { topicId: target._id, forumId: target.forumId, topicTitle: target.title } });
    await modlog.record({ action: 'topic.merge', actor, target: { type: 'topic', id: topicId }, reason: input.reason, details: { title: source.title, to: input.intoTopicId, toTitle: target.title, posts: moved } });
    return { topic: await topicView(input.intoTopicId), moved };
  }

  return { split, movePosts, merge };
}
export type PostMoves = ReturnType<typeof createPostMoves>;
