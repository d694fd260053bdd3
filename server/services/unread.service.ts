import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { op } from '../db/connect.js';
import { derivedId } from '../db/derived-id.js';
import type { NotificationService } from './notification.service.js';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import type { ForumMarkResult, TopicReadResult } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import { policy } from './policy.js';
import { pageHolding } from './post-pages.js';
import { AppError, isDuplicateKey, notFound } from '../errors.js';

/** How long a member's own post waits to mark its topic read (marks in that time are written once). */
export const OWN_MARK_DELAY_MS = 250;

/** GET /forums looks at most at this many topics (the most recently posted in, within the window). */
export const UNREAD_SCAN_TOPICS = 1_000;

/** A member's read row for a topic, by `_id` (FerretDB's SQLite backend scans for any other filter). */
export const readIdFor = (userId: string, topicId: string) => derivedId('read', userId, topicId);
/** A member's mark for a forum, or (no forumId) the board-wide "mark all read". */
export const markIdFor = (userId: string, forumId?: string) => (forumId ? derivedId('mark', userId, forumId) : derivedId('mark-all', userId));

/** Whether this requester has unread state: signed-in people, not guests, not bots (nor any API token). */
export const tracksUnread = (user: AuthUser | null): user is AuthUser => !!user && user.role !== 'bot' && !user.scopes;

/** What decides whether a topic is unread: its last post's time and the highest number given. */
export interface TopicActivity {
  _id: unknown;
  forumId: unknown;
  postNumbers?: number | null;
  lastPostAt?: Date | null;
}

/** The member's view of some forums: before `floor(forumId)` everything counts as read there. */
export interface UnreadState {
  floor(forumId: string): Date;
}

/**
 * phpBB's and Discourse's unread tracking. Per member and topic, the highest post number read
 * (`topic_reads`, only ever raised); per member and forum a "marked read at" time, and one
 * board-wide time for "mark all read" (`forum_marks`). A topic is unread for a member when a post
 * numbered above their read number exists (`postNumbers`) and its last post is newer than the
 * forum's floor: the latest of the forum's mark, the board mark, the member's joining, and the
 * window (`UNREAD_WINDOW_DAYS`: older counts as read, as phpBB's board setting does).
 * Every read and write here is by a derived `_id`.
 */
