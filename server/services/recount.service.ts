import type { Logger } from 'pino';
import type { Model } from 'mongoose';
import type { Models } from '../models/index.js';
import { op } from '../db/connect.js';
import { createLastPost } from './last-post.js';

export type CounterField = 'thanksCount' | 'thanksGiven' | 'thanksReceived' | 'postCount' | 'topicCount' | 'attachmentBytes';

export type CountedKind = 'post' | 'user' | 'topic' | 'forum';

export type Correction =
  | {
      kind: CountedKind;
      id: string;
      field: CounterField;
      /** The stored value before (null: the field was missing). */
      was: number | null;
      now: number;
    }
  | {
      kind: 'topic' | 'forum';
      id: string;
      /** The post "last post" named before and names now (null: none). */
      field: 'lastPost';
      was: string | null;
      now: string | null;
    };

export interface RecountReport {
  scanned: { thanks: number; posts: number; users: number; topics: number; forums: number; attachments: number };
  corrections: Correction[];
  /** Counters that kept changing under us (a live server writing): run again when quiet. */
  skipped: Array<{ kind: CountedKind; id: string; field: CounterField }>;
}

type Counter = {
  kind: CountedKind;
  id: string;
  field: CounterField;
  read: () => Promise<number | null | undefined>;
  count: () => Promise<number>;
  /** Set the value only if it is still `was` (so a concurrent $inc is never overwritten). */
  swap: (was: number | null, now: number) => Promise<boolean>;
};

const tally = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const asCount = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * Rebuild the derived counters from their source documents: post.thanksCount, user.thanksGiven
 * and user.thanksReceived from Thanks; user, topic and forum postCount from non-deleted posts,
 * a forum's without those of its deleted topics (a server killed between claiming a post's slot
 * and storing it leaves the last two one up); forums' topicCount from their topics that are not
 * deleted and whose opening post was stored (that kill during a new topic leaves it one up); and
 * topics' and forums' "last post" from the newest stored posts; users' attachmentBytes from their uploads' sizes (that kill leaves them naming a
 * post that was never stored).
 * One pass tallies everything in memory (FerretDB v1 lacks most $group accumulators); each
 * mismatch is then re-counted for that one document and fixed by compare-and-set, so the
 * command is safe to run against a live server (a counter that keeps moving is skipped).
 */
