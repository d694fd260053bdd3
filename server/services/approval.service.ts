import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import type { Logger } from 'pino';
import type { MyQueuePage, Post, PollInput, QueueDecidedEvent, QueuedPost, QueueEvent, QueueHeldEvent, QueuePage, RejectedQueued, Role, Topic } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { op } from '../db/connect.js';
import { derivedId } from '../db/derived-id.js';
import { isDuplicateKey, notFound, AppError } from '../errors.js';
import { renderBody } from '../render/body-renderer.js';
import type { AuthUser } from './token.service.js';
import type { ModlogService } from './modlog.service.js';
import type { PostOptions, PostService } from './post.service.js';
import type { NotificationService } from './notification.service.js';
import type { ConversationService } from './conversation.service.js';
import { rejectionMessage } from './rejection-message.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';

/** Pushes to moderators' sockets, and to the author's own (realtime/member-push.ts implements it). */
export interface QueueSink {
  added(event: QueueEvent): void;
  removed(event: QueueEvent): void;
  held(authorId: string, event: QueueHeldEvent): void;
  decided(authorId: string, event: QueueDecidedEvent): void;
}
export const noQueueSink: QueueSink = { added() {}, removed() {}, held() {}, decided() {} };

/** Thrown by the post path when a post is held instead of stored: routes and the socket answer `{queued}`. */
export class HeldForApproval extends Error {
  constructor(readonly queued: QueuedPost) {
    super('held for approval');
  }
}

/** What is held: a reply to a topic, or a new topic in a forum. */
export type HeldTarget =
  | { kind: 'reply'; topicId: string; forumId: string; topicTitle: string; subject?: string }
  | { kind: 'topic'; forumId: string; title: string; poll?: PollInput; tags?: string[] };

/** An approval older than this is taken as abandoned (its moderator's request died): another may approve or reject. */
const APPROVING_STALE_MS = 60_000;
/** No approval in progress (or only an abandoned one). */
const notBeingApproved = (now: Date) => ({ $or: [{ approvingAt: null }, { approvingAt: op({ $lt: new Date(now.getTime() - APPROVING_STALE_MS) }) }] });

interface StoredQueued {
  _id: unknown;
  kind: string;
  authorId: unknown;
  authorName: string;
  forumId: unknown;
  topicId?: unknown;
  topicTitle: string;
  subject?: string | null;
  body: string;
  bodyHtml: string;
  clientId?: string | null;
  poll?: unknown;
  tags?: string[] | null;
  createdAt: Date;
}

function toView(q: StoredQueued): QueuedPost {
  return {
    id: String(q._id),
    kind: q.kind as QueuedPost['kind'],
    author: { id: String(q.authorId), username: q.authorName },
    forumId: String(q.forumId),
    ...(q.topicId ? { topicId: String(q.topicId) } : {}),
    topicTitle: q.topicTitle,
    subject: q.subject ?? (q.kind === 'reply' ? `Re: ${q.topicTitle}` : q.topicTitle),
    body: q.body,
    bodyHtml: q.bodyHtml,
    ...(q.poll ? { hasPoll: true as const } : {}),
    createdAt: q.createdAt.toISOString(),
  };
}

type Deps = {
  models: Models;
  config: Pick<Config, 'approvePostsUnder'>;
  modlog: Pick<ModlogService, 'record'>;
  /** Tells an author their post was approved. */
  notifications: Pick<NotificationService, 'approved'>;
  /** Tells an author why their post was rejected, with their text (a private message from the moderator). */
  conversations: Pick<ConversationService, 'start'>;
  logger: Logger;
  sink?: QueueSink;
  /** The post path, to store an approved post as its author would have (made after this service). */
  posts: () => Pick<PostService, 'reply' | 'createTopic'>;
  /** A forum's approval flag (the access cache's record: no read on a post's path). */
  forum: (forumId: string) => Promise<{ approvePosts?: boolean | null } | null>;
};

/**
 * phpBB's post approval: while APPROVE_POSTS_UNDER is set, a member with fewer posts than that
 * has new topics and replies held (stored in the queue, not in any topic) until a moderator
 * approves them, which posts them through the normal path as their author (so they count, and
 * reach every watcher, as any post), or rejects them; in a forum with `approvePosts`, every
 * member's are. Moderators see the queue live. Moderators, admins and API tokens (bots, which an
 * admin made) are never held. Off (0, and no such forum), it costs a post one cached lookup.
 */
