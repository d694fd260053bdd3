import type { Models } from '../models/index.js';
import type { Thanks } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { EventLog } from './event-log.service.js';
import { op } from '../db/connect.js';
import { policy } from './policy.js';
import { AppError, isDuplicateKey, notFound, topicIsDeleted } from '../errors.js';
import type { AccessService } from './access.service.js';
import { createKeyedSerial } from '../keyed-serial.js';
import { LostRace, retryLostRaces } from './lost-races.js';
import type { NotificationService } from './notification.service.js';

/** Thrown inside a write whose change turned out to be a no-op (another writer got there first). */
class NoChange extends Error {}

/** The post being thanked, and whose counters move with it. */
interface Target {
  postId: string;
  topicId: string;
  authorId: string;
}

export interface ThanksOutcome {
  thanks: Thanks;
  /** False when the request changed nothing (already thanked / nothing to remove). */
  changed: boolean;
}

/**
 * phpBB-style "thanks for posts". The Thanks documents are the source of truth (one per
 * post and giver, unique); the post's thanksCount and the users' thanksGiven/thanksReceived
 * follow them with `$inc`, only after an insert or delete that really happened, inside the
 * topic's claimed event slot. `recount` rebuilds the counters should they ever drift.
 */
export function createThanksService({ models, eventLog, access, notifications }: { models: Models; eventLog: EventLog; access: Pick<AccessService, 'requireRead'>; /** The post's author is told of a new thanks (not awaited). */ notifications?: Pick<NotificationService, 'thanked'> }) {
  const { Thanks: ThanksModel, Post, User, Topic } = models;
  // Thanks writes to one topic run in arrival order, so that claiming the seq and `$inc`-ing the
  // counters happen in the same order: the absolute counts in `thanks:changed` then rise and
  // fall in seq order, and the last event a client applies carries the final count.
  const serial = createKeyedSerial();

  async function load(user: AuthUser | null, postId: string): Promise<{ giver: AuthUser; target: Target }> {
    const giver = policy.requireMember(user);
    policy.requireScope(giver, 'thank');
    const post = await Post.findById(postId, { topicId: 1, forumId: 1, authorId: 1, deleted: 1 }).lean();
    if (!post || post.deleted) throw notFound('Post');
    if (await Topic.exists({ _id: post.topicId, deleted: true })) throw policy.isModerator(giver) ? topicIsDeleted() : notFound('Post');
    policy.requireForum(giver, String(post.forumId));
    await access.requireRead(giver, String(post.forumId));
    return { giver, target: { postId, topicId: String(post.topicId), authorId: String(post.authorId) } };
  }

  function shape(postId: string, giverId: string, receiverId: string, counts: { post: number; given: number; received: number }): Thanks {
    return {
      postId,
      thanksCount: counts.post,
      giver: { id: giverId, thanksGiven: counts.given },
      receiver: { id: receiverId, thanksReceived: counts.received },
    };
  }

  async function current(t: Target, giverId: string): Promise<Thanks> {
    const [post, giver, receiver] = await Promise.all([
      Post.findById(t.postId, { thanksCount: 1 }).lean(),
      User.findById(giverId, { thanksGiven: 1 }).lean(),
      User.findById(t.authorId, { thanksReceived: 1 }).lean(),
    ]);
    return shape(t.postId, giverId, t.authorId, { post: post?.thanksCount ?? 0, given: giver?.thanksGiven ?? 0, received: receiver?.thanksReceived ?? 0 });
  }

  /**
   * Move the three counters by `delta`; the answer is the absolute values the `$inc`s left. The
   * post's counter moves, and takes the claimed seq as its last change, only if the post is still
   * in the claimed topic, not deleted, and no change claimed after this one was stored first (as every change
   * to a post is guarded): else nothing moved and LostRace is thrown.
   */
  async function bump(postId: string, claimed: { topicId: string; seq: number }, giverId: string, receiverId: string, delta: 1 | -1): Promise<Thanks> {
    const post = await Post.findOneAndUpdate({ _id: postId, topicId: claimed.topicId, deleted: false, seq: op({ $lt: claimed.seq }) }, { $inc: { thanksCount: delta }, $set: { seq: claimed.seq } }, { new: true }).lean();
    if (!post) throw new LostRace();
    const [giver, receiver] = await Promise.all([
      User.findOneAndUpdate({ _id: giverId }, { $inc: { thanksGiven: delta } }, { new: true }).lean(),
      User.findOneAndUpdate({ _id: receiverId }, { $inc: { thanksReceived: delta } }, { new: true }).lean(),
    ]);
    if (!giver || !receiver) throw new AppError('INTERNAL', 'Thanks counter owner missing');
    return shape(postId, giverId, receiverId, { post: post.thanksCount, given: giver.thanksGiven, received: receiver.thanksReceived });
  }

  /**
   * Check, then claim a seq and store. The check spares a seq for the common no-op (a repeated
   * click); if a race still makes the store a no-op, the claimed seq becomes a noop event and
   * the answer is the current counts, with no thanks:changed.
   */
  async function change(t: Target, giverId: string, delta: 1 | -1): Promise<ThanksOutcome> {
    return serial(t.topicId, async () => {
      const existing = await ThanksModel.findOne({ postId: t.postId, giverId }, { receiverId: 1 }).lean();
      if (Boolean(existing) === (delta === 1)) return { thanks: await current(t, giverId), changed: false };
      // Removing moves the counter of whoever received this thanks (the post's author).
      const receiverId = existing ? String(existing.receiverId) : t.authorId;
      try {
        const { thanks } = await eventLog.write(t.topicId, async (claimed) => {
          if (!(await (delta === 1 ? insert(t, giverId) : remove(t, giverId)))) throw new NoChange();
          const thanks = await bump(t.postId, claimed, giverId, receiverId, delta).catch(async (err) => {
            // The post moved (or changed) under us: the thanks row goes back as it was (naming the
            // topic the post is in now), the seq becomes a noop, and the change is tried again.
            if (err instanceof LostRace) await (delta === 1 ? remove(t, giverId) : putBack(t, giverId, receiverId));
            throw err;
          });
          return {
            result: { thanks },
            event: { type: 'thanks:changed', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, thanks } },
          };
        });
        return { thanks, changed: true };
      } catch (err) {
        if (err instanceof NoChange) return { thanks: await current(t, giverId), changed: false };
        throw err;
      }
    });
  }

  async function insert(t: Target, giverId: string): Promise<boolean> {
    try {
      await ThanksModel.create({ postId: t.postId, giverId, receiverId: t.authorId, topicId: t.topicId, createdAt: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async function putBack(t: Target, giverId: string, receiverId: string): Promise<void> {
    const post = await Post.findById(t.postId, { topicId: 1 }).lean();
    await insert({ ...t, authorId: receiverId, topicId: post ? String(post.topicId) : t.topicId }, giverId);
  }

  async function remove(t: Target, giverId: string): Promise<boolean> {
    const { deletedCount } = await ThanksModel.deleteOne({ postId: t.postId, giverId });
    return deletedCount === 1;
  }

  /**
   * Load the post and make the change; should the post move to another topic (or change) between
   * the two, load it again where it is now and try there.
   */
  async function changeWherePostIs(user: AuthUser | null, postId: string, delta: 1 | -1): Promise<{ giver: AuthUser; target: Target; outcome: ThanksOutcome }> {
    return retryLostRaces(async () => {
      const { giver, target } = await load(user, postId);
      if (delta === 1 && giver.id === target.authorId) throw new AppError('FORBIDDEN', 'You cannot thank your own post');
      return { giver, target, outcome: await change(target, giver.id, delta) };
    }, 'The post kept moving or changing; try again');
  }

  /** Thank a post. Members only, never one's own post, never a deleted one. */
  async function add(user: AuthUser | null, postId: string): Promise<ThanksOutcome> {
    const { giver, target, outcome } = await changeWherePostIs(user, postId, 1);
    if (outcome.changed) notifications?.thanked(giver, target);
    return outcome;
  }

  /** Take one's thanks back; when there is none, nothing changes. */
  async function withdraw(user: AuthUser | null, postId: string): Promise<ThanksOutcome> {
    return (await changeWherePostIs(user, postId, -1)).outcome;
  }

  /** Who thanked each post, oldest first, with usernames (for the post view). */
  async function thankedBy(postIds: string[]): Promise<Map<string, Array<{ id: string; username: string }>>> {
    const out = new Map<string, Array<{ id: string; username: string }>>();
    if (!postIds.length) return out;
    const rows = await ThanksModel.find({ postId: op({ $in: postIds }) }, { postId: 1, giverId: 1, createdAt: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    if (!rows.length) return out;
    const giverIds = [...new Set(rows.map((r) => String(r.giverId)))];
    const users = await User.find({ _id: op({ $in: giverIds }) }, { username: 1 }).lean();
    const names = new Map(users.map((u) => [String(u._id), u.username]));
    for (const row of rows) {
      const id = String(row.giverId);
      const username = names.get(id);
      if (username === undefined) continue;
      const list = out.get(String(row.postId)) ?? [];
      list.push({ id, username });
      out.set(String(row.postId), list);
    }
    return out;
  }

  return { add, remove: withdraw, thankedBy };
}
export type ThanksService = ReturnType<typeof createThanksService>;
