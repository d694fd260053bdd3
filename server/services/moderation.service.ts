import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { BanInfo, Post, Topic } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { AccessCache } from './access-cache.js';
import type { EventLog, Claim } from './event-log.service.js';
import type { CardService, CardSource } from './card.service.js';
import type { AccessChanges, AccessService } from './access.service.js';
import type { ModlogService } from './modlog.service.js';
import type { TopicChanges } from './topic-changes.js';
import { createLastPost } from './last-post.js';
import { policy } from './policy.js';
import { AppError, notFound, topicIsDeleted } from '../errors.js';
import { toPostView, toTopicView, type PostRecordLike, type TopicRecordLike } from './views.js';

type Deps = {
  models: Models;
  eventLog: EventLog;
  cardService: CardService;
  access: AccessService;
  modlog: ModlogService;
  accessChanges: AccessChanges;
  /** Told of every lock, move and rename, so no node checks against the old facts. */
  accessCache?: Pick<AccessCache, 'forget'>;
  /** Every change to a topic's document goes through these (one at a time per topic). */
  topicChanges: TopicChanges;
};

/** Thrown inside a post restore that found the post no longer deleted (its seq becomes a noop event). */
class NoChange extends Error {}

/** The moderation log's actions for setting and clearing each topic flag. */
const FLAG_ACTIONS = { locked: ['topic.lock', 'topic.unlock'], pinned: ['topic.pin', 'topic.unpin'] } as const;


/**
 * Moderation: lock, unlock, pin, unpin, move, rename, restore, ban. Every topic change goes through the
 * event log (a `topic:updated` or `post:updated` with its seq); every action by a moderator is
 * written to the moderation log. Asking for the state a thing is already in changes nothing
 * and answers with the current state (no event, no log line).
 */
