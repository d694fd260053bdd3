import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { op } from '../db/connect.js';
import { derivedId } from '../db/derived-id.js';
import type { Models } from '../models/index.js';
import type { Notification, NotificationKind, NotificationNewEvent, NotificationsPage, NotificationsReadEvent, Post, Role } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { addressedIn } from '../render/mentions.js';
import { isDuplicateKey } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import { policy } from './policy.js';

/** Pushes to a member's own sockets (realtime/member-push.ts implements it). */
export interface NotificationSink {
  created(userId: string, event: NotificationNewEvent): void;
  read(userId: string, event: NotificationsReadEvent): void;
}

export const noNotificationSink: NotificationSink = { created() {}, read() {} };

/** A notification's `_id`, from its member and what it is about (`aboutKey`): the same one is never made twice. */
export const notificationIdFor = (userId: string, about: string) => derivedId('notification', userId, about);

/** Members whose unread reply notification this node knows of, past which it forgets them all. */
const KNOWN_UNREAD_MAX = 50_000;
/** Prune a member's oldest notifications on every so many made on this node. */
const PRUNE_EVERY = 50;

interface Recipient {
  id: string;
  username: string;
  role: Role;
}

/** A stored notification as a listing reads it. */
interface Stored {
  _id: unknown;
  kind: string;
  actorId: unknown;
  actorName: string;
  topicId: unknown;
  forumId: unknown;
  topicTitle: string;
  postId: unknown;
  postNumber: number;
  read: boolean;
  createdAt: Date;
}

interface About {
  actor: AuthUser;
  topicId: string;
  forumId: string;
  topicTitle: string;
  postId: string;
  postNumber: number;
}

type Deps = {
  models: Models;
  access: Pick<AccessService, 'canRead' | 'forumsByIds' | 'readableOf'>;
  logger: Logger;
  sink?: NotificationSink;
  /** Members watching a topic (told of its replies as its author is) or a forum (told of its new topics). */
  watchersOf?: (kind: 'topic' | 'forum', targetId: string) => Promise<string[]>;
  /** Of these members, those who ignore the actor (they are not told of what the actor does). */
  whoIgnore?: (memberIds: string[], actorId: string) => Promise<Set<string>>;
};

/**
 * Notifications: a reply in a topic a member started, a mention, a quote, a thanks. They are made
 * after the post or thanks is stored and announced, off its path (a failure is logged, never the
 * writer's), and only for members who may read the forum. A reply tells the topic's author once
 * until they read their notifications (Discourse's "N replies" collapsing): this node remembers
 * who already has one, so a busy topic costs its author one write, not one per reply.
 */