export function createRecountService({ models, logger }: { models: Models; logger: Logger }) {
  const { Thanks, Post, User, Topic, Forum, Attachment } = models;
  const lastPost = createLastPost(models);

  async function fix(c: Counter): Promise<Correction | 'skipped' | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const was = asCount(await c.read());
      const now = await c.count();
      if (was === now) return null;
      if (await c.swap(was, now)) return { kind: c.kind, id: c.id, field: c.field, was, now };
    }
    return 'skipped';
  }

  /** One stored counter of one document, and how to count it from its sources. */
  function counter(kind: CountedKind, model: Model<any>, id: string, field: CounterField, count: () => Promise<number>): Counter {
    return {
      kind, id, field, count,
      read: async () => (await model.findById(id, { [field]: 1 }).lean<Record<string, unknown>>())?.[field] as number | null | undefined,
      swap: async (was, now) => (await model.updateOne({ _id: id, [field]: was }, { $set: { [field]: now } })).modifiedCount === 1,
    };
  }
  const postCounter = (id: string) => counter('post', Post, id, 'thanksCount', () => Thanks.countDocuments({ postId: id }));
  const userCounters = {
    thanksGiven: (id: string) => counter('user', User, id, 'thanksGiven', () => Thanks.countDocuments({ giverId: id })),
    thanksReceived: (id: string) => counter('user', User, id, 'thanksReceived', () => Thanks.countDocuments({ receiverId: id })),
    postCount: (id: string) => counter('user', User, id, 'postCount', () => Post.countDocuments({ authorId: id, deleted: false })),
    attachmentBytes: (id: string) =>
      counter('user', User, id, 'attachmentBytes', async () => {
        let bytes = 0;
        for await (const a of Attachment.find({ ownerId: id }, { size: 1 }).lean().cursor()) bytes += a.size;
        return bytes;
      }),
  };
  const topicCounter = (id: string) => counter('topic', Topic, id, 'postCount', () => Post.countDocuments({ topicId: id, deleted: false }));
  const forumCounter = (id: string) =>
    counter('forum', Forum, id, 'postCount', async () => {
      const deletedTopics = (await Topic.find({ forumId: id, deleted: true }, { _id: 1 }).lean()).map((t) => t._id);
      return Post.countDocuments({ forumId: id, deleted: false, topicId: op({ $nin: deletedTopics }) });
    });
  /** A forum's topics: those not deleted whose opening post was stored (a kill mid-creation leaves one without). */
  const forumTopicCounter = (id: string) =>
    counter('forum', Forum, id, 'topicCount', async () => {
      const withPosts = new Set((await Post.distinct('topicId', { forumId: id })).map(String));
      const topics = await Topic.find({ forumId: id, deleted: op({ $ne: true }) }, { _id: 1 }).lean();
      return topics.filter((t) => withPosts.has(String(t._id))).length;
    });

  /**
   * Topics first (a forum's "last post" is its newest topic's). Each fix is conditional on what
   * it replaces, so a reply stored meanwhile wins; the report says what each names afterwards.
   */
  async function fixLastPosts(topics: Array<{ id: string; forumId: string; was: string | null }>, forums: Array<{ id: string; was: string }>): Promise<Correction[]> {
    const fixed: Correction[] = [];
    const topicNames = async (id: string) => (await Topic.findById(id, { lastPost: 1 }).lean())?.lastPost?.id ?? null;
    const forumNames = async (id: string) => (await Forum.findById(id, { lastPost: 1 }).lean())?.lastPost?.id ?? null;
    for (const t of topics) {
      if (t.was) await lastPost.forget(t.id, t.forumId, t.was);
      else {
        const ref = await lastPost.newestIn(t.id);
        if (ref) await lastPost.offer(t.forumId, ref);
      }
      const now = await topicNames(t.id);
      if (now !== t.was) fixed.push({ kind: 'topic', id: t.id, field: 'lastPost', was: t.was, now });
    }
    for (const f of forums) {
      await lastPost.replaceInForum(f.id, f.was);
      const now = await forumNames(f.id);
      if (now !== f.was) fixed.push({ kind: 'forum', id: f.id, field: 'lastPost', was: f.was, now });
    }
    return fixed;
  }

  async function run(): Promise<RecountReport> {
    const perPost = new Map<string, number>();
    const given = new Map<string, number>();
    const received = new Map<string, number>();
    const posted = new Map<string, number>();
    const inTopic = new Map<string, number>();
    const inForum = new Map<string, number>();
    /** Each topic's newest stored post, which its "last post" should name. */
    const newest = new Map<string, { id: string; number: number }>();
    const staleTopics: Array<{ id: string; forumId: string; was: string | null }> = [];
    const staleForums: Array<{ id: string; was: string }> = [];
    /** Bytes of attachments per uploader (their quota's use). */
    const uploaded = new Map<string, number>();
    const scanned = { thanks: 0, posts: 0, users: 0, topics: 0, forums: 0, attachments: 0 };
    const suspects: Counter[] = [];

    for await (const t of Thanks.find({}, { postId: 1, giverId: 1, receiverId: 1 }).lean().cursor()) {
      scanned.thanks++;
      tally(perPost, String(t.postId));
      tally(given, String(t.giverId));
      tally(received, String(t.receiverId));
    }
    for await (const a of Attachment.find({}, { ownerId: 1, size: 1 }).lean().cursor()) {
      scanned.attachments++;
      tally(uploaded, String(a.ownerId), a.size);
    }
    // A deleted topic's posts count for their authors and their topic, not for the forum.
    const deletedTopics = new Set((await Topic.find({ deleted: true }, { _id: 1 }).lean()).map((t) => String(t._id)));
    /** Topics whose opening post was stored (any of their posts, deleted or not). */
    const withPosts = new Set<string>();
    const topicsInForum = new Map<string, number>();
    for await (const p of Post.find({}, { thanksCount: 1, authorId: 1, topicId: 1, forumId: 1, deleted: 1, number: 1 }).lean().cursor()) {
      scanned.posts++;
      const id = String(p._id);
      withPosts.add(String(p.topicId));
      if (!p.deleted) {
        tally(posted, String(p.authorId));
        tally(inTopic, String(p.topicId));
        if (!deletedTopics.has(String(p.topicId))) tally(inForum, String(p.forumId));
        const seen = newest.get(String(p.topicId));
        if (!seen || p.number > seen.number) newest.set(String(p.topicId), { id, number: p.number });
      }
      if (asCount(p.thanksCount) !== (perPost.get(id) ?? 0)) suspects.push(postCounter(id));
    }
    for await (const u of User.find({}, { thanksGiven: 1, thanksReceived: 1, postCount: 1, attachmentBytes: 1 }).lean().cursor()) {
      scanned.users++;
      const id = String(u._id);
      if (asCount(u.thanksGiven) !== (given.get(id) ?? 0)) suspects.push(userCounters.thanksGiven(id));
      if (asCount(u.thanksReceived) !== (received.get(id) ?? 0)) suspects.push(userCounters.thanksReceived(id));
      if (asCount(u.postCount) !== (posted.get(id) ?? 0)) suspects.push(userCounters.postCount(id));
      // Accounts from before attachments have no field: that is 0, not a fault.
      if ((asCount(u.attachmentBytes) ?? 0) !== (uploaded.get(id) ?? 0)) suspects.push(userCounters.attachmentBytes(id));
    }
    for await (const t of Topic.find({}, { postCount: 1, forumId: 1, lastPost: 1 }).lean().cursor()) {
      scanned.topics++;
      const id = String(t._id);
      if (asCount(t.postCount) !== (inTopic.get(id) ?? 0)) suspects.push(topicCounter(id));
      const was = t.lastPost?.id ?? null;
      if (was !== (newest.get(id)?.id ?? null)) staleTopics.push({ id, forumId: String(t.forumId), was });
      if (!deletedTopics.has(id) && withPosts.has(id)) tally(topicsInForum, String(t.forumId));
    }
    const lastPosts = new Set([...newest].filter(([topicId]) => !deletedTopics.has(topicId)).map(([, n]) => n.id));
    for await (const f of Forum.find({}, { postCount: 1, topicCount: 1, lastPost: 1 }).lean().cursor()) {
      scanned.forums++;
      if (asCount(f.postCount) !== (inForum.get(String(f._id)) ?? 0)) suspects.push(forumCounter(String(f._id)));
      if (asCount(f.topicCount) !== (topicsInForum.get(String(f._id)) ?? 0)) suspects.push(forumTopicCounter(String(f._id)));
      if (f.lastPost && !lastPosts.has(f.lastPost.id)) staleForums.push({ id: String(f._id), was: f.lastPost.id });
    }

    // Fixed after the scans, not during: updating documents under an open cursor may revisit them.
    const report: RecountReport = { scanned, corrections: [], skipped: [] };
    for (const counter of suspects) {
      const outcome = await fix(counter);
      if (outcome === 'skipped') report.skipped.push({ kind: counter.kind, id: counter.id, field: counter.field });
      else if (outcome) report.corrections.push(outcome);
    }
    report.corrections.push(...(await fixLastPosts(staleTopics, staleForums)));
    if (report.corrections.length) logger.warn({ corrections: report.corrections.length }, 'recount corrected counters');
    return report;
  }

  return { run };
}
export type RecountService = ReturnType<typeof createRecountService>;