export function createApprovalService({ models, config, modlog, notifications, conversations, logger, sink = noQueueSink, posts, forum }: Deps) {
  const { QueuedPost: Queue, User, Topic } = models;

  /** A held reply's topic as it is now: the one it was merged into, if it was (and so on). */
  async function topicNow(topicId: string): Promise<string> {
    let id = topicId;
    for (let hops = 0; hops < 10; hops++) {
      const t = await Topic.findById(id, { deleted: 1, mergedInto: 1 }).lean();
      if (!t?.deleted || !t.mergedInto) return id;
      id = String(t.mergedInto);
    }
    return id;
  }
  const count = () => Queue.countDocuments({});

  /** The rejected post's author, by id (their name may have changed since), gets the moderator's message: its conversation, or null. */
  async function tellRejected(moderator: AuthUser, view: QueuedPost, reason: string | undefined): Promise<string | null> {
    const author = await User.findById(view.author.id, { username: 1 }).lean();
    if (!author) return null;
    try {
      const { conversation } = await conversations.start(moderator, { to: [author.username], ...rejectionMessage(view, reason), clientId: `rejected:${view.id}` });
      return conversation.id;
    } catch (err) {
      logger.info({ err, queuedId: view.id }, 'could not tell the author of a rejected post');
      return null;
    }
  }

  return {
    /** Whether this author's new post in this forum must wait for a moderator (checked after their right to post). */
    async mustHold(author: AuthUser, forumId: string): Promise<boolean> {
      if (author.role !== 'member' || author.scopes) return false;
      if ((await forum(forumId))?.approvePosts) return true;
      const under = config.approvePostsUnder;
      if (!under) return false;
      const user = await User.findById(author.id, { postCount: 1 }).lean();
      return (user?.postCount ?? 0) < under;
    },

    /** The post this author's request with this clientId left held, if any (a retry answers it, even within the flood interval). */
    async find(authorId: string, clientId: string | undefined): Promise<QueuedPost | null> {
      if (!clientId) return null;
      const held = (await Queue.findById(derivedId('queued', authorId, clientId)).lean()) as StoredQueued | null;
      return held && String(held.authorId) === authorId ? toView(held) : null;
    },

    /** Hold a post: the answer the author gets instead of the post (a retry with the same clientId finds the same one). */
    async hold(author: AuthUser, target: HeldTarget, input: { body: string; clientId?: string }): Promise<QueuedPost> {
      const _id = input.clientId ? derivedId('queued', author.id, input.clientId) : new Types.ObjectId();
      const doc = {
        _id,
        kind: target.kind,
        authorId: new Types.ObjectId(author.id),
        authorName: author.username,
        forumId: new Types.ObjectId(target.forumId),
        ...(target.kind === 'reply'
          ? { topicId: new Types.ObjectId(target.topicId), topicTitle: target.topicTitle, ...(target.subject ? { subject: target.subject } : {}) }
          : { topicTitle: target.title, ...(target.poll ? { poll: target.poll } : {}), ...(target.tags?.length ? { tags: target.tags } : {}) }),
        body: input.body,
        bodyHtml: renderBody(input.body),
        ...(input.clientId ? { clientId: input.clientId } : {}),
        createdAt: new Date(),
      };
      try {
        await Queue.collection.insertOne(doc as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const again = (await Queue.findById(_id).lean()) as StoredQueued | null;
        if (again) return toView(again);
        throw err;
      }
      const view = toView(doc);
      sink.added({ post: view, count: await count() });
      sink.held(author.id, { post: view });
      return view;
    },

    /** GET /queue: held posts, oldest first. Moderators only. */
    async list(user: AuthUser | null, page: number): Promise<QueuePage> {
      policy.requireModerator(user);
      const total = await count();
      const pageCount = pageCountOf(total, LIMITS.queuePerPage);
      const p = Math.min(page, pageCount);
      const rows = (await Queue.find({}, { approvingAt: 0 })
        .sort({ createdAt: 1, _id: 1 })
        .skip((p - 1) * LIMITS.queuePerPage)
        .limit(LIMITS.queuePerPage)
        .lean()) as StoredQueued[];
      return { posts: rows.map(toView), count: total, page: p, pageCount };
    },

    /** GET /queue/mine: a member's own held posts, oldest first (what they wait for, and where). */
    async mine(user: AuthUser | null, page: number): Promise<MyQueuePage> {
      const member = policy.requireMember(user);
      const filter = { authorId: new Types.ObjectId(member.id) };
      const total = await Queue.countDocuments(filter);
      const pageCount = pageCountOf(total, LIMITS.queuePerPage);
      const p = Math.min(page, pageCount);
      const rows = (await Queue.find(filter, { approvingAt: 0 })
        .sort({ createdAt: 1, _id: 1 })
        .skip((p - 1) * LIMITS.queuePerPage)
        .limit(LIMITS.queuePerPage)
        .lean()) as StoredQueued[];
      return { posts: rows.map(toView), total, page: p, pageCount };
    },

    /**
     * POST /queue/:id/approve: post it as its author would have (their rights are checked again:
     * a topic locked or deleted since, or an author banned, is refused and the post stays held).
     * One moderator at a time: a second approval meanwhile is CONFLICT.
     */
    async approve(user: AuthUser | null, id: string): Promise<{ post: Post; topic?: Topic }> {
      const moderator = policy.requireModerator(user);
      const now = new Date();
      const held = (await Queue.findOneAndUpdate(
        { _id: id, ...notBeingApproved(now) },
        { $set: { approvingAt: now } },
        { new: true },
      ).lean()) as StoredQueued | null;
      if (!held) {
        if (await Queue.exists({ _id: id })) throw new AppError('CONFLICT', 'Another moderator is approving this post');
        throw notFound('Queued post');
      }
      const view = toView(held);
      const release = () => Queue.updateOne({ _id: id }, { $unset: { approvingAt: 1 } });
      const author = await User.findById(held.authorId, { username: 1, role: 1 }).lean();
      if (!author) {
        await release();
        throw new AppError('CONFLICT', 'Its author no longer exists: reject it');
      }
      const as: AuthUser = { id: String(held.authorId), username: author.username, role: author.role as Role };
      // Posted now, as its author: no flood wait (the author waited for the queue), no second hold.
      const opts: PostOptions = { skipFloodCheck: true, approved: true };
      const clientId = held.clientId ?? `queued:${String(held._id)}`;
      let answer: { post: Post; topic?: Topic };
      try {
        answer =
          held.kind === 'reply'
            ? await posts().reply(as, await topicNow(String(held.topicId)), { body: held.body, clientId, ...(held.subject ? { subject: held.subject } : {}) }, opts)
            : await posts().createTopic(as, String(held.forumId), { title: held.topicTitle, body: held.body, clientId, ...(held.poll ? { poll: held.poll as PollInput } : {}), ...(held.tags?.length ? { tags: held.tags } : {}) }, opts);
      } catch (err) {
        await release();
        throw err;
      }
      await Queue.deleteOne({ _id: id });
      await modlog.record({ action: 'post.approve', actor: moderator, target: { type: 'post', id: answer.post.id }, details: { topicId: answer.post.topicId, author: view.author.username, kind: view.kind } });
      sink.removed({ post: view, count: await count() });
      sink.decided(view.author.id, { id, outcome: 'approved', post: view, postId: answer.post.id, topicId: answer.post.topicId });
      notifications.approved(moderator, { ...answer.post, forumId: view.forumId, topicTitle: answer.topic?.title ?? view.topicTitle, authorId: view.author.id });
      return answer;
    },

    /**
     * POST /queue/:id/reject: the held post is deleted, unposted (logged, with the reason if given).
     * Unless `tell` is false, its author gets a private message from the moderator with the reason
     * and their text; a message that cannot be sent (the author gone, or ignoring the moderator)
     * leaves the rejection done, answered `told: false`.
     */
    async reject(user: AuthUser | null, id: string, input: { reason?: string; tell?: boolean } = {}): Promise<RejectedQueued> {
      const { reason, tell = true } = input;
      const moderator = policy.requireModerator(user);
      const held = (await Queue.findOneAndDelete({ _id: id, ...notBeingApproved(new Date()) }).lean()) as StoredQueued | null;
      if (!held) {
        if (await Queue.exists({ _id: id })) throw new AppError('CONFLICT', 'Another moderator is approving this post');
        throw notFound('Queued post');
      }
      const view = toView(held);
      await modlog.record({
        action: 'post.reject',
        actor: moderator,
        target: { type: 'user', id: view.author.id },
        ...(reason ? { reason } : {}),
        details: { kind: view.kind, forumId: view.forumId, ...(view.topicId ? { topicId: view.topicId } : {}), subject: view.subject },
      });
      sink.removed({ post: view, count: await count() });
      const conversationId = tell ? await tellRejected(moderator, view, reason) : null;
      sink.decided(view.author.id, { id, outcome: 'rejected', post: view, ...(reason ? { reason } : {}), told: !!conversationId, ...(conversationId ? { conversationId } : {}) });
      return { id, rejected: true, told: !!conversationId };
    },
  };
}
export type ApprovalService = ReturnType<typeof createApprovalService>;
