import { op } from '../db/connect.js';
import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import type { Post, Topic, UserCard } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { EventLog, Claim } from './event-log.service.js';
import type { CardService } from './card.service.js';
import { policy } from './policy.js';
import { renderBody } from '../render/body-renderer.js';
import { AppError, isDuplicateKey, notFound, topicIsDeleted } from '../errors.js';
import { toPostView, toTopicView, type PostRecordLike, type TopicRecordLike } from './views.js';
import type { AccessService } from './access.service.js';
import type { ModlogService } from './modlog.service.js';
import type { ForumAccessRecord } from './access.service.js';
import { coalescedInsert, type InsertTarget } from '../db/coalesced-insert.js';
import { createAuthorCounts } from './author-counts.js';
import { createLastPost } from './last-post.js';
import type { ForumTouched } from './seq-claims.js';
import { readTopicFacts, samePermissions, type AccessCache, type TopicFacts } from './access-cache.js';
import type { UnreadService } from './unread.service.js';
import type { NotificationService } from './notification.service.js';
import { derivedId } from '../db/derived-id.js';
import type { PollService } from './poll.service.js';
import type { SolutionService } from './solution.service.js';
import type { RevisionService, ReplacedVersion } from './revision.service.js';
import type { PollInput, PreviewResult } from '../../shared/schemas.js';
import { HeldForApproval, type ApprovalService } from './approval.service.js';
import { LostRace, retryLostRaces } from './lost-races.js';

type Deps = {
  models: Models;
  config: Config;
  eventLog: EventLog;
  cardService: CardService;
  access: Pick<AccessService, 'requirePost' | 'requireReply' | 'requireWrite'>;
  /** Moderators' edits and deletions of others' posts are logged here. */
  modlog: Pick<ModlogService, 'record'>;
  /** Topic facts and forum permissions from memory; each post checks them again against its claim. */
  cache?: AccessCache;
  /** A member's own new post marks its topic read up to it (not awaited). */
  unread?: Pick<UnreadService, 'ownPost'>;
  /** Whom a new post quotes or mentions, and the topic's author, are told (not awaited). */
  notifications?: Pick<NotificationService, 'posted' | 'edited' | 'removed'>;
  /** A new topic's poll is stored with it. */
  polls?: Pick<PollService, 'insertFor' | 'discard'>;
  /** A deleted post that was its topic's solution is one no longer. */
  solutions?: Pick<SolutionService, 'postRemoved'>;
  /** Each edit keeps the version it replaced. */
  revisions?: Pick<RevisionService, 'keep'>;
  /** New members' posts held for a moderator (APPROVE_POSTS_UNDER). */
  approval?: Pick<ApprovalService, 'mustHold' | 'hold' | 'find'>;
};

/** A new topic's opening post: what its `post:created` tells a listing about the topic. */
type Opening = { hasPoll: boolean; tags?: string[] };

/** What a reply's checks relied on; the claim must find the same, or the reply starts over. */
interface CheckedFacts {
  facts: TopicFacts;
  permissions: ForumAccessRecord['permissions'] | undefined;
  moderator: boolean;
  titleUsed: boolean;
}

/** The topic or its forum changed between the (cached) checks and the claim. */
class StaleFacts extends Error {}

/**
 * A post sent with a clientId gets an id derived from (author, clientId): the retry lookup is
 * an _id fetch (FerretDB's SQLite backend scans for any other filter), and a racing duplicate
 * fails on _id itself. The unique (authorId, clientId) index stays as the rule's second guard.
 */
export function postIdFor(authorId: string, clientId: string): Types.ObjectId {
  return derivedId(authorId, clientId);
}

/** Thrown inside a write when the (author, clientId) pair already has a post. */
class DuplicateClientId extends Error {}

/** Server-side callers (the demo seed) may post without the flood interval. */
export type PostOptions = {
  skipFloodCheck?: boolean;
  /** Internal: a second try after stale cached facts; no third. */
  fresh?: boolean;
  /** A moderator approved it: it is not held again. */
  approved?: boolean;
};