export function createNotificationService({ models, access, logger, sink = noNotificationSink, watchersOf = async () => [], whoIgnore = async () => new Set<string>() }: Deps) {
  const { Notification, User } = models;
  /** userId -> topics with an unread reply notification (known on this node). */
  const unreadReplies = new Map<string, Set<string>>();
  let knownUnread = 0;
  let made = 0;

  function noteUnreadReply(userId: string, topicId: string): void {
    if (knownUnread >= KNOWN_UNREAD_MAX) forgetAll();
    let topics = unreadReplies.get(userId);
    if (!topics) unreadReplies.set(userId, (topics = new Set()));
    if (!topics.has(topicId)) knownUnread++;
    topics.add(topicId);
  }
  function forgetUser(userId: string): void {
    knownUnread -= unreadReplies.get(userId)?.size ?? 0;
    unreadReplies.delete(userId);
  }
  const forgetListeners: Array<(userId: string) => void> = [];
  /** The member's unread reply notifications changed: forget them here, and tell the other nodes (app.ts). */
  function forgotten(userId: string): void {
    forgetUser(userId);
    for (const l of forgetListeners) l(userId);
  }
  function forgetAll(): void {
    unreadReplies.clear();
    knownUnread = 0;
  }

  /** The forums of these ids the member may read (and their token covers). */
  async function readableForums(member: AuthUser, forumIds: string[]): Promise<Set<string>> {
    const forums = await access.forumsByIds(forumIds);
    const readable = (await access.readableOf(member, [...forums.values()])).map((f) => String(f._id));
    return new Set(readable.filter((id) => policy.coversForum(member, id)));
  }

  /** Unread, counting only those a listing would show (forums the member may still read). */
  async function unreadCount(member: AuthUser): Promise<number> {
    const forumIds = (await Notification.distinct('forumId', { userId: member.id, read: false })).map(String);
    if (!forumIds.length) return 0;
    const readable = [...(await readableForums(member, forumIds))];
    if (readable.length === forumIds.length) return Notification.countDocuments({ userId: member.id, read: false });
    return Notification.countDocuments({ userId: member.id, read: false, forumId: op({ $in: readable.map((id) => new Types.ObjectId(id)) }) });
  }

  /** Make it unless it exists (`_id` decides); push it to the member's sockets if new. */
  async function make(to: Recipient, kind: NotificationKind, aboutKey: string, about: About): Promise<boolean> {
    if (!(await access.canRead(to, about.forumId))) return false;
    if ((await whoIgnore([to.id], about.actor.id)).size) return false;
    const _id = notificationIdFor(to.id, aboutKey);
    const doc = {
      userId: new Types.ObjectId(to.id),
      kind,
      actorId: new Types.ObjectId(about.actor.id),
      actorName: about.actor.username,
      topicId: new Types.ObjectId(about.topicId),
      forumId: new Types.ObjectId(about.forumId),
      topicTitle: about.topicTitle,
      postId: new Types.ObjectId(about.postId),
      postNumber: about.postNumber,
      read: false,
      createdAt: new Date(),
    };
    try {
      const { upsertedCount } = await Notification.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true });
      if (!upsertedCount) return false;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // a concurrent twin made it
      throw err;
    }
    sink.created(to.id, { notification: toView({ _id, ...doc }), unreadCount: await unreadCount(to) });
    if (++made % PRUNE_EVERY === 0) await prune(to.id);
    return true;
  }

  /** Keep a member's newest LIMITS.notificationsKept. */
  async function prune(userId: string): Promise<void> {
    const [oldestKept] = await Notification.find({ userId }, { createdAt: 1 }).sort({ createdAt: -1 }).skip(LIMITS.notificationsKept - 1).limit(1).lean();
    if (oldestKept) await Notification.deleteMany({ userId, createdAt: op({ $lt: oldestKept.createdAt }) });
  }

  async function membersNamed(names: string[]): Promise<Map<string, Recipient>> {
    if (!names.length) return new Map();
    const rows = await User.find({ usernameLower: op({ $in: names }) }, { username: 1, usernameLower: 1, role: 1 }).lean();
    return new Map(rows.map((u) => [u.usernameLower, { id: String(u._id), username: u.username, role: u.role as Role }]));
  }

  /**
   * A member (the topic's author, or a watcher) hears of a reply, unless they already have an
   * unread one for this topic. The reply notification after the member's latest one for the topic
   * has one `_id` however many nodes make it at once.
   */
  async function tellOfReply(userId: string, about: About): Promise<void> {
    if (unreadReplies.get(userId)?.has(about.topicId)) return;
    noteUnreadReply(userId, about.topicId); // before any wait: this node's next replies skip
    try {
      const latest = await Notification.findOne({ userId, kind: 'reply', topicId: about.topicId }, { read: 1 }).sort({ createdAt: -1, _id: -1 }).lean();
      if (latest && !latest.read) return;
      const member = await User.findById(userId, { username: 1, role: 1 }).lean();
      // Named after the one it follows: two nodes telling of two replies at once make the same
      // `_id`, so the member gets one (each node's memory above only covers its own replies).
      if (member) await make({ id: userId, username: member.username, role: member.role as Role }, 'reply', `reply:${about.topicId}:after:${latest ? String(latest._id) : 'none'}`, about);
    } catch (err) {
      unreadReplies.get(userId)?.delete(about.topicId);
      throw err;
    }
  }

  /** Tell whom the post quotes and mentions (each once, quotes first); answers who was named. */
  async function tellAddressed(author: AuthUser, post: Post, title: () => Promise<string | null>): Promise<Set<string>> {
    const told = new Set([author.id]);
    const { quoted, mentioned } = addressedIn(post.body, author.username);
    if (!quoted.length && !mentioned.length) return told;
    const named = await membersNamed([...quoted, ...mentioned]);
    const topicTitle = named.size ? await title() : null;
    if (topicTitle === null) return told;
    const about: About = { actor: author, topicId: post.topicId, forumId: post.forumId, topicTitle, postId: post.id, postNumber: post.number };
    for (const [names, kind] of [[quoted, 'quote'], [mentioned, 'mention']] as const) {
      for (const name of names) {
        const to = named.get(name);
        if (!to || told.has(to.id)) continue;
        told.add(to.id);
        await make(to, kind, `post:${post.id}`, about);
      }
    }
    return told;
  }

  async function posted(author: AuthUser, post: Post, topic: { title: string; authorId?: string }): Promise<void> {
    const told = await tellAddressed(author, post, async () => topic.title);
    const about: About = { actor: author, topicId: post.topicId, forumId: post.forumId, topicTitle: topic.title, postId: post.id, postNumber: post.number };
    if (post.number === 1) {
      // A new topic: its forum's watchers hear of it (once each: the post's own notification).
      for (const userId of await watchersOf('forum', post.forumId)) {
        if (told.has(userId)) continue;
        const member = await User.findById(userId, { username: 1, role: 1 }).lean();
        if (member) await make({ id: userId, username: member.username, role: member.role as Role }, 'topic', `post:${post.id}`, about);
      }
      return;
    }
    const readers = new Set([...(topic.authorId ? [topic.authorId] : []), ...(await watchersOf('topic', post.topicId))]);
    for (const userId of readers) if (!told.has(userId)) await tellOfReply(userId, about);
  }

  /** A post was taken down: its notifications go, and their members' tabs hear the new counts. */
  async function postRemoved(postId: string): Promise<void> {
    const rows = await Notification.find({ postId }, { userId: 1, read: 1 }).lean();
    if (!rows.length) return;
    await Notification.deleteMany({ postId });
    for (const n of rows) {
      const userId = String(n.userId);
      forgotten(userId); // a reply notification may be among them
      const member = await User.findById(userId, { username: 1, role: 1 }).lean();
      if (member) sink.read(userId, { ids: [String(n._id)], all: false, unreadCount: await unreadCount({ id: userId, username: member.username, role: member.role as Role }) });
    }
  }

  function toView(n: Stored): Notification {
    return {
      id: String(n._id),
      kind: n.kind as NotificationKind,
      actor: { id: String(n.actorId), username: n.actorName },
      topicId: String(n.topicId),
      forumId: String(n.forumId),
      topicTitle: n.topicTitle,
      postId: String(n.postId),
      postNumber: n.postNumber,
      createdAt: n.createdAt.toISOString(),
      read: n.read,
    };
  }

  /** Run a notification job off the caller's path: its failure is logged, never thrown. */
  const offPath = (what: string, job: () => Promise<void>) => void job().catch((err) => logger.warn({ err }, `notifications for ${what} failed`));

  return {
    /** A post was stored and announced: tell whom it quotes and mentions, and the topic's author. Not awaited. */
    posted(author: AuthUser, post: Post, topic: { title: string; authorId?: string }): void {
      offPath('a post', () => posted(author, post, topic));
    },

    /** A post was edited: members it now quotes or mentions for the first time are told (as by its author). Not awaited. */
    edited(post: Post): void {
      const author: AuthUser = { id: post.author.id, username: post.author.username, role: post.author.role };
      offPath('an edit', async () => void (await tellAddressed(author, post, async () => (await models.Topic.findById(post.topicId, { title: 1 }).lean())?.title ?? null)));
    },

    /**
     * The member has read the topic up to post `upTo`: its notifications of posts up to there are
     * read too (as Discourse does), and every tab hears it. Not awaited.
     */
    topicRead(member: AuthUser, topicId: string, upTo: number): void {
      offPath('a topic read', async () => {
        const rows = await Notification.find({ userId: member.id, topicId, read: false, postNumber: op({ $lte: upTo }) }, { _id: 1 }).lean();
        if (!rows.length) return;
        await Notification.updateMany({ _id: op({ $in: rows.map((r) => r._id) }), read: false }, { $set: { read: true } });
        forgotten(member.id);
        sink.read(member.id, { ids: rows.map((r) => String(r._id)), all: false, unreadCount: await unreadCount(member) });
      });
    },

    /** A post was deleted: its notifications are removed. Not awaited. */
    removed(postId: string): void {
      offPath('a deletion', () => postRemoved(postId));
    },

    /** A thanks was given (not a repeat): tell the post's author, once per post and giver. Not awaited. */
    thanked(giver: AuthUser, target: { postId: string; topicId: string; authorId: string }): void {
      if (target.authorId === giver.id) return;
      offPath('a thanks', async () => {
        const [post, receiver] = await Promise.all([
          models.Post.findById(target.postId, { forumId: 1, number: 1 }).lean(),
          User.findById(target.authorId, { username: 1, role: 1 }).lean(),
        ]);
        const topic = await models.Topic.findById(target.topicId, { title: 1 }).lean();
        if (!post || !receiver || !topic) return;
        const about: About = { actor: giver, topicId: target.topicId, forumId: String(post.forumId), topicTitle: topic.title, postId: target.postId, postNumber: post.number ?? 1 };
        await make({ id: target.authorId, username: receiver.username, role: receiver.role as Role }, 'thanks', `thanks:${target.postId}:${giver.id}`, about);
      });
    },

    /** A reply was chosen as its topic's solution: tell its author, once per post. Not awaited. */
    solved(chooser: AuthUser, target: { postId: string; topicId: string; authorId: string }): void {
      if (target.authorId === chooser.id) return;
      offPath('a solution', async () => {
        const [post, receiver, topic] = await Promise.all([
          models.Post.findById(target.postId, { forumId: 1, number: 1 }).lean(),
          User.findById(target.authorId, { username: 1, role: 1 }).lean(),
          models.Topic.findById(target.topicId, { title: 1 }).lean(),
        ]);
        if (!post || !receiver || !topic) return;
        const about: About = { actor: chooser, topicId: target.topicId, forumId: String(post.forumId), topicTitle: topic.title, postId: target.postId, postNumber: post.number ?? 1 };
        await make({ id: target.authorId, username: receiver.username, role: receiver.role as Role }, 'solution', `solution:${target.postId}`, about);
      });
    },

    /** A post that waited for a moderator was approved, and is posted: tell its author (the moderator is the actor). Not awaited. */
    approved(moderator: AuthUser, post: Pick<Post, 'id' | 'topicId' | 'number'> & { forumId: string; topicTitle: string; authorId: string }): void {
      offPath('an approval', async () => {
        const receiver = await User.findById(post.authorId, { username: 1, role: 1 }).lean();
        if (!receiver) return;
        const about: About = { actor: moderator, topicId: post.topicId, forumId: post.forumId, topicTitle: post.topicTitle, postId: post.id, postNumber: post.number ?? 1 };
        await make({ id: post.authorId, username: receiver.username, role: receiver.role as Role }, 'approved', `approved:${post.id}`, about);
      });
    },

    /** GET /notifications: newest first; those in forums the member can no longer read are left out (of the count too). */
    async page(user: AuthUser | null, page: number): Promise<NotificationsPage> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      const total = await Notification.countDocuments({ userId: member.id });
      const pageCount = Math.max(1, Math.ceil(total / LIMITS.notificationsPerPage));
      const p = Math.min(page, pageCount);
      const rows = await Notification.find({ userId: member.id })
        .sort({ createdAt: -1, _id: -1 })
        .skip((p - 1) * LIMITS.notificationsPerPage)
        .limit(LIMITS.notificationsPerPage)
        .lean();
      const readable = await readableForums(member, [...new Set(rows.map((n) => String(n.forumId)))]);
      return {
        notifications: rows.filter((n) => readable.has(String(n.forumId))).map(toView),
        unreadCount: await unreadCount(member),
        page: p,
        pageCount,
      };
    },

    /** POST /notifications/read: these of the member's own (others' ids change nothing), or all. */
    async markRead(user: AuthUser | null, ids?: string[]): Promise<{ unreadCount: number }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      const filter = { userId: member.id, read: false, ...(ids && { _id: op({ $in: ids.map((id) => new Types.ObjectId(id)) }) }) };
      await Notification.updateMany(filter, { $set: { read: true } });
      forgotten(member.id);
      const count = await unreadCount(member);
      sink.read(member.id, { ...(ids && { ids }), all: !ids, unreadCount: count });
      return { unreadCount: count };
    },

    /** Called with each member whose unread reply notifications changed on this node (to tell the other nodes). */
    onForget(listener: (userId: string) => void): void {
      forgetListeners.push(listener);
    },
    /** Another node changed this member's unread reply notifications. */
    forgetHere: forgetUser,
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