export function createUnreadService({ models, config, logger, access, notifications }: { models: Models; config: Config; logger: Logger; access: Pick<AccessService, 'requireRead'>; /** Reading a topic reads its notifications too. */ notifications?: Pick<NotificationService, 'topicRead'> }) {
  const { TopicRead, ForumMark, Topic, Post, User } = models;
  const windowMs = config.unreadWindowDays * 86_400_000;

  /**
   * Own posts' read marks, held for OWN_MARK_DELAY_MS per (member, topic): a member posting
   * fast into one topic costs one write per interval, not one per post (a post's own path is
   * the server's hottest). Held marks are lost if the process stops first: those posts then show
   * as unread to their author, nothing worse. A clean shutdown writes them first (`flush`).
   */
  const ownMarks = new Map<string, { userId: string; topicId: string; number: number }>();
  let ownMarksTimer: NodeJS.Timeout | null = null;
  function flushOwnMarks(): Promise<void> {
    if (ownMarksTimer) clearTimeout(ownMarksTimer);
    ownMarksTimer = null;
    const held = [...ownMarks.values()];
    ownMarks.clear();
    return Promise.all(
      held.map((m) => raise(m.userId, m.topicId, m.number).catch((err) => logger.warn({ err, topicId: m.topicId, userId: m.userId }, 'could not mark an own post read'))),
    ).then(() => undefined);
  }

  function requireTracked(user: AuthUser | null): AuthUser {
    const member = policy.requireMember(user);
    if (!tracksUnread(member)) throw new AppError('FORBIDDEN', 'Bots have no unread state');
    return member;
  }

  /** The member's floors for these forums: two reads by `_id`, made together. */
  async function stateFor(user: AuthUser, forumIds: string[]): Promise<UnreadState> {
    const ids = [markIdFor(user.id), ...forumIds.map((f) => markIdFor(user.id, f))];
    const [marks, joined] = await Promise.all([
      ForumMark.find({ _id: op({ $in: ids }) }, { forumId: 1, at: 1 }).lean(),
      User.findById(user.id, { joinedAt: 1 }).lean(),
    ]);
    let base = Date.now() - windowMs;
    if (joined?.joinedAt) base = Math.max(base, joined.joinedAt.getTime());
    const byForum = new Map<string, number>();
    for (const m of marks) {
      if (m.forumId) byForum.set(String(m.forumId), m.at.getTime());
      else base = Math.max(base, m.at.getTime());
    }
    return { floor: (forumId) => new Date(Math.max(base, byForum.get(forumId) ?? 0)) };
  }

  /** The member's read numbers for these topics (0 for none read). */
  async function readNumbers(user: AuthUser, topicIds: string[]): Promise<Map<string, number>> {
    if (!topicIds.length) return new Map();
    const rows = await TopicRead.find({ _id: op({ $in: topicIds.map((t) => readIdFor(user.id, t)) }) }, { topicId: 1, number: 1 }).lean();
    return new Map(rows.map((r) => [String(r.topicId), r.number]));
  }

  /** Could the topic be unread at all (a post after the floor)? Then its read number decides. */
  const recent = (t: TopicActivity, state: UnreadState) => !!t.lastPostAt && t.lastPostAt.getTime() > state.floor(String(t.forumId)).getTime();
  const unreadWith = (t: TopicActivity, read: number) => (t.postNumbers ?? 0) > read;

  /** Raise the member's read number for a topic to `number` (never lowers it); the stored number. */
  async function raise(userId: string, topicId: string, number: number): Promise<number> {
    const _id = readIdFor(userId, topicId);
    const write = () =>
      TopicRead.findOneAndUpdate(
        { _id },
        { $max: { number }, $set: { at: new Date() }, $setOnInsert: { userId: new Types.ObjectId(userId), topicId: new Types.ObjectId(topicId) } },
        { upsert: true, new: true },
      ).lean();
    // Two first marks of one topic at once: the upsert that loses the insert finds the row on a second try.
    const row = await write().catch((err) => (isDuplicateKey(err) ? write() : Promise.reject(err)));
    return row?.number ?? number;
  }

  /** Set a forum's (or, without one, the board's) mark to now; never moves it back. */
  async function mark(userId: string, forumId?: string): Promise<Date> {
    const at = new Date();
    const _id = markIdFor(userId, forumId);
    const write = () =>
      ForumMark.findOneAndUpdate(
        { _id },
        { $max: { at }, $setOnInsert: { userId: new Types.ObjectId(userId), forumId: forumId ? new Types.ObjectId(forumId) : null } },
        { upsert: true, new: true },
      ).lean();
    const row = await write().catch((err) => (isDuplicateKey(err) ? write() : Promise.reject(err)));
    return row?.at ?? at;
  }

  /**
   * The unread topics of these forums, last posted in first, in a bounded number of reads: the
   * member's marks, then the topics last posted in after the oldest floor (the newest
   * UNREAD_SCAN_TOPICS of them: older ones count as read), then the member's rows for those.
   */
  async function unreadAmong(user: AuthUser, forumIds: string[]): Promise<Array<{ topicId: string; forumId: string; firstUnread: number }>> {
    if (!forumIds.length) return [];
    const state = await stateFor(user, forumIds);
    const oldest = new Date(Math.min(...forumIds.map((f) => state.floor(f).getTime())));
    const topics = await Topic.find(
      { forumId: op({ $in: forumIds.map((f) => new Types.ObjectId(f)) }), deleted: op({ $ne: true }), lastPostAt: op({ $gt: oldest }) },
      { forumId: 1, postNumbers: 1, lastPostAt: 1 },
    )
      .sort({ lastPostAt: -1, _id: -1 })
      .limit(UNREAD_SCAN_TOPICS)
      .lean();
    const candidates = topics.filter((t) => recent(t, state));
    const reads = await readNumbers(user, candidates.map((t) => String(t._id)));
    return candidates.flatMap((t) => {
      const read = reads.get(String(t._id)) ?? 0;
      return unreadWith(t, read) ? [{ topicId: String(t._id), forumId: String(t.forumId), firstUnread: read + 1 }] : [];
    });
  }

  return {
    stateFor,
    readNumbers,

    /**
     * `unread` for each forum (GET /forums), in a bounded number of reads: the member's marks,
     * then the topics of these forums last posted in after the oldest floor (the newest
     * UNREAD_SCAN_TOPICS of them: older ones count as read), then the member's rows for those.
     */
    async forumsUnread(user: AuthUser, forumIds: string[]): Promise<Map<string, boolean>> {
      const out = new Map(forumIds.map((f) => [f, false]));
      for (const t of await unreadAmong(user, forumIds)) out.set(t.forumId, true);
      return out;
    },

    /** The member's unread topics in these forums, last posted in first (phpBB's "View unread posts"). */
    unreadAmong,
    requireTracked,

    /** `unread` and `firstUnread` for the topics of a listing page, each by its own forum's marks (a page may hold several forums' topics). */
    async topicsUnread(user: AuthUser, topics: TopicActivity[]): Promise<Map<string, { unread: boolean; firstUnread?: number }>> {
      const state = await stateFor(user, [...new Set(topics.map((t) => String(t.forumId)))]);
      const candidates = topics.filter((t) => recent(t, state));
      const reads = await readNumbers(user, candidates.map((t) => String(t._id)));
      const out = new Map<string, { unread: boolean; firstUnread?: number }>(topics.map((t) => [String(t._id), { unread: false }]));
      for (const t of candidates) {
        const read = reads.get(String(t._id)) ?? 0;
        if (unreadWith(t, read)) out.set(String(t._id), { unread: true, firstUnread: read + 1 });
      }
      return out;
    },

    /**
     * What the member had read of a topic before this look at it: posts numbered up to `upTo`,
     * and everything posted before `before` (the forum's floor). A page shows the others as new.
     */
    async readState(user: AuthUser, topic: TopicActivity): Promise<{ upTo: number; before: string }> {
      const topicId = String(topic._id);
      const [state, reads] = await Promise.all([stateFor(user, [String(topic.forumId)]), readNumbers(user, [topicId])]);
      return { upTo: reads.get(topicId) ?? 0, before: state.floor(String(topic.forumId)).toISOString() };
    },

    /**
     * The member's first unread visible post of a topic and the page that holds it (page = its
     * place among the visible posts), given what they had read (`readState`), or null when none is
     * unread. Two reads of `posts` at most.
     */
    async firstUnreadIn(topic: TopicActivity, read: { upTo: number; before: string }): Promise<{ postId: string; page: number } | null> {
      const topicId = String(topic._id);
      const floor = new Date(read.before);
      if (!topic.lastPostAt || topic.lastPostAt <= floor || !unreadWith(topic, read.upTo)) return null;
      const first = await Post.findOne({ topicId, deleted: false, number: op({ $gt: read.upTo }), createdAt: op({ $gt: floor }) }, { number: 1 })
        .sort({ number: 1 })
        .lean();
      if (!first) return null; // the unread ones were deleted
      return { postId: String(first._id), page: await pageHolding(Post, topicId, first.number) };
    },

    /**
     * POST /topics/:topicId/read. Refused as GET /topics/:topicId would refuse the topic. A number
     * above the topic's highest is taken as the highest, and one at or past its last visible post
     * as the highest too (posts after it were deleted: nothing is left to read there).
     */
    async markTopic(user: AuthUser | null, topicId: string, number: number): Promise<TopicReadResult> {
      const member = requireTracked(user);
      const topic = await Topic.findById(topicId, { forumId: 1, deleted: 1, postNumbers: 1, lastPost: 1 }).lean();
      if (!topic || (topic.deleted && !policy.isModerator(member))) throw notFound('Topic');
      await access.requireRead(member, String(topic.forumId));
      const highest = topic.postNumbers ?? 0;
      let upTo = Math.min(number, highest);
      if (upTo < highest) {
        const last = topic.lastPost ? await Post.findById(topic.lastPost.id, { number: 1 }).lean() : null;
        if (!topic.lastPost || (last && upTo >= last.number)) upTo = highest;
      }
      if (upTo < 1) return { topicId, number: 0 }; // a topic with no post yet (being created)
      const read = await raise(member.id, topicId, upTo);
      notifications?.topicRead(member, topicId, read); // not awaited
      return { topicId, number: read };
    },

    /** POST /forums/:forumId/read: refused as the forum's listing would be. */
    async markForum(user: AuthUser | null, forumId: string): Promise<ForumMarkResult> {
      const member = requireTracked(user);
      await access.requireRead(member, forumId); // NOT_FOUND for an unknown forum
      return { forumId, markedAt: (await mark(member.id, forumId)).toISOString() };
    },

    /** POST /forums/read: every forum, in one row. */
    async markAll(user: AuthUser | null): Promise<ForumMarkResult> {
      const member = requireTracked(user);
      return { markedAt: (await mark(member.id)).toISOString() };
    },

    /**
     * A member's own new post marks its topic read up to it. Not awaited by the write path: the
     * post is stored and announced already; a failure is logged, never thrown.
     */
    /** Write the own posts' marks held now (the app calls it as it closes). */
    flush: flushOwnMarks,

    ownPost(author: AuthUser, topicId: string, number: number): void {
      if (!tracksUnread(author)) return;
      const key = `${author.id}:${topicId}`;
      const held = ownMarks.get(key);
      ownMarks.set(key, { userId: author.id, topicId, number: Math.max(number, held?.number ?? 0) });
      ownMarksTimer ??= setTimeout(() => void flushOwnMarks(), OWN_MARK_DELAY_MS).unref();
    },
  };
}
export type UnreadService = ReturnType<typeof createUnreadService>;