export function createPostService({ models, config, eventLog, cardService, access, modlog, cache, unread, notifications, polls, solutions, revisions, approval }: Deps) {
  const { Post: PostModel, Topic, Forum, User } = models;
  const authorCounts = createAuthorCounts(models);
  const lastPost = createLastPost(models);
  const insertPostRow = coalescedInsert(PostModel.collection as unknown as InsertTarget<Record<string, unknown>>);

  /**
   * phpBB's flood interval: a member may not post again within FLOOD_INTERVAL_MS of their last
   * post. Moderators, admins and bots are exempt. Reserving the slot is one conditional update,
   * so two concurrent posts cannot both pass; insertPost then stamps the real time.
   */
  async function claimFloodSlot(author: AuthUser, opts: PostOptions): Promise<void> {
    const interval = config.floodIntervalMs;
    if (!interval || opts.skipFloodCheck || author.role !== 'member') return;
    const now = Date.now();
    const claimed = await User.updateOne(
      { _id: author.id, $or: [{ lastPostAt: null }, { lastPostAt: op({ $lte: new Date(now - interval) }) }] },
      { $set: { lastPostAt: new Date(now) } },
    );
    if (claimed.matchedCount > 0) return;
    const last = await User.findById(author.id, { lastPostAt: 1 }).lean();
    const retryAfterMs = Math.max(1, (last?.lastPostAt?.getTime() ?? now) + interval - now);
    throw new AppError('RATE_LIMITED', `You may post again in ${Math.ceil(retryAfterMs / 1000)} s`, retryAfterMs);
  }

  async function findByClientId(authorId: string, clientId: string | undefined): Promise<Post | null> {
    if (!clientId) return null;
    const existing = await PostModel.findById(postIdFor(authorId, clientId)).lean();
    if (!existing) return null;
    const author = await cardService.card(authorId);
    return author ? toPostView(existing as PostRecordLike, author) : null;
  }

  /** A new post as far as it can be built before its seq is claimed (rendering included). */
  function draftPost(author: AuthUser, input: { subject: string; body: string; clientId?: string }) {
    const createdAt = new Date();
    const _id = input.clientId ? postIdFor(author.id, input.clientId) : new Types.ObjectId();
    const ref = { id: String(_id), subject: input.subject, authorId: author.id, authorName: author.username, createdAt };
    return { _id, createdAt, ref, subject: input.subject, body: input.body, bodyHtml: renderBody(input.body), clientId: input.clientId ?? `auto:${String(_id)}` };
  }
  type Draft = ReturnType<typeof draftPost>;

  /** Store a post in its claimed slot, with its author's count: both at once, undone together. */
  async function insertPost(claimed: Claim, author: AuthUser, draft: Draft, opening?: Opening) {
    const doc = {
      _id: draft._id,
      topicId: new Types.ObjectId(claimed.topicId),
      forumId: new Types.ObjectId(claimed.forumId),
      authorId: new Types.ObjectId(author.id),
      subject: draft.subject,
      body: draft.body,
      bodyHtml: draft.bodyHtml,
      createdAt: draft.createdAt,
      number: claimed.topic.postNumbers,
      seq: claimed.seq,
      thanksCount: 0,
      deleted: false,
    };
    const [stored, counted] = await Promise.allSettled([
      // The driver's insert: the document is complete and typed here (see the event log's commit),
      // and concurrent posts go in together.
      insertPostRow({ ...doc, clientId: draft.clientId }),
      authorCounts.countPost(author.id, draft.createdAt),
    ]);
    if (stored.status === 'rejected') {
      if (counted.status === 'fulfilled' && counted.value) await User.updateOne({ _id: author.id }, { $inc: { postCount: -1 } });
      throw isDuplicateKey(stored.reason) ? new DuplicateClientId() : stored.reason;
    }
    if (counted.status === 'rejected') throw counted.reason;
    if (!counted.value) throw new AppError('UNAUTHORIZED', 'Account no longer exists');
    const card: UserCard = cardService.toCard(counted.value as never);
    const post = toPostView(doc as PostRecordLike, card, []);
    const data = { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, post, ...(opening?.hasPoll && { topicHasPoll: true as const }), ...(opening?.tags?.length && { topicTags: opening.tags }) };
    return { result: { post }, event: { type: 'post:created' as const, data } };
  }

  /**
   * Claim, store, log. The claim's two atomic updates also move the topic's and the forum's
   * counts and "last post": claims are serialised per document, so the latest claim's post is
   * the last post, with no guard and no extra round trip. Should the post then not be stored,
   * the counts are undone and "last post" is rebuilt from what is stored.
   *
   * A clientId that already has a post (a retry, or a concurrent twin) is found by the insert
   * itself, on `_id`: the claimed seq is abandoned and the first post is the answer. Retries
   * are rare, so the common path pays no lookup for them.
   */
  async function appendPost(author: AuthUser, topicId: string, input: { subject: string; body: string; clientId?: string }, checked?: CheckedFacts, opening?: Opening) {
    const draft = draftPost(author, input);
    // A new topic's opening post counts the topic in its forum in the same update that takes the
    // forum's cursor: a listing then counts the topic exactly when its cursor covers the post.
    const forumCounts: Record<string, number> = opening ? { postCount: 1, topicCount: 1 } : { postCount: 1 };
    const ref = { ...draft.ref, topicId };
    let forumId: string | undefined;
    try {
      const done = await eventLog.write(
        topicId,
        (claimed) => {
          forumId = claimed.forumId;
          if (checked && !stillHolds(checked, claimed)) throw new StaleFacts();
          return insertPost(claimed, author, draft, opening);
        },
        {
          // Checked against a known forum: its update goes out with the topic's (stillHolds then
          // finds a topic that moved meanwhile).
          ...(checked && { forumId: checked.facts.forumId }),
          topic: { $inc: { postNumbers: 1, postCount: 1 }, $set: { lastPost: ref, lastPostAt: draft.createdAt } },
          forum: { $inc: forumCounts, $set: { lastPost: ref } },
        },
      );
      unread?.ownPost(author, topicId, done.post.number); // after the post is stored and announced; not awaited
      return done;
    } catch (err) {
      // The claim itself failed: nothing moved, unless the forum's update went through without the topic's.
      forumId ??= (err as ForumTouched).forumTouched;
      if (!forumId) throw err;
      const undo = Object.fromEntries(Object.entries(forumCounts).map(([k, v]) => [k, -v]));
      await Promise.all([Topic.updateOne({ _id: topicId }, { $inc: { postCount: -1 } }), Forum.updateOne({ _id: forumId }, { $inc: undo })]);
      // A rare path, and best effort: a post claimed before ours but not yet stored is missed
      // until the next post (or a recount).
      await lastPost.forget(topicId, forumId, ref.id);
      if (!(err instanceof DuplicateClientId)) throw err;
      const first = await findByClientId(author.id, input.clientId);
      if (!first) throw new AppError('CONFLICT', 'Duplicate clientId');
      if (first.topicId !== topicId) throw new AppError('CONFLICT', 'clientId already used for another topic');
      return { post: first, seq: first.seq };
    }
  }

  async function reply(user: AuthUser | null, topicId: string, input: { body: string; subject?: string; clientId?: string }, opts: PostOptions = {}): Promise<{ post: Post; seq: number }> {
    const author = policy.requireMember(user);
    policy.requireScope(author, 'post');
    const facts = await topicFacts(topicId);
    if (!facts) throw notFound('Topic');
    if (facts.deleted) throw policy.isModerator(author) ? topicIsDeleted() : notFound('Topic');
    policy.requireForum(author, facts.forumId);
    await access.requireReply(author, facts.forumId);
    if (facts.locked && !policy.isModerator(author)) throw new AppError('LOCKED', 'This topic is locked');
    try {
      await claimFloodSlot(author, opts);
    } catch (err) {
      // A retry of a post that was stored (or held) comes back within the flood interval: answer it.
      const limited = err instanceof AppError && err.code === 'RATE_LIMITED';
      const held = limited && !opts.approved && approval ? await approval.find(author.id, input.clientId) : null;
      if (held) throw new HeldForApproval(held);
      const again = limited ? await findByClientId(author.id, input.clientId) : null;
      if (!again) throw err;
      if (again.topicId !== topicId) throw new AppError('CONFLICT', 'clientId already used for another topic');
      return { post: again, seq: again.seq };
    }
    if (!opts.approved && approval && (await approval.mustHold(author, facts.forumId))) {
      // A retry of a held reply approved since finds its post, not a second place in the queue.
      const posted = await findByClientId(author.id, input.clientId);
      if (posted && posted.topicId !== topicId) throw new AppError('CONFLICT', 'clientId already used for another topic');
      if (posted) return { post: posted, seq: posted.seq };
      throw new HeldForApproval(await approval.hold(author, { kind: 'reply', topicId, forumId: facts.forumId, topicTitle: facts.title, subject: input.subject }, input));
    }
    const checked: CheckedFacts | undefined = cache && {
      facts,
      permissions: (await cache.forum(facts.forumId))?.permissions,
      moderator: policy.isModerator(author),
      titleUsed: input.subject === undefined,
    };
    try {
      const done = await appendPost(author, topicId, { subject: input.subject ?? `Re: ${facts.title}`, body: input.body, clientId: input.clientId }, checked);
      notifications?.posted(author, done.post, facts); // not awaited
      return done;
    } catch (err) {
      if (!(err instanceof StaleFacts)) throw err;
      if (opts.fresh) throw new AppError('CONFLICT', 'The topic changed while this reply was being stored; send it again');
      // Checked against facts that had just changed: forget them and check again from the
      // database (the flood slot is already this post's).
      cache?.forgetHere('topic', topicId);
      cache?.forgetHere('forum', facts.forumId);
      return reply(user, topicId, input, { ...opts, skipFloodCheck: true, fresh: true });
    }
  }

  /** The topic's forum, lock and title: from the access cache when there is one. */
  async function topicFacts(topicId: string): Promise<TopicFacts | null> {
    return cache ? cache.topic(topicId) : readTopicFacts(models, topicId);
  }

  /** Whether the claimed topic and forum still say what the checks relied on. */
  function stillHolds(checked: CheckedFacts, claimed: Claim): boolean {
    if (claimed.topic.forumId !== checked.facts.forumId) return false; // moved
    if (claimed.topic.locked && !checked.moderator) return false; // locked since
    if (claimed.topic.deleted) return false; // deleted since
    if (checked.titleUsed && claimed.topic.title !== checked.facts.title) return false; // renamed: the subject would be wrong
    return samePermissions(claimed.forum.permissions, checked.permissions);
  }

  async function createTopic(user: AuthUser | null, forumId: string, input: { title: string; body: string; clientId?: string; poll?: PollInput; tags?: string[] }, opts: PostOptions = {}): Promise<{ topic: Topic; post: Post }> {
    const author = policy.requireMember(user);
    policy.requireScope(author, 'post');
    policy.requireForum(author, forumId);
    const again = await findByClientId(author.id, input.clientId);
    if (again) {
      // A retry of this request finds the topic it made; a clientId already spent on a reply is no retry.
      if (again.number !== 1) throw new AppError('CONFLICT', 'clientId already used for a reply');
      return { topic: await topicView(again.topicId), post: again };
    }
    await access.requirePost(author, forumId); // NOT_FOUND for an unknown forum
    const holding = !opts.approved && !!approval && (await approval.mustHold(author, forumId));
    const held = holding ? await approval!.find(author.id, input.clientId) : null;
    if (held) throw new HeldForApproval(held); // a retry of a held topic
    await claimFloodSlot(author, opts);
    if (input.poll && !polls) throw new AppError('BAD_REQUEST', 'poll: polls are not available here');
    if (holding) {
      throw new HeldForApproval(await approval!.hold(author, { kind: 'topic', forumId, title: input.title, poll: input.poll, tags: input.tags }, input));
    }
    const topicId = new Types.ObjectId();
    const pollId = input.poll && (await polls!.insertFor(topicId, author, input.poll));
    const topic = await Topic.create({ _id: topicId, forumId, title: input.title, authorId: author.id, authorName: author.username, ...(pollId && { pollId }), ...(input.tags?.length && { tags: input.tags }) }).catch(async (err) => {
      await polls?.discard(pollId);
      throw err;
    });
    /** The topic (and its poll) made here is not the answer after all. */
    const dropOurs = async () => {
      await Topic.deleteOne({ _id: topic._id });
      await polls?.discard(pollId);
    };
    let post: Post;
    try {
      ({ post } = await appendPost(author, String(topic._id), { subject: input.title, body: input.body, clientId: input.clientId }, undefined, { hasPoll: !!pollId, tags: input.tags }));
    } catch (err) {
      // The opening post was not stored here, so neither is the topic: it goes (its claim, and so
      // its count in the forum, was undone already). A concurrent twin of this request (the same
      // clientId) that won is this request's answer too.
      await dropOurs();
      const twin = await findByClientId(author.id, input.clientId);
      if (twin?.number === 1) return { topic: await topicView(twin.topicId), post: twin };
      throw err;
    }
    if (post.topicId !== String(topic._id)) await dropOurs(); // answered by a twin's post
    else notifications?.posted(author, post, { title: input.title }); // its mentions and quotes; not awaited
    return { topic: await topicView(post.topicId), post };
  }

  async function topicView(topicId: string): Promise<Topic> {
    const t = await Topic.findById(topicId).lean();
    if (!t) throw notFound('Topic');
    return toTopicView(t as TopicRecordLike);
  }

  async function loadPost(postId: string) {
    const post = await PostModel.findById(postId).lean();
    if (!post || post.deleted) throw notFound('Post');
    return post;
  }

  /** Who may change a post: its author or a moderator, with the token's scope and forum, write access, and an unlocked topic unless a moderator. */
  async function authorizeChange(user: AuthUser | null, postId: string) {
    const current = await loadPost(postId);
    const actor = policy.requireAuthorOrModerator(user, String(current.authorId));
    policy.requireScope(actor, 'post');
    policy.requireForum(actor, String(current.forumId));
    await access.requireWrite(actor, String(current.forumId));
    const topic = await Topic.findById(current.topicId, { locked: 1, deleted: 1 }).lean();
    if (topic?.deleted) throw policy.isModerator(actor) ? topicIsDeleted() : notFound('Post');
    if (topic?.locked && !policy.isModerator(actor)) throw new AppError('LOCKED', 'This topic is locked');
    return { current, actor };
  }

  async function edit(user: AuthUser | null, postId: string, input: { body: string; subject?: string; reason?: string; editCount?: number }): Promise<{ post: Post; seq: number }> {
    const { current, actor: editor } = await authorizeChange(user, postId);
    const base = input.editCount;
    if (base !== undefined && (current.editCount ?? 0) !== base) throw editedMeanwhile(current);
    const bodyHtml = renderBody(input.body);
    const done = await retryLostRaces(() => eventLog.write(String(current.topicId), async (claimed) => {
      const editedBy = { id: new Types.ObjectId(editor.id), username: editor.username };
      const set: Record<string, unknown> = { body: input.body, bodyHtml, editedAt: new Date(), editedBy, seq: claimed.seq };
      if (input.subject) set.subject = input.subject;
      // The reason is this edit's own: an edit without one leaves none (as phpBB's form starts empty).
      const unset = input.reason ? undefined : { editReason: 1 };
      if (input.reason) set.editReason = input.reason;
      // Every accepted edit counts (an unchanged body is still an edit, as it always was stamped one).
      // The document as it was (the update's pre-image, so a concurrent edit cannot slip between)
      // is the version this edit replaces; the edited post is built from it.
      // With `editCount`, only the version the editor started from may be replaced (an edit landing meanwhile wins).
      const unchangedSince = base === undefined ? {} : base === 0 ? { $or: [{ editCount: 0 }, { editCount: op({ $exists: false }) }] } : { editCount: base };
      // The topic too: a post moved to another topic since (see post-moves) takes no seq of this one.
      const before = await PostModel.findOneAndUpdate({ _id: postId, topicId: claimed.topicId, deleted: false, seq: op({ $lt: claimed.seq }), ...unchangedSince }, { $set: set, $inc: { editCount: 1 }, ...(unset && { $unset: unset }) }, { new: false }).lean();
      if (!before) {
        // Deleted, moved, edited since the editor's version, or changed under a later seq (a thanks
        // or edit claimed after this one was stored first: claim again).
        const now = await PostModel.findById(postId, { deleted: 1, editCount: 1, editedBy: 1, topicId: 1 }).lean();
        if (now && String(now.topicId) !== claimed.topicId) throw movedMeanwhile();
        if (now && !now.deleted && base !== undefined && (now.editCount ?? 0) !== base) throw editedMeanwhile(now);
        if (now && !now.deleted) throw new LostRace();
        throw notFound('Post');
      }
      // Kept before the edit is announced, so a reader who asks for the history then finds it (never throws).
      await revisions?.keep(before as ReplacedVersion);
      const updated = { ...before, ...set, editCount: (before.editCount ?? 0) + 1, editReason: input.reason };
      const author = await cardService.card(String(updated.authorId));
      if (!author) throw notFound('Author');
      const post = toPostView(updated as PostRecordLike, author);
      return { result: { post }, event: { type: 'post:updated', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, post } } };
    }), 'This post kept changing while you saved your edit; send it again');
    if (input.subject && input.subject !== current.subject) await lastPost.renamed(done.post.topicId, done.post.forumId, postId, input.subject);
    if (String(current.authorId) !== editor.id) {
      await modlog.record({ action: 'post.edit', actor: editor, target: { type: 'post', id: postId }, details: { topicId: String(current.topicId), ...(input.reason && { reason: input.reason }) } });
    }
    notifications?.edited(done.post); // members newly quoted or mentioned; not awaited
    return done;
  }

  /** Someone edited the post after the editor's version (`editCount`): theirs stays, and says whose it is. */
  function editedMeanwhile(now: { editCount?: number | null; editedBy?: { username?: string | null } | null }): AppError {
    const who = now.editedBy?.username ?? 'Someone';
    const times = now.editCount ?? 0;
    return new AppError('CONFLICT', `${who} edited this post while you were editing it (it has been edited ${times} ${times === 1 ? 'time' : 'times'}); your edit was not saved`);
  }

  /** The post went to another topic (split, move or merge) while this change was being made. */
  function movedMeanwhile(): AppError {
    return new AppError('CONFLICT', 'This post was moved to another topic meanwhile; try again there');
  }

  /** Soft delete: the post stays stored (restorable by moderators) but is no longer shown. */
  async function remove(user: AuthUser | null, postId: string): Promise<{ seq: number }> {
    const { current, actor } = await authorizeChange(user, postId);
    let forumId = String(current.forumId);
    const { seq } = await retryLostRaces(() => eventLog.write(String(current.topicId), async (claimed) => {
      forumId = claimed.forumId;
      const updated = await PostModel.findOneAndUpdate(
        { _id: postId, topicId: claimed.topicId, deleted: false, seq: op({ $lt: claimed.seq }) },
        { $set: { deleted: true, deletedBy: actor.id, seq: claimed.seq } },
        { new: true },
      ).lean();
      if (!updated) {
        // Moved, already deleted, or changed under a later seq (claim again).
        const now = await PostModel.findById(postId, { topicId: 1, deleted: 1 }).lean();
        if (now && String(now.topicId) !== claimed.topicId) throw movedMeanwhile();
        throw now && !now.deleted ? new LostRace() : notFound('Post');
      }
      await Topic.updateOne({ _id: claimed.topicId }, { $inc: { postCount: -1 } });
      await Forum.updateOne({ _id: claimed.forumId }, { $inc: { postCount: -1 } });
      await User.updateOne({ _id: updated.authorId }, { $inc: { postCount: -1 } });
      return { result: {}, event: { type: 'post:deleted', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, postId } } };
    }), 'This post kept changing while you deleted it; try again');
    await lastPost.forget(String(current.topicId), forumId, postId);
    await solutions?.postRemoved(String(current.topicId), postId);
    notifications?.removed(postId); // not awaited
    if (String(current.authorId) !== actor.id) {
      await modlog.record({ action: 'post.delete', actor, target: { type: 'post', id: postId }, details: { topicId: String(current.topicId) } });
    }
    return { seq };
  }

  /**
   * phpBB's Preview: a body rendered as a post would show it, stored nowhere. For whoever may write
   * posts or messages (members, and tokens with \`post\`); its cost is the REST budget's.
   */
  function preview(user: AuthUser | null, input: { body: string }): PreviewResult {
    policy.requireScope(policy.requireMember(user), 'post');
    return { bodyHtml: renderBody(input.body) };
  }

  return { reply, createTopic, edit, remove, topicView, preview };
}
export type PostService = ReturnType<typeof createPostService>;