export function createModerationService({ models, eventLog, cardService, access, modlog, accessChanges, topicChanges }: Deps) {
  const { Topic, Post: PostModel, Forum, User } = models;
  // Topic writes run one at a time per topic (with polls' and solutions'), so that the order
  // changes are stored in is the order of their seqs (the last event tells the truth).
  const { serial, change: topicChange } = topicChanges;
  const lastPost = createLastPost(models);

  async function loadTopic(topicId: string) {
    const topic = await Topic.findById(topicId).lean();
    if (!topic) throw notFound('Topic');
    return topic;
  }

  async function current(topicId: string): Promise<{ topic: Topic; seq: number }> {
    const t = await loadTopic(topicId);
    return { topic: toTopicView(t as TopicRecordLike), seq: t.seq };
  }

  /**
   * Lock (replies refused with LOCKED for everyone but moderators) or unlock; pin (to the top of
   * the forum's first page) or unpin. A cleared `pinned` is removed, never false, so that every
   * unpinned topic sorts alike; `locked` keeps false (its default).
   */
  async function setFlag(user: AuthUser | null, topicId: string, flag: 'locked' | 'pinned', on: boolean, reason?: string): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireModerator(user);
    return serial(topicId, async () => {
      const before = await loadTopic(topicId);
      policy.requireForum(actor, String(before.forumId));
      if (before.deleted) throw topicIsDeleted();
      if (!!before[flag] === on) return current(topicId);
      const change = on ? { $set: { [flag]: true } } : flag === 'pinned' ? { $unset: { pinned: 1 } } : { $set: { locked: false } };
      const done = await topicChange(topicId, (_, guard) => Topic.findOneAndUpdate(guard.filter({ _id: topicId, [flag]: on ? op({ $ne: true }) : true }), guard.update(change), { new: true }).lean());
      if (!done) return current(topicId);
      await modlog.record({ action: FLAG_ACTIONS[flag][on ? 0 : 1], actor, target: { type: 'topic', id: topicId }, reason, details: { title: before.title } });
      return done;
    });
  }

  /**
   * phpBB's announcements: `forum` heads its forum's every page, `global` every forum's. Setting
   * another scope changes it; clearing removes the field. A `topic:updated` tells its rooms.
   */
  async function setAnnouncement(user: AuthUser | null, topicId: string, scope: 'forum' | 'global' | null, reason?: string): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireModerator(user);
    return serial(topicId, async () => {
      const before = await loadTopic(topicId);
      policy.requireForum(actor, String(before.forumId));
      if (before.deleted) throw topicIsDeleted();
      const was = (before.announcement as 'forum' | 'global' | null | undefined) ?? null;
      if (was === scope) return current(topicId);
      const change = scope ? { $set: { announcement: scope } } : { $unset: { announcement: 1 } };
      const done = await topicChange(topicId, (_, guard) => Topic.findOneAndUpdate(guard.filter({ _id: topicId, announcement: was ?? op({ $exists: false }) }), guard.update(change), { new: true }).lean());
      if (!done) return current(topicId);
      if (was === 'global' && scope !== 'global') topicChanges.globalChanged();
      await modlog.record({ action: scope ? 'topic.announce' : 'topic.unannounce', actor, target: { type: 'topic', id: topicId }, reason, details: { title: before.title, ...(scope ? { scope } : { was }) } });
      return done;
    });
  }

  /**
   * Move a topic to another forum. The event is claimed while the topic is still in the old
   * forum: it carries the OLD forum's id and forumSeq, goes to the old forum's room and the
   * topic's room, and its `topic.forumId` is the new forum. The new forum's followers get no
   * event (its cursor did not move); they see the topic on their next listing. Events logged
   * before the move stay in the old forum's log.
   */
  async function move(user: AuthUser | null, topicId: string, forumId: string, reason?: string): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireModerator(user);
    const done = await serial(topicId, async () => {
      const before = await loadTopic(topicId);
      const target = await Forum.findById(forumId, { _id: 1 }).lean();
      if (!target) throw notFound('Forum');
      const to = String(target._id);
      policy.requireForum(actor, String(before.forumId));
      policy.requireForum(actor, to);
      if (before.deleted) throw topicIsDeleted();
      if (String(before.forumId) === to) return { ...(await current(topicId)), moved: false };
      const changed = await topicChange(topicId, async (claimed, guard) => {
        const from = claimed.forumId;
        const moved = await Topic.findOneAndUpdate(guard.filter({ _id: topicId, forumId: from }), guard.update({ $set: { forumId: to } }), { new: true }).lean();
        if (!moved) return null;
        await PostModel.updateMany({ topicId }, { $set: { forumId: to } });
        await Forum.updateOne({ _id: from }, { $inc: { topicCount: -1, postCount: -moved.postCount } });
        await Forum.updateOne({ _id: to }, { $inc: { topicCount: 1, postCount: moved.postCount } });
        await lastPost.topicLeft(from, topicId);
        if (moved.lastPost) await lastPost.offerToForum(to, moved.lastPost);
        return moved;
      });
      if (!changed) return { ...(await current(topicId)), moved: false };
      await modlog.record({ action: 'topic.move', actor, target: { type: 'topic', id: topicId }, reason, details: { from: String(before.forumId), to, title: before.title } });
      return { ...changed, moved: true };
    });
    // Subscribers who may not read the new forum leave the topic's room (after the event reached them).
    if (done.moved) await accessChanges.topicMoved(topicId);
    return { topic: done.topic, seq: done.seq };
  }

  /**
   * Soft-delete a topic (restorable): it leaves its forum's listing, counts and "last post";
   * for everyone but moderators it is not found, and its subscribers leave its room once the
   * `topic:updated` carrying `deleted: true` has reached them.
   */
  async function deleteTopic(user: AuthUser | null, topicId: string, reason?: string, opts: { /** A merge deletes the topic its posts left (see post-moves). */ mergedInto?: string } = {}): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireModerator(user);
    const done = await serial(topicId, async () => {
      const before = await loadTopic(topicId);
      policy.requireForum(actor, String(before.forumId));
      if (before.deleted) return { ...(await current(topicId)), changed: false };
      const changed = await topicChange(topicId, async (claimed, guard) => {
        const set = { deleted: true, deletedBy: actor.id, ...(opts.mergedInto && { mergedInto: opts.mergedInto }) };
        const deleted = await Topic.findOneAndUpdate(guard.filter({ _id: topicId, deleted: op({ $ne: true }) }), guard.update({ $set: set }), { new: true }).lean();
        if (!deleted) return null;
        await Forum.updateOne({ _id: claimed.forumId }, { $inc: { topicCount: -1, postCount: -deleted.postCount } });
        await lastPost.topicLeft(claimed.forumId, topicId);
        return deleted;
      });
      if (!changed) return { ...(await current(topicId)), changed: false };
      await modlog.record({ action: 'topic.delete', actor, target: { type: 'topic', id: topicId }, reason, details: { title: before.title, ...(opts.mergedInto && { mergedInto: opts.mergedInto }) } });
      return { ...changed, changed: true };
    });
    if (done.changed) await accessChanges.topicDeleted(topicId);
    return { topic: done.topic, seq: done.seq };
  }

  /** Bring a deleted topic back: into its forum's listing, counts and (if newest) "last post". */
  async function restoreTopic(user: AuthUser | null, topicId: string, reason?: string): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireModerator(user);
    return serial(topicId, async () => {
      const before = await loadTopic(topicId);
      policy.requireForum(actor, String(before.forumId));
      if (!before.deleted) return current(topicId);
      if (before.mergedInto) throw new AppError('CONFLICT', 'This topic was merged into another one, where its posts are now');
      const done = await topicChange(topicId, async (claimed, guard) => {
        const restored = await Topic.findOneAndUpdate(guard.filter({ _id: topicId, deleted: true }), guard.update({ $set: { deleted: false }, $unset: { deletedBy: 1 } }), { new: true }).lean();
        if (!restored) return null;
        await Forum.updateOne({ _id: claimed.forumId }, { $inc: { topicCount: 1, postCount: restored.postCount } });
        if (restored.lastPost) await lastPost.offerToForum(claimed.forumId, restored.lastPost);
        return restored;
      });
      if (!done) return current(topicId);
      await modlog.record({ action: 'topic.restore', actor, target: { type: 'topic', id: topicId }, reason, details: { title: before.title } });
      return done;
    });
  }

  /**
   * Rename or retag (or both, in one `topic:updated`): moderators, or the topic's author while the
   * topic is open and they may still write in its forum. A moderator's change to someone else's
   * topic is logged (`topic.rename`, `topic.retag`); an author's own is not.
   */
  async function edit(user: AuthUser | null, topicId: string, input: { title?: string; tags?: string[] }): Promise<{ topic: Topic; seq: number }> {
    const actor = policy.requireMember(user);
    policy.requireScope(actor, 'post');
    return serial(topicId, async () => {
      const before = await loadTopic(topicId);
      const forumId = String(before.forumId);
      policy.requireForum(actor, forumId);
      const authored = String(before.authorId) === actor.id;
      if (before.deleted) throw policy.isModerator(actor) ? topicIsDeleted() : notFound('Topic');
      if (!policy.isModerator(actor)) {
        if (!authored) throw new AppError('FORBIDDEN', 'Only the author or a moderator may change a topic');
        await access.requireWrite(actor, forumId);
        if (before.locked) throw new AppError('LOCKED', 'This topic is locked');
      }
      const oldTags = before.tags ?? [];
      const retitled = input.title !== undefined && input.title !== before.title;
      const retagged = input.tags !== undefined && input.tags.join('\n') !== oldTags.join('\n');
      if (!retitled && !retagged) return current(topicId);
      const set = { ...(retitled && { title: input.title }), ...(retagged && input.tags!.length && { tags: input.tags }) };
      const change = { ...(Object.keys(set).length && { $set: set }), ...(retagged && !input.tags!.length && { $unset: { tags: 1 } }) };
      const done = await topicChange(topicId, (_, guard) => Topic.findOneAndUpdate(guard.filter({ _id: topicId }), guard.update(change), { new: true }).lean());
      if (!done) return current(topicId);
      if (!authored && retitled) await modlog.record({ action: 'topic.rename', actor, target: { type: 'topic', id: topicId }, details: { from: before.title, to: input.title } });
      if (!authored && retagged) await modlog.record({ action: 'topic.retag', actor, target: { type: 'topic', id: topicId }, details: { title: before.title, from: oldTags, to: input.tags } });
      return done;
    });
  }

  /**
   * Bring back a soft-deleted post; the counters it took down go back up. Announced as
   * `post:updated` carrying the whole post: a client that dropped it on `post:deleted` puts it
   * back in its place by `number`.
   */
  async function restore(user: AuthUser | null, postId: string, reason?: string): Promise<{ post: Post; seq: number }> {
    const actor = policy.requireModerator(user);
    const before = await PostModel.findById(postId).lean();
    if (!before) throw notFound('Post');
    policy.requireForum(actor, String(before.forumId));
    if (await Topic.exists({ _id: before.topicId, deleted: true })) throw topicIsDeleted();
    const view = async (p: PostRecordLike & { authorId: unknown }) => {
      const author = await cardService.card(String(p.authorId));
      if (!author) throw notFound('Author');
      return toPostView(p, author);
    };
    if (!before.deleted) return { post: await view(before as PostRecordLike & { authorId: unknown }), seq: before.seq };
    try {
      const done = await eventLog.write(String(before.topicId), async (claimed) => {
        const updated = await PostModel.findOneAndUpdate(
          { _id: postId, topicId: claimed.topicId, deleted: true, seq: op({ $lt: claimed.seq }) },
          { $set: { deleted: false, seq: claimed.seq }, $unset: { deletedBy: 1 } },
          { new: true },
        ).lean();
        if (!updated) throw new NoChange();
        await Topic.updateOne({ _id: claimed.topicId }, { $inc: { postCount: 1 } });
        await Forum.updateOne({ _id: claimed.forumId }, { $inc: { postCount: 1 } });
        await User.updateOne({ _id: updated.authorId }, { $inc: { postCount: 1 } });
        const post = await view(updated as PostRecordLike & { authorId: unknown });
        return { result: { post }, event: { type: 'post:updated', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, post } } };
      });
      const { post } = done;
      await lastPost.offer(post.forumId, { id: post.id, topicId: post.topicId, subject: post.subject, authorId: post.author.id, authorName: post.author.username, createdAt: new Date(post.createdAt) });
      await modlog.record({ action: 'post.restore', actor, target: { type: 'post', id: postId }, reason, details: { topicId: String(before.topicId) } });
      return done;
    } catch (err) {
      if (!(err instanceof NoChange)) throw err;
      const now = await PostModel.findById(postId).lean();
      if (!now) throw notFound('Post');
      return { post: await view(now as PostRecordLike & { authorId: unknown }), seq: now.seq };
    }
  }

  /** Who a moderator may ban: never an admin; a moderator only by an admin. */
  async function loadBannable(actor: AuthUser, userId: string) {
    const target = await User.findById(userId, { role: 1, username: 1 }).lean();
    if (!target) throw notFound('User');
    if (target.role === 'admin') throw new AppError('FORBIDDEN', 'Admins cannot be banned');
    if (target.role === 'moderator' && actor.role !== 'admin') throw new AppError('FORBIDDEN', 'Only an admin may ban a moderator');
    return target;
  }

  /**
   * Ban for `minutes`: every token issued so far stops working (tokenVersion), API tokens of a
   * banned bot are refused while the ban lasts, open sockets are dropped at once, and login
   * answers FORBIDDEN with the reason and the end. Banning again replaces the end and reason.
   */
  async function ban(user: AuthUser | null, userId: string, input: { reason: string; minutes: number }): Promise<BanInfo> {
    const actor = policy.requireModerator(user);
    const target = await loadBannable(actor, userId);
    const until = new Date(Date.now() + input.minutes * 60_000);
    const updated = await User.findOneAndUpdate(
      { _id: userId, role: target.role },
      { $set: { bannedUntil: until, banReason: input.reason }, $inc: { tokenVersion: 1 } },
      { new: true },
    ).lean();
    if (!updated) throw new AppError('CONFLICT', 'The user changed meanwhile; try again');
    await accessChanges.userBanned(userId, until);
    await modlog.record({ action: 'user.ban', actor, target: { type: 'user', id: userId }, reason: input.reason, details: { username: target.username, until: until.toISOString(), minutes: input.minutes } });
    return { user: cardService.toCard(updated as CardSource), bannedUntil: until.toISOString(), reason: input.reason };
  }

  /** Lift a ban (none in force: nothing changes). Tokens revoked by the ban stay revoked: the user logs in again. */
  async function unban(user: AuthUser | null, userId: string): Promise<{ user: ReturnType<CardService['toCard']>; banned: false }> {
    const actor = policy.requireModerator(user);
    const target = await loadBannable(actor, userId);
    const lifted = await User.findOneAndUpdate(
      { _id: userId, bannedUntil: op({ $gt: new Date() }) },
      { $unset: { bannedUntil: 1, banReason: 1 } },
      { new: true },
    ).lean();
    accessChanges.userUnbanned(userId);
    if (lifted) await modlog.record({ action: 'user.unban', actor, target: { type: 'user', id: userId }, details: { username: target.username } });
    const card = lifted ? cardService.toCard(lifted as CardSource) : await cardService.card(userId);
    if (!card) throw notFound('User');
    return { user: card, banned: false };
  }

  type TopicAction = (u: AuthUser | null, id: string, reason?: string) => Promise<{ topic: Topic; seq: number }>;
  const lock: TopicAction = (u, id, reason) => setFlag(u, id, 'locked', true, reason);
  const unlock: TopicAction = (u, id, reason) => setFlag(u, id, 'locked', false, reason);
  const pin: TopicAction = (u, id, reason) => setFlag(u, id, 'pinned', true, reason);
  const unpin: TopicAction = (u, id, reason) => setFlag(u, id, 'pinned', false, reason);
  const announce = (u: AuthUser | null, id: string, scope: 'forum' | 'global', reason?: string) => setAnnouncement(u, id, scope, reason);
  const unannounce: TopicAction = (u, id, reason) => setAnnouncement(u, id, null, reason);
  return { lock, unlock, pin, unpin, announce, unannounce, move, edit, deleteTopic, restoreTopic, restore, ban, unban };
}
export type ModerationService = ReturnType<typeof createModerationService>;
